"""/api/v1/membership-applications/ — a studio applies to join the alliance; the secretariat reviews.

A studio's lead and manager accounts see and withdraw its applications; the secretariat sees and
reviews them all; nobody else sees any.
"""
import pytest

from alliance.models import MembershipApplication, Studio
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/membership-applications/"
Status = MembershipApplication.Status


def detail(application, suffix=""):
    return f"{URL}{application.pk}/{suffix}"


@pytest.fixture
def lead_and_studio(expert_user):
    user, expert = expert_user
    return user, factories.make_studio(lead=expert)


def pending(studio, **fields):
    return MembershipApplication.objects.create(studio=studio, statement="申请加入联盟。", **fields)


# --- applying ---------------------------------------------------------------------------------
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
    response = token_client_for(user).post(URL, {"studio": 987654}, format="json")
    assert response.status_code == 400
    assert {"studio", "statement"} <= set(response.json()["errors"])


# --- reading --------------------------------------------------------------------------------
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


# --- withdrawing ------------------------------------------------------------------------------
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


# --- reviewing: the secretariat only ----------------------------------------------------------
def test_the_secretariat_approves_and_the_studio_becomes_a_member(token_client_for, secretariat, lead_and_studio):
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
