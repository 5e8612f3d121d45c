"""Enterprises (enterprises.services / selectors, REST /api/v1/enterprises/, GraphQL `enterprises`,
`myEnterprises`, `registerEnterprise`, `verifyEnterprise`): each rule's service, REST and GraphQL cases side by
side.

Everyone sees verified enterprises; staff also see their own unverified one; the secretariat sees all.
A signed-in user registers an enterprise (统一社会信用代码 with its check character) and becomes its staff;
only the secretariat verifies it.
"""
import pytest
from django.core.exceptions import ValidationError

from jianglian.models import AuditEntry
from enterprises import selectors, services
from enterprises.models import Enterprise
from jianglian.choices import Province
from jianglian.errors import NotAllowed
from tests import factories
from tests.gql import gid, run

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


# --- who sees which enterprises ------------------------------------------------------------------------------

def test_unverified_enterprises_are_listed_only_to_their_staff_and_the_secretariat(enterprise_user, secretariat):
    user, verified = enterprise_user
    pending = factories.make_enterprise(staff=[user], verified=False)
    stranger = factories.make_user()
    assert set(selectors.enterprise_list(user=stranger)) == {verified}
    assert set(selectors.enterprise_list(user=user)) == {verified, pending}
    assert pending in selectors.enterprise_list(user=secretariat)


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


# --- registering: a signed-in user, who becomes its staff; the credit code is checked ------------------------

def test_registering_an_enterprise_makes_the_user_its_staff_and_leaves_it_unverified():
    user = factories.make_user()
    enterprise = services.enterprise_register(
        user=user, name="成都蓝星化工有限公司", credit_code=factories.make_credit_code().lower(),
        province=Province.SICHUAN, city="成都",
    )
    assert enterprise.staff.filter(pk=user.pk).exists()
    assert enterprise.verified is False
    assert enterprise.credit_code == enterprise.credit_code.upper()


def test_an_invalid_credit_code_is_a_field_error_and_nothing_is_written():
    user = factories.make_user()
    with pytest.raises(ValidationError) as excinfo:
        services.enterprise_register(
            user=user, name="某公司", credit_code="91350100M000100Y44", province=Province.SICHUAN, city="成都"
        )
    assert "credit_code" in excinfo.value.message_dict
    assert Enterprise.objects.count() == 0


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


# --- updating: its staff -------------------------------------------------------------------------------------

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


# --- verifying: the secretariat only, audited ----------------------------------------------------------------

def test_only_the_secretariat_verifies_and_the_change_is_audited(secretariat, enterprise_user):
    user, _ = enterprise_user
    enterprise = factories.make_enterprise(staff=[user], verified=False)
    with pytest.raises(NotAllowed):
        services.enterprise_verify(user=user, enterprise=enterprise)
    services.enterprise_verify(user=secretariat, enterprise=enterprise)
    enterprise.refresh_from_db()
    assert enterprise.verified and enterprise.verified_by == secretariat
    entry = AuditEntry.objects.get(subject_type="enterprises.enterprise", subject_id=enterprise.pk)
    assert (entry.actor, entry.from_state, entry.to_state) == (secretariat, "unverified", "verified")


def test_the_secretariat_verifies_an_enterprise_through_rest(token_client_for, secretariat):
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


VERIFY = 'mutation($id: ID!) { verifyEnterprise(id: $id) { enterprise { id verified verifiedAt } } }'


def test_the_secretariat_verifies_an_enterprise_through_graphql(roles, enterprise_user):
    _, a = enterprise_user
    Enterprise.objects.filter(pk=a.pk).update(verified=False)
    data = run(VERIFY, {"id": gid("Enterprise", a)}, user=roles["secretariat"]).ok()
    assert data["verifyEnterprise"]["enterprise"]["verified"] is True
    a.refresh_from_db()
    assert a.verified and a.verified_by == roles["secretariat"]


# The declared role (secretariat) is checked before the enterprise is looked up, as REST's 403.
@pytest.mark.parametrize("role, code", [
    ("anonymous", "UNAUTHENTICATED"), ("A", "FORBIDDEN"), ("B", "FORBIDDEN"), ("expert", "FORBIDDEN"),
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


# --- GraphQL updateEnterprise: REST's PATCH, the same rule (its staff or the secretariat) ---------------------

UPDATE = """mutation($id: ID!, $input: UpdateEnterpriseInput!) { updateEnterprise(id: $id, input: $input) {
  enterprise { name city } } }"""


@pytest.mark.parametrize("role, outcome", [
    ("anonymous", "UNAUTHENTICATED"), ("A", "ok"), ("B", "FORBIDDEN"), ("expert", "FORBIDDEN"), ("secretariat", "ok"),
])
def test_update_enterprise_by_role(roles, enterprise_user, role, outcome):
    _, a = enterprise_user

    result = run(UPDATE, {"id": gid("Enterprise", a), "input": {"name": "新名称化工", "city": "宜宾"}}, user=roles[role])

    a.refresh_from_db()
    if outcome == "ok":
        assert result.ok()["updateEnterprise"]["enterprise"] == {"name": "新名称化工", "city": "宜宾"}
        assert (a.name, a.city) == ("新名称化工", "宜宾")
    else:
        assert result.code == outcome
        assert a.name != "新名称化工"


def test_an_unverified_enterprise_is_not_found_by_others_in_both_apis(roles, enterprise_user, token_client_for):
    _, a = enterprise_user
    Enterprise.objects.filter(pk=a.pk).update(verified=False)

    result = run(UPDATE, {"id": gid("Enterprise", a), "input": {"name": "被改名"}}, user=roles["B"])
    response = token_client_for(roles["B"]).patch(detail(a), {"name": "被改名"}, format="json")

    assert (result.code, response.status_code) == ("NOT_FOUND", 404)
    assert Enterprise.objects.get(pk=a.pk).name != "被改名"


def test_update_enterprise_refuses_bad_values_on_the_field(roles, enterprise_user):
    _, a = enterprise_user

    result = run(UPDATE, {"id": gid("Enterprise", a), "input": {"name": ""}}, user=roles["A"])

    assert result.code == "BAD_USER_INPUT" and "name" in result.errors[0]["extensions"]["fields"]
