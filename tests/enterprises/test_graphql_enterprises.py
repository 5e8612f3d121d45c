"""GraphQL: enterprises and challenges — what each role sees and may do, bad input, query counts."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.models import AuditEntry
from enterprises.models import Challenge, Enterprise
from jianglian.choices import Category, Province
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db

CHALLENGE_IDS = "query($status: ChallengeStatus) { challenges(status: $status) { totalCount edges { node { id status } } } }"
NODE = 'query($id: ID!) { node(id: $id) { id ... on Challenge { title status enterprise { name } } } }'


@pytest.fixture
def roles(enterprise_user, other_enterprise_user, expert_user, secretariat):
    """Every role: None = anonymous, A and B = staff of two verified enterprises, an expert, the secretariat."""
    return {
        "anonymous": None, "A": enterprise_user[0], "B": other_enterprise_user[0],
        "expert": expert_user[0], "secretariat": secretariat,
    }


@pytest.fixture
def a_challenges(enterprise_user):
    """One challenge of enterprise A in each status."""
    _, enterprise = enterprise_user
    return {status: factories.make_challenge(enterprise=enterprise, status=status, title=f"需求-{status}")
            for status in Challenge.Status.values}


def visible_ids(user):
    data = run(CHALLENGE_IDS, user=user).ok()
    return {edge["node"]["id"] for edge in data["challenges"]["edges"]}


# --- queries -------------------------------------------------------------------------------------

@pytest.mark.parametrize("role, statuses", [
    ("anonymous", {"open", "paired", "resolved"}),
    ("B", {"open", "paired", "resolved"}),
    ("expert", {"open", "paired", "resolved"}),
    ("A", {"draft", "open", "paired", "resolved", "closed"}),
    ("secretariat", {"draft", "open", "paired", "resolved", "closed"}),
])
def test_challenge_list_holds_only_what_the_role_may_see(roles, a_challenges, role, statuses):
    expected = {gid("Challenge", a_challenges[s]) for s in statuses}
    assert visible_ids(roles[role]) == expected


@pytest.mark.parametrize("role, found", [
    ("anonymous", False), ("B", False), ("expert", False), ("A", True), ("secretariat", True),
])
def test_node_lookup_of_a_draft_follows_the_list_visibility(roles, a_challenges, role, found):
    result = run(NODE, {"id": gid("Challenge", a_challenges["draft"])}, user=roles[role])
    if found:
        assert result.ok()["node"]["status"] == "DRAFT"
    else:
        assert result.code == "NOT_FOUND"
        assert result.data == {"node": None}


def test_node_lookup_with_a_malformed_or_foreign_id_is_not_found(roles, a_challenges):
    assert run(NODE, {"id": "not-a-global-id"}).code == "NOT_FOUND"
    assert run(NODE, {"id": gid("Challenge", 999999)}).code == "NOT_FOUND"
    assert run(NODE, {"id": gid("NoSuchType", 1)}).code == "NOT_FOUND"


def test_challenge_filters(enterprise_user, other_enterprise_user):
    skill = factories.make_skill(code="jingliu")
    _, a = enterprise_user
    _, b = other_enterprise_user
    Enterprise.objects.filter(pk=b.pk).update(province=Province.JIANGSU)
    green = factories.make_challenge(enterprise=a, category=Category.GREEN, skills=[skill])
    tech = factories.make_challenge(enterprise=b, category=Category.TECHNOLOGY)
    query = """query($category: Category, $skill: String, $province: Province, $enterprise: ID) {
      challenges(category: $category, skill: $skill, province: $province, enterprise: $enterprise) {
        edges { node { id } } } }"""

    def ids(**variables):
        return {e["node"]["id"] for e in run(query, variables).ok()["challenges"]["edges"]}

    assert ids(category="GREEN") == {gid("Challenge", green)}
    assert ids(skill="jingliu") == {gid("Challenge", green)}
    assert ids(province="JIANGSU") == {gid("Challenge", tech)}
    assert ids(enterprise=gid("Enterprise", b)) == {gid("Challenge", tech)}
    assert ids() == {gid("Challenge", green), gid("Challenge", tech)}


def test_an_unknown_filter_value_is_refused_before_execution():
    result = run('{ challenges(category: PURPLE) { totalCount } }')
    assert result.status_code == 400
    assert result.code == "GRAPHQL_VALIDATION_FAILED"


@pytest.mark.parametrize("role, sees_unverified", [
    ("anonymous", False), ("B", False), ("A", True), ("secretariat", True),
])
def test_unverified_enterprises_are_seen_by_their_staff_and_the_secretariat(roles, enterprise_user, role,
                                                                           sees_unverified):
    _, a = enterprise_user
    Enterprise.objects.filter(pk=a.pk).update(verified=False)
    data = run("{ enterprises { edges { node { id verified } } } }", user=roles[role]).ok()
    ids = {e["node"]["id"] for e in data["enterprises"]["edges"]}
    assert (gid("Enterprise", a) in ids) is sees_unverified
    node = run('query($id: ID!) { node(id: $id) { id } }', {"id": gid("Enterprise", a)}, user=roles[role])
    assert (node.errors == []) is sees_unverified


def test_my_enterprises(roles, enterprise_user):
    data = run("{ myEnterprises { id name } }", user=roles["A"]).ok()
    assert [e["id"] for e in data["myEnterprises"]] == [gid("Enterprise", enterprise_user[1])]
    assert run("{ myEnterprises { id } }").ok() == {"myEnterprises": []}


# --- query counts --------------------------------------------------------------------------------

CHALLENGES_NESTED = """{ challenges(first: 100) { totalCount edges { node {
  id title category enterprise { id name province } skills { id code name } } } } }"""


def build_challenges(n):
    skills = [factories.make_skill() for _ in range(3)]
    for i in range(n):
        factories.make_challenge(enterprise=factories.make_enterprise(), skills=skills[: 1 + i % 3])


@pytest.mark.parametrize("rows", [3, 30])
def test_challenges_with_enterprise_and_skills_cost_a_fixed_number_of_queries(
        django_assert_num_queries, enterprise_user, rows):
    user, _ = enterprise_user
    build_challenges(rows)
    run("{ __typename }", user=user)  # creates the token outside the count
    # token+user, secretariat group, own enterprise ids, count, page, enterprises, skills
    with django_assert_num_queries(7):
        data = run(CHALLENGES_NESTED, user=user).ok()
    assert data["challenges"]["totalCount"] == rows
    assert all(e["node"]["enterprise"]["name"] and e["node"]["skills"] for e in data["challenges"]["edges"])


def test_anonymous_challenge_list_costs_the_same_for_3_and_30_rows():
    def cost():
        with CaptureQueriesContext(connection) as ctx:
            run(CHALLENGES_NESTED).ok()
        return len(ctx)

    build_challenges(3)
    small = cost()
    build_challenges(27)
    assert cost() == small == 4  # count, page, enterprises, skills


# --- mutations: challenges ----------------------------------------------------------------------

CREATE = """mutation($input: CreateChallengeInput!) { createChallenge(input: $input) {
  challenge { id title status category enterprise { id } skills { code } } } }"""


def create_input(enterprise, **extra):
    data = {"enterprise": gid("Enterprise", enterprise), "title": "反应釜温控不稳", "description": "夏季冷却水温度高。",
            "category": "TECHNOLOGY"}
    data.update(extra)
    return {"input": data}


def test_enterprise_staff_create_a_draft_for_their_enterprise(roles, enterprise_user):
    skill = factories.make_skill(code="wenkong")
    _, a = enterprise_user
    data = run(CREATE, create_input(a, skills=[gid("Skill", skill)], preferredProvince="SICHUAN"),
               user=roles["A"]).ok()
    challenge = data["createChallenge"]["challenge"]
    assert challenge["status"] == "DRAFT" and challenge["enterprise"]["id"] == gid("Enterprise", a)
    assert challenge["skills"] == [{"code": "wenkong"}]
    row = Challenge.objects.get()
    assert row.created_by == roles["A"] and row.preferred_province == "sichuan"


@pytest.mark.parametrize("role, code", [
    ("anonymous", "UNAUTHENTICATED"), ("B", "FORBIDDEN"), ("expert", "FORBIDDEN"), ("secretariat", "FORBIDDEN"),
])
def test_nobody_else_creates_a_challenge_for_enterprise_a(roles, enterprise_user, role, code):
    result = run(CREATE, create_input(enterprise_user[1]), user=roles[role])
    assert result.code == code
    assert result.data == {"createChallenge": None}
    assert not Challenge.objects.exists()


def test_bad_input_answers_field_messages_and_writes_nothing(roles, enterprise_user):
    result = run(CREATE, create_input(enterprise_user[1], title="", preferredCity="x" * 40), user=roles["A"])
    assert result.code == "BAD_USER_INPUT"
    fields = result.errors[0]["extensions"]["fields"]
    assert set(fields) == {"title", "preferredCity"} and all(fields.values())
    assert not Challenge.objects.exists() and not AuditEntry.objects.exists()


def test_unknown_skill_ids_are_bad_input(roles, enterprise_user):
    result = run(CREATE, create_input(enterprise_user[1], skills=[gid("Skill", 424242)]), user=roles["A"])
    assert result.code == "BAD_USER_INPUT" and "skills" in result.errors[0]["extensions"]["fields"]
    assert not Challenge.objects.exists()


@pytest.mark.parametrize("field, value", [("status", "OPEN"), ("createdBy", "1"), ("publishedAt", "2020-01-01")])
def test_privileged_fields_cannot_be_sent(roles, enterprise_user, field, value):
    variables = create_input(enterprise_user[1])
    variables["input"][field] = value
    result = run(CREATE, variables, user=roles["A"])
    assert result.code == "GRAPHQL_VALIDATION_FAILED"
    assert not Challenge.objects.exists()


UPDATE = """mutation($id: ID!, $input: UpdateChallengeInput!) { updateChallenge(id: $id, input: $input) {
  challenge { id title category } } }"""


def test_enterprise_staff_update_their_open_challenge(roles, a_challenges):
    challenge = a_challenges["open"]
    data = run(UPDATE, {"id": gid("Challenge", challenge), "input": {"title": "新标题", "category": "MANAGEMENT"}},
               user=roles["A"]).ok()
    assert data["updateChallenge"]["challenge"] == {"id": gid("Challenge", challenge), "title": "新标题",
                                                    "category": "MANAGEMENT"}
    challenge.refresh_from_db()
    assert (challenge.title, challenge.category, challenge.status) == ("新标题", "management", "open")


@pytest.mark.parametrize("role, status, code", [
    ("anonymous", "open", "UNAUTHENTICATED"),
    ("B", "open", "FORBIDDEN"),
    ("B", "draft", "NOT_FOUND"),
    ("expert", "open", "FORBIDDEN"),
    ("secretariat", "open", "FORBIDDEN"),
    ("A", "paired", "CONFLICT"),
    ("A", "closed", "CONFLICT"),
])
def test_update_refusals(roles, a_challenges, role, status, code):
    challenge = a_challenges[status]
    result = run(UPDATE, {"id": gid("Challenge", challenge), "input": {"title": "被改了"}}, user=roles[role])
    assert result.code == code
    challenge.refresh_from_db()
    assert challenge.title == f"需求-{status}"


PUBLISH = 'mutation($id: ID!) { publishChallenge(id: $id) { challenge { id status publishedAt } } }'
CLOSE = 'mutation($id: ID!, $reason: String) { closeChallenge(id: $id, reason: $reason) { challenge { status } } }'


def test_publish_a_draft_then_publishing_again_conflicts(roles, a_challenges):
    draft = a_challenges["draft"]
    data = run(PUBLISH, {"id": gid("Challenge", draft)}, user=roles["A"]).ok()
    assert data["publishChallenge"]["challenge"]["status"] == "OPEN"
    assert data["publishChallenge"]["challenge"]["publishedAt"]
    again = run(PUBLISH, {"id": gid("Challenge", draft)}, user=roles["A"])
    assert again.code == "CONFLICT"
    assert again.errors[0]["extensions"]["reason"] == "illegal_transition"


def test_an_unverified_enterprise_cannot_publish(roles, a_challenges, enterprise_user):
    Enterprise.objects.filter(pk=enterprise_user[1].pk).update(verified=False)
    result = run(PUBLISH, {"id": gid("Challenge", a_challenges["draft"])}, user=roles["A"])
    assert result.code == "FORBIDDEN"
    assert result.errors[0]["extensions"]["reason"] == "enterprise_not_verified"
    assert Challenge.objects.get(pk=a_challenges["draft"].pk).status == "draft"


@pytest.mark.parametrize("role, code", [
    ("anonymous", "UNAUTHENTICATED"), ("B", "NOT_FOUND"), ("expert", "NOT_FOUND"), ("secretariat", "FORBIDDEN"),
])
def test_only_the_enterprise_publishes(roles, a_challenges, role, code):
    result = run(PUBLISH, {"id": gid("Challenge", a_challenges["draft"])}, user=roles[role])
    assert result.code == code
    assert Challenge.objects.get(pk=a_challenges["draft"].pk).status == "draft"


@pytest.mark.parametrize("role", ["A", "secretariat"])
def test_the_enterprise_or_the_secretariat_closes(roles, a_challenges, role):
    data = run(CLOSE, {"id": gid("Challenge", a_challenges["open"]), "reason": "已自行解决"}, user=roles[role]).ok()
    assert data["closeChallenge"]["challenge"]["status"] == "CLOSED"
    assert AuditEntry.objects.filter(action="close", note="已自行解决").exists()


@pytest.mark.parametrize("role, status, code", [
    ("anonymous", "open", "UNAUTHENTICATED"), ("B", "open", "FORBIDDEN"), ("expert", "open", "FORBIDDEN"),
    ("A", "paired", "CONFLICT"),
])
def test_close_refusals(roles, a_challenges, role, status, code):
    result = run(CLOSE, {"id": gid("Challenge", a_challenges[status])}, user=roles[role])
    assert result.code == code
    assert Challenge.objects.get(pk=a_challenges[status].pk).status == status


# --- mutations: enterprises ---------------------------------------------------------------------

REGISTER = """mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) {
  enterprise { id name creditCode verified province } } }"""


def register_input(**extra):
    data = {"name": "绵阳精细化工有限公司", "creditCode": factories.make_credit_code(), "province": "SICHUAN",
            "city": "绵阳"}
    data.update(extra)
    return {"input": data}


def test_a_user_registers_an_enterprise_and_becomes_its_staff(roles):
    user = factories.make_user()
    data = run(REGISTER, register_input(), user=user).ok()
    assert data["registerEnterprise"]["enterprise"]["verified"] is False
    enterprise = Enterprise.objects.get(name="绵阳精细化工有限公司")
    assert list(enterprise.staff.all()) == [user]


def test_a_bad_credit_code_is_bad_input_and_writes_nothing():
    user = factories.make_user()
    code = factories.make_credit_code()
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    result = run(REGISTER, register_input(creditCode=wrong), user=user)
    assert result.code == "BAD_USER_INPUT"
    assert list(result.errors[0]["extensions"]["fields"]) == ["creditCode"]
    assert not Enterprise.objects.filter(name="绵阳精细化工有限公司").exists()


def test_anonymous_cannot_register():
    result = run(REGISTER, register_input())
    assert result.code == "UNAUTHENTICATED"
    assert not Enterprise.objects.exists()


def test_verified_cannot_be_sent_on_registration():
    result = run(REGISTER, register_input(verified=True), user=factories.make_user())
    assert result.code == "GRAPHQL_VALIDATION_FAILED"
    assert not Enterprise.objects.exists()


VERIFY = 'mutation($id: ID!) { verifyEnterprise(id: $id) { enterprise { id verified verifiedAt } } }'


def test_the_secretariat_verifies_an_enterprise(roles, enterprise_user):
    _, a = enterprise_user
    Enterprise.objects.filter(pk=a.pk).update(verified=False)
    data = run(VERIFY, {"id": gid("Enterprise", a)}, user=roles["secretariat"]).ok()
    assert data["verifyEnterprise"]["enterprise"]["verified"] is True
    a.refresh_from_db()
    assert a.verified and a.verified_by == roles["secretariat"]


@pytest.mark.parametrize("role, code", [
    ("anonymous", "UNAUTHENTICATED"), ("A", "FORBIDDEN"), ("B", "NOT_FOUND"), ("expert", "NOT_FOUND"),
])
def test_only_the_secretariat_verifies(roles, enterprise_user, role, code):
    _, a = enterprise_user
    Enterprise.objects.filter(pk=a.pk).update(verified=False)
    result = run(VERIFY, {"id": gid("Enterprise", a)}, user=roles[role])
    assert result.code == code
    assert Enterprise.objects.get(pk=a.pk).verified is False


@pytest.mark.parametrize("role", ["A", "B", "expert"])
def test_verifying_a_visible_enterprise_is_forbidden_to_non_secretariat(roles, other_enterprise_user, role):
    result = run(VERIFY, {"id": gid("Enterprise", other_enterprise_user[1])}, user=roles[role])
    assert result.code == "FORBIDDEN"
