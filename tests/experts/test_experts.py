"""The 劳模工匠库 (experts.services / selectors, REST /api/v1/experts/, GraphQL `experts`, `myExpertProfile`,
`updateExpertProfile`): each rule's service, REST and GraphQL cases side by side.

Anyone reads the catalog; private contact details (phone, email, birth year) appear only for the
secretariat, the expert themself, and an enterprise with an accepted pairing with that expert.
Only the secretariat adds entries; an expert edits their own profile; an account is linked to an entry
only through the secretariat's signed, one-time, expiring link.
"""
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance import services as events
from enterprises.models import Challenge
from experts import services
from experts.models import Expert
from experts.services import (
    EXPERT_CLAIM_MAX_AGE, EXPERT_CLAIM_SALT, expert_claim, expert_claim_token, expert_from_claim_token,
)
from jianglian.choices import Category, Honour, Province
from jianglian.errors import Conflict, DomainError, NotAllowed
from matching.models import PairingAgreement
from matching.pairings.selectors import can_see_contact
from tests import factories
from tests.gql import gid, run, token_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/experts/"


def detail(expert):
    return f"{URL}{expert.pk}/"


def accepted_pairing(enterprise, expert, status=PairingAgreement.Status.ACCEPTED):
    challenge = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.PAIRED)
    return PairingAgreement.objects.create(challenge=challenge, expert=expert, status=status)


def fresh(user):
    """The same account as a new request would load it (role lookups are cached per user object)."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def roles(enterprise_user, other_enterprise_user, expert_user, secretariat):
    return {
        "anonymous": None, "A": enterprise_user[0], "B": other_enterprise_user[0],
        "expert": expert_user[0], "secretariat": secretariat,
    }


# --- contact details: the secretariat, the expert themself, an enterprise with an accepted pairing -----------

def test_contact_details_are_visible_after_an_accepted_pairing_only(enterprise_user, secretariat):
    user, enterprise = enterprise_user
    expert = factories.make_expert()
    challenge = factories.make_challenge(enterprise=enterprise)
    assert not can_see_contact(user, expert)
    assert can_see_contact(secretariat, expert)
    PairingAgreement.objects.create(challenge=challenge, expert=expert, status=PairingAgreement.Status.PROPOSED)
    assert not can_see_contact(fresh(user), expert)
    PairingAgreement.objects.filter(expert=expert).update(status=PairingAgreement.Status.ACCEPTED)
    assert can_see_contact(fresh(user), expert)
    assert not can_see_contact(None, expert)


def test_an_expert_sees_their_own_contact_details(expert_user):
    user, expert = expert_user
    assert can_see_contact(user, expert)


def test_anonymous_reads_the_catalog_without_contact_details(token_client_for):
    expert = factories.make_expert(name="王师傅", honours=[Honour.GREAT_CRAFTSMAN])
    response = token_client_for(None).get(URL)
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["name"] == "王师傅"
    assert row["honours"][0]["honour"] == Honour.GREAT_CRAFTSMAN
    assert row["contact_visible"] is False
    assert row["phone"] is None and row["email"] is None and row["birth_year"] is None
    assert expert.phone not in response.content.decode()


def test_the_secretariat_sees_every_contact(token_client_for, secretariat):
    expert = factories.make_expert()
    row = token_client_for(secretariat).get(detail(expert)).json()
    assert row["contact_visible"] is True
    assert row["phone"] == expert.phone and row["email"] == expert.email


def test_an_expert_sees_their_own_contact_but_not_a_colleagues(token_client_for, expert_user):
    user, own = expert_user
    colleague = factories.make_expert()
    client = token_client_for(user)
    assert client.get(detail(own)).json()["phone"] == own.phone
    assert client.get(detail(colleague)).json()["phone"] is None


def test_an_enterprise_sees_contact_only_after_an_accepted_pairing(token_client_for, enterprise_user,
                                                                    other_enterprise_user):
    user_a, enterprise_a = enterprise_user
    user_b, _ = other_enterprise_user
    paired, proposed_only, stranger = factories.make_expert(), factories.make_expert(), factories.make_expert()
    accepted_pairing(enterprise_a, paired)
    accepted_pairing(enterprise_a, proposed_only, status=PairingAgreement.Status.PROPOSED)

    rows = {r["id"]: r for r in token_client_for(user_a).get(URL).json()["results"]}
    assert rows[paired.pk]["phone"] == paired.phone and rows[paired.pk]["contact_visible"] is True
    assert rows[proposed_only.pk]["phone"] is None
    assert rows[stranger.pk]["phone"] is None
    # Enterprise B has no pairing with anyone: it sees no contact.
    rows_b = token_client_for(user_b).get(URL).json()["results"]
    assert all(r["phone"] is None and r["email"] is None for r in rows_b)


CONTACTS = 'query($id: ID!) { node(id: $id) { ... on Expert { name phone email } } }'


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


def test_an_expert_sees_their_own_contact_details_through_graphql(expert_user):
    user, expert = expert_user
    data = run("{ myExpertProfile { id phone email } }", user=user).ok()
    assert data["myExpertProfile"] == {"id": gid("Expert", expert), "phone": expert.phone, "email": expert.email}
    assert run("{ myExpertProfile { id } }").ok() == {"myExpertProfile": None}


# --- the catalog: filters, pages, a fixed number of queries --------------------------------------------------

def test_filters_by_province_city_skill_category_honour_and_studio(token_client_for):
    distill = factories.make_skill(code="distillation", category=Category.TECHNOLOGY)
    lean = factories.make_skill(code="lean", category=Category.MANAGEMENT)
    studio = factories.make_studio()
    a = factories.make_expert(skills=[distill], honours=[Honour.NATIONAL_MODEL_WORKER], studio=studio)
    b = factories.make_expert(skills=[lean], province=Province.JIANGSU, city="南京")
    client = token_client_for(None)

    def ids(query):
        response = client.get(URL + query)
        assert response.status_code == 200, response.json()
        return {r["id"] for r in response.json()["results"]}

    assert ids("?province=jiangsu") == {b.pk}
    assert ids("?city=南京") == {b.pk}
    assert ids(f"?skill={distill.pk}") == {a.pk}
    assert ids("?skill=distillation") == {a.pk}
    assert ids("?category=management") == {b.pk}
    assert ids(f"?honour={Honour.NATIONAL_MODEL_WORKER}") == {a.pk}
    assert ids(f"?studio={studio.pk}") == {a.pk}
    assert [r["id"] for r in client.get(URL + "?ordering=-id").json()["results"]] == [b.pk, a.pk]


def test_a_bad_filter_value_is_a_400_with_the_field_named(token_client_for):
    response = token_client_for(None).get(URL + "?province=atlantis")
    assert response.status_code == 400
    assert "province" in response.json()["errors"]


def test_a_page_never_holds_more_than_the_cap(token_client_for):
    Expert.objects.bulk_create(
        [Expert(name=f"专家{i}", employer="某厂", province=Province.SICHUAN, city="成都")
         for i in range(settings.API_MAX_PAGE_SIZE + 5)]
    )
    body = token_client_for(None).get(URL + "?page_size=1000000").json()
    assert body["count"] == settings.API_MAX_PAGE_SIZE + 5
    assert len(body["results"]) == settings.API_MAX_PAGE_SIZE


def test_an_unknown_expert_is_404(token_client_for):
    response = token_client_for(None).get(f"{URL}987654/")
    assert response.status_code == 404
    assert response.json() == {"detail": response.json()["detail"], "code": "not_found", "errors": {}}


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


def _experts(n):
    skills = [factories.make_skill() for _ in range(3)]
    studio = factories.make_studio()
    for _ in range(n):
        factories.make_expert(skills=skills, honours=[Honour.GREAT_CRAFTSMAN, Honour.NATIONAL_MODEL_WORKER],
                              studio=studio)


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_experts_anonymous(rows, token_client_for,
                                                                        django_assert_num_queries):
    _experts(rows)
    client = token_client_for(None)
    # count, experts (+studio), skills, honours, outreach events
    with django_assert_num_queries(5):
        response = client.get(URL + "?page_size=100")
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_experts_enterprise(rows, token_client_for, enterprise_user,
                                                                         django_assert_num_queries):
    user, enterprise = enterprise_user
    _experts(rows)
    accepted_pairing(enterprise, Expert.objects.first())
    client = token_client_for(user)
    # token+user, secretariat?, enterprise ids, pairings, expert_of, count, experts, skills, honours, outreach
    with django_assert_num_queries(10):
        response = client.get(URL + "?page_size=100")
    assert len(response.json()["results"]) == rows
    assert sum(r["contact_visible"] for r in response.json()["results"]) == 1


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


# --- adding an expert: the secretariat only ------------------------------------------------------------------

def test_the_secretariat_adds_experts_with_honours(secretariat):
    expert = services.expert_create(
        user=secretariat, name="王建国", employer="中石化某分公司", province="shandong", city="淄博",
        honours=[Honour.NATIONAL_MODEL_WORKER, Honour.GREAT_CRAFTSMAN],
    )
    assert set(expert.honours.values_list("honour", flat=True)) == {"national_model_worker", "great_craftsman"}
    with pytest.raises(NotAllowed):
        services.expert_create(user=factories.make_user(), name="x", employer="y", province="shandong", city="z")
    assert Expert.objects.count() == 1


NEW_EXPERT = {
    "name": "李工", "employer": "江苏化工集团", "province": "jiangsu", "city": "南京",
    "honours": [Honour.NATIONAL_TECHNICAL_EXPERT], "phone": "13900000000", "bio": "催化剂再生。",
}


def test_the_secretariat_adds_an_expert(token_client_for, secretariat):
    skill = factories.make_skill()
    response = token_client_for(secretariat).post(URL, {**NEW_EXPERT, "skills": [skill.pk]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "李工" and body["skills"][0]["id"] == skill.pk
    assert [h["honour"] for h in body["honours"]] == [Honour.NATIONAL_TECHNICAL_EXPERT]
    assert body["phone"] == "13900000000"


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("enterprise", 403), ("expert", 403)])
def test_nobody_else_adds_an_expert(role, status, token_client_for, enterprise_user, expert_user):
    user = {"anonymous": None, "enterprise": enterprise_user[0], "expert": expert_user[0]}[role]
    before = Expert.objects.count()
    response = token_client_for(user).post(URL, NEW_EXPERT, format="json")
    assert response.status_code == status
    assert response.json()["code"] in {"not_authenticated", "permission_denied"}
    assert Expert.objects.count() == before


def test_bad_input_is_a_400_with_field_messages_and_nothing_written(token_client_for, secretariat):
    before = Expert.objects.count()
    response = token_client_for(secretariat).post(
        URL, {"name": "", "province": "atlantis", "email": "not-an-email", "honours": ["nobel"], "capacity": 99},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"name", "province", "email", "honours", "capacity", "employer", "city"} <= set(errors)
    assert Expert.objects.count() == before


def test_unknown_or_privileged_fields_are_refused(token_client_for, secretariat):
    intruder = factories.make_user()
    before = Expert.objects.count()
    response = token_client_for(secretariat).post(
        URL, {**NEW_EXPERT, "user": intruder.pk, "id": 999, "created_at": "2020-01-01T00:00:00Z"}, format="json"
    )
    assert response.status_code == 400
    assert {"user", "id", "created_at"} <= set(response.json()["errors"])
    assert Expert.objects.count() == before


# --- editing a profile: the expert themself (own profile and contact) or the secretariat (everything) --------

def test_an_expert_edits_their_own_bio_and_capacity(expert_user):
    user, expert = expert_user
    services.expert_update(user=user, expert=expert, bio="主持精馏塔节能改造十余项。", capacity=3)
    expert.refresh_from_db()
    assert (expert.bio, expert.capacity) == ("主持精馏塔节能改造十余项。", 3)


def test_an_expert_cannot_edit_another_profile_or_grant_themselves_honours(expert_user):
    user, expert = expert_user
    other = factories.make_expert()
    with pytest.raises(NotAllowed):
        services.expert_update(user=user, expert=other, bio="x")
    with pytest.raises(NotAllowed):
        services.expert_update(user=user, expert=expert, honours=[Honour.GREAT_CRAFTSMAN])
    with pytest.raises(ValidationError):
        services.expert_update(user=user, expert=expert, name="改名")
    assert not expert.honours.exists()


def test_capacity_out_of_range_is_a_field_error(expert_user):
    user, expert = expert_user
    with pytest.raises(ValidationError) as excinfo:
        services.expert_update(user=user, expert=expert, capacity=99)
    assert "capacity" in excinfo.value.message_dict


def test_an_expert_edits_their_own_profile_through_rest(token_client_for, expert_user):
    user, own = expert_user
    response = token_client_for(user).patch(detail(own), {"bio": "新简介", "capacity": 3}, format="json")
    assert response.status_code == 200, response.json()
    own.refresh_from_db()
    assert (own.bio, own.capacity) == ("新简介", 3)


def test_an_expert_may_not_change_catalog_facts_or_honours(token_client_for, expert_user):
    user, own = expert_user
    client = token_client_for(user)
    response = client.patch(detail(own), {"name": "改名", "employer": "别家"}, format="json")
    assert response.status_code == 400
    assert {"name", "employer"} <= set(response.json()["errors"])
    assert client.patch(detail(own), {"honours": [Honour.GREAT_CRAFTSMAN]}, format="json").status_code == 403
    own.refresh_from_db()
    assert own.name != "改名" and not own.honours.exists()


def test_an_expert_may_not_edit_a_colleague(token_client_for, expert_user):
    user, _ = expert_user
    colleague = factories.make_expert(bio="原简介")
    assert token_client_for(user).patch(detail(colleague), {"bio": "x"}, format="json").status_code == 403
    colleague.refresh_from_db()
    assert colleague.bio == "原简介"


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("enterprise", 403)])
def test_others_may_not_edit_an_expert(role, status, token_client_for, enterprise_user):
    expert = factories.make_expert(bio="原简介")
    user = {"anonymous": None, "enterprise": enterprise_user[0]}[role]
    assert token_client_for(user).patch(detail(expert), {"bio": "x"}, format="json").status_code == status
    expert.refresh_from_db()
    assert expert.bio == "原简介"


def test_the_secretariat_edits_catalog_facts_and_honours(token_client_for, secretariat):
    expert = factories.make_expert()
    response = token_client_for(secretariat).patch(
        detail(expert), {"employer": "新单位", "honours": [Honour.CHINA_SKILLS_AWARD]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["employer"] == "新单位"
    assert [h["honour"] for h in response.json()["honours"]] == [Honour.CHINA_SKILLS_AWARD]


def test_the_account_link_cannot_be_set_through_the_api(token_client_for, secretariat):
    expert = factories.make_expert()
    intruder = factories.make_user()
    response = token_client_for(secretariat).patch(detail(expert), {"user": intruder.pk}, format="json")
    assert response.status_code == 400 and "user" in response.json()["errors"]
    expert.refresh_from_db()
    assert expert.user_id is None


UPDATE = """mutation($input: ExpertProfileInput!, $id: ID) { updateExpertProfile(input: $input, id: $id) {
  expert { id bio capacity acceptingPairings skills { code } } } }"""


def test_an_expert_edits_their_own_profile_through_graphql(expert_user):
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


# --- linking an account to an entry: the secretariat's signed, one-time, expiring link -----------------------

def test_the_secretariat_issues_a_link_and_the_new_account_becomes_the_expert(secretariat):
    expert = factories.make_expert(name="王强")
    user = factories.make_user()

    token = expert_claim_token(user=secretariat, expert=expert)
    claimed = expert_claim(user=user, token=token)

    expert.refresh_from_db()
    assert claimed == expert and expert.user == user


def test_only_the_secretariat_issues_links(enterprise_user, expert_user):
    expert = factories.make_expert()
    for user in (enterprise_user[0], expert_user[0]):
        with pytest.raises(NotAllowed):
            expert_claim_token(user=user, expert=expert)


def test_no_link_for_an_entry_that_already_has_an_account(secretariat, expert_user):
    with pytest.raises(Conflict):
        expert_claim_token(user=secretariat, expert=expert_user[1])


def test_a_link_works_once(secretariat):
    expert = factories.make_expert()
    token = expert_claim_token(user=secretariat, expert=expert)
    expert_claim(user=factories.make_user(), token=token)

    with pytest.raises(Conflict):
        expert_claim(user=factories.make_user(), token=token)


def test_a_forged_or_expired_link_is_refused():
    expert = factories.make_expert()
    forged = signing.dumps({"expert": expert.pk}, salt="something-else")
    with pytest.raises(DomainError) as forged_error:
        expert_from_claim_token(forged)
    assert forged_error.value.code == "claim_invalid"

    class SignedLongAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - EXPERT_CLAIM_MAX_AGE - 60)

    old = SignedLongAgo(salt=EXPERT_CLAIM_SALT).sign_object({"expert": expert.pk}, compress=True)
    with pytest.raises(DomainError) as expired:
        expert_from_claim_token(old)
    assert expired.value.code == "claim_expired"


def test_an_account_already_linked_cannot_claim_another_entry(secretariat, expert_user):
    token = expert_claim_token(user=secretariat, expert=factories.make_expert())
    with pytest.raises(Conflict):
        expert_claim(user=expert_user[0], token=token)


# --- the campus outreach history (劳模工匠进校园) on a profile -----------------------------------------------

# Everyone who sees an expert sees the same history: the expert's confirmed participations in confirmed or
# held events, newest first (alliance.selectors.public_participations). Planned and cancelled events, and
# invitations the expert declined or has not answered, are not part of it — not even for the expert or the
# secretariat, who follow those through `outreachEvents`. A list of experts with their history costs the same
# number of queries whatever its length.

def test_a_profile_shows_the_campus_events_the_expert_took_part_in(token_client_for, secretariat):
    from alliance.models import EventParticipation, OutreachEvent
    from django.utils import timezone

    expert = factories.make_expert()
    held = OutreachEvent.objects.create(
        title="精馏操作实训进校园", school="四川化工职业技术学院", province="sichuan", city="泸州",
        starts_at=timezone.now(), format=OutreachEvent.Format.TRAINING, topic="精馏塔操作", status="held",
    )
    cancelled = OutreachEvent.objects.create(
        title="取消的讲座", school="某大学", province="sichuan", city="成都",
        starts_at=timezone.now(), format=OutreachEvent.Format.LECTURE, topic="x", status="cancelled",
    )
    EventParticipation.objects.create(event=held, expert=expert, status="confirmed", role="实训指导")
    EventParticipation.objects.create(event=cancelled, expert=expert, status="confirmed")

    body = token_client_for(None).get(f"/api/v1/experts/{expert.pk}/").json()
    assert [(e["title"], e["role"]) for e in body["outreach_events"]] == [("精馏操作实训进校园", "实训指导")]


HISTORY = """query($id: ID!) { node(id: $id) { ... on Expert {
  outreachHistory { role event { id title school city startsAt format status } } } } }"""


def event_with(secretariat, experts, *, title, days_ago=0, answers=None, role="主讲"):
    """A planned event (days_ago in the past) with `experts` invited; `answers` maps expert → True (confirm) /
    False (decline); experts not in it leave the invitation unanswered. Each expert is (user, expert)."""
    event = events.event_create(
        user=secretariat, title=title, school="四川化工职业技术学院", province="sichuan", city="泸州",
        starts_at=timezone.now() - timedelta(days=days_ago, hours=1), format="training", topic="精馏塔操作",
        allow_past=True,  # a record of an event that took place
    )
    events.event_invite_experts(user=secretariat, event=event, experts=[e for _, e in experts], role=role)
    for user, expert in experts:
        answer = (answers or {}).get(expert.pk)
        if answer is not None:
            events.event_respond(user=user, event=event, accept=answer)
    return event


@pytest.fixture
def history(secretariat, expert_user):
    """expert_user's events: two public ones, and four that are not part of the public history."""
    user, expert = expert_user
    colleague = factories.make_expert_user()
    confirm = {expert.pk: True}

    held = event_with(secretariat, [expert_user], title="精馏操作实训进校园", days_ago=30, answers=confirm,
                      role="实训指导")
    events.event_confirm(user=secretariat, event=held)
    events.event_hold(user=secretariat, event=held, audience_count=120, summary="学生动手操作精馏塔。")

    confirmed = event_with(secretariat, [expert_user], title="安全生产讲座", days_ago=2, answers=confirm)
    events.event_confirm(user=secretariat, event=confirmed)

    event_with(secretariat, [expert_user], title="筹备中的讲座", days_ago=1, answers=confirm)  # still planned

    cancelled = event_with(secretariat, [expert_user], title="取消的讲座", days_ago=3, answers=confirm)
    events.event_confirm(user=secretariat, event=cancelled)
    events.event_cancel(user=secretariat, event=cancelled, reason="学校停课")

    declined = event_with(secretariat, [expert_user, colleague], title="婉拒的活动", days_ago=4,
                          answers={expert.pk: False, colleague[1].pk: True})
    events.event_confirm(user=secretariat, event=declined)

    unanswered = event_with(secretariat, [expert_user, colleague], title="未答复的活动", days_ago=5,
                            answers={colleague[1].pk: True})
    events.event_confirm(user=secretariat, event=unanswered)
    return expert, [confirmed, held]


@pytest.fixture
def history_viewers(enterprise_user, expert_user, secretariat):
    return {"anonymous": None, "enterprise": enterprise_user[0], "the expert": expert_user[0],
            "another expert": factories.make_expert_user()[0], "secretariat": secretariat}


@pytest.mark.parametrize("role", ["anonymous", "enterprise", "the expert", "another expert", "secretariat"])
def test_everyone_sees_the_confirmed_and_held_events_the_expert_took_part_in(history, history_viewers, role):
    expert, (confirmed, held) = history
    node = run(HISTORY, {"id": gid("Expert", expert)}, user=history_viewers[role]).ok()["node"]
    assert [(p["event"]["title"], p["event"]["status"], p["role"]) for p in node["outreachHistory"]] == [
        ("安全生产讲座", "CONFIRMED", "主讲"), ("精馏操作实训进校园", "HELD", "实训指导")]
    first = node["outreachHistory"][0]["event"]
    assert (first["id"], first["school"], first["city"], first["format"]) == (
        gid("OutreachEvent", confirmed), "四川化工职业技术学院", "泸州", "TRAINING")


@pytest.mark.parametrize("role", ["anonymous", "enterprise", "the expert", "another expert", "secretariat"])
def test_graphql_and_rest_show_the_same_history(history, history_viewers, role, token_client_for):
    expert, _ = history
    rest = token_client_for(history_viewers[role]).get(f"/api/v1/experts/{expert.pk}/").json()["outreach_events"]
    listed = run("{ experts { edges { node { id outreachHistory { role event { id title startsAt } } } } } }",
                 user=history_viewers[role]).ok()["experts"]["edges"]
    [graphql] = [e["node"]["outreachHistory"] for e in listed if e["node"]["id"] == gid("Expert", expert)]
    assert [(gid("OutreachEvent", e["event_id"]), e["title"], e["role"]) for e in rest] == [
        (p["event"]["id"], p["event"]["title"], p["role"]) for p in graphql]


def test_the_own_profile_carries_the_same_history(history, expert_user):
    user, expert = expert_user
    profile = run("{ myExpertProfile { outreachHistory { event { title } } } }", user=user).ok()["myExpertProfile"]
    assert [p["event"]["title"] for p in profile["outreachHistory"]] == ["安全生产讲座", "精馏操作实训进校园"]


def test_an_expert_without_events_has_an_empty_history():
    expert = factories.make_expert()
    assert run(HISTORY, {"id": gid("Expert", expert)}).ok()["node"] == {"outreachHistory": []}


EXPERTS_WITH_HISTORY = """{ experts(first: 100) { totalCount edges { node {
  name outreachHistory { role event { id title school city startsAt format } } } } } }"""


def experts_with_history(secretariat, n):
    """n experts, each confirmed in two held events shared with the others."""
    experts = [factories.make_expert_user() for _ in range(n)]
    for title in ("精馏节能进校园", "安全生产进校园"):
        event = event_with(secretariat, experts, title=title, days_ago=7, answers={e.pk: True for _, e in experts})
        events.event_confirm(user=secretariat, event=event)
        events.event_hold(user=secretariat, event=event, audience_count=80, summary="顺利举办。")
    return experts


@pytest.mark.parametrize("n", [2, 10])
def test_experts_with_their_history_cost_a_fixed_number_of_queries(secretariat, enterprise_user, n,
                                                                   django_assert_num_queries):
    user, _ = enterprise_user
    experts_with_history(secretariat, n)
    token_for(user)
    # token + user, secretariat group, count, page of experts, their participations joined with their events
    with django_assert_num_queries(5):
        edges = run(EXPERTS_WITH_HISTORY, user=user).ok()["experts"]["edges"]
    assert len(edges) == n
    assert all(sorted(p["event"]["title"] for p in e["node"]["outreachHistory"]) == ["安全生产进校园", "精馏节能进校园"]
               for e in edges)


NESTED_UNDER_EVENTS = """{ outreachEvents(first: 50) { edges { node { title participations {
  expert { name outreachHistory { role event { title participations { role } } } } } } } } }"""


@pytest.mark.parametrize("n", [2, 10])
def test_history_nested_under_events_costs_a_fixed_number_of_queries(secretariat, n, django_assert_num_queries,
                                                                    settings):
    settings.GRAPHQL_MAX_COST_ANONYMOUS = 10**6  # it costs 514,701 (50 × 30 × 10 × 30 …): the SQL is measured here
    experts_with_history(secretariat, n)
    run("{ __typename }")
    # count, events, their participations, the experts, the experts' histories joined with their events,
    # those events' participations
    with django_assert_num_queries(6):
        edges = run(NESTED_UNDER_EVENTS).ok()["outreachEvents"]["edges"]
    histories = [p["expert"]["outreachHistory"] for e in edges for p in e["node"]["participations"]]
    assert len(histories) == 2 * n and all(len(h) == 2 and len(h[0]["event"]["participations"]) == n
                                           for h in histories)


# --- GraphQL createExpert: REST's POST, the secretariat's ------------------------------------------------------

CREATE_EXPERT = """mutation($input: CreateExpertInput!) { createExpert(input: $input) {
  expert { name province honours { honour } skills { code } studio { name } phone } } }"""


@pytest.mark.parametrize("role, outcome", [
    ("anonymous", "UNAUTHENTICATED"), ("enterprise", "FORBIDDEN"), ("expert", "FORBIDDEN"), ("secretariat", "ok"),
])
def test_create_expert_by_role(secretariat, enterprise_user, expert_user, role, outcome):
    user = {"anonymous": None, "enterprise": enterprise_user[0], "expert": expert_user[0],
            "secretariat": secretariat}[role]
    skill, studio = factories.make_skill(code="pumps-seals"), factories.make_studio(name="泵密封工作室")
    given = {"name": "李新", "employer": "泸天化", "province": "SICHUAN", "city": "泸州", "phone": "13800000000",
             "honours": ["NATIONAL_MODEL_WORKER"], "skills": [gid("Skill", skill)], "studio": gid("Studio", studio)}

    result = run(CREATE_EXPERT, {"input": given}, user=user)

    if outcome == "ok":
        assert result.ok()["createExpert"]["expert"] == {
            "name": "李新", "province": "SICHUAN", "honours": [{"honour": "NATIONAL_MODEL_WORKER"}],
            "skills": [{"code": "pumps-seals"}], "studio": {"name": "泵密封工作室"}, "phone": "13800000000"}
    else:
        assert result.code == outcome
        assert not Expert.objects.filter(name="李新").exists()


def test_create_expert_refuses_bad_values_on_the_field(secretariat):
    result = run(CREATE_EXPERT, {"input": {"name": "李新", "employer": "泸天化", "province": "SICHUAN", "city": "泸州",
                                           "capacity": 99}}, user=secretariat)

    assert result.code == "BAD_USER_INPUT" and "capacity" in result.errors[0]["extensions"]["fields"]
    assert not Expert.objects.filter(name="李新").exists()
