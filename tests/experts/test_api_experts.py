"""/api/v1/experts/ — the 劳模工匠库 over REST.

Anyone reads the catalog; private contact details (phone, email, birth year) appear only for the
secretariat, the expert themself, and an enterprise with an accepted pairing with that expert.
Only the secretariat adds entries; an expert edits their own profile.
"""
import pytest
from django.conf import settings

from enterprises.models import Challenge
from experts.models import Expert
from jianglian.choices import Category, Honour, Province
from matching.models import PairingAgreement
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/experts/"


def detail(expert):
    return f"{URL}{expert.pk}/"


def accepted_pairing(enterprise, expert, status=PairingAgreement.Status.ACCEPTED):
    challenge = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.PAIRED)
    return PairingAgreement.objects.create(challenge=challenge, expert=expert, status=status)


# --- reading --------------------------------------------------------------------------------
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


# --- query counts -----------------------------------------------------------------------------
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


# --- creating: the secretariat only -------------------------------------------------------------
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


# --- updating: the expert themself or the secretariat -------------------------------------------
def test_an_expert_edits_their_own_profile(token_client_for, expert_user):
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


def test_an_unknown_expert_is_404(token_client_for):
    response = token_client_for(None).get(f"{URL}987654/")
    assert response.status_code == 404
    assert response.json() == {"detail": response.json()["detail"], "code": "not_found", "errors": {}}


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
