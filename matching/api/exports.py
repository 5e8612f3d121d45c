"""REST GET /api/v1/pairings/export/?format=xlsx|csv&status=: the pairing agreements the caller is a party to
(the secretariat: all), with their outcomes — problems solved, yuan saved, workers trained, ratings — in a file."""
from django.urls import path

from jianglian.api.exports import RosterExportMixin, export_schema
from jianglian.rosters.columns import Column
from jianglian.rosters.exports import Sheet, number, when

from .pairings import PairingViewSet


class PairingSheet(Sheet):
    name = "pairings"
    label = "结对"
    columns = (
        Column("challenge", "需求"), Column("enterprise", "企业"), Column("expert", "劳模工匠"), Column("status", "状态"),
        Column("start_date", "开始日期"), Column("end_date", "结束日期"), Column("activated_at", "生效时间"),
        Column("ended_at", "结束时间"), Column("outcome_summary", "成果总结"), Column("problems_solved", "解决问题数"),
        Column("savings_yuan", "节约金额（元）"), Column("workers_trained", "培训人数"),
        Column("enterprise_rating", "企业评分"), Column("expert_rating", "专家评分"),
    )

    def export_row(self, pairing, *, contact: bool) -> dict:
        return {
            "challenge": pairing.challenge.title, "enterprise": pairing.challenge.enterprise.name,
            "expert": pairing.expert.name, "status": pairing.get_status_display(),
            "start_date": when(pairing.start_date), "end_date": when(pairing.end_date),
            "activated_at": when(pairing.activated_at), "ended_at": when(pairing.ended_at),
            "outcome_summary": pairing.outcome_summary, "problems_solved": number(pairing.problems_solved),
            "savings_yuan": number(pairing.savings_yuan), "workers_trained": number(pairing.workers_trained),
            "enterprise_rating": number(pairing.enterprise_rating), "expert_rating": number(pairing.expert_rating),
        }


class PairingExportViewSet(RosterExportMixin, PairingViewSet):
    def export_sheet(self):
        return PairingSheet()

    def get_queryset(self):
        return super().get_queryset().select_related("challenge__enterprise", "expert")

    @export_schema("结对及成果", "pairing agreements with their outcomes")
    def export(self, request, *args, **kwargs):
        return super().export(request, *args, **kwargs)


# Before the router's pairings/<pk>/ (matching/api/urls.py puts it first).
urlpatterns = [path("pairings/export/", PairingExportViewSet.as_view({"get": "export"}), name="pairing-export")]
