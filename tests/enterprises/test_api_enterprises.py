"""/api/v1/enterprises/ — registration, profile, and verification by the secretariat.

Everyone sees verified enterprises; staff also see their own unverified one; the secretariat sees all.
"""
import pytest

from enterprises.models import Enterprise
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/enterprises/"


def detail(enterprise):
    return f"{URL}{enterprise.pk}/"


def registration(**overrides):
    data = {"name": "成都新材料化工有限公司", "credit_code": factories.make_credit_code(), "province": "sichuan",
            "city": "成都", "industry": "chemical", "size": "small"}
    data.update(overrides)
    return data


def ids(response):
    assert response.status_code == 200, response.json()
    return {r["id"] for r in response.json()["results"]}


# --- reading --------------------------------------------------------------------------------
def test_anonymous_sees_verified_enterprises_only(token_client_for):
    verified = factories.make_enterprise()
    unverified = factories.make_enterprise(verified=False)
    client = token_client_for(None)
    assert ids(client.get(URL)) == {verified.pk}
    assert client.get(detail(unverified)).status_code == 404


def test_staff_see_their_own_unverified_enterprise_and_others_do_not(token_client_for, other_enterprise_user):
    user, own = factories.make_enterprise_user(verified=False)
    other_user, _ = other_enterprise_user
    assert own.pk in ids(token_client_for(user).get(URL))
    assert token_client_for(user).get(detail(own)).status_code == 200
    assert token_client_for(other_user).get(detail(own)).status_code == 404


def test_the_secretariat_sees_every_enterprise(token_client_for, secretariat):
    unverified = factories.make_enterprise(verified=False)
    assert unverified.pk in ids(token_client_for(secretariat).get(URL))


def test_filters_and_mine(token_client_for, enterprise_user):
    user, own = enterprise_user
    other = factories.make_enterprise(province="jiangsu", city="南京", size="large")
    client = token_client_for(user)
    assert ids(client.get(URL + "?province=jiangsu")) == {other.pk}
    assert ids(client.get(URL + "?size=large")) == {other.pk}
    assert ids(client.get(URL + "?mine=true")) == {own.pk}


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_enterprises(rows, token_client_for,
                                                                  django_assert_num_queries):
    for _ in range(rows):
        enterprise = factories.make_enterprise()
        factories.make_challenge(enterprise=enterprise)
    with django_assert_num_queries(2):  # count, enterprises with their open-challenge count
        response = token_client_for(None).get(URL + "?page_size=100")
    assert len(response.json()["results"]) == rows
    assert {r["open_challenge_count"] for r in response.json()["results"]} == {1}


# --- registering ------------------------------------------------------------------------------
def test_a_signed_in_user_registers_an_enterprise_and_becomes_its_staff(token_client_for):
    user = factories.make_user()
    response = token_client_for(user).post(URL, registration(), format="json")
    assert response.status_code == 201, response.json()
    enterprise = Enterprise.objects.get(pk=response.json()["id"])
    assert response.json()["verified"] is False
    assert list(enterprise.staff.all()) == [user]


def test_anonymous_may_not_register(token_client_for):
    response = token_client_for(None).post(URL, registration(), format="json")
    assert response.status_code == 401
    assert not Enterprise.objects.exists()


def test_a_wrong_check_character_is_a_field_error_on_credit_code(token_client_for):
    user = factories.make_user()
    good = factories.make_credit_code()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    response = token_client_for(user).post(URL, registration(credit_code=wrong), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and list(body["errors"]) == ["credit_code"]
    assert "校验位" in body["errors"]["credit_code"][0]
    assert not Enterprise.objects.exists()


def test_a_lower_case_credit_code_is_normalized(token_client_for):
    user = factories.make_user()
    code = "91350100M000100Y43"  # a published example with a letter
    response = token_client_for(user).post(URL, registration(credit_code=code.lower()), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["credit_code"] == code


def test_a_registered_credit_code_cannot_be_registered_twice(token_client_for):
    existing = factories.make_enterprise()
    response = token_client_for(factories.make_user()).post(
        URL, registration(credit_code=existing.credit_code), format="json"
    )
    assert response.status_code == 400 and "credit_code" in response.json()["errors"]
    assert Enterprise.objects.count() == 1


def test_bad_input_names_every_field_and_writes_nothing(token_client_for):
    response = token_client_for(factories.make_user()).post(URL, {"province": "atlantis", "size": "huge"},
                                                            format="json")
    assert response.status_code == 400
    assert {"name", "credit_code", "province", "city", "size"} <= set(response.json()["errors"])
    assert not Enterprise.objects.exists()


def test_registering_as_verified_is_refused(token_client_for):
    user = factories.make_user()
    response = token_client_for(user).post(
        URL, registration(verified=True, verified_by=user.pk, staff=[user.pk]), format="json"
    )
    assert response.status_code == 400
    assert {"verified", "verified_by", "staff"} <= set(response.json()["errors"])
    assert not Enterprise.objects.exists()


# --- updating ---------------------------------------------------------------------------------
def test_staff_update_their_enterprise(token_client_for, enterprise_user):
    user, own = enterprise_user
    response = token_client_for(user).patch(detail(own), {"description": "专注精细化工"}, format="json")
    assert response.status_code == 200, response.json()
    own.refresh_from_db()
    assert own.description == "专注精细化工"


def test_staff_may_not_verify_themselves_or_change_the_credit_code(token_client_for):
    user, own = factories.make_enterprise_user(verified=False)
    code = own.credit_code
    response = token_client_for(user).patch(detail(own), {"verified": True, "credit_code": factories.make_credit_code()},
                                            format="json")
    assert response.status_code == 400
    assert {"verified", "credit_code"} <= set(response.json()["errors"])
    own.refresh_from_db()
    assert own.verified is False and own.credit_code == code


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("other_enterprise", 403), ("expert", 403)])
def test_others_may_not_update_an_enterprise(role, status, token_client_for, enterprise_user,
                                              other_enterprise_user, expert_user):
    _, target = enterprise_user
    user = {"anonymous": None, "other_enterprise": other_enterprise_user[0], "expert": expert_user[0]}[role]
    response = token_client_for(user).patch(detail(target), {"name": "被改名"}, format="json")
    assert response.status_code == status
    target.refresh_from_db()
    assert target.name != "被改名"


# --- verifying: the secretariat only ----------------------------------------------------------
def test_the_secretariat_verifies_an_enterprise(token_client_for, secretariat):
    enterprise = factories.make_enterprise(verified=False)
    response = token_client_for(secretariat).post(detail(enterprise) + "verify/")
    assert response.status_code == 200, response.json()
    assert response.json()["verified"] is True
    enterprise.refresh_from_db()
    assert enterprise.verified and enterprise.verified_by == secretariat


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("own_staff", 403), ("expert", 403)])
def test_nobody_else_verifies(role, status, token_client_for, expert_user):
    staff, enterprise = factories.make_enterprise_user(verified=False)
    user = {"anonymous": None, "own_staff": staff, "expert": expert_user[0]}[role]
    response = token_client_for(user).post(detail(enterprise) + "verify/")
    assert response.status_code == status
    enterprise.refresh_from_db()
    assert enterprise.verified is False
