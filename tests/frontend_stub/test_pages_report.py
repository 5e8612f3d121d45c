"""The campaign report page (秘书处 → 活动统计报表): the figures of a range, filters with field errors, print and
Excel, secretariat only."""
import pytest
from django.urls import reverse

from tests.report_world import world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
QUARTER = {"from": "2026-01-01", "to": "2026-03-31"}


def test_only_the_secretariat_sees_the_report(web, enterprise_user, expert_user, secretariat):
    url = reverse("web:campaign_report")
    assert web().get(url).status_code == 302  # to the sign-in
    assert web(enterprise_user[0]).get(url).status_code == 403
    assert web(expert_user[0]).get(url).status_code == 403
    assert web(secretariat).get(url).status_code == 200


def test_the_page_shows_the_figures_counted_by_hand(world, web, secretariat):
    response = web(secretariat).get(reverse("web:campaign_report"), QUARTER)
    html = response.content.decode()
    assert response.status_code == 200
    for code, shown in (("challenges_posted", "4"), ("savings_yuan", "120,000.50"), ("expert_participations", "7"),
                        ("event_audience", "200"), ("enterprises_served", "2")):
        assert f'<tr data-metric="{code}">' in html
        row = html.split(f'<tr data-metric="{code}">')[1].split("</tr>")[0]
        assert f'<td class="num">{shown}</td>' in row, (code, row)
    assert response.context["by_month"]["rows"][1][0] == "2026-02"
    assert [label for label, _ in response.context["by_province"]["rows"]] == ["江苏", "四川"]
    assert html.count('<svg class="chart"') == 3
    assert "data-print" in html  # the print button (site.js: window.print())
    assert f'{reverse("api-campaign-report-export")}?from=2026-01-01&amp;to=2026-03-31' in html


def test_category_filter_marks_campus_figures_not_applicable(world, web, secretariat):
    html = web(secretariat).get(reverse("web:campaign_report"), {**QUARTER, "category": "green"}).content.decode()
    row = html.split('<tr data-metric="events_held">')[1].split("</tr>")[0]
    assert '<td class="num">—</td>' in row


@pytest.mark.parametrize("params, field", [
    ({"from": "2026-04-01", "to": "2026-03-01"}, "to"),
    ({"from": "not a date"}, "from"),
    ({"province": "mars"}, "province"),
])
def test_bad_filters_show_field_errors_and_keep_what_was_typed(params, field, web, secretariat):
    response = web(secretariat).get(reverse("web:campaign_report"), params)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert response.context["report"] is None
    assert 'id="field-{}"'.format(field) in response.content.decode()


def test_the_report_page_query_count_is_fixed(world, web, secretariat, django_assert_num_queries):
    client = web(secretariat)
    client.get(reverse("web:campaign_report"), QUARTER)
    with django_assert_num_queries(6 + 25) as first:  # session, user, roles, unread count (header); the report: 25
        client.get(reverse("web:campaign_report"), QUARTER)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("web:campaign_report"), {"from": "2017-01-01", "to": "2026-06-30"})
