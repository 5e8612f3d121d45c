"""The REST API honours its OpenAPI contract (schemathesis, in-process over WSGI).

For every documented operation, generated requests — as an anonymous caller and as a signed-in
enterprise user with a token — never cause a server error, and every answer (status code, content
type, body) matches the schema, errors included. Examples are bounded so the run stays short.

CONTRACT_EXAMPLES=<n> (environment) generates n examples per operation instead of CI's few, e.g.
`CONTRACT_EXAMPLES=300 pytest tests/jianglian/test_api_contract.py tests/jianglian/test_graphql_contract.py`
(also against PostgreSQL with DATABASE_URL) before changing what the API accepts; 200 take about 20 minutes
for both files here. Generation stays derandomized, so a larger n explores further along the same sequence.
"""
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.checks import (
    content_type_conformance, not_a_server_error, response_schema_conformance, status_code_conformance,
)

from enterprises.models import Challenge
from jianglian.choices import Category, Honour
from tests import factories

# The coverage phase enumerates every boundary case of every operation (minutes); the examples and
# a bounded number of generated cases per operation keep the run short.
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def seeded(db):
    """A small catalog: skills, studios with leads and members, experts, enterprises and challenges."""
    skills = [factories.make_skill(category=c) for c in (Category.TECHNOLOGY, Category.MANAGEMENT, Category.GREEN)]
    for i in range(2):
        lead = factories.make_expert(skills=skills[:2], honours=[Honour.GREAT_CRAFTSMAN])
        studio = factories.make_studio(lead=lead, skills=skills)
        factories.make_expert(studio=studio, skills=skills[2:])
    user, enterprise = factories.make_enterprise_user()
    factories.make_challenge(enterprise=enterprise, skills=skills[:1])
    factories.make_challenge(enterprise=enterprise, status=Challenge.Status.DRAFT)
    factories.make_enterprise(verified=False)
    return user


@pytest.fixture
def wsgi_app(db):
    """The real WSGI application, inside the test's transaction.

    Like Django's test client, keep the request signals from closing the connection after each
    request: on PostgreSQL that would end the test transaction (SQLite's in-memory test DB ignores it).
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(seeded, wsgi_app):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, config=CONFIG)


schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=r"^/api/v1/")


@pytest.fixture
def token_headers(seeded):
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=seeded)
    return {"Authorization": f"Token {token.key}"}


def max_examples(default: int) -> int:
    """Examples per operation: `default` (what CI runs) unless CONTRACT_EXAMPLES asks for more."""
    return int(os.environ.get("CONTRACT_EXAMPLES") or default)


bounded = settings(
    max_examples=max_examples(5), deadline=None, database=None, derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@bounded
def test_the_api_honours_its_contract_for_anonymous_callers(case):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@bounded
def test_the_api_honours_its_contract_for_a_token_user(case, token_headers):
    case.call_and_validate(headers=token_headers, checks=CHECKS)
