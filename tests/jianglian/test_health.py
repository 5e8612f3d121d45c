"""/healthz (the process answers) and /readyz (the database, the broker and search answer; 503 names what
failed) for orchestrators. Failures are real ones: a broker port that refuses, a search index that cannot be
read, a registered check that raises."""
import pytest
from django.test import Client

from jianglian import health
from search.backends import reset_backends

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


def test_healthz_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_readyz_reports_each_dependency(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "broker": "ok", "search": "ok"}}


def test_readyz_is_503_naming_an_unreachable_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # a loopback port that refuses
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"] == str(health.RETRY_AFTER_SECONDS)
    body = response.json()
    assert body["status"] == "unavailable" and body["failed"] == ["broker"]
    assert body["checks"]["database"] == "ok" and body["checks"]["broker"].startswith("failed: ")


def test_readyz_is_503_naming_an_unreadable_search_index(client, settings, tmp_path):
    (tmp_path / "not-a-directory").write_text("")
    settings.SEARCH_BACKEND, settings.SEARCH_INDEX_DIR = "embedded", tmp_path / "not-a-directory"
    reset_backends()
    try:
        response = client.get("/readyz")
    finally:
        reset_backends()
    assert response.status_code == 503 and response.json()["failed"] == ["search"]


def test_a_registered_check_that_fails_is_named_and_never_a_500(client):
    def failing():
        raise ConnectionRefusedError("nobody home")

    health.register("ledger", failing)
    try:
        response = client.get("/readyz")
    finally:
        health._checks.pop("ledger")
    assert response.status_code == 503
    assert response.json()["checks"]["ledger"] == "failed: ConnectionRefusedError"
    assert "nobody home" not in response.content.decode()  # the kind of failure, never its details


def test_probes_take_no_writes(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405
