"""A retried create is safe: `Idempotency-Key` on REST creates, `clientMutationId` on GraphQL creates.

Stored per user and key with a fingerprint of the operation and its input: the same request again gets the
first answer (REST: same status and body, `Idempotent-Replayed: true`) and creates nothing; the same key with
another request is refused (REST 422 / GraphQL BAD_REQUEST, reason idempotency_key_reused); a create that
failed stores no key. On PostgreSQL, retries sent at once all get the one answer.
"""
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from enterprises.models import Challenge
from jianglian import tasks
from jianglian.models import IdempotencyKey
from matching.models import PairingAgreement
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db

URL = "/api/v1/challenges/"
NEW = {"title": "反应釜温控波动大", "description": "夹套冷却水温度波动导致批次质量不稳定。", "category": "technology"}


def post(client, data, key):
    return client.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retried_create_answers_the_first_answer_and_creates_nothing(enterprise_user, token_client_for):
    user, enterprise = enterprise_user
    client = token_client_for(user)
    first = post(client, NEW, "create-challenge-7f3a")
    again = post(client, NEW, "create-challenge-7f3a")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert Challenge.objects.filter(enterprise=enterprise).count() == 1


def test_the_same_key_with_another_body_is_refused_clearly(enterprise_user, token_client_for):
    user, enterprise = enterprise_user
    client = token_client_for(user)
    assert post(client, NEW, "k-1").status_code == 201
    refused = post(client, {**NEW, "title": "另一个需求"}, "k-1")
    assert refused.status_code == 422
    assert refused.json()["code"] == "idempotency_key_reused"
    assert Challenge.objects.filter(enterprise=enterprise).count() == 1


def test_a_failed_create_stores_no_key(enterprise_user, token_client_for):
    user, enterprise = enterprise_user
    client = token_client_for(user)
    assert post(client, {**NEW, "category": "nonsense"}, "k-2").status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert post(client, NEW, "k-2").status_code == 201


def test_keys_belong_to_their_user(enterprise_user, other_enterprise_user, token_client_for):
    assert post(token_client_for(enterprise_user[0]), NEW, "shared").status_code == 201
    assert post(token_client_for(other_enterprise_user[0]), NEW, "shared").status_code == 201
    assert Challenge.objects.count() == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "带中文的键", "a b"])
def test_a_malformed_key_is_a_field_error(enterprise_user, token_client_for, key):
    response = post(token_client_for(enterprise_user[0]), NEW, key.encode().decode("latin-1"))
    assert response.status_code == 400
    assert "idempotency_key" in response.json()["errors"]
    assert not Challenge.objects.exists()


def test_a_retried_proposal_is_the_same_proposal(token_client_for):
    parties = factories.make_pairing_parties()
    client = token_client_for(parties.enterprise_user)
    body = {"challenge": parties.challenge.pk, "expert": parties.expert.pk, "message": "盼回复"}
    first = client.post("/api/v1/pairings/", body, format="json", HTTP_IDEMPOTENCY_KEY="propose-1")
    again = client.post("/api/v1/pairings/", body, format="json", HTTP_IDEMPOTENCY_KEY="propose-1")
    assert (first.status_code, again.status_code) == (201, 201)  # without the key, again would be 409
    assert first.json()["id"] == again.json()["id"]
    assert PairingAgreement.objects.count() == 1


def test_the_create_operations_document_the_header():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    create = schema["paths"]["/api/v1/challenges/"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in create.get("parameters", []) if p["in"] == "header"]
    listing = schema["paths"]["/api/v1/challenges/"]["get"]
    assert "Idempotency-Key" not in [p["name"] for p in listing.get("parameters", [])]


CREATE = """mutation($input: CreateChallengeInput!) {
  createChallenge(input: $input) { challenge { id title } clientMutationId } }"""


def test_graphql_client_mutation_id_makes_a_retried_create_safe(enterprise_user):
    user, enterprise = enterprise_user
    fields = {"enterprise": gid("Enterprise", enterprise), "title": "废水COD高", "description": "出水不稳定。",
              "category": "GREEN", "clientMutationId": "gql-1"}
    first = run(CREATE, {"input": fields}, user=user).ok()["createChallenge"]
    again = run(CREATE, {"input": fields}, user=user).ok()["createChallenge"]
    assert first == again
    assert first["clientMutationId"] == "gql-1"  # echoed, as Relay's payloads do
    assert Challenge.objects.filter(enterprise=enterprise).count() == 1
    refused = run(CREATE, {"input": {**fields, "title": "别的"}}, user=user)
    assert refused.code == "BAD_REQUEST"
    assert refused.errors[0]["extensions"]["reason"] == "idempotency_key_reused"
    assert Challenge.objects.filter(enterprise=enterprise).count() == 1


def test_graphql_proposal_with_a_client_mutation_id(token_client_for):
    parties = factories.make_pairing_parties()
    query = """mutation($c: ID!, $e: ID!) { proposePairing(challenge: $c, expert: $e, clientMutationId: "p-1") {
                 pairing { id } } }"""
    variables = {"c": gid("Challenge", parties.challenge), "e": gid("Expert", parties.expert)}
    first = run(query, variables, user=parties.enterprise_user).ok()
    again = run(query, variables, user=parties.enterprise_user).ok()
    assert first == again
    assert PairingAgreement.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                    reason="needs PostgreSQL for concurrent transactions: set DATABASE_URL=postgres://…")
def test_retries_sent_at_once_all_get_the_one_answer():
    for trial in range(5):
        user, enterprise = factories.make_enterprise_user()
        key = Token.objects.get_or_create(user=user)[0].key
        barrier = threading.Barrier(6)
        answers = [None] * 6

        def send(i):
            client = APIClient()
            client.raise_request_exception = False
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            try:
                barrier.wait(timeout=30)
                response = post(client, NEW, f"race-{trial}")
                answers[i] = (response.status_code, response.json().get("id"))
            finally:
                connection.close()

        threads = [threading.Thread(target=send, args=(i,)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert len(set(answers)) == 1 and answers[0][0] == 201, answers
        assert Challenge.objects.filter(enterprise=enterprise).count() == 1


def test_every_graphql_create_takes_a_client_mutation_id(secretariat):
    """registerEnterprise, createOutreachEvent, applyForMembership, publishMembershipBatch: once per id."""
    from alliance.models import MembershipBatch, OutreachEvent
    from enterprises.models import Enterprise

    user = factories.make_user()
    register = """mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) {
                    enterprise { id } } }"""
    fields = {"name": "重试化工有限公司", "creditCode": factories.make_credit_code(), "province": "SICHUAN",
              "city": "成都", "clientMutationId": "reg-1"}
    assert run(register, {"input": fields}, user=user).ok() == run(register, {"input": fields}, user=user).ok()
    assert Enterprise.objects.filter(name="重试化工有限公司").count() == 1

    event = """mutation($input: OutreachEventInput!) { createOutreachEvent(input: $input) { event { id } } }"""
    fields = {"title": "进校园", "school": "四川化工职业技术学院", "province": "SICHUAN", "city": "泸州",
              "startsAt": "2030-05-01T09:00:00+08:00", "format": "LECTURE", "topic": "精馏节能",
              "clientMutationId": "event-1"}
    assert run(event, {"input": fields}, user=secretariat).ok() == run(event, {"input": fields}, user=secretariat).ok()
    assert OutreachEvent.objects.count() == 1

    lead_user, lead = factories.make_expert_user()
    studio = factories.make_studio(lead=lead)
    apply = """mutation($s: ID!) { applyForMembership(studio: $s, statement: "申请", clientMutationId: "apply-1") {
                 application { id } } }"""
    first = run(apply, {"s": gid("Studio", studio)}, user=lead_user).ok()
    assert run(apply, {"s": gid("Studio", studio)}, user=lead_user).ok() == first  # no 409 application_pending
    from alliance import services as alliance_services
    from alliance.models import MembershipApplication

    application = alliance_services.membership_review(
        user=secretariat, application=MembershipApplication.objects.get(), decision="approve")
    publish = """mutation($ids: [ID!]!) { publishMembershipBatch(name: "第二批", applicationIds: $ids,
                   clientMutationId: "batch-1") { batch { id number } } }"""
    ids = [gid("MembershipApplication", application)]
    assert run(publish, {"ids": ids}, user=secretariat).ok() == run(publish, {"ids": ids}, user=secretariat).ok()
    assert MembershipBatch.objects.count() == 1


# --- keys are remembered for a day, then forgotten --------------------------------------------------------------

def test_keys_past_their_keeping_time_are_purged_and_the_key_is_free_again(enterprise_user, token_client_for):
    user, enterprise = enterprise_user
    client = token_client_for(user)
    assert post(client, NEW, "old-key").status_code == 201
    assert post(client, NEW, "fresh-key").status_code == 201
    day_and_a_bit = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_KEEP_HOURS, minutes=1)
    IdempotencyKey.objects.filter(key="old-key").update(created_at=day_and_a_bit)

    assert tasks.purge_idempotency_keys.delay().get() == 1

    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh-key"]
    again = post(client, NEW, "old-key")
    assert again.status_code == 201 and not again.has_header("Idempotent-Replayed")
    assert Challenge.objects.filter(enterprise=enterprise).count() == 3


def test_the_purge_runs_on_the_beat_schedule():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "jianglian.purge_idempotency_keys" in scheduled


def test_every_mutation_taking_a_client_mutation_id_echoes_it_in_its_payload():
    from jianglian.schema import schema

    graphql_schema = schema.graphql_schema
    takes_id = []
    for name, field in graphql_schema.mutation_type.fields.items():
        arguments = dict(field.args)
        inputs = [getattr(argument.type, "of_type", argument.type) for argument in arguments.values()]
        input_fields = {key for input_type in inputs for key in getattr(input_type, "fields", {})}
        if "clientMutationId" in arguments or "clientMutationId" in input_fields:
            takes_id.append(name)
            payload = getattr(field.type, "of_type", field.type)
            assert "clientMutationId" in payload.fields, name
    assert {"createChallenge", "proposePairing", "registerEnterprise"} <= set(takes_id)
