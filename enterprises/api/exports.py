"""REST GET /api/v1/challenges/export/?format=xlsx|csv&<the list's filters>: the challenges the caller may see
(public ones, and an enterprise's own drafts), as the list filters them, in a file."""
from django.urls import path

from jianglian.api.exports import RosterExportMixin, export_schema
from jianglian.rosters.columns import Column
from jianglian.rosters.exports import Sheet, when

from .challenges import ChallengeViewSet


class ChallengeSheet(Sheet):
    name = "challenges"
    label = "企业需求"
    columns = (
        Column("title", "标题"), Column("enterprise", "企业"), Column("category", "类别"), Column("status", "状态"),
        Column("skills", "所需技能"), Column("province", "期望地区（省）"), Column("city", "期望地区（市）"),
        Column("description", "问题描述"), Column("published_at", "发布时间"), Column("closed_at", "关闭时间"),
    )

    def export_row(self, challenge, *, contact: bool) -> dict:
        return {
            "title": challenge.title, "enterprise": challenge.enterprise.name,
            "category": challenge.get_category_display(), "status": challenge.get_status_display(),
            "skills": "、".join(sorted(s.name for s in challenge.skills.all())),
            "province": challenge.get_preferred_province_display() if challenge.preferred_province else "",
            "city": challenge.preferred_city, "description": challenge.description,
            "published_at": when(challenge.published_at), "closed_at": when(challenge.closed_at),
        }


class ChallengeExportViewSet(RosterExportMixin, ChallengeViewSet):
    def export_sheet(self):
        return ChallengeSheet()

    @export_schema("企业需求", "challenges")
    def export(self, request, *args, **kwargs):
        return super().export(request, *args, **kwargs)


# Before the router's challenges/<pk>/ (enterprises/api/urls.py puts it first).
urlpatterns = [path("challenges/export/", ChallengeExportViewSet.as_view({"get": "export"}), name="challenge-export")]
