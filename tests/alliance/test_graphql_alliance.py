"""GraphQL: studios and membership applications — lists, who may apply and review, query counts."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.models import AuditEntry, MembershipApplication, Studio
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(expert_user):
    """(user, studio): an expert leading a studio that is not yet a member."""
    user, expert = expert_user
    return user, factories.make_studio(lead=expert)


@pytest.fixture
def roles(enterprise_user, other_enterprise_user, lead, secretariat):
    return {"anonymous": None, "A": enterprise_user[0], "B": other_enterprise_user[0], "lead": lead[0],
            "other_expert": factories.make_expert_user()[0], "secretariat": secretariat}


def test_studio_filters():
    skill = factories.make_skill(code="jieneng")
    member = factories.make_studio(skills=[skill], membership_status=Studio.MembershipStatus.MEMBER,
                                   level=Studio.Level.NATIONAL)
    other = factories.make_studio(province="jiangsu", city="南京")
    query = """query($province: Province, $skill: String, $membershipStatus: MembershipStatus, $level: StudioLevel) {
      studios(province: $province, skill: $skill, membershipStatus: $membershipStatus, level: $level) {
        totalCount edges { node { id } } } }"""

    def ids(**variables):
        return {e["node"]["id"] for e in run(query, variables).ok()["studios"]["edges"]}

    assert ids() == {gid("Studio", member), gid("Studio", other)}
    assert ids(province="JIANGSU") == {gid("Studio", other)}
    assert ids(skill="jieneng") == {gid("Studio", member)}
    assert ids(membershipStatus="MEMBER") == {gid("Studio", member)}
    assert ids(level="NATIONAL") == {gid("Studio", member)}


STUDIOS_NESTED = """{ studios(first: 100) { totalCount edges { node {
  id name lead { id name } members { id name skills { code } } skills { code } } } } }"""


def build_studios(n):
    skills = [factories.make_skill() for _ in range(2)]
    for i in range(n):
        studio = factories.make_studio(lead=factories.make_expert(), skills=skills[: 1 + i % 2])
        for _ in range(2):
            factories.make_expert(studio=studio, skills=skills[:1])


@pytest.mark.parametrize("rows", [3, 30])
def test_studios_with_lead_and_members_cost_a_fixed_number_of_queries(django_assert_num_queries, secretariat, rows):
    build_studios(rows)
    run("{ __typename }", user=secretariat)
    # token+user, secretariat group, count, page, leads, members, members' skills, studio skills
    with django_assert_num_queries(8):
        data = run(STUDIOS_NESTED, user=secretariat).ok()
    assert data["studios"]["totalCount"] == rows
    assert all(len(e["node"]["members"]) == 2 and e["node"]["lead"] for e in data["studios"]["edges"])


def test_anonymous_studio_list_costs_the_same_for_3_and_30_rows():
    def cost():
        with CaptureQueriesContext(connection) as ctx:
            run(STUDIOS_NESTED).ok()
        return len(ctx)

    build_studios(3)
    small = cost()
    build_studios(27)
    assert cost() == small == 6


# --- applyForMembership --------------------------------------------------------------------------

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


# --- membershipApplications and reviewMembershipApplication ---------------------------------------

@pytest.fixture
def pending(lead):
    user, studio = lead
    from alliance.services import membership_apply

    return membership_apply(user=user, studio=studio, statement="申请加入联盟。")


@pytest.mark.parametrize("role, sees", [
    ("anonymous", False), ("A", False), ("other_expert", False), ("lead", True), ("secretariat", True),
])
def test_applications_are_seen_by_the_studio_and_the_secretariat(roles, pending, role, sees):
    data = run("{ membershipApplications { totalCount edges { node { id status } } } }", user=roles[role]).ok()
    assert data["membershipApplications"]["totalCount"] == (1 if sees else 0)
    node = run('query($id: ID!) { node(id: $id) { id } }', {"id": gid("MembershipApplication", pending)},
               user=roles[role])
    assert (node.errors == []) is sees


REVIEW = """mutation($id: ID!, $decision: ReviewDecision!, $note: String) {
  reviewMembershipApplication(id: $id, decision: $decision, note: $note) {
    application { status reviewNote studio { membershipStatus } } } }"""


def test_the_secretariat_approves_and_the_studio_becomes_a_member(roles, pending):
    data = run(REVIEW, {"id": gid("MembershipApplication", pending), "decision": "APPROVE", "note": "材料齐全"},
               user=roles["secretariat"]).ok()
    assert data["reviewMembershipApplication"]["application"] == {
        "status": "APPROVED", "reviewNote": "材料齐全", "studio": {"membershipStatus": "MEMBER"}}
    assert AuditEntry.objects.filter(action="review", to_state="approved").exists()
    again = run(REVIEW, {"id": gid("MembershipApplication", pending), "decision": "REJECT"}, user=roles["secretariat"])
    assert again.code == "CONFLICT"


def test_the_secretariat_rejects(roles, pending):
    data = run(REVIEW, {"id": gid("MembershipApplication", pending), "decision": "REJECT"},
               user=roles["secretariat"]).ok()
    assert data["reviewMembershipApplication"]["application"]["status"] == "REJECTED"
    assert Studio.objects.get(pk=pending.studio_id).membership_status == "none"


@pytest.mark.parametrize("role, code", [
    ("anonymous", "UNAUTHENTICATED"), ("lead", "FORBIDDEN"), ("A", "NOT_FOUND"), ("B", "NOT_FOUND"),
    ("other_expert", "NOT_FOUND"),
])
def test_only_the_secretariat_reviews(roles, pending, role, code):
    result = run(REVIEW, {"id": gid("MembershipApplication", pending), "decision": "APPROVE"}, user=roles[role])
    assert result.code == code
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert Studio.objects.get(pk=pending.studio_id).membership_status == "none"


def test_an_unknown_decision_is_refused_before_execution(roles, pending):
    result = run(REVIEW, {"id": gid("MembershipApplication", pending), "decision": "MAYBE"}, user=roles["secretariat"])
    assert result.code == "GRAPHQL_VALIDATION_FAILED"
    assert MembershipApplication.objects.get().status == "pending"
