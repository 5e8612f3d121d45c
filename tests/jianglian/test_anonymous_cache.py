"""The anonymous API read cache (jianglian/api/anonymous_cache.py): the same public answer from the cache, a fresh
one after any committed write or search index update, never for a signed-in caller, never an error when the cache
is down."""
import pytest
from django.test import Client

from experts.models import Expert
from jianglian.api import anonymous_cache
from search import sync
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)  # the generation moves when a write commits


@pytest.fixture(autouse=True)
def cache_on(settings):
    from django.core.cache import cache

    settings.API_ANONYMOUS_CACHE_SECONDS = 60
    cache.clear()
    yield
    from django.core.cache import caches

    if "127.0.0.1:9/" not in str(caches.settings["default"].get("LOCATION", "")):
        cache.clear()


@pytest.fixture
def expert():
    return factories.make_expert(name="张建国")


def get(client, url, **headers):
    return client.get(url, HTTP_ACCEPT="application/json", **headers)


def test_the_second_anonymous_read_is_the_cached_answer_without_sql(expert, django_assert_num_queries):
    client = Client()
    first = get(client, "/api/v1/experts/")
    assert first.status_code == 200 and first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = get(client, "/api/v1/experts/")
    assert second["X-Cache"] == "hit" and second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_committed_write_makes_the_next_read_fresh(expert):
    client = Client()
    get(client, f"/api/v1/experts/{expert.pk}/")
    assert get(client, f"/api/v1/experts/{expert.pk}/")["X-Cache"] == "hit"
    expert.name = "张建华"
    expert.save()
    fresh = get(client, f"/api/v1/experts/{expert.pk}/")
    assert fresh["X-Cache"] == "miss" and fresh.json()["name"] == "张建华"


def test_a_search_index_update_makes_the_next_search_fresh(expert):
    client = Client()
    url = "/api/v1/search/?q=%E5%BC%A0&type=expert"
    get(client, url)
    assert get(client, url)["X-Cache"] == "hit"
    sync.apply_update("expert", [expert.pk])
    assert get(client, url)["X-Cache"] == "miss"


def test_signed_in_callers_are_never_served_from_it(expert, token_client_for, enterprise_user):
    Client().get("/api/v1/experts/", HTTP_ACCEPT="application/json")
    token_client = token_client_for(enterprise_user[0])
    assert "X-Cache" not in token_client.get("/api/v1/experts/")
    session = Client()
    session.force_login(enterprise_user[0])
    assert "X-Cache" not in get(session, "/api/v1/experts/")


def test_each_language_has_its_own_answer(expert):
    client = Client()
    chinese = get(client, "/api/v1/experts/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = get(client, "/api/v1/experts/", HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Cache"] == "miss" and chinese["X-Cache"] == "miss"
    assert get(client, "/api/v1/experts/", HTTP_ACCEPT_LANGUAGE="en").content == english.content


def test_errors_and_writes_are_not_cached(expert):
    client = Client()
    assert get(client, "/api/v1/experts/999999/").status_code == 404
    assert "X-Cache" not in get(client, "/api/v1/experts/999999/")
    assert "X-Cache" not in client.post("/api/v1/auth/token/", {"username": "x", "password": "y"})


def test_a_cache_that_cannot_be_reached_is_no_error(expert, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:9/0",  # a loopback port that refuses
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    response = get(Client(), "/api/v1/experts/")
    assert response.status_code == 200 and "X-Cache" not in response
    expert.name = "张建华"
    expert.save()  # the write commits although the generation cannot be bumped
    assert Expert.objects.get(pk=expert.pk).name == "张建华"
    anonymous_cache.data_changed()  # logged, not raised


def test_off_when_no_seconds_are_configured(expert, settings):
    settings.API_ANONYMOUS_CACHE_SECONDS = 0
    assert "X-Cache" not in get(Client(), "/api/v1/experts/")
