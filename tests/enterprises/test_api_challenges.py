"""/api/v1/challenges/ — an enterprise posts problems; drafts stay private to it.

Public challenges (open, paired, resolved) are visible to all; an enterprise also sees its own drafts
and closed ones; the secretariat sees everything. Only the enterprise edits, publishes and closes its
challenges (the secretariat may close one too).
"""
import pytest
from django.conf import settings

from enterprises.models import Challenge
from jianglian.choices import Category
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/challenges/"
Status = Challenge.Status


def detail(challenge, suffix=""):
    return f"{URL}{challenge.pk}/{suffix}"


def ids(response):
    assert response.status_code == 200, response.json()
    return {r["id"] for r in response.json()["results"]}


NEW = {"title": "反应釜温控波动大", "description": "夹套冷却水温度波动导致批次质量不稳定。", "category": "technology"}


# --- reading --------------------------------------------------------------------------------
@pytest.fixture
def a_draft(enterprise_user):
    return factories.make_challenge(enterprise=enterprise_user[1], status=Status.DRAFT, title="草稿")


def test_anonymous_sees_public_challenges_only(token_client_for, enterprise_user, a_draft):
    enterprise = enterprise_user[1]
    public = {factories.make_challenge(enterprise=enterprise, status=s).pk
              for s in (Status.OPEN, Status.PAIRED, Status.RESOLVED)}
    factories.make_challenge(enterprise=enterprise, status=Status.CLOSED)
    assert ids(token_client_for(None).get(URL)) == public


@pytest.mark.parametrize("role", ["anonymous", "other_enterprise", "expert"])
def test_a_draft_is_invisible_to_others_in_list_and_detail(role, a_draft, token_client_for,
                                                           other_enterprise_user, expert_user):
    user = {"anonymous": None, "other_enterprise": other_enterprise_user[0], "expert": expert_user[0]}[role]
    client = token_client_for(user)
    assert a_draft.pk not in ids(client.get(URL))
    assert client.get(detail(a_draft)).status_code == 404


@pytest.mark.parametrize("role", ["own_enterprise", "secretariat"])
def test_a_draft_is_visible_to_its_enterprise_and_the_secretariat(role, a_draft, token_client_for,
                                                                  enterprise_user, secretariat):
    user = {"own_enterprise": enterprise_user[0], "secretariat": secretariat}[role]
    client = token_client_for(user)
    assert a_draft.pk in ids(client.get(URL))
    assert client.get(detail(a_draft)).json()["status"] == "draft"


def test_filters(token_client_for, enterprise_user):
    user, own = enterprise_user
    skill = factories.make_skill(code="catalysis")
    tech = factories.make_challenge(enterprise=own, category=Category.TECHNOLOGY, skills=[skill])
    elsewhere = factories.make_challenge(enterprise=factories.make_enterprise(province="jiangsu"),
                                         category=Category.MANAGEMENT, preferred_province="zhejiang")
    draft = factories.make_challenge(enterprise=own, status=Status.DRAFT)
    client = token_client_for(user)
    assert ids(client.get(URL + "?category=technology")) == {tech.pk}
    assert ids(client.get(URL + "?skill=catalysis")) == {tech.pk}
    assert ids(client.get(URL + f"?skill={skill.pk}")) == {tech.pk}
    assert ids(client.get(URL + "?province=jiangsu")) == {elsewhere.pk}
    assert ids(client.get(URL + "?preferred_province=zhejiang")) == {elsewhere.pk}
    assert ids(client.get(URL + "?status=draft")) == {draft.pk}
    assert ids(client.get(URL + "?mine=true")) == {tech.pk, draft.pk}
    assert ids(client.get(URL + f"?enterprise={elsewhere.enterprise_id}")) == {elsewhere.pk}


def test_a_page_never_holds_more_than_the_cap(token_client_for):
    enterprise = factories.make_enterprise()
    Challenge.objects.bulk_create([
        Challenge(enterprise=enterprise, title=f"需求{i}", description="…", category=Category.GREEN, status=Status.OPEN)
        for i in range(settings.API_MAX_PAGE_SIZE + 1)
    ])
    body = token_client_for(None).get(URL + "?page_size=1000000").json()
    assert len(body["results"]) == settings.API_MAX_PAGE_SIZE and body["next"]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_challenges(rows, token_client_for, enterprise_user,
                                                                 django_assert_num_queries):
    user, own = enterprise_user
    skills = [factories.make_skill() for _ in range(3)]
    for i in range(rows):
        factories.make_challenge(enterprise=own if i % 2 else factories.make_enterprise(), skills=skills)
    client = token_client_for(user)
    # token+user, secretariat?, enterprise ids, count, challenges (+enterprise), skills
    with django_assert_num_queries(6):
        response = client.get(URL + "?page_size=100")
    assert len(response.json()["results"]) == rows


# --- creating ---------------------------------------------------------------------------------
def test_an_enterprise_creates_a_draft_for_itself(token_client_for, enterprise_user):
    user, own = enterprise_user
    skill = factories.make_skill()
    response = token_client_for(user).post(URL, {**NEW, "skills": [skill.pk]}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["enterprise"]["id"] == own.pk
    assert [s["id"] for s in body["skills"]] == [skill.pk]


def test_staff_of_several_enterprises_name_the_enterprise(token_client_for, enterprise_user):
    user, own = enterprise_user
    second = factories.make_enterprise(staff=[user])
    client = token_client_for(user)
    response = client.post(URL, NEW, format="json")
    assert response.status_code == 400 and "enterprise" in response.json()["errors"]
    response = client.post(URL, {**NEW, "enterprise": second.pk}, format="json")
    assert response.status_code == 201 and response.json()["enterprise"]["id"] == second.pk


def test_an_enterprise_may_not_post_for_another(token_client_for, enterprise_user, other_enterprise_user):
    user, _ = enterprise_user
    _, other = other_enterprise_user
    response = token_client_for(user).post(URL, {**NEW, "enterprise": other.pk}, format="json")
    assert response.status_code == 403
    assert not Challenge.objects.exists()


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("expert", 400)])
def test_callers_without_an_enterprise_may_not_create(role, status, token_client_for, expert_user):
    user = {"anonymous": None, "expert": expert_user[0]}[role]
    assert token_client_for(user).post(URL, NEW, format="json").status_code == status
    assert not Challenge.objects.exists()


def test_an_expert_naming_an_enterprise_is_refused(token_client_for, expert_user, enterprise_user):
    response = token_client_for(expert_user[0]).post(URL, {**NEW, "enterprise": enterprise_user[1].pk}, format="json")
    assert response.status_code == 403
    assert not Challenge.objects.exists()


def test_bad_input_is_a_400_with_field_messages_and_nothing_written(token_client_for, enterprise_user):
    response = token_client_for(enterprise_user[0]).post(
        URL, {"title": "", "category": "astrology", "skills": [987654]}, format="json"
    )
    assert response.status_code == 400
    assert {"title", "description", "category", "skills"} <= set(response.json()["errors"])
    assert not Challenge.objects.exists()


def test_posting_an_open_status_is_refused(token_client_for, enterprise_user):
    response = token_client_for(enterprise_user[0]).post(
        URL, {**NEW, "status": "open", "published_at": "2024-01-01T00:00:00Z", "created_by": 1}, format="json"
    )
    assert response.status_code == 400
    assert {"status", "published_at", "created_by"} <= set(response.json()["errors"])
    assert not Challenge.objects.exists()


# --- updating ---------------------------------------------------------------------------------
def test_the_enterprise_edits_its_challenge(token_client_for, enterprise_user, a_draft):
    response = token_client_for(enterprise_user[0]).patch(detail(a_draft), {"title": "新标题"}, format="json")
    assert response.status_code == 200, response.json()
    a_draft.refresh_from_db()
    assert a_draft.title == "新标题"


def test_status_and_enterprise_cannot_be_changed_by_update(token_client_for, enterprise_user, other_enterprise_user,
                                                           a_draft):
    response = token_client_for(enterprise_user[0]).patch(
        detail(a_draft), {"status": "open", "enterprise": other_enterprise_user[1].pk}, format="json"
    )
    assert response.status_code == 400
    assert {"status", "enterprise"} <= set(response.json()["errors"])
    a_draft.refresh_from_db()
    assert a_draft.status == Status.DRAFT and a_draft.enterprise_id == enterprise_user[1].pk


def test_another_enterprise_may_not_edit_an_open_challenge(token_client_for, enterprise_user, other_enterprise_user):
    challenge = factories.make_challenge(enterprise=enterprise_user[1], title="原标题")
    response = token_client_for(other_enterprise_user[0]).patch(detail(challenge), {"title": "x"}, format="json")
    assert response.status_code == 403
    challenge.refresh_from_db()
    assert challenge.title == "原标题"


def test_another_enterprise_gets_404_for_a_draft(token_client_for, other_enterprise_user, a_draft):
    client = token_client_for(other_enterprise_user[0])
    assert client.patch(detail(a_draft), {"title": "x"}, format="json").status_code == 404
    assert client.post(detail(a_draft, "publish/")).status_code == 404
    assert client.post(detail(a_draft, "close/")).status_code == 404
    a_draft.refresh_from_db()
    assert (a_draft.title, a_draft.status) == ("草稿", Status.DRAFT)


def test_anonymous_may_not_edit(token_client_for, enterprise_user):
    challenge = factories.make_challenge(enterprise=enterprise_user[1])
    assert token_client_for(None).patch(detail(challenge), {"title": "x"}, format="json").status_code == 401


def test_a_paired_challenge_can_no_longer_be_edited(token_client_for, enterprise_user):
    challenge = factories.make_challenge(enterprise=enterprise_user[1], status=Status.PAIRED)
    response = token_client_for(enterprise_user[0]).patch(detail(challenge), {"title": "x"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "illegal_transition"


# --- publishing and closing -------------------------------------------------------------------
def test_the_enterprise_publishes_its_draft_once(token_client_for, enterprise_user, a_draft):
    client = token_client_for(enterprise_user[0])
    response = client.post(detail(a_draft, "publish/"))
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "open" and response.json()["published_at"]
    assert client.post(detail(a_draft, "publish/")).status_code == 409


def test_an_unverified_enterprise_may_not_publish(token_client_for):
    user, enterprise = factories.make_enterprise_user(verified=False)
    draft = factories.make_challenge(enterprise=enterprise, status=Status.DRAFT)
    response = token_client_for(user).post(detail(draft, "publish/"))
    assert response.status_code == 403 and response.json()["code"] == "enterprise_not_verified"
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("expert", 404), ("secretariat", 403)])
def test_only_the_enterprise_publishes(role, status, token_client_for, a_draft, expert_user, secretariat):
    user = {"anonymous": None, "expert": expert_user[0], "secretariat": secretariat}[role]
    assert token_client_for(user).post(detail(a_draft, "publish/")).status_code == status
    a_draft.refresh_from_db()
    assert a_draft.status == Status.DRAFT


@pytest.mark.parametrize("role", ["own_enterprise", "secretariat"])
def test_the_enterprise_or_the_secretariat_closes(role, token_client_for, enterprise_user, secretariat):
    challenge = factories.make_challenge(enterprise=enterprise_user[1])
    user = {"own_enterprise": enterprise_user[0], "secretariat": secretariat}[role]
    response = token_client_for(user).post(detail(challenge, "close/"), {"reason": "已自行解决"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed"


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("other_enterprise", 403), ("expert", 403)])
def test_others_may_not_close(role, status, token_client_for, enterprise_user, other_enterprise_user, expert_user):
    challenge = factories.make_challenge(enterprise=enterprise_user[1])
    user = {"anonymous": None, "other_enterprise": other_enterprise_user[0], "expert": expert_user[0]}[role]
    assert token_client_for(user).post(detail(challenge, "close/")).status_code == status
    challenge.refresh_from_db()
    assert challenge.status == Status.OPEN


def test_closing_refuses_unknown_fields(token_client_for, enterprise_user):
    challenge = factories.make_challenge(enterprise=enterprise_user[1])
    response = token_client_for(enterprise_user[0]).post(detail(challenge, "close/"), {"status": "resolved"},
                                                         format="json")
    assert response.status_code == 400 and "status" in response.json()["errors"]
    challenge.refresh_from_db()
    assert challenge.status == Status.OPEN
