"""Clients that just work (issue 15): a Python client generated from docs/openapi.json and a GraphQL client
(`gql` with docs/schema.graphql) each run the whole journey against a live server.

The journey: a token, post and publish a challenge, read its matches with their reasons, propose a pairing,
the expert accepts and both sign, read the agreement, search. The Python client is generated once per session
(openapi-python-client, pinned in the test extra, configured by clients/python/openapi-python-client.yaml)
into a temporary directory; every one of its modules must import. `gql` validates each document against the
exported SDL before it sends anything. Both files are checked current by test_openapi_export.py and
test_graphql_security.py. CI also installs the generated package with pip and type-checks the TypeScript
client (.ci/run, clients/typescript/).
"""
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from experts.models import Skill
from tests import factories
from tests.frontend_stub.browser_world import PASSWORD, forget_cached_taxonomy, matching_world  # noqa: F401

BASE = Path(settings.BASE_DIR)
OPENAPI = BASE / "docs" / "openapi.json"
SDL = BASE / "docs" / "schema.graphql"
GENERATOR_CONFIG = BASE / "clients" / "python" / "openapi-python-client.yaml"
PACKAGE = "jianglian_api_client"  # from the document's title, "Jianglian API"

DISTILLATION_BIO = "主持完成精馏塔节能改造，热泵精馏项目年节约蒸汽两万吨，擅长精馏塔操作优化。"


@pytest.fixture(scope="session")
def generated_client(tmp_path_factory):
    """The package openapi-python-client generates from docs/openapi.json, importable (on sys.path)."""
    try:
        importlib.import_module("openapi_python_client")
    except ImportError:
        pytest.skip("openapi-python-client is not installed: pip install -e '.[test]' (CI installs it)")
    out = tmp_path_factory.mktemp("python-client") / "jianglian-api-client"
    run = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(OPENAPI),
         "--config", str(GENERATOR_CONFIG), "--output-path", str(out), "--fail-on-warning"],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert (out / PACKAGE).is_dir(), sorted(path.name for path in out.iterdir())
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def test_every_module_of_the_generated_python_client_imports(generated_client):
    names = [info.name for info in pkgutil.walk_packages(generated_client.__path__, PACKAGE + ".")]
    failures = {}
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - every failure is reported at once
            failures[name] = repr(exc)
    assert failures == {}
    # one module per operation, under its tag
    assert {f"{PACKAGE}.api.challenges.publish_challenge", f"{PACKAGE}.api.pairings.sign_pairing",
            f"{PACKAGE}.api.search.search", f"{PACKAGE}.api.auth.obtain_token"} <= set(names)


@pytest.fixture
def people(matching_world):
    """A verified enterprise's staff and experts with accounts, indexed for matching and search."""
    staff, enterprise = factories.make_enterprise_user(name="成都新材料化工有限公司")
    distillation = Skill.objects.get(code="distillation")
    seals = Skill.objects.get(code="pumps-seals")
    wang_user, wang = factories.make_expert_user(name="王强", bio=DISTILLATION_BIO, skills=[distillation])
    factories.make_expert_user(name="李明", bio="精馏装置操作与开停车。", skills=[distillation],
                               province="jiangsu", city="南京")
    factories.make_expert_user(name="赵刚", bio="长期从事化工动设备检修，擅长机械密封选型与改进。", skills=[seals])
    matching_world()
    return {"staff": staff, "enterprise": enterprise, "wang_user": wang_user, "wang": wang}


CHALLENGE = {
    "title": "精馏塔蒸汽单耗偏高",
    "description": "每生产一吨产品消耗近两吨蒸汽，精馏塔回流比偏大，希望通过热泵精馏等手段降低能耗。",
}


# --- the generated Python client -----------------------------------------------------------------------------

def answered(result, model):
    """The parsed answer, or a failure that shows the error body the API sent."""
    assert isinstance(result, model), f"expected {model.__name__}, got {result!r}"
    return result


@pytest.mark.django_db(transaction=True)
def test_the_journey_with_the_generated_python_client(generated_client, live_server, people):
    from jianglian_api_client import AuthenticatedClient, Client
    from jianglian_api_client.api.auth import obtain_token
    from jianglian_api_client.api.challenges import create_challenge, list_challenge_matches, publish_challenge
    from jianglian_api_client.api.pairings import accept_pairing, create_pairing, get_pairing, sign_pairing
    from jianglian_api_client.api.search import search
    from jianglian_api_client.api.skills import list_skills
    from jianglian_api_client.models import (
        AuthToken, AuthTokenRequest, CategoryEnum, Challenge, ChallengeCreateRequest, ChallengeStatusEnum, Error,
        MatchKindEnum, PaginatedMatchList, PaginatedSkillList, Pairing, PairingNoteRequest, PairingProposeRequest,
        PairingStatusEnum, ProvinceEnum, SearchResponse, SearchTypeEnum,
    )

    def signed_in(username):
        with Client(base_url=live_server.url) as anonymous:
            token = answered(obtain_token.sync(client=anonymous, body=AuthTokenRequest(username, PASSWORD)), AuthToken)
        return AuthenticatedClient(base_url=live_server.url, token=token.token, prefix="Token")

    # a wrong password is the error shape, parsed
    with Client(base_url=live_server.url) as anonymous:
        refused = obtain_token.sync_detailed(client=anonymous, body=AuthTokenRequest(people["staff"].username, "wrong"))
    assert refused.status_code == 400 and isinstance(refused.parsed, Error) and refused.parsed.code

    with signed_in(people["staff"].username) as staff, signed_in(people["wang_user"].username) as wang:
        skill = answered(list_skills.sync(client=staff, code="distillation"), PaginatedSkillList).results[0]
        draft = answered(create_challenge.sync(client=staff, body=ChallengeCreateRequest(
            **CHALLENGE, category=CategoryEnum.GREEN, skills=[skill.id], preferred_province=ProvinceEnum.SICHUAN,
        )), Challenge)
        assert draft.status == ChallengeStatusEnum.DRAFT and draft.enterprise.id == people["enterprise"].pk

        published = answered(publish_challenge.sync(draft.id, client=staff), Challenge)
        assert published.status == ChallengeStatusEnum.OPEN

        matches = answered(list_challenge_matches.sync(draft.id, client=staff, type_=MatchKindEnum.EXPERT),
                           PaginatedMatchList)
        first = matches.results[0]
        assert first.rank == 1 and first.expert.name == "王强"
        assert first.reasons and all(reason.explanation for reason in first.reasons)
        assert {reason.signal for reason in first.reasons} >= {"skill"}

        proposed = answered(create_pairing.sync(client=staff, body=PairingProposeRequest(
            challenge=draft.id, expert=first.expert.id, message="请王师傅来看看我们的精馏塔。")), Pairing)
        assert proposed.status == PairingStatusEnum.PROPOSED

        accepted = answered(accept_pairing.sync(proposed.id, client=wang, body=PairingNoteRequest(note="乐意。")),
                            Pairing)
        assert accepted.status == PairingStatusEnum.ACCEPTED
        answered(sign_pairing.sync(proposed.id, client=wang), Pairing)
        signed = answered(sign_pairing.sync(proposed.id, client=staff), Pairing)
        assert signed.status == PairingStatusEnum.ACTIVE

        agreement = answered(get_pairing.sync(proposed.id, client=wang), Pairing)
        assert agreement.status == PairingStatusEnum.ACTIVE
        assert agreement.challenge.id == draft.id and agreement.expert.name == "王强"

        found = answered(search.sync(client=staff, q="精馏节能", type_=SearchTypeEnum.EXPERT), SearchResponse)
        assert found.count >= 1 and found.results[0].id == people["wang"].pk


# --- gql with the exported SDL ---------------------------------------------------------------------------------

def gql_client(url, token=None):
    """A gql Client on `url` that validates every document against docs/schema.graphql before sending it."""
    from gql import Client
    from gql.transport.httpx import HTTPXTransport

    headers = {"Authorization": f"Token {token}"} if token else {}
    return Client(schema=SDL.read_text(encoding="utf-8"),
                  transport=HTTPXTransport(url=url, headers=headers, timeout=60))


def rest_token(live_server, username):
    import httpx

    answer = httpx.post(f"{live_server.url}/api/v1/auth/token/", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


@pytest.mark.django_db(transaction=True)
def test_the_journey_with_gql_and_the_exported_sdl(live_server, people):
    from gql import gql

    url = f"{live_server.url}/graphql/api/"
    staff = gql_client(url, rest_token(live_server, people["staff"].username))
    wang = gql_client(url, rest_token(live_server, people["wang_user"].username))

    enterprise = staff.execute(gql("{ myEnterprises { id name } }"))["myEnterprises"][0]
    skill = staff.execute(gql('{ skills(code: "distillation") { edges { node { id } } } }'))
    skill_id = skill["skills"]["edges"][0]["node"]["id"]
    created = staff.execute(gql("""
        mutation($input: CreateChallengeInput!) { createChallenge(input: $input) { challenge { id status } } }
    """), variable_values={"input": {**CHALLENGE, "category": "GREEN", "skills": [skill_id],
                                     "preferredProvince": "SICHUAN", "enterprise": enterprise["id"]}})
    challenge = created["createChallenge"]["challenge"]
    assert challenge["status"] == "DRAFT"

    published = staff.execute(gql("mutation($id: ID!) { publishChallenge(id: $id) { challenge { status } } }"),
                              variable_values={"id": challenge["id"]})
    assert published["publishChallenge"]["challenge"]["status"] == "OPEN"

    matches = staff.execute(gql("""
        query($challenge: ID!) {
          challengeMatches(challenge: $challenge, type: EXPERT) {
            rank score expert { id name } reasons { signal weight value explanation }
          }
        }
    """), variable_values={"challenge": challenge["id"]})["challengeMatches"]
    first = matches[0]
    assert first["rank"] == 1 and first["expert"]["name"] == "王强"
    assert first["reasons"] and all(reason["explanation"] for reason in first["reasons"])

    proposed = staff.execute(gql("""
        mutation($challenge: ID!, $expert: ID!) {
          proposePairing(challenge: $challenge, expert: $expert, message: "请王师傅来看看我们的精馏塔。") {
            pairing { id status }
          }
        }
    """), variable_values={"challenge": challenge["id"], "expert": first["expert"]["id"]})["proposePairing"]["pairing"]
    assert proposed["status"] == "PROPOSED"

    accepted = wang.execute(gql("""
        mutation($id: ID!) { respondToPairing(id: $id, accept: true, note: "乐意。") { pairing { status } } }
    """), variable_values={"id": proposed["id"]})
    assert accepted["respondToPairing"]["pairing"]["status"] == "ACCEPTED"
    sign = gql("mutation($id: ID!) { signPairing(id: $id) { pairing { status } } }")
    wang.execute(sign, variable_values={"id": proposed["id"]})
    signed = staff.execute(sign, variable_values={"id": proposed["id"]})
    assert signed["signPairing"]["pairing"]["status"] == "ACTIVE"

    agreement = wang.execute(gql("""
        query($id: ID!) {
          node(id: $id) { ... on Pairing { status expertSignedAt enterpriseSignedAt challenge { title } expert { name } } }
        }
    """), variable_values={"id": proposed["id"]})["node"]
    assert agreement["status"] == "ACTIVE" and agreement["expertSignedAt"] and agreement["enterpriseSignedAt"]
    assert agreement["challenge"]["title"] == CHALLENGE["title"] and agreement["expert"]["name"] == "王强"

    found = staff.execute(gql("""
        { search(query: "精馏节能", types: [EXPERT]) { totalCount edges { node { expert { name } } } } }
    """))["search"]
    assert found["totalCount"] >= 1 and found["edges"][0]["node"]["expert"]["name"] == "王强"


def test_gql_refuses_a_document_that_does_not_fit_the_schema_before_sending_it():
    from gql import gql
    from graphql import GraphQLError

    # Port 9 on the loopback refuses connections: a document that reached the transport would fail to connect.
    offline = gql_client("http://127.0.0.1:9/graphql/api/")
    with pytest.raises(GraphQLError, match="nope"):
        offline.execute(gql("{ challenges(first: 1) { edges { node { nope } } } }"))
    with pytest.raises(GraphQLError, match="notAnArgument"):
        offline.execute(gql('{ skills(notAnArgument: "x") { totalCount } }'))
