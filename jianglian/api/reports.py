"""REST /api/v1/reports/campaign/: the campaign report (rules and definitions in jianglian.reports). Secretariat only.

    GET /api/v1/reports/campaign/?from=2026-01-01&to=2026-06-30&province=sichuan&category=green
    GET /api/v1/reports/campaign/export/?<the same>          the same report as an .xlsx

`from` / `to` are dates (inclusive; default: from January 1 of this year to today), `province` a province code,
`category` technology | management | green. Bad parameters answer 400 with a message per parameter.
"""
from decimal import Decimal

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from jianglian.choices import Category, Province
from jianglian.reports import CAMPAIGNS, campaign_report, report_workbook
from jianglian.rosters.exports import XLSX_TYPE, disposition

from .permissions import IsSecretariat
from .schema import summary
from .serializers import StrictInputSerializer

TAGS = ["reports"]


class CampaignReportParameters(StrictInputSerializer):
    """The report's query parameters (`from` is a Python keyword, hence get_fields)."""

    def get_fields(self):
        return {
            "from": serializers.DateField(required=False, help_text="起始日期（含），默认今年 1 月 1 日 / First day "
                                                                   "(inclusive), default January 1 of this year"),
            "to": serializers.DateField(required=False, help_text="截止日期（含），默认今天 / Last day (inclusive), "
                                                                 "default today"),
            "province": serializers.ChoiceField(Province.choices, required=False, help_text="省份 / province"),
            "category": serializers.ChoiceField(Category.choices, required=False,
                                                help_text="需求类别（只筛选助企行的数字） / challenge category (the "
                                                          "助企行 figures only)"),
        }


@extend_schema_field(OpenApiTypes.NUMBER)
class FigureField(serializers.Field):
    """A count (an integer) or an amount of yuan (a number with two decimals)."""

    def to_representation(self, value):
        if isinstance(value, Decimal):
            return float(round(value, 2))
        return value


class ReportRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="省份代码、YYYY-MM 或类别代码 / province code, YYYY-MM or category code")
    label = serializers.CharField()
    value = FigureField()


class MetricFiguresSerializer(serializers.Serializer):
    code = serializers.CharField(source="metric.code", help_text="enterprises_served, challenges_posted, …")
    label = serializers.CharField(source="metric.label")
    campaign = serializers.CharField(source="metric.campaign", help_text="enterprise（助企行） | campus（进校园） | "
                                                                         "空：两项合计 / empty: both")
    campaign_label = serializers.SerializerMethodField()
    unit = serializers.CharField(source="metric.unit", help_text="count | yuan")
    distinct = serializers.BooleanField(source="metric.distinct",
                                        help_text="不重复计数：合计不等于各行之和 / distinct: the total is not the sum")
    help = serializers.CharField(source="metric.help")
    total = FigureField(allow_null=True, help_text="按类别筛选时进校园的数字为 null / null for a 进校园 figure "
                                                    "when filtered by category")
    by_province = ReportRowSerializer(many=True, help_text="有数字的省份 / provinces with a figure")
    by_month = ReportRowSerializer(many=True, help_text="范围内每个月 / every month of the range")
    by_category = ReportRowSerializer(many=True, help_text="进校园的数字没有类别 / none for 进校园 figures")

    def get_campaign_label(self, figures) -> str:
        return str(CAMPAIGNS[figures.metric.campaign])


class CampaignReportSerializer(serializers.Serializer):
    date_from = serializers.DateField(source="query.date_from")
    date_to = serializers.DateField(source="query.date_to")
    province = serializers.CharField(source="query.province", allow_null=True)
    category = serializers.CharField(source="query.category", allow_null=True)
    metrics = MetricFiguresSerializer(many=True)

    def get_fields(self):  # `from` and `to` in the answer, as in the question
        fields = super().get_fields()
        return {"from": fields.pop("date_from"), "to": fields.pop("date_to"), **fields}


def _report(request):
    parameters = CampaignReportParameters(data=request.query_params)
    parameters.is_valid(raise_exception=True)
    given = parameters.validated_data
    return campaign_report(user=request.user, date_from=given.get("from"), date_to=given.get("to"),
                           province=given.get("province"), category=given.get("category"))


class CampaignReportView(APIView):
    permission_classes = [IsSecretariat]

    @extend_schema(summary=summary("活动统计报表", "The campaign report"), description=__doc__, tags=TAGS,
                   parameters=[CampaignReportParameters], responses={200: CampaignReportSerializer},
                   operation_id="get_campaign_report")
    def get(self, request):
        return Response(CampaignReportSerializer(_report(request)).data)


class CampaignReportExportView(APIView):
    permission_classes = [IsSecretariat]

    @extend_schema(summary=summary("活动统计报表（.xlsx）", "The campaign report as an .xlsx"), tags=TAGS,
                   parameters=[CampaignReportParameters], operation_id="export_campaign_report",
                   responses={(200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description=".xlsx")})
    def get(self, request):
        report = _report(request)
        query = report.query
        response = HttpResponse(report_workbook(report), content_type=XLSX_TYPE)
        response["Content-Disposition"] = disposition(
            f"活动统计报表_{query.date_from.isoformat()}_{query.date_to.isoformat()}.xlsx")
        return response


urlpatterns = [
    path("reports/campaign/", CampaignReportView.as_view(), name="api-campaign-report"),
    path("reports/campaign/export/", CampaignReportExportView.as_view(), name="api-campaign-report-export"),
]
