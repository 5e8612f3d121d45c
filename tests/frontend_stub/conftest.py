"""Fixtures of the web page tests: Django test clients signed in as each role, and ranked matches."""
import pytest
from django.test import Client
from django.utils import timezone

from matching.models import Match
from tests import factories


@pytest.fixture
def web():
    """web(user=None) → a django.test.Client, signed in as `user` when given."""

    def build(user=None):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return build


def store_matches(challenge, experts=(), studios=()):
    """Stored ranking rows as the engine writes them (rank order = argument order), for display tests."""
    rows = []
    for kind, targets in (("expert", experts), ("studio", studios)):
        for rank, target in enumerate(targets, start=1):
            rows.append(Match(
                challenge=challenge, kind=kind, rank=rank, score=round(1.0 - rank / 10, 3),
                expert=target if kind == "expert" else None, studio=target if kind == "studio" else None,
                breakdown=[
                    {"signal": "skill", "weight": 0.5, "value": 0.9,
                     "explanation": {"zh-hans": f"掌握所需技能：精馏节能（第{rank}名）", "en": f"Has the skill (#{rank})"}},
                    {"signal": "region", "weight": 0.2, "value": 1.0,
                     "explanation": {"zh-hans": "同城：成都", "en": "Same city: Chengdu"}},
                ],
                algorithm_version="test", computed_at=timezone.now(),
            ))
    Match.objects.bulk_create(rows)
    return rows


@pytest.fixture
def ranked_challenge(enterprise_user):
    """(challenge, [expert1, expert2]) — an open challenge of enterprise_user's enterprise with two ranked experts."""
    user, enterprise = enterprise_user
    skill = factories.make_skill(name="精馏节能")
    experts = [factories.make_expert_user(skills=[skill])[1] for _ in range(2)]
    challenge = factories.make_challenge(enterprise=enterprise, skills=[skill])
    store_matches(challenge, experts=experts)
    return challenge, experts


@pytest.fixture
def catalog_index(tmp_path, settings):
    """reindex() → rebuild this test's own embedded search index from the database (experts, studios)."""
    from search.backends import reset_backends
    from search.sync import rebuild

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    settings.SEARCH_BACKEND = "embedded"
    reset_backends()

    def reindex():
        rebuild(["expert", "studio"])

    yield reindex
    reset_backends()


@pytest.fixture
def unreachable_search(settings):
    """The search backend made unavailable for real: Elasticsearch at a loopback port that refuses connections
    (port 9), with no embedded index kept to fall back on, so every search raises SearchUnavailable."""
    from search.backends import reset_backends

    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.SEARCH_KEEP_EMBEDDED = False
    reset_backends()
    yield
    reset_backends()
