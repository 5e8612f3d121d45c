"""The campaign report (jianglian.reports): the figures unions report for 劳模工匠助企行 and 劳模工匠进校园, checked
against a world counted by hand; the same report over REST, GraphQL and as an .xlsx; secretariat only; bad
parameters refused by field; a fixed number of queries whatever the range."""
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from jianglian.errors import NotAllowed
from jianglian.reports import campaign_report
from tests import factories
from tests.gql import run
from tests.report_world import Q1, world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

def rows(figures, dimension):
    return {row.key: row.value for row in getattr(figures, f"by_{dimension}") if row.value}


# --- The figures -----------------------------------------------------------------------------------------------


def test_totals_of_the_quarter_counted_by_hand(world, secretariat):
    report = campaign_report(user=secretariat, **Q1)
    assert report.totals() == {
        "enterprises_served": 2, "challenges_posted": 4, "challenges_paired": 3, "challenges_solved": 1,
        "pairings_signed": 4, "problems_solved": 3, "savings_yuan": Decimal("120000.50"), "workers_trained": 15,
        "expert_participations": 7, "events_held": 2, "event_audience": 200,
        # alliance's service days (none in this world; counted in tests/alliance/test_service_days.py)
        "service_days_held": 0, "service_day_enterprises": 0, "service_day_questions": 0,
        "service_day_questions_solved": 0, "service_day_workers_trained": 0,
    }


def test_by_month_in_local_time_every_month_listed(world, secretariat):
    report = campaign_report(user=secretariat, **Q1)
    assert [row.key for row in report.metric("challenges_posted").by_month] == ["2026-01", "2026-02", "2026-03"]
    # C4 was published on March 1 at 00:30 in Beijing: a March challenge, although it is still February in UTC
    assert rows(report.metric("challenges_posted"), "month") == {"2026-01": 1, "2026-02": 2, "2026-03": 1}
    assert rows(report.metric("pairings_signed"), "month") == {"2026-01": 1, "2026-02": 2, "2026-03": 1}
    # C2 was signed twice in February (P5 terminated, then P2): one challenge paired that month
    assert rows(report.metric("challenges_paired"), "month") == {"2026-01": 1, "2026-02": 1, "2026-03": 1}
    assert rows(report.metric("savings_yuan"), "month") == {"2026-03": Decimal("120000.50")}
    assert rows(report.metric("expert_participations"), "month") == {"2026-01": 1, "2026-02": 4, "2026-03": 2}
    assert rows(report.metric("event_audience"), "month") == {"2026-02": 120, "2026-03": 80}


def test_by_province_and_category(world, secretariat):
    report = campaign_report(user=secretariat, **Q1)
    assert rows(report.metric("challenges_posted"), "province") == {"sichuan": 3, "jiangsu": 1}
    assert rows(report.metric("enterprises_served"), "province") == {"sichuan": 1, "jiangsu": 1}
    assert rows(report.metric("expert_participations"), "province") == {"sichuan": 5, "jiangsu": 2}
    assert rows(report.metric("events_held"), "province") == {"sichuan": 1, "jiangsu": 1}
    assert rows(report.metric("challenges_posted"), "category") == {"green": 2, "technology": 1, "management": 1}
    # E1 was served in green (C1) and technology (C2): once in each row, once in the total
    assert rows(report.metric("enterprises_served"), "category") == {"green": 2, "technology": 1}
    assert report.metric("events_held").by_category == []  # 进校园 has no category
    assert report.provinces() == ["jiangsu", "sichuan"]  # in the order of the Province choices


def test_filtered_by_province(world, secretariat):
    totals = campaign_report(user=secretariat, province="jiangsu", **Q1).totals()
    assert (totals["challenges_posted"], totals["pairings_signed"], totals["events_held"], totals["event_audience"],
            totals["expert_participations"], totals["problems_solved"]) == (1, 1, 1, 80, 2, 0)


def test_filtered_by_category_the_campus_figures_do_not_apply(world, secretariat):
    totals = campaign_report(user=secretariat, category="green", **Q1).totals()
    assert (totals["challenges_posted"], totals["pairings_signed"], totals["enterprises_served"],
            totals["challenges_solved"]) == (2, 2, 2, 1)
    assert totals["events_held"] is totals["event_audience"] is totals["expert_participations"] is None


def test_a_range_without_activity_is_all_zeros(world, secretariat):
    report = campaign_report(user=secretariat, date_from=dt.date(2024, 5, 1), date_to=dt.date(2024, 5, 31))
    assert set(report.totals().values()) == {0}
    assert [row.key for row in report.metric("events_held").by_month] == ["2024-05"]


def test_without_dates_this_year_up_to_today(secretariat):
    today = timezone.localdate()
    query = campaign_report(user=secretariat).query
    assert (query.date_from, query.date_to) == (dt.date(today.year, 1, 1), today)


def test_the_query_count_is_fixed_whatever_the_range(world, secretariat, django_assert_num_queries):
    campaign_report(user=secretariat, **Q1)  # the role is read once per user object
    # 4 for challenges (total, province, month, category), 4 + 4 for agreements signed and completed,
    # 3 + 3 for events and their participations (no category), 3 + 4 for service days and their questions
    with django_assert_num_queries(25):
        campaign_report(user=secretariat, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31))
    with django_assert_num_queries(25):
        report = campaign_report(user=secretariat, date_from=dt.date(2016, 4, 1), date_to=dt.date(2026, 3, 31))
    assert len(report.metric("pairings_signed").by_month) == 120
    with django_assert_num_queries(16):  # filtered by category: the campus and service-day figures are not asked for
        campaign_report(user=secretariat, category="green", **Q1)


# --- Who may see it --------------------------------------------------------------------------------------------


def test_only_the_secretariat_reads_the_report(enterprise_user, expert_user):
    for user in (enterprise_user[0], expert_user[0], factories.make_user(is_staff=True), None):
        with pytest.raises(NotAllowed):
            campaign_report(user=user or factories.make_user(), **Q1)


@pytest.mark.parametrize("path", ["/api/v1/reports/campaign/", "/api/v1/reports/campaign/export/"])
def test_rest_per_role(path, token_client_for, secretariat, enterprise_user, expert_user):
    assert token_client_for(None).get(path).status_code == 401
    assert token_client_for(enterprise_user[0]).get(path).status_code == 403
    assert token_client_for(expert_user[0]).get(path).status_code == 403
    assert token_client_for(secretariat).get(path).status_code == 200


QUERY = """query($from: Date, $to: Date, $province: Province, $category: Category) {
  campaignReport(from: $from, to: $to, province: $province, category: $category) {
    from to province category
    metrics { code label campaign unit distinct total byProvince { key label value } byMonth { key value }
              byCategory { key value } } } }"""


def test_graphql_per_role(secretariat, enterprise_user, expert_user):
    assert run(QUERY, user=None).code == "UNAUTHENTICATED"
    assert run(QUERY, user=enterprise_user[0]).code == "FORBIDDEN"
    assert run(QUERY, user=expert_user[0]).code == "FORBIDDEN"
    assert run(QUERY, user=secretariat).ok()["campaignReport"]["metrics"]


# --- REST, GraphQL and the .xlsx say the same ------------------------------------------------------------------


def test_rest_answers_the_report(world, token_client_for, secretariat):
    response = token_client_for(secretariat).get(
        "/api/v1/reports/campaign/", {"from": "2026-01-01", "to": "2026-03-31", "province": "sichuan"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["from"], body["to"], body["province"], body["category"]) == (
        "2026-01-01", "2026-03-31", "sichuan", None)
    metrics = {m["code"]: m for m in body["metrics"]}
    assert metrics["savings_yuan"]["total"] == 120000.5 and metrics["savings_yuan"]["unit"] == "yuan"
    assert metrics["challenges_posted"]["total"] == 3
    assert metrics["challenges_posted"]["by_province"] == [{"key": "sichuan", "label": "四川", "value": 3}]
    assert metrics["enterprises_served"]["distinct"] is True
    assert [r["value"] for r in metrics["pairings_signed"]["by_month"]] == [1, 2, 0]


def test_graphql_answers_the_same(world, secretariat):
    data = run(QUERY, {"from": "2026-01-01", "to": "2026-03-31", "category": "GREEN"}, user=secretariat).ok()
    report = data["campaignReport"]
    assert (report["from"], report["to"], report["province"], report["category"]) == (
        "2026-01-01", "2026-03-31", None, "GREEN")
    metrics = {m["code"]: m for m in report["metrics"]}
    assert metrics["challenges_posted"]["total"] == 2
    assert metrics["events_held"]["total"] is None and metrics["events_held"]["byCategory"] == []
    assert metrics["challenges_posted"]["byCategory"] == [{"key": "green", "value": 2}]
    assert metrics["savings_yuan"]["total"] == 120000.5


def test_the_xlsx_holds_the_same_figures(world, client_for, secretariat):
    response = client_for(secretariat).get("/api/v1/reports/campaign/export/", {"from": "2026-01-01",
                                                                                 "to": "2026-03-31"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["汇总", "按省份", "按月份", "按类别"]
    totals = {row[1]: row[2] for row in workbook["汇总"].iter_rows(min_row=7, values_only=True)}
    assert totals["发布需求数"] == 4 and totals["节约金额（元）"] == 120000.5 and totals["进校园受众人数"] == 200
    months = list(workbook["按月份"].iter_rows(values_only=True))
    assert months[0][0] == "月份" and [r[0] for r in months[1:]] == ["2026-01", "2026-02", "2026-03"]
    signed = months[0].index("签署结对数")
    assert [r[signed] for r in months[1:]] == [1, 2, 1]
    provinces = list(workbook["按省份"].iter_rows(values_only=True))
    assert [r[0] for r in provinces[1:]] == ["江苏", "四川"]


# --- Bad parameters --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("params, field", [
    ({"from": "2026-13-01"}, "from"),
    ({"to": "yesterday"}, "to"),
    ({"from": "2026-04-01", "to": "2026-03-31"}, "to"),
    ({"from": "2010-01-01", "to": "2026-03-31"}, "to"),  # over ten years
    ({"province": "mars"}, "province"),
    ({"category": "culture"}, "category"),
    ({"form": "2026-01-01"}, "form"),  # a misspelt parameter is not silently ignored
])
def test_rest_bad_parameters_answer_400_by_field(params, field, token_client_for, secretariat):
    for path in ("/api/v1/reports/campaign/", "/api/v1/reports/campaign/export/"):
        response = token_client_for(secretariat).get(path, params)
        assert response.status_code == 400, response.content
        assert list(response.json()["errors"]) == [field]


def test_graphql_bad_parameters(secretariat):
    backwards = run(QUERY, {"from": "2026-04-01", "to": "2026-03-31"}, user=secretariat)
    assert backwards.code == "BAD_USER_INPUT" and list(backwards.errors[0]["extensions"]["fields"]) == ["to"]
    assert run(QUERY, {"from": "2026-13-01"}, user=secretariat).code in ("BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED")
    assert run(QUERY, {"province": "MARS"}, user=secretariat).code in ("BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED")


def test_the_selector_refuses_what_the_interfaces_refuse(secretariat):
    with pytest.raises(ValidationError) as refused:
        campaign_report(user=secretariat, date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 3, 1),
                        province="mars", category="culture")
    assert sorted(refused.value.message_dict) == ["category", "province", "to"]
