"""REST exports of the alliance's lists.

GET /api/v1/studios/export/?format=xlsx|csv&<the list's filters>: the studios as a roster file — the list's
selector, filters and ordering, in the import template's columns (alliance.roster), streamed; the lead's mobile
phone only where the caller may see the lead's contact details.
GET /api/v1/events/export/?format=xlsx|csv&status=: the campus outreach events the caller may see, with their
experts (those the caller may see: alliance.selectors.event_participations_visible, as the list) and audience.
"""
from django.urls import path

from jianglian.api.exports import RosterExportMixin, export_schema
from jianglian.rosters.columns import Column
from jianglian.rosters.exports import Sheet, number, when
from matching.pairings.selectors import contact_visible_expert_ids

from ..selectors import event_participations_visible
from .events import EventViewSet
from .studios import StudioViewSet


class StudioExportViewSet(RosterExportMixin, StudioViewSet):
    export_kind = "studios"

    def export_contact(self):
        visible = contact_visible_expert_ids(self.request.user)
        return (lambda studio: True) if visible is None else (lambda studio: studio.lead_id in visible)

    def get_queryset(self):
        return super().get_queryset().select_related("lead").prefetch_related("skills")

    @export_schema("工作室", "the studios")
    def export(self, request, *args, **kwargs):
        return super().export(request, *args, **kwargs)


class EventSheet(Sheet):
    name = "events"
    label = "进校园活动"
    columns = (
        Column("title", "名称"), Column("school", "学校"), Column("province", "省份"), Column("city", "城市"),
        Column("starts_at", "开始时间"), Column("ends_at", "结束时间"), Column("format", "形式"), Column("topic", "主题"),
        Column("status", "状态"), Column("experts", "参与专家"), Column("capacity", "名额"),
        Column("audience_count", "实到人数"), Column("report_summary", "活动总结"),
    )

    def __init__(self, *, user):
        self.user = user

    def export_row(self, event, *, contact: bool) -> dict:
        experts = event_participations_visible(user=self.user, event=event)  # from the prefetched participations
        return {
            "title": event.title, "school": event.school, "province": event.get_province_display(),
            "city": event.city, "starts_at": when(event.starts_at), "ends_at": when(event.ends_at),
            "format": event.get_format_display(), "topic": event.topic, "status": event.get_status_display(),
            "experts": "、".join(p.expert.name for p in experts),
            "capacity": number(event.capacity), "audience_count": number(event.audience_count),
            "report_summary": event.report_summary,
        }


class EventExportViewSet(RosterExportMixin, EventViewSet):
    def export_sheet(self):
        return EventSheet(user=self.request.user)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("participations__expert")

    @export_schema("进校园活动", "campus outreach events")
    def export(self, request, *args, **kwargs):
        return super().export(request, *args, **kwargs)


# Before the routers' studios/<pk>/ and events/<pk>/ (alliance/api/urls.py puts them first).
urlpatterns = [path("studios/export/", StudioExportViewSet.as_view({"get": "export"}), name="studio-export"),
               path("events/export/", EventExportViewSet.as_view({"get": "export"}), name="event-export")]
