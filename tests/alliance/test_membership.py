"""Alliance membership (alliance.services / selectors, REST /api/v1/membership-applications/ and
/api/v1/studios/{id}/suspend|reinstate/, GraphQL `membershipApplications`, `applyForMembership`,
`reviewMembershipApplication`, `suspendStudio`, `reinstateStudio`): each rule's service, REST and GraphQL
cases side by side.

A studio's lead and manager accounts apply, see and withdraw its applications; the secretariat sees and
reviews them all (the decision is mailed and audited); nobody else sees any. The secretariat may suspend a
member studio, with a reason, and lift the suspension.
"""
import pytest
from django.core.exceptions import ValidationError

from alliance import services
from alliance.models import MembershipApplication, Studio
from jianglian.models import AuditEntry
from alliance.services import ReviewDecision
from jianglian.errors import Conflict, IllegalTransition, NotAllowed
from jianglian.models import NotificationLog
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db

URL = "/api/v1/membership-applications/"
Status = MembershipApplication.Status


def detail(application, suffix=""):
    return f"{URL}{application.pk}/{suffix}"


def pending(studio, **fields):
    return MembershipApplication.objects.create(studio=studio, statement="申请加入联盟。", **fields)


@pytest.fixture
def studio_and_lead():
    user, expert = factories.make_expert_user()
    return factories.make_studio(lead=expert), user


@pytest.fixture
def lead_and_studio(expert_user):
    user, expert = expert_user
    return user, factories.make_studio(lead=expert)


@pytest.fixture
def lead(expert_user):
    """(user, studio): an expert leading a studio that is not yet a member."""
    user, expert = expert_user
    return user, factories.make_studio(lead=expert)


@pytest.fixture
def roles(enterprise_user, other_enterprise_user, lead, secretariat):
    return {"anonymous": None, "A": enterprise_user[0], "B": other_enterprise_user[0], "lead": lead[0],
            "other_expert": factories.make_expert_user()[0], "secretariat": secretariat}


# --- applying: the studio's lead or manager, one pending application at a time -------------------------------

def test_the_lead_applies_once_while_an_application_is_pending(studio_and_lead):
    studio, lead_user = studio_and_lead
    services.membership_apply(user=lead_user, studio=studio, statement="我们长期从事精馏节能。")
    with pytest.raises(Conflict):
        services.membership_apply(user=lead_user, studio=studio, statement="again")
    assert MembershipApplication.objects.filter(studio=studio).count() == 1


def test_a_stranger_cannot_apply_for_a_studio(studio_and_lead):
    studio, _ = studio_and_lead
    with pytest.raises(NotAllowed):
        services.membership_apply(user=factories.make_user(), studio=studio, statement="x")


def test_the_lead_applies_for_membership(token_client_for, lead_and_studio):
    user, studio = lead_and_studio
    response = token_client_for(user).post(URL, {"studio": studio.pk, "statement": "工作室十年来…"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "pending" and response.json()["studio"]["id"] == studio.pk


def test_a_second_pending_application_is_a_conflict(token_client_for, lead_and_studio):
    user, studio = lead_and_studio
    pending(studio)
    response = token_client_for(user).post(URL, {"studio": studio.pk, "statement": "再次申请"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "application_pending"
    assert MembershipApplication.objects.count() == 1


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("other_expert", 403), ("enterprise", 403)])
def test_only_the_studio_applies(role, status, token_client_for, enterprise_user):
    studio = factories.make_studio(lead=factories.make_expert())
    user = {"anonymous": None, "other_expert": factories.make_expert_user()[0], "enterprise": enterprise_user[0]}[role]
    response = token_client_for(user).post(URL, {"studio": studio.pk, "statement": "申请"}, format="json")
    assert response.status_code == status
    assert not MembershipApplication.objects.exists()


def test_applying_as_already_approved_is_refused(token_client_for, lead_and_studio):
    user, studio = lead_and_studio
    response = token_client_for(user).post(
        URL, {"studio": studio.pk, "statement": "申请", "status": "approved", "reviewed_by": user.pk}, format="json"
    )
    assert response.status_code == 400
    assert {"status", "reviewed_by"} <= set(response.json()["errors"])
    assert not MembershipApplication.objects.exists()


def test_bad_input_is_a_400(token_client_for, lead_and_studio):
    user, _ = lead_and_studio
    response = token_client_for(user).post(URL, {"studio": "x"}, format="json")
    assert response.status_code == 400
    assert {"studio", "statement"} <= set(response.json()["errors"])


def test_an_unknown_studio_is_a_404_once_the_input_is_valid(token_client_for, lead_and_studio):
    user, _ = lead_and_studio
    client = token_client_for(user)

    assert client.post(URL, {"studio": 987654}, format="json").status_code == 400  # no statement: bad input first
    assert client.post(URL, {"studio": 987654, "statement": "申请"}, format="json").status_code == 404
    assert not MembershipApplication.objects.exists()


APPLY = """mutation($studio: ID!, $statement: String!) { applyForMembership(studio: $studio, statement: $statement) {
  application { id status statement studio { id membershipStatus } } } }"""


def test_the_lead_applies_for_their_studio(roles, lead):
    _, studio = lead
    data = run(APPLY, {"studio": gid("Studio", studio), "statement": "申请加入联盟。"}, user=roles["lead"]).ok()
    application = data["applyForMembership"]["application"]
    assert application["status"] == "PENDING" and application["studio"]["id"] == gid("Studio", studio)
    assert MembershipApplication.objects.get().submitted_by == roles["lead"]


@pytest.mark.parametrize("role, code", [
    ("anonymous", "UNAUTHENTICATED"), ("A", "FORBIDDEN"), ("other_expert", "FORBIDDEN"), ("secretariat", "FORBIDDEN"),
])
def test_nobody_else_applies_for_the_studio(roles, lead, role, code):
    result = run(APPLY, {"studio": gid("Studio", lead[1]), "statement": "代为申请"}, user=roles[role])
    assert result.code == code
    assert not MembershipApplication.objects.exists()


def test_a_second_pending_application_conflicts(roles, lead):
    variables = {"studio": gid("Studio", lead[1]), "statement": "申请加入联盟。"}
    run(APPLY, variables, user=roles["lead"]).ok()
    result = run(APPLY, variables, user=roles["lead"])
    assert result.code == "CONFLICT" and result.errors[0]["extensions"]["reason"] == "application_pending"
    assert MembershipApplication.objects.count() == 1


def test_a_blank_statement_is_bad_input(roles, lead):
    result = run(APPLY, {"studio": gid("Studio", lead[1]), "statement": ""}, user=roles["lead"])
    assert result.code == "BAD_USER_INPUT"
    assert list(result.errors[0]["extensions"]["fields"]) == ["statement"]
    assert not MembershipApplication.objects.exists() and not AuditEntry.objects.exists()


# --- who sees which applications -----------------------------------------------------------------------------

def test_who_sees_which_applications(token_client_for, lead_and_studio, secretariat, enterprise_user):
    user, studio = lead_and_studio
    own = pending(studio)
    other = pending(factories.make_studio())

    def ids(u):
        response = token_client_for(u).get(URL)
        assert response.status_code == 200
        return {r["id"] for r in response.json()["results"]}

    assert ids(user) == {own.pk}
    assert ids(secretariat) == {own.pk, other.pk}
    assert ids(enterprise_user[0]) == set()
    assert token_client_for(None).get(URL).status_code == 401
    assert token_client_for(user).get(detail(other)).status_code == 404
    assert token_client_for(secretariat).get(URL + "?status=pending").json()["count"] == 2


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_applications(rows, token_client_for, secretariat,
                                                                   django_assert_num_queries):
    batch_studios = [factories.make_studio() for _ in range(rows)]
    for studio in batch_studios:
        pending(studio)
    client = token_client_for(secretariat)
    with django_assert_num_queries(4):  # token+user, secretariat?, count, applications (+studio, batch)
        response = client.get(URL + "?page_size=100")
    assert len(response.json()["results"]) == rows


@pytest.fixture
def pending_application(lead):
    user, studio = lead
    return services.membership_apply(user=user, studio=studio, statement="申请加入联盟。")


@pytest.mark.parametrize("role, sees", [
    ("anonymous", False), ("A", False), ("other_expert", False), ("lead", True), ("secretariat", True),
])
def test_applications_are_seen_by_the_studio_and_the_secretariat(roles, pending_application, role, sees):
    data = run("{ membershipApplications { totalCount edges { node { id status } } } }", user=roles[role]).ok()
    assert data["membershipApplications"]["totalCount"] == (1 if sees else 0)
    node = run('query($id: ID!) { node(id: $id) { id } }', {"id": gid("MembershipApplication", pending_application)},
               user=roles[role])
    assert (node.errors == []) is sees


def test_graphql_membership_applications_filter_by_status(secretariat):
    factories.make_reviewed_application(secretariat)
    query = "query($s: ApplicationStatus) { membershipApplications(status: $s) { totalCount } }"
    assert run(query, {"s": "APPROVED"}, user=secretariat).ok()["membershipApplications"]["totalCount"] == 1
    assert run(query, {"s": "PENDING"}, user=secretariat).ok()["membershipApplications"]["totalCount"] == 0


# --- withdrawing: the studio, while pending ------------------------------------------------------------------

def test_a_withdrawn_application_frees_the_studio_to_apply_again(studio_and_lead):
    studio, lead_user = studio_and_lead
    first = services.membership_apply(user=lead_user, studio=studio, statement="第一次")
    services.membership_withdraw(user=lead_user, application=first)
    second = services.membership_apply(user=lead_user, studio=studio, statement="第二次")
    assert second.status == MembershipApplication.Status.PENDING


def test_the_lead_withdraws_a_pending_application_once(token_client_for, lead_and_studio):
    user, studio = lead_and_studio
    application = pending(studio)
    client = token_client_for(user)
    response = client.post(detail(application, "withdraw/"))
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert client.post(detail(application, "withdraw/")).status_code == 409


def test_others_may_not_withdraw(token_client_for, lead_and_studio, enterprise_user):
    _, studio = lead_and_studio
    application = pending(studio)
    assert token_client_for(None).post(detail(application, "withdraw/")).status_code == 401
    assert token_client_for(enterprise_user[0]).post(detail(application, "withdraw/")).status_code == 404
    application.refresh_from_db()
    assert application.status == Status.PENDING


# --- reviewing: the secretariat, once; the decision is audited and mailed ------------------------------------

def test_approval_makes_the_studio_a_member_and_is_audited(studio_and_lead, secretariat):
    studio, lead_user = studio_and_lead
    application = services.membership_apply(user=lead_user, studio=studio, statement="申请入盟")
    services.membership_review(user=secretariat, application=application, decision=ReviewDecision.APPROVE, note="符合条件")
    studio.refresh_from_db()
    application.refresh_from_db()
    assert studio.membership_status == Studio.MembershipStatus.MEMBER
    assert (application.status, application.reviewed_by) == (MembershipApplication.Status.APPROVED, secretariat)
    review = AuditEntry.objects.get(subject_id=application.pk, action="review")
    assert (review.from_state, review.to_state, review.note) == ("pending", "approved", "符合条件")


def test_only_the_secretariat_reviews_and_only_once(studio_and_lead, secretariat):
    studio, lead_user = studio_and_lead
    application = services.membership_apply(user=lead_user, studio=studio, statement="申请入盟")
    with pytest.raises(NotAllowed):
        services.membership_review(user=lead_user, application=application, decision=ReviewDecision.APPROVE)
    services.membership_review(user=secretariat, application=application, decision=ReviewDecision.REJECT, note="材料不全")
    with pytest.raises(IllegalTransition):
        services.membership_review(user=secretariat, application=application, decision=ReviewDecision.APPROVE)
    studio.refresh_from_db()
    assert studio.membership_status == Studio.MembershipStatus.NONE


def test_the_decision_is_mailed_to_the_studio(secretariat):
    application = factories.make_reviewed_application(secretariat)
    log = NotificationLog.objects.get(kind="membership_decision", channel="email")
    assert log.recipient == application.studio.lead.user
    assert (log.context["decision"], log.context["note"]) == ("approved", "意见")


def test_the_secretariat_approves_and_the_studio_becomes_a_member_through_rest(token_client_for, secretariat, lead_and_studio):
    _, studio = lead_and_studio
    application = pending(studio)
    response = token_client_for(secretariat).post(detail(application, "review/"),
                                                  {"decision": "approve", "note": "符合条件"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    studio.refresh_from_db()
    assert studio.membership_status == Studio.MembershipStatus.MEMBER


def test_a_review_needs_a_valid_decision(token_client_for, secretariat, lead_and_studio):
    application = pending(lead_and_studio[1])
    response = token_client_for(secretariat).post(detail(application, "review/"), {"decision": "maybe"},
                                                  format="json")
    assert response.status_code == 400 and "decision" in response.json()["errors"]


def test_the_lead_may_not_review_their_own_application(token_client_for, lead_and_studio):
    user, studio = lead_and_studio
    application = pending(studio)
    response = token_client_for(user).post(detail(application, "review/"), {"decision": "approve"}, format="json")
    assert response.status_code == 403
    application.refresh_from_db()
    studio.refresh_from_db()
    assert application.status == Status.PENDING and studio.membership_status == Studio.MembershipStatus.NONE


def test_a_reviewed_application_cannot_be_reviewed_again(token_client_for, secretariat, lead_and_studio):
    application = pending(lead_and_studio[1])
    client = token_client_for(secretariat)
    assert client.post(detail(application, "review/"), {"decision": "reject"}, format="json").status_code == 200
    assert client.post(detail(application, "review/"), {"decision": "approve"}, format="json").status_code == 409


REVIEW = """mutation($id: ID!, $decision: ReviewDecision!, $note: String) {
  reviewMembershipApplication(id: $id, decision: $decision, note: $note) {
    application { status reviewNote studio { membershipStatus } } } }"""


def test_the_secretariat_approves_and_the_studio_becomes_a_member_through_graphql(roles, pending_application):
    data = run(REVIEW, {"id": gid("MembershipApplication", pending_application), "decision": "APPROVE", "note": "材料齐全"},
               user=roles["secretariat"]).ok()
    assert data["reviewMembershipApplication"]["application"] == {
        "status": "APPROVED", "reviewNote": "材料齐全", "studio": {"membershipStatus": "MEMBER"}}
    assert AuditEntry.objects.filter(action="review", to_state="approved").exists()
    again = run(REVIEW, {"id": gid("MembershipApplication", pending_application), "decision": "REJECT"}, user=roles["secretariat"])
    assert again.code == "CONFLICT"


def test_the_secretariat_rejects(roles, pending_application):
    data = run(REVIEW, {"id": gid("MembershipApplication", pending_application), "decision": "REJECT"},
               user=roles["secretariat"]).ok()
    assert data["reviewMembershipApplication"]["application"]["status"] == "REJECTED"
    assert Studio.objects.get(pk=pending_application.studio_id).membership_status == "none"


# The declared role (secretariat) is checked before the application is looked up, as REST's 403.
@pytest.mark.parametrize("role, code", [
    ("anonymous", "UNAUTHENTICATED"), ("lead", "FORBIDDEN"), ("A", "FORBIDDEN"), ("B", "FORBIDDEN"),
    ("other_expert", "FORBIDDEN"),
])
def test_only_the_secretariat_reviews(roles, pending_application, role, code):
    result = run(REVIEW, {"id": gid("MembershipApplication", pending_application), "decision": "APPROVE"}, user=roles[role])
    assert result.code == code
    pending_application.refresh_from_db()
    assert pending_application.status == "pending"
    assert Studio.objects.get(pk=pending_application.studio_id).membership_status == "none"


def test_an_unknown_decision_is_refused_before_execution(roles, pending_application):
    result = run(REVIEW, {"id": gid("MembershipApplication", pending_application), "decision": "MAYBE"}, user=roles["secretariat"])
    assert result.code == "GRAPHQL_VALIDATION_FAILED"
    assert MembershipApplication.objects.get().status == "pending"


# --- suspending a member studio and lifting it: the secretariat, with a reason -------------------------------

def test_only_the_secretariat_suspends_and_reinstates(secretariat):
    application = factories.make_reviewed_application(secretariat)
    for user in (factories.make_user(), application.studio.lead.user, factories.make_enterprise_user()[0]):
        with pytest.raises(NotAllowed):
            services.studio_suspend(user=user, studio=application.studio, reason="x")
        with pytest.raises(NotAllowed):
            services.studio_reinstate(user=user, studio=application.studio)


def test_suspension_needs_a_reason_is_audited_and_can_be_lifted(secretariat):
    studio = factories.make_reviewed_application(secretariat).studio
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
    application = factories.make_reviewed_application(secretariat)
    services.studio_suspend(user=secretariat, studio=application.studio, reason="x")
    with pytest.raises(IllegalTransition):
        services.membership_batch_publish(user=secretariat, name="首批", application_ids=[application.pk])


def test_suspension_through_rest_is_secretariat_only(secretariat, token_client_for):
    studio = factories.make_reviewed_application(secretariat).studio
    url = f"/api/v1/studios/{studio.pk}/suspend/"
    assert token_client_for(studio.lead.user).post(url, {"reason": "x"}, format="json").status_code == 403
    response = token_client_for(secretariat).post(url, {"reason": "年检未通过"}, format="json")
    assert response.status_code == 200 and response.json()["membership_status"] == "suspended"
    assert token_client_for(secretariat).post(url, {"reason": "again"}, format="json").status_code == 409
    response = token_client_for(secretariat).post(f"/api/v1/studios/{studio.pk}/reinstate/", {}, format="json")
    assert response.json()["membership_status"] == "member"


SUSPEND = """mutation($id: ID!) { suspendStudio(id: $id, reason: "年检未通过") { studio { membershipStatus } } }"""


def test_graphql_suspend_is_the_secretariats(secretariat):
    application = factories.make_reviewed_application(secretariat)
    studio_id = {"id": gid("Studio", application.studio)}
    assert run(SUSPEND, studio_id, user=application.studio.lead.user).code == "FORBIDDEN"
    assert run(SUSPEND, studio_id, user=secretariat).ok()["suspendStudio"]["studio"]["membershipStatus"] == "SUSPENDED"
    assert run(SUSPEND, studio_id, user=secretariat).code == "CONFLICT"


# --- GraphQL withdrawMembershipApplication: REST's POST …/withdraw/, the same rule --------------------------

WITHDRAW = """mutation($id: ID!) { withdrawMembershipApplication(id: $id) { application { id status } } }"""


@pytest.mark.parametrize("role, outcome, rest", [
    ("anonymous", "UNAUTHENTICATED", 401), ("A", "NOT_FOUND", 404), ("B", "NOT_FOUND", 404),
    ("other_expert", "NOT_FOUND", 404), ("secretariat", "FORBIDDEN", 403), ("lead", "ok", 200),
])
def test_withdraw_membership_application_by_role(roles, pending_application, token_client_for, role, outcome, rest):
    result = run(WITHDRAW, {"id": gid("MembershipApplication", pending_application)}, user=roles[role])

    if outcome == "ok":
        assert result.ok()["withdrawMembershipApplication"]["application"]["status"] == "WITHDRAWN"
        assert MembershipApplication.objects.get().status == Status.WITHDRAWN
    else:
        assert result.code == outcome
        assert MembershipApplication.objects.get().status == Status.PENDING
        # REST answers the same refusal
        assert token_client_for(roles[role]).post(detail(pending_application, "withdraw/")).status_code == rest


def test_a_withdrawn_application_cannot_be_withdrawn_again(roles, pending_application):
    run(WITHDRAW, {"id": gid("MembershipApplication", pending_application)}, user=roles["lead"]).ok()

    again = run(WITHDRAW, {"id": gid("MembershipApplication", pending_application)}, user=roles["lead"])

    assert again.code == "CONFLICT"
