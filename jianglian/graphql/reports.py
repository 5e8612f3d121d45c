"""GraphQL of the campaign report: `campaignReport(from:, to:, province:, category:)` (secretariat only; rules and
definitions in jianglian.reports, the same function REST and the pages read)."""
from decimal import Decimal

import graphene

from jianglian.reports import CAMPAIGNS, campaign_report

from .enums import CategoryEnum, ProvinceEnum


def _number(value):
    return float(round(value, 2)) if isinstance(value, Decimal) else value


class CampaignReportRow(graphene.ObjectType):
    """One row of a breakdown: a province, a month (YYYY-MM) or a category, and the figure."""

    key = graphene.String(required=True, description="省份代码、YYYY-MM 或类别代码 / province code, YYYY-MM or category")
    label = graphene.String(required=True)
    value = graphene.Float(required=True, description="人数、次数，或元（两位小数） / a count, or yuan (2 decimals)")

    def resolve_value(root, info):
        return _number(root.value)


class CampaignMetric(graphene.ObjectType):
    """One figure of the report, in total and by province, month and category."""

    code = graphene.String(required=True, description="enterprises_served, challenges_posted, …")
    label = graphene.String(required=True)
    campaign = graphene.String(required=True, description="enterprise（助企行） | campus（进校园） | 空：两项合计")
    campaign_label = graphene.String(required=True)
    unit = graphene.String(required=True, description="count | yuan")
    distinct = graphene.Boolean(required=True, description="不重复计数：合计不等于各行之和 / the total is not the sum")
    help = graphene.String(required=True)
    total = graphene.Float(description="按类别筛选时进校园的数字为 null / null for a 进校园 figure filtered by category")
    by_province = graphene.List(graphene.NonNull(CampaignReportRow), required=True)
    by_month = graphene.List(graphene.NonNull(CampaignReportRow), required=True)
    by_category = graphene.List(graphene.NonNull(CampaignReportRow), required=True)

    def resolve_code(root, info):
        return root.metric.code

    def resolve_label(root, info):
        return str(root.metric.label)

    def resolve_campaign(root, info):
        return root.metric.campaign

    def resolve_campaign_label(root, info):
        return str(CAMPAIGNS[root.metric.campaign])

    def resolve_unit(root, info):
        return root.metric.unit

    def resolve_distinct(root, info):
        return root.metric.distinct

    def resolve_help(root, info):
        return str(root.metric.help)

    def resolve_total(root, info):
        return _number(root.total)


class CampaignReport(graphene.ObjectType):
    """The figures of 劳模工匠助企行 and 劳模工匠进校园 for a date range (secretariat only)."""

    date_from = graphene.Date(name="from", required=True)
    date_to = graphene.Date(name="to", required=True)
    province = ProvinceEnum()
    category = CategoryEnum()
    metrics = graphene.List(graphene.NonNull(CampaignMetric), required=True)

    def resolve_date_from(root, info):
        return root.query.date_from

    def resolve_date_to(root, info):
        return root.query.date_to

    def resolve_province(root, info):
        return root.query.province

    def resolve_category(root, info):
        return root.query.category


class ReportsQuery(graphene.ObjectType):
    campaign_report = graphene.Field(
        CampaignReport, required=True,
        date_from=graphene.Date(name="from", description="起始日期（含），默认今年 1 月 1 日"),
        date_to=graphene.Date(name="to", description="截止日期（含），默认今天"),
        province=ProvinceEnum(), category=CategoryEnum(description="需求类别（只筛选助企行的数字）"),
        description="活动统计报表（仅秘书处）：服务企业、需求、结对、成果、进校园活动与受众 / The campaign report "
                    "(secretariat only)")

    def resolve_campaign_report(root, info, date_from=None, date_to=None, province=None, category=None):
        return campaign_report(user=info.context.user, date_from=date_from, date_to=date_to,
                               province=getattr(province, "value", province),
                               category=getattr(category, "value", category))
