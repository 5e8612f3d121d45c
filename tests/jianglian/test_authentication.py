"""A token that is not 40 hexadecimal characters is 401 before the database is asked (REST and GraphQL).

On PostgreSQL a NUL in the key used to reach the token lookup and answer 500 ("A string literal cannot
contain NUL characters"); these run on both databases. Page inputs go through form fields: the skill
picker's `?q=` with a NUL or past its length is a 400 with the field's message.
"""
import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.gql import GQLResult

pytestmark = pytest.mark.django_db

BAD_KEYS = [
    "a\x00b", "\x00" * 40, "0" * 39, "0" * 41, "g" * 40, "ABCDEF0123" * 4, "0" * 39 + "\x00", "键".encode().decode("latin-1") * 40,
    "\xff" * 40,  # as WSGI hands over raw bytes
    "0" * 20 + " " + "0" * 19, "0" * 4000,
]


def client_with(header):
    client = APIClient()
    client.raise_request_exception = False
    client.credentials(HTTP_AUTHORIZATION=header)
    return client


@pytest.mark.parametrize("key", BAD_KEYS)
def test_rest_refuses_a_malformed_token_with_401(key):
    response = client_with(f"Token {key}").get("/api/v1/challenges/")
    assert response.status_code == 401, response.content
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.parametrize("key", BAD_KEYS)
def test_graphql_refuses_a_malformed_token_with_401(key):
    client = client_with(f"Token {key}")
    response = client.post("/graphql/api/", {"query": "{ __typename }"}, format="json")
    assert response.status_code == 401
    assert GQLResult(response).codes == ["UNAUTHENTICATED"]


def test_a_well_formed_unknown_token_is_401_and_a_real_one_works():
    user = factories.make_user()
    from rest_framework.authtoken.models import Token

    key = Token.objects.create(user=user).key
    assert client_with(f"Token {'0' * 40}").get("/api/v1/pairings/").status_code == 401
    assert client_with(f"Token {key}").get("/api/v1/pairings/").status_code == 200


@pytest.mark.parametrize("q, status", [("精馏", 200), ("a\x00b", 400), ("x" * 65, 400), ("", 200)])
def test_the_skill_picker_reads_its_query_through_a_form_field(client, q, status):
    factories.make_skill(name="精馏节能", code="distillation-x")
    response = client.get("/skills/suggest/", {"q": q})
    assert response.status_code == status
    if status == 400:
        assert response.json()["errors"]["q"]
    elif q:
        assert [r["code"] for r in response.json()["results"]] == ["distillation-x"]


def test_the_skill_picker_with_an_encoded_nul_is_a_400(client):
    assert client.get("/skills/suggest/?q=a%00b").status_code == 400
