"""Fixtures shared by every test package: one user per role and API clients signed in as them."""
import pytest
from rest_framework.test import APIClient

from tests import factories


@pytest.fixture
def secretariat(db):
    return factories.make_secretariat()


@pytest.fixture
def enterprise_user(db):
    """(user, enterprise) — staff of a verified enterprise A."""
    return factories.make_enterprise_user()


@pytest.fixture
def other_enterprise_user(db):
    """(user, enterprise) — staff of another verified enterprise B."""
    return factories.make_enterprise_user()


@pytest.fixture
def expert_user(db):
    """(user, expert) — a signed-up expert."""
    return factories.make_expert_user()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def client_for():
    """client_for(user) → an APIClient authenticated as `user` (None: anonymous)."""

    def build(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return build


@pytest.fixture
def token_client_for():
    """token_client_for(user) → an APIClient sending `Authorization: Token …` (None: anonymous).

    Unlike force_authenticate, every request loads the user afresh, as in production, so per-request
    role caches never leak between requests and query counts are those a real client causes.
    """
    from rest_framework.authtoken.models import Token

    def build(user=None):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return build


@pytest.fixture(autouse=True)
def _forget_cached_taxonomy():
    """The matching engine caches the skill taxonomy per process; skills of a test are rolled back or flushed
    after it (no signal fires), so the cache must not outlive the test (stale skill ids break the next one)."""
    yield
    from matching.engine.taxonomy import forget_taxonomy

    forget_taxonomy()


@pytest.fixture(autouse=True, scope="session")
def _celery_tasks_imported():
    """Every app's task module imported up front, as a worker does at start. A shared task first imported
    inside celery.contrib.testing's setup_default_app (a live-worker test) would lose its registration
    hook when that context restores the finalizers, and later apps would not know the task."""
    from jianglian.celery import app

    app.loader.import_default_modules()


@pytest.fixture(autouse=True)
def _celery_app_put_back():
    """A test that makes another Celery app current or default (a live worker's, on Redis) must put the
    project's app back: threads that set none (a live server's) use the default app, so a leaked one sends
    later tests' tasks to a broker nobody reads instead of running them eagerly."""
    yield
    from celery import _state

    from jianglian.celery import app

    leaked = {"current": _state.get_current_app(), "default": _state.default_app}
    leaked = {role: other for role, other in leaked.items() if other is not app}
    if leaked:
        app.set_current()
        app.set_default()
        pytest.fail(f"the test left another Celery app {leaked} in place of jianglian.celery.app")


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    """The locmem SMS backend's outbox (jianglian.sms.outbox) starts empty in every test, as Django's mail.outbox."""
    from jianglian import sms

    sms.outbox.clear()
    yield
    sms.outbox.clear()
