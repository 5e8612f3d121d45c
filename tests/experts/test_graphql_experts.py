"""GraphQL: the 劳模工匠库 — lists, filters, private contact details, profile edits, query counts."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from experts.models import Expert
from jianglian.choices import Category, Honour
from matching.models import PairingAgreement
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db

CONTACTS = 'query($id: ID!) { node(id: $id) { ... on Expert { name phone email } } }'


@pytest.fixture
def roles(enterprise_user, other_enterprise_user, expert_user, secretariat):
    return {
        "anonymous": None, "A": enterprise_user[0], "B": other_enterprise_user[0],
        "expert": expert_user[0], "secretariat": secretariat,
    }


@pytest.fixture
def paired_expert(enterprise_user):
    """An expert who accepted a pairing with enterprise A's challenge."""
    expert = factories.make_expert(phone="13912345678", email="zhang@example.com")
    challenge = factories.make_challenge(enterprise=enterprise_user[1])
    PairingAgreement.objects.create(challenge=challenge, expert=expert, status=PairingAgreement.Status.ACCEPTED)
    return expert


@pytest.mark.parametrize("role, sees", [
    ("anonymous", False), ("B", False), ("expert", False), ("A", True), ("secretariat", True),
])
def test_contact_details_only_for_the_secretariat_and_a_paired_enterprise(roles, paired_expert, role, sees):
    node = run(CONTACTS, {"id": gid("Expert", paired_expert)}, user=roles[role]).ok()["node"]
    assert node["name"] == paired_expert.name
    if sees:
        assert (node["phone"], node["email"]) == ("13912345678", "zhang@example.com")
    else:
        assert (node["phone"], node["email"]) == (None, None)
    listed = run("{ experts { edges { node { id phone email } } } }", user=roles[role]).ok()
    row = next(e["node"] for e in listed["experts"]["edges"] if e["node"]["id"] == gid("Expert", paired_expert))
    assert (row["phone"] is not None) is sees and (row["email"] is not None) is sees


def test_an_expert_sees_their_own_contact_details(expert_user):
    user, expert = expert_user
    data = run("{ myExpertProfile { id phone email } }", user=user).ok()
    assert data["myExpertProfile"] == {"id": gid("Expert", expert), "phone": expert.phone, "email": expert.email}
    assert run("{ myExpertProfile { id } }").ok() == {"myExpertProfile": None}


def test_expert_filters():
    distill = factories.make_skill(code="jingliu", category=Category.GREEN)
    studio = factories.make_studio()
    a = factories.make_expert(skills=[distill], honours=[Honour.GREAT_CRAFTSMAN], studio=studio, city="泸州")
    b = factories.make_expert(province="jiangsu", city="南京", accepting_pairings=False)
    query = """query($province: Province, $city: String, $skill: String, $honour: Honour, $studio: ID,
                     $category: Category, $acceptingPairings: Boolean) {
      experts(province: $province, city: $city, skill: $skill, honour: $honour, studio: $studio,
              category: $category, acceptingPairings: $acceptingPairings) { totalCount edges { node { id } } } }"""

    def ids(**variables):
        return {e["node"]["id"] for e in run(query, variables).ok()["experts"]["edges"]}

    ga, gb = gid("Expert", a), gid("Expert", b)
    assert ids() == {ga, gb}
    assert ids(province="JIANGSU") == {gb}
    assert ids(city="泸州") == {ga}
    assert ids(skill="jingliu") == {ga}
    assert ids(category="GREEN") == {ga}
    assert ids(honour="GREAT_CRAFTSMAN") == {ga}
    assert ids(studio=gid("Studio", studio)) == {ga}
    assert ids(acceptingPairings=False) == {gb}


def test_skills_list_and_filters():
    parent = factories.make_skill(code="fenli", category=Category.TECHNOLOGY)
    child = factories.make_skill(code="jingliu-jieneng", parent=parent, category=Category.GREEN, synonyms=["节汽"])
    data = run('{ skills(parent: "fenli") { edges { node { code synonyms parent { code } category } } } }').ok()
    assert [e["node"] for e in data["skills"]["edges"]] == [
        {"code": "jingliu-jieneng", "synonyms": ["节汽"], "parent": {"code": "fenli"}, "category": "GREEN"}]
    top = run("{ skills(topLevel: true) { edges { node { code } } } }").ok()
    assert [e["node"]["code"] for e in top["skills"]["edges"]] == ["fenli"]
    by_code = run('{ skills(code: "jingliu-jieneng") { edges { node { code } } } }').ok()
    assert [e["node"]["code"] for e in by_code["skills"]["edges"]] == ["jingliu-jieneng"]
    assert child.pk


EXPERTS_NESTED = """{ experts(first: 100) { totalCount edges { node {
  id name phone skills { code } honours { honour year } studio { id name } } } } }"""


def build_experts(n):
    skills = [factories.make_skill() for _ in range(3)]
    studios = [factories.make_studio() for _ in range(2)]
    honours = list(Honour.values)
    for i in range(n):
        factories.make_expert(skills=skills[: 1 + i % 3], honours=honours[i % 3: i % 3 + 2], studio=studios[i % 2])


@pytest.mark.parametrize("rows", [3, 30])
def test_experts_with_skills_honours_and_studio_cost_a_fixed_number_of_queries(
        django_assert_num_queries, enterprise_user, rows):
    user, _ = enterprise_user
    build_experts(rows)
    run("{ __typename }", user=user)
    # token+user, secretariat group, count, page, skills, honours, studios, contact visibility
    # (own enterprises, pairings, own expert entry)
    with django_assert_num_queries(10):
        data = run(EXPERTS_NESTED, user=user).ok()
    assert data["experts"]["totalCount"] == rows
    assert all(e["node"]["skills"] and e["node"]["honours"] and e["node"]["studio"] for e in data["experts"]["edges"])


def test_anonymous_expert_list_costs_the_same_for_3_and_30_rows():
    def cost():
        with CaptureQueriesContext(connection) as ctx:
            run(EXPERTS_NESTED).ok()
        return len(ctx)

    build_experts(3)
    small = cost()
    build_experts(27)
    assert cost() == small == 5  # count, page, skills, honours, studios


# --- updateExpertProfile -------------------------------------------------------------------------

UPDATE = """mutation($input: ExpertProfileInput!, $id: ID) { updateExpertProfile(input: $input, id: $id) {
  expert { id bio capacity acceptingPairings skills { code } } } }"""


def test_an_expert_edits_their_own_profile(expert_user):
    user, expert = expert_user
    skill = factories.make_skill(code="fanyingfu")
    data = run(UPDATE, {"input": {"bio": "三十年聚合反应经验。", "capacity": 3, "acceptingPairings": False,
                                  "skills": [gid("Skill", skill)]}}, user=user).ok()
    assert data["updateExpertProfile"]["expert"] == {
        "id": gid("Expert", expert), "bio": "三十年聚合反应经验。", "capacity": 3, "acceptingPairings": False,
        "skills": [{"code": "fanyingfu"}]}
    expert.refresh_from_db()
    assert expert.capacity == 3 and not expert.accepting_pairings


def test_the_secretariat_edits_any_profile(secretariat):
    expert = factories.make_expert()
    data = run(UPDATE, {"id": gid("Expert", expert), "input": {"bio": "秘书处核实。"}}, user=secretariat).ok()
    assert data["updateExpertProfile"]["expert"]["bio"] == "秘书处核实。"


@pytest.mark.parametrize("role, target, code", [
    ("anonymous", "own", "UNAUTHENTICATED"),
    ("A", "own", "FORBIDDEN"),          # not an expert
    ("A", "other", "FORBIDDEN"),
    ("expert", "other", "FORBIDDEN"),   # someone else's entry
])
def test_profile_edit_refusals(roles, role, target, code):
    other = factories.make_expert(bio="原简介")
    variables = {"input": {"bio": "改了"}}
    if target == "other":
        variables["id"] = gid("Expert", other)
    result = run(UPDATE, variables, user=roles[role])
    assert result.code == code
    assert Expert.objects.get(pk=other.pk).bio == "原简介"


def test_bad_profile_input_answers_field_messages_and_writes_nothing(expert_user):
    user, expert = expert_user
    result = run(UPDATE, {"input": {"capacity": 99, "email": "not-an-email", "bio": "新"}}, user=user)
    assert result.code == "BAD_USER_INPUT"
    assert set(result.errors[0]["extensions"]["fields"]) == {"capacity", "email"}
    expert.refresh_from_db()
    assert expert.capacity == 2 and expert.bio != "新"


@pytest.mark.parametrize("field, value", [("name", "改名"), ("studio", "U3R1ZGlvOjE="), ("honours", ["GREAT_CRAFTSMAN"])])
def test_privileged_profile_fields_cannot_be_sent(expert_user, field, value):
    user, expert = expert_user
    result = run(UPDATE, {"input": {field: value}}, user=user)
    assert result.code == "GRAPHQL_VALIDATION_FAILED"
    assert Expert.objects.get(pk=expert.pk).name == expert.name
