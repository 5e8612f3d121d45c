"""The skill taxonomy (experts.services, REST /api/v1/skills/, GraphQL `skills`): read by all, curated by the
secretariat.
"""
import pytest

from experts import services
from experts.models import Skill
from jianglian.choices import Category
from jianglian.errors import NotAllowed
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db

URL = "/api/v1/skills/"


# --- reading and filtering -----------------------------------------------------------------------------------

def test_anyone_reads_the_taxonomy_and_filters_it(token_client_for):
    area = factories.make_skill(code="separation", category=Category.TECHNOLOGY)
    child = factories.make_skill(code="distillation", parent=area)
    lean = factories.make_skill(code="lean", category=Category.MANAGEMENT)
    client = token_client_for(None)

    def codes(query=""):
        return [r["code"] for r in client.get(URL + query).json()["results"]]

    assert codes() == ["distillation", "lean", "separation"]
    assert codes("?category=management") == ["lean"]
    assert codes("?parent=separation") == ["distillation"]
    assert codes("?top_level=true") == ["lean", "separation"]
    assert codes("?code=distillation") == ["distillation"]  # the README looks a skill's id up by its code
    assert client.get(f"{URL}{child.pk}/").json()["parent_code"] == "separation"
    assert lean.pk


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


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_skills(rows, token_client_for, django_assert_num_queries):
    parent = factories.make_skill()
    for _ in range(rows - 1):
        factories.make_skill(parent=parent)
    with django_assert_num_queries(2):  # count, skills (+parent)
        response = token_client_for(None).get(URL + "?page_size=100")
    assert len(response.json()["results"]) == rows


# --- curating: the secretariat only --------------------------------------------------------------------------

def test_only_the_secretariat_curates_skills(secretariat, expert_user):
    user, _ = expert_user
    skill = services.skill_create(user=secretariat, code="distillation", name="精馏", synonyms=["蒸馏"])
    with pytest.raises(NotAllowed):
        services.skill_update(user=user, skill=skill, name="x")
    assert Skill.objects.get().synonyms == ["蒸馏"]


def test_the_secretariat_adds_and_edits_a_skill(token_client_for, secretariat):
    client = token_client_for(secretariat)
    response = client.post(URL, {"code": "catalyst-regeneration", "name": "催化剂再生", "category": "technology",
                                 "synonyms": ["催化剂活化"]}, format="json")
    assert response.status_code == 201, response.json()
    skill_id = response.json()["id"]
    response = client.patch(f"{URL}{skill_id}/", {"name_en": "Catalyst regeneration"}, format="json")
    assert response.status_code == 200 and response.json()["name_en"] == "Catalyst regeneration"


def test_a_duplicate_code_is_a_field_error(token_client_for, secretariat):
    factories.make_skill(code="lean")
    response = token_client_for(secretariat).post(URL, {"code": "lean", "name": "精益"}, format="json")
    assert response.status_code == 400 and "code" in response.json()["errors"]
    assert Skill.objects.count() == 1


def test_the_code_cannot_be_changed(token_client_for, secretariat):
    skill = factories.make_skill(code="lean")
    response = token_client_for(secretariat).patch(f"{URL}{skill.pk}/", {"code": "other"}, format="json")
    assert response.status_code == 400 and "code" in response.json()["errors"]


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("enterprise", 403), ("expert", 403)])
def test_nobody_else_curates(role, status, token_client_for, enterprise_user, expert_user):
    user = {"anonymous": None, "enterprise": enterprise_user[0], "expert": expert_user[0]}[role]
    skill = factories.make_skill(name="原名")
    client = token_client_for(user)
    assert client.post(URL, {"code": "x", "name": "新技能"}, format="json").status_code == status
    assert client.patch(f"{URL}{skill.pk}/", {"name": "改名"}, format="json").status_code == status
    skill.refresh_from_db()
    assert skill.name == "原名" and Skill.objects.count() == 1


# --- GraphQL createSkill / updateSkill: REST's POST and PATCH, the secretariat's --------------------------------

CREATE = """mutation($input: CreateSkillInput!) { createSkill(input: $input) {
  skill { code name category parent { code } synonyms } } }"""
UPDATE = """mutation($id: ID!, $input: UpdateSkillInput!) { updateSkill(id: $id, input: $input) {
  skill { code name synonyms } } }"""


@pytest.fixture
def skill_roles(secretariat, enterprise_user, expert_user):
    return {"anonymous": None, "enterprise": enterprise_user[0], "expert": expert_user[0], "secretariat": secretariat}


@pytest.mark.parametrize("role, outcome", [
    ("anonymous", "UNAUTHENTICATED"), ("enterprise", "FORBIDDEN"), ("expert", "FORBIDDEN"), ("secretariat", "ok"),
])
def test_create_skill_by_role(skill_roles, role, outcome):
    parent = factories.make_skill(code="separation")
    given = {"code": "membrane-separation", "name": "膜分离", "category": "GREEN", "parent": gid("Skill", parent),
             "synonyms": ["膜过滤"]}

    result = run(CREATE, {"input": given}, user=skill_roles[role])

    if outcome == "ok":
        assert result.ok()["createSkill"]["skill"] == {"code": "membrane-separation", "name": "膜分离",
                                                       "category": "GREEN", "parent": {"code": "separation"},
                                                       "synonyms": ["膜过滤"]}
    else:
        assert result.code == outcome
        assert not Skill.objects.filter(code="membrane-separation").exists()


@pytest.mark.parametrize("role, outcome", [
    ("anonymous", "UNAUTHENTICATED"), ("enterprise", "FORBIDDEN"), ("expert", "FORBIDDEN"), ("secretariat", "ok"),
])
def test_update_skill_by_role(skill_roles, role, outcome):
    skill = factories.make_skill(code="distillation", name="精馏")

    result = run(UPDATE, {"id": gid("Skill", skill), "input": {"name": "精馏节能", "synonyms": ["蒸馏"]}},
                 user=skill_roles[role])

    skill.refresh_from_db()
    if outcome == "ok":
        assert result.ok()["updateSkill"]["skill"] == {"code": "distillation", "name": "精馏节能", "synonyms": ["蒸馏"]}
        assert skill.name == "精馏节能"
    else:
        assert result.code == outcome
        assert skill.name == "精馏"


def test_create_skill_refuses_a_duplicate_code_on_the_field(skill_roles):
    factories.make_skill(code="distillation")

    result = run(CREATE, {"input": {"code": "distillation", "name": "另一个"}}, user=skill_roles["secretariat"])

    assert result.code == "BAD_USER_INPUT" and "code" in result.errors[0]["extensions"]["fields"]
