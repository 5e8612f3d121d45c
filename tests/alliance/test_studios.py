"""Studios (劳模工匠创新工作室: alliance.services / selectors, REST /api/v1/studios/, GraphQL `studios`).

Anyone reads them; an expert registers the studio they lead, the secretariat any studio; the lead,
its manager accounts and the secretariat edit it. Membership status is the secretariat's, by review.
"""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.models import Studio
from jianglian.choices import Category, Honour
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db

URL = "/api/v1/studios/"


def detail(studio):
    return f"{URL}{studio.pk}/"


def ids(response):
    assert response.status_code == 200, response.json()
    return {r["id"] for r in response.json()["results"]}


NEW = {"name": "王强精馏节能创新工作室", "host_enterprise": "四川化工集团", "province": "sichuan", "city": "成都",
       "level": "provincial", "focus": ["精馏节能"]}


# --- reading: filters and a fixed number of queries ----------------------------------------------------------

def test_anonymous_reads_studios_with_lead_skills_and_member_count(token_client_for):
    skill = factories.make_skill()
    lead = factories.make_expert(name="王强")
    studio = factories.make_studio(lead=lead, skills=[skill])
    lead.studio = studio
    lead.save()
    factories.make_expert(studio=studio)
    [row] = token_client_for(None).get(URL).json()["results"]
    assert row["lead"] == {"id": lead.pk, "name": "王强"}
    assert row["member_count"] == 2
    assert [s["id"] for s in row["skills"]] == [skill.pk]
    assert "managers" not in row


def test_filters(token_client_for):
    green = factories.make_skill(code="wastewater", category=Category.GREEN)
    honoured = factories.make_expert(honours=[Honour.GREAT_CRAFTSMAN])
    a = factories.make_studio(skills=[green], lead=honoured, membership_status=Studio.MembershipStatus.MEMBER)
    b = factories.make_studio(province="jiangsu", city="南京", level=Studio.Level.NATIONAL)
    client = token_client_for(None)
    assert ids(client.get(URL + "?province=jiangsu")) == {b.pk}
    assert ids(client.get(URL + "?city=南京")) == {b.pk}
    assert ids(client.get(URL + "?level=national")) == {b.pk}
    assert ids(client.get(URL + "?category=green")) == {a.pk}
    assert ids(client.get(URL + "?skill=wastewater")) == {a.pk}
    assert ids(client.get(URL + f"?skill={green.pk}")) == {a.pk}
    assert ids(client.get(URL + f"?honour={Honour.GREAT_CRAFTSMAN}")) == {a.pk}
    assert ids(client.get(URL + "?membership_status=member")) == {a.pk}


def test_a_filter_across_skills_does_not_inflate_the_member_count(token_client_for):
    skills = [factories.make_skill(category=Category.GREEN) for _ in range(3)]
    studio = factories.make_studio(skills=skills)
    for _ in range(2):
        factories.make_expert(studio=studio)
    [row] = token_client_for(None).get(URL + "?category=green").json()["results"]
    assert row["member_count"] == 2


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


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_studios(rows, token_client_for, django_assert_num_queries):
    skills = [factories.make_skill() for _ in range(3)]
    for _ in range(rows):
        studio = factories.make_studio(lead=factories.make_expert(), skills=skills)
        factories.make_expert(studio=studio)
    with django_assert_num_queries(3):  # count, studios (+lead, batch, member count), skills
        response = token_client_for(None).get(URL + "?page_size=100")
    assert len(response.json()["results"]) == rows


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
    # a page of 30 (all the rows): at 100, its GraphQL cost (41,001) is over the anonymous budget
    def cost():
        with CaptureQueriesContext(connection) as ctx:
            run(STUDIOS_NESTED.replace("first: 100", "first: 30")).ok()
        return len(ctx)

    build_studios(3)
    small = cost()
    build_studios(27)
    assert cost() == small == 6


# --- registering a studio: its lead or the secretariat -------------------------------------------------------

def test_an_expert_registers_the_studio_they_lead(token_client_for, expert_user):
    user, expert = expert_user
    response = token_client_for(user).post(URL, NEW, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["lead"]["id"] == expert.pk
    assert response.json()["membership_status"] == "none"
    assert list(Studio.objects.get().managers.all()) == [user]


def test_an_expert_may_not_name_someone_else_as_lead(token_client_for, expert_user):
    other = factories.make_expert()
    response = token_client_for(expert_user[0]).post(URL, {**NEW, "lead": other.pk}, format="json")
    assert response.status_code == 403
    assert not Studio.objects.exists()


def test_the_secretariat_registers_a_studio_for_a_lead(token_client_for, secretariat):
    lead = factories.make_expert()
    response = token_client_for(secretariat).post(URL, {**NEW, "lead": lead.pk}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["lead"]["id"] == lead.pk


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("enterprise", 403)])
def test_others_may_not_register_a_studio(role, status, token_client_for, enterprise_user):
    user = {"anonymous": None, "enterprise": enterprise_user[0]}[role]
    assert token_client_for(user).post(URL, NEW, format="json").status_code == status
    assert not Studio.objects.exists()


def test_registering_as_a_member_is_refused(token_client_for, expert_user):
    response = token_client_for(expert_user[0]).post(
        URL, {**NEW, "membership_status": "member", "batch": 1, "managers": [1]}, format="json"
    )
    assert response.status_code == 400
    assert {"membership_status", "batch", "managers"} <= set(response.json()["errors"])
    assert not Studio.objects.exists()


def test_bad_input_is_a_400_and_nothing_written(token_client_for, expert_user):
    response = token_client_for(expert_user[0]).post(URL, {"name": "", "level": "galactic", "capacity": -1},
                                                     format="json")
    assert response.status_code == 400
    assert {"name", "level", "capacity", "host_enterprise", "province", "city"} <= set(response.json()["errors"])
    assert not Studio.objects.exists()


# --- editing a studio: the lead, its manager accounts or the secretariat -------------------------------------

def test_the_lead_edits_the_studio(token_client_for, expert_user):
    user, lead = expert_user
    studio = factories.make_studio(lead=lead)
    skill = factories.make_skill()
    response = token_client_for(user).patch(detail(studio), {"description": "新简介", "skills": [skill.pk]},
                                            format="json")
    assert response.status_code == 200, response.json()
    studio.refresh_from_db()
    assert studio.description == "新简介" and list(studio.skills.all()) == [skill]


def test_a_manager_account_edits_the_studio(token_client_for):
    manager = factories.make_user()
    studio = factories.make_studio()
    studio.managers.add(manager)
    assert token_client_for(manager).patch(detail(studio), {"capacity": 5}, format="json").status_code == 200


def test_a_form_sending_the_studio_back_with_its_own_name_saves(token_client_for, expert_user):
    user, lead = expert_user
    studio = factories.make_studio(lead=lead, name="催化剂再生工作室")
    response = token_client_for(user).patch(detail(studio), {"name": "催化剂再生工作室", "capacity": 4}, format="json")
    assert response.status_code == 200, response.json()
    studio.refresh_from_db()
    assert studio.capacity == 4


def test_a_studio_may_not_take_another_studios_name(token_client_for, expert_user):
    user, lead = expert_user
    factories.make_studio(name="精馏节能工作室")
    studio = factories.make_studio(lead=lead, name="催化剂再生工作室")
    response = token_client_for(user).patch(detail(studio), {"name": "精馏节能工作室"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    studio.refresh_from_db()
    assert studio.name == "催化剂再生工作室"


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("other_expert", 403), ("enterprise", 403)])
def test_others_may_not_edit_a_studio(role, status, token_client_for, expert_user, enterprise_user):
    studio = factories.make_studio(lead=factories.make_expert(), description="原简介")
    user = {"anonymous": None, "other_expert": expert_user[0], "enterprise": enterprise_user[0]}[role]
    assert token_client_for(user).patch(detail(studio), {"description": "x"}, format="json").status_code == status
    studio.refresh_from_db()
    assert studio.description == "原简介"


def test_the_lead_may_not_make_the_studio_a_member_or_change_the_lead(token_client_for, expert_user):
    user, lead = expert_user
    studio = factories.make_studio(lead=lead)
    response = token_client_for(user).patch(
        detail(studio), {"membership_status": "member", "lead": factories.make_expert().pk}, format="json"
    )
    assert response.status_code == 400
    assert {"membership_status", "lead"} <= set(response.json()["errors"])
    studio.refresh_from_db()
    assert studio.membership_status == Studio.MembershipStatus.NONE and studio.lead_id == lead.pk


# --- GraphQL createStudio / updateStudio: REST's POST and PATCH, the same rules -------------------------------

CREATE = """mutation($input: CreateStudioInput!) { createStudio(input: $input) {
  studio { name level lead { name } skills { code } } } }"""
UPDATE = """mutation($id: ID!, $input: UpdateStudioInput!) { updateStudio(id: $id, input: $input) {
  studio { name city } } }"""
GQL_NEW = {"name": "王强精馏节能创新工作室", "hostEnterprise": "四川化工集团", "province": "SICHUAN", "city": "成都",
           "level": "PROVINCIAL", "focus": ["精馏节能"]}


@pytest.fixture
def studio_roles(secretariat, expert_user, enterprise_user):
    lead_user, lead = expert_user
    return {"anonymous": None, "enterprise": enterprise_user[0], "expert": lead_user, "secretariat": secretariat,
            "other_expert": factories.make_expert_user()[0], "_lead": lead}


@pytest.mark.parametrize("role, outcome", [
    ("anonymous", "UNAUTHENTICATED"), ("enterprise", "FORBIDDEN"), ("expert", "ok"), ("secretariat", "ok"),
])
def test_create_studio_by_role(studio_roles, role, outcome):
    skill = factories.make_skill()
    lead = studio_roles["_lead"]
    given = {**GQL_NEW, "skills": [gid("Skill", skill)]}
    if role == "secretariat":
        given["lead"] = gid("Expert", lead)

    result = run(CREATE, {"input": given}, user=studio_roles[role])

    if outcome == "ok":
        studio = result.ok()["createStudio"]["studio"]
        assert studio == {"name": GQL_NEW["name"], "level": "PROVINCIAL", "lead": {"name": lead.name},
                          "skills": [{"code": skill.code}]}
    else:
        assert result.code == outcome
        assert not Studio.objects.exists()


def test_an_expert_may_not_register_a_studio_for_another_lead(studio_roles):
    other = factories.make_expert()

    result = run(CREATE, {"input": {**GQL_NEW, "lead": gid("Expert", other)}}, user=studio_roles["expert"])

    assert result.code == "FORBIDDEN"
    assert not Studio.objects.exists()


def test_create_studio_refuses_an_unknown_skill_and_an_unknown_lead(studio_roles):
    unknown_skill = run(CREATE, {"input": {**GQL_NEW, "skills": [gid("Skill", 999999)]}}, user=studio_roles["secretariat"])
    unknown_lead = run(CREATE, {"input": {**GQL_NEW, "lead": gid("Expert", 999999)}}, user=studio_roles["secretariat"])

    assert unknown_skill.code == "BAD_USER_INPUT" and "skills" in unknown_skill.errors[0]["extensions"]["fields"]
    assert unknown_lead.code == "NOT_FOUND"
    assert not Studio.objects.exists()


@pytest.mark.parametrize("role, outcome", [
    ("anonymous", "UNAUTHENTICATED"), ("enterprise", "FORBIDDEN"), ("other_expert", "FORBIDDEN"), ("expert", "ok"),
    ("secretariat", "ok"),
])
def test_update_studio_by_role(studio_roles, role, outcome):
    studio = factories.make_studio(lead=studio_roles["_lead"])

    result = run(UPDATE, {"id": gid("Studio", studio), "input": {"city": "泸州"}}, user=studio_roles[role])

    studio.refresh_from_db()
    if outcome == "ok":
        assert result.ok()["updateStudio"]["studio"] == {"name": studio.name, "city": "泸州"}
        assert studio.city == "泸州"
    else:
        assert result.code == outcome
        assert studio.city != "泸州"


@pytest.mark.parametrize("role, outcome", [("expert", "BAD_USER_INPUT"), ("secretariat", "ok")])
def test_only_the_secretariat_renames_a_studio(studio_roles, role, outcome):
    """The name (and the level) are the alliance's to change (alliance.services.studio_update; test_privileges)."""
    studio = factories.make_studio(lead=studio_roles["_lead"])

    result = run(UPDATE, {"id": gid("Studio", studio), "input": {"name": "改名工作室"}}, user=studio_roles[role])

    studio.refresh_from_db()
    if outcome == "ok":
        assert result.ok()["updateStudio"]["studio"]["name"] == "改名工作室"
    else:
        assert result.code == outcome and "name" in result.errors[0]["extensions"]["fields"]
        assert studio.name != "改名工作室"
