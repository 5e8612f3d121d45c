"""The secretariat's dashboard: pending reviews, batches, verifications, charts, GraphiQL and admin links."""
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone
from graphql import parse, validate

from alliance.models import MembershipApplication, MembershipBatch, Studio
from alliance.services import membership_apply
from enterprises.models import Enterprise
from frontend_stub.graphql_examples import EXAMPLE_OPERATIONS
from matching.models import PairingAgreement
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    lead_user, lead = factories.make_expert_user(name="王强")
    studio = factories.make_studio(name="王强精馏创新工作室", lead=lead)
    return membership_apply(user=lead_user, studio=studio, statement="十年来完成技改项目四十余项。")


def test_only_the_secretariat_sees_the_dashboard(web, enterprise_user, expert_user):
    assert web().get(reverse("web:secretariat")).status_code == 302
    assert web(enterprise_user[0]).get(reverse("web:secretariat")).status_code == 403
    assert web(expert_user[0]).get(reverse("web:secretariat")).status_code == 403


def test_dashboard_lists_pending_applications_and_unverified_enterprises(web, secretariat, application):
    factories.make_enterprise(name="待认证化工", verified=False)

    response = web(secretariat).get(reverse("web:secretariat"))

    assert [a.pk for a in response.context["applications"]] == [application.pk]
    assert [e.name for e in response.context["enterprises"]] == ["待认证化工"]
    html = response.content.decode()
    assert "王强精馏创新工作室" in html and reverse("admin:index") in html


def test_dashboard_draws_the_campaign_report_of_the_last_twelve_months(web, secretariat):
    expert = factories.make_expert()
    for province in ("sichuan", "sichuan", "jiangsu"):
        challenge = factories.make_challenge(enterprise=factories.make_enterprise(province=province),
                                             published_at=timezone.now())
    PairingAgreement.objects.create(challenge=challenge, expert=expert, status="active", activated_at=timezone.now())

    response = web(secretariat).get(reverse("web:secretariat"))

    assert response.context["chart_province"].rows == [("四川", 2), ("江苏", 1)]
    months = response.context["chart_pairings"].rows
    assert len(months) == 12 and months[-1] == (timezone.localdate().strftime("%Y-%m"), 1)
    html = response.content.decode()
    assert html.count('<svg class="chart"') == 2  # no events yet: "暂无数据"
    assert 'data-metric="challenges_posted"><strong>3</strong>' in html
    assert reverse("web:campaign_report") in html


def test_dashboard_query_count_is_fixed(web, secretariat, django_assert_num_queries):
    client = web(secretariat)
    client.get(reverse("web:secretariat"))
    # 25 of them: the campaign report of the last twelve months (jianglian.reports), whatever the data; among the
    # others: the group claims to verify, failed notifications, unread, the counts of unclaimed experts and of
    # the liaison queue
    with django_assert_num_queries(43) as first:
        client.get(reverse("web:secretariat"))
    for _ in range(3):
        lead_user, lead = factories.make_expert_user()
        membership_apply(user=lead_user, studio=factories.make_studio(lead=lead), statement="申请")
        factories.make_enterprise(group=factories.make_enterprise(verified=False))
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("web:secretariat"))


def test_approve_then_publish_a_batch_that_shows_on_the_public_page(web, secretariat, application):
    client = web(secretariat)

    client.post(reverse("web:review_application", args=[application.pk, "approve"]), {"note": "同意"})
    application.refresh_from_db()
    assert application.status == "approved" and application.studio.membership_status == "member"
    form = client.get(reverse("web:secretariat")).context["batch_form"]
    assert list(form.initial["applications"]) == [application.pk]
    response = client.post(reverse("web:publish_batch"), {"name": "首批", "applications": [application.pk]})

    batch = MembershipBatch.objects.get()
    assert response.url == reverse("web:batches")
    assert (batch.name, batch.number) == ("首批", 1)
    public = web().get(reverse("web:batches")).content.decode()
    assert "首批" in public and "王强精馏创新工作室" in public


def test_reject_records_the_reason(web, secretariat, application):
    web(secretariat).post(reverse("web:review_application", args=[application.pk, "reject"]), {"note": "材料不全"})
    application.refresh_from_db()
    assert (application.status, application.review_note) == ("rejected", "材料不全")


def test_publishing_without_a_name_shows_the_field_error(web, secretariat, application):
    client = web(secretariat)
    client.post(reverse("web:review_application", args=[application.pk, "approve"]))
    response = client.post(reverse("web:publish_batch"), {"name": "", "applications": [application.pk]})
    assert response.status_code == 400 and "name" in response.context["batch_form"].errors
    assert not MembershipBatch.objects.exists()


def test_others_cannot_review_or_publish(web, enterprise_user, application):
    client = web(enterprise_user[0])
    assert client.post(reverse("web:review_application", args=[application.pk, "approve"])).status_code == 403
    assert client.post(reverse("web:publish_batch"), {"name": "首批"}).status_code == 403
    assert MembershipApplication.objects.get().status == "pending"


def test_verify_an_enterprise(web, secretariat):
    enterprise = factories.make_enterprise(verified=False)
    web(secretariat).post(reverse("web:verify_enterprise", args=[enterprise.pk]))
    assert Enterprise.objects.get().verified


def test_graphql_console_links_carry_the_saved_operations(web, secretariat):
    links = web(secretariat).get(reverse("web:secretariat")).context["graphql_links"]

    assert len(links) == len(EXAMPLE_OPERATIONS) == 3
    for link, operation in zip(links, EXAMPLE_OPERATIONS):
        url = urlparse(link["url"])
        assert url.path == reverse("graphql")
        assert parse_qs(url.query)["query"] == [operation["query"]]


@pytest.mark.parametrize("operation", EXAMPLE_OPERATIONS, ids=lambda op: op["title"].split(" / ")[1])
def test_saved_graphql_operations_are_valid_against_the_schema(operation):
    from jianglian.schema import schema

    graphql_schema = schema.graphql_schema
    assert validate(graphql_schema, parse(operation["query"])) == []


def test_studio_member_after_approval_counts_on_home(web, secretariat, application):
    web(secretariat).post(reverse("web:review_application", args=[application.pk, "approve"]))
    assert Studio.objects.get().membership_status == "member"
    assert web().get(reverse("web:home")).context["figures"].member_studios == 1
