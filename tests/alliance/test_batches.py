"""Approved studios are published in numbered batches (首批, 第二批 …); the secretariat may suspend a member."""
import pytest
from django.core.exceptions import ValidationError

from alliance import selectors, services
from alliance.models import AuditEntry, MembershipApplication, Studio
from alliance.services import ReviewDecision
from jianglian.errors import IllegalTransition, NotAllowed
from jianglian.models import NotificationLog
from tests import factories

pytestmark = pytest.mark.django_db


def approved_application(secretariat, decision=ReviewDecision.APPROVE):
    lead_user, lead = factories.make_expert_user()
    studio = factories.make_studio(lead=lead)
    application = services.membership_apply(user=lead_user, studio=studio, statement="申请入盟")
    return services.membership_review(user=secretariat, application=application, decision=decision, note="意见")


def test_the_decision_is_mailed_to_the_studio(secretariat):
    application = approved_application(secretariat)
    log = NotificationLog.objects.get(kind="membership_decision")
    assert log.recipient == application.studio.lead.user
    assert (log.context["decision"], log.context["note"]) == ("approved", "意见")


def test_batches_are_numbered_in_order_and_list_their_studios(secretariat):
    first = [approved_application(secretariat) for _ in range(2)]
    batch1 = services.membership_batch_publish(user=secretariat, name="首批成员名单", application_ids=[a.pk for a in first])
    second = approved_application(secretariat)
    batch2 = services.membership_batch_publish(user=secretariat, name="第二批成员名单", application_ids=[second.pk])
    assert (batch1.number, batch2.number) == (1, 2)
    assert batch1.published_by == secretariat
    assert {s.pk for s in batch1.studios.all()} == {a.studio_id for a in first}
    assert MembershipApplication.objects.get(pk=second.pk).batch == batch2
    assert AuditEntry.objects.filter(subject_type="alliance.membershipbatch", subject_id=batch1.pk,
                                     action="publish", to_state="published").exists()
    assert AuditEntry.objects.filter(subject_type="alliance.membershipapplication", action="publish").count() == 3


def test_batches_are_public_in_one_query_per_relation(secretariat, django_assert_num_queries):
    services.membership_batch_publish(user=secretariat, name="首批",
                                      application_ids=[approved_application(secretariat).pk for _ in range(3)])
    with django_assert_num_queries(2):
        batches = list(selectors.membership_batch_list())
        assert [len(b.studios.all()) for b in batches] == [3]


@pytest.mark.parametrize("state", ["pending", "rejected", "published"])
def test_only_approved_unpublished_applications_are_published(secretariat, state):
    if state == "pending":
        lead_user, lead = factories.make_expert_user()
        application = services.membership_apply(user=lead_user, studio=factories.make_studio(lead=lead), statement="x")
    elif state == "rejected":
        application = approved_application(secretariat, decision=ReviewDecision.REJECT)
    else:
        application = approved_application(secretariat)
        services.membership_batch_publish(user=secretariat, name="首批", application_ids=[application.pk])
    with pytest.raises(IllegalTransition):
        services.membership_batch_publish(user=secretariat, name="第二批", application_ids=[application.pk])


def test_a_batch_needs_a_name_and_existing_applications(secretariat):
    application = approved_application(secretariat)
    with pytest.raises(ValidationError):
        services.membership_batch_publish(user=secretariat, name=" ", application_ids=[application.pk])
    with pytest.raises(ValidationError):
        services.membership_batch_publish(user=secretariat, name="首批", application_ids=[application.pk, 99999])
    with pytest.raises(ValidationError):
        services.membership_batch_publish(user=secretariat, name="首批", application_ids=[])


def test_only_the_secretariat_publishes_and_suspends(secretariat):
    application = approved_application(secretariat)
    for user in (factories.make_user(), application.studio.lead.user, factories.make_enterprise_user()[0]):
        with pytest.raises(NotAllowed):
            services.membership_batch_publish(user=user, name="首批", application_ids=[application.pk])
        with pytest.raises(NotAllowed):
            services.studio_suspend(user=user, studio=application.studio, reason="x")
        with pytest.raises(NotAllowed):
            services.studio_reinstate(user=user, studio=application.studio)


def test_suspension_needs_a_reason_is_audited_and_can_be_lifted(secretariat):
    studio = approved_application(secretariat).studio
    with pytest.raises(ValidationError):
        services.studio_suspend(user=secretariat, studio=studio, reason="")
    studio = services.studio_suspend(user=secretariat, studio=studio, reason="年度考核不合格")
    assert (studio.membership_status, studio.suspended_reason) == (Studio.MembershipStatus.SUSPENDED, "年度考核不合格")
    with pytest.raises(IllegalTransition):
        services.studio_suspend(user=secretariat, studio=studio, reason="again")
    studio = services.studio_reinstate(user=secretariat, studio=studio, note="整改完成")
    assert (studio.membership_status, studio.suspended_reason) == (Studio.MembershipStatus.MEMBER, "")
    actions = list(AuditEntry.objects.filter(subject_type="alliance.studio", subject_id=studio.pk)
                   .order_by("id").values_list("action", "from_state", "to_state", "note"))
    assert actions == [("suspend", "member", "suspended", "年度考核不合格"), ("reinstate", "suspended", "member", "整改完成")]


def test_a_non_member_cannot_be_suspended_nor_a_suspended_one_published(secretariat):
    with pytest.raises(IllegalTransition):
        services.studio_suspend(user=secretariat, studio=factories.make_studio(), reason="x")
    application = approved_application(secretariat)
    services.studio_suspend(user=secretariat, studio=application.studio, reason="x")
    with pytest.raises(IllegalTransition):
        services.membership_batch_publish(user=secretariat, name="首批", application_ids=[application.pk])


# --- REST -----------------------------------------------------------------------------------------


def test_batches_are_published_by_the_secretariat_and_read_by_anyone(secretariat, token_client_for):
    applications = [approved_application(secretariat) for _ in range(2)]
    body = {"name": "首批成员名单", "application_ids": [a.pk for a in applications]}
    assert token_client_for(None).post("/api/v1/membership-batches/", body, format="json").status_code == 401
    lead = applications[0].studio.lead.user
    assert token_client_for(lead).post("/api/v1/membership-batches/", body, format="json").status_code == 403
    response = token_client_for(secretariat).post("/api/v1/membership-batches/", body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["number"], len(response.json()["studios"])) == (1, 2)
    again = token_client_for(secretariat).post("/api/v1/membership-batches/", body, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "already_published")
    public = token_client_for(None).get("/api/v1/membership-batches/").json()["results"]
    assert [b["name"] for b in public] == ["首批成员名单"]


def test_suspension_through_rest_is_secretariat_only(secretariat, token_client_for):
    studio = approved_application(secretariat).studio
    url = f"/api/v1/studios/{studio.pk}/suspend/"
    assert token_client_for(studio.lead.user).post(url, {"reason": "x"}, format="json").status_code == 403
    response = token_client_for(secretariat).post(url, {"reason": "年检未通过"}, format="json")
    assert response.status_code == 200 and response.json()["membership_status"] == "suspended"
    assert token_client_for(secretariat).post(url, {"reason": "again"}, format="json").status_code == 409
    response = token_client_for(secretariat).post(f"/api/v1/studios/{studio.pk}/reinstate/", {}, format="json")
    assert response.json()["membership_status"] == "member"


# --- GraphQL ---------------------------------------------------------------------------------------

PUBLISH = """mutation($name: String!, $ids: [ID!]!) { publishMembershipBatch(name: $name, applicationIds: $ids) {
  batch { number name studios { id name } } } }"""
SUSPEND = """mutation($id: ID!) { suspendStudio(id: $id, reason: "年检未通过") { studio { membershipStatus } } }"""


def test_graphql_publish_and_suspend_are_the_secretariats(secretariat):
    from tests.gql import gid, run

    application = approved_application(secretariat)
    variables = {"name": "首批成员名单", "ids": [gid("MembershipApplication", application)]}
    assert run(PUBLISH, variables, user=factories.make_user()).code == "NOT_FOUND"  # cannot even see it
    assert run(PUBLISH, variables, user=application.studio.lead.user).code == "FORBIDDEN"
    batch = run(PUBLISH, variables, user=secretariat).ok()["publishMembershipBatch"]["batch"]
    assert (batch["number"], [s["name"] for s in batch["studios"]]) == (1, [application.studio.name])
    public = run("{ membershipBatches { totalCount edges { node { name studios { name } } } } }").ok()
    assert public["membershipBatches"]["totalCount"] == 1
    studio_id = {"id": gid("Studio", application.studio)}
    assert run(SUSPEND, studio_id, user=application.studio.lead.user).code == "FORBIDDEN"
    assert run(SUSPEND, studio_id, user=secretariat).ok()["suspendStudio"]["studio"]["membershipStatus"] == "SUSPENDED"
    assert run(SUSPEND, studio_id, user=secretariat).code == "CONFLICT"


def test_graphql_membership_applications_filter_by_status(secretariat):
    from tests.gql import run

    approved_application(secretariat)
    query = "query($s: ApplicationStatus) { membershipApplications(status: $s) { totalCount } }"
    assert run(query, {"s": "APPROVED"}, user=secretariat).ok()["membershipApplications"]["totalCount"] == 1
    assert run(query, {"s": "PENDING"}, user=secretariat).ok()["membershipApplications"]["totalCount"] == 0
