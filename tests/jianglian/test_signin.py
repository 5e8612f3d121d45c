"""Sign-in throttling (django-axes, jianglian/signin.py) on every way in: the REST token endpoint, the web
sign-in and the admin sign-in. Failures are counted per account and per client address; past the limit every
attempt — the right password too — answers 429 with Retry-After and a clear message until the cool-off has
passed since the last attempt."""
import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import Client
from rest_framework.authtoken.models import Token

from jianglian.signin import attempted_username
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"  # factories.make_user's
ATTEMPTS = 25


class Path:
    """One way in: how to try a username and password on it, and how it answers."""

    def __init__(self, name, url, *, json):
        self.name, self.url, self.json = name, url, json

    def attempt(self, username, password, address="127.0.0.1"):
        client = Client()
        if self.json:
            return client.post(self.url, {"username": username, "password": password},
                               content_type="application/json", REMOTE_ADDR=address)
        return client.post(self.url, {"username": username, "password": password}, REMOTE_ADDR=address)

    def signed_in(self, response) -> bool:
        if self.json:
            return response.status_code == 200 and "token" in response.json()
        return response.status_code == 302 and response.wsgi_request.user.is_authenticated

    def refused_as_wrong(self, response) -> bool:
        """A plain wrong-password answer: the form again (200) or the API's 400."""
        return response.status_code == (400 if self.json else 200) and not self.signed_in(response)

    def __repr__(self):
        return self.name


PATHS = [
    Path("token", "/api/v1/auth/token/", json=True),
    Path("web", "/accounts/login/", json=False),
    Path("admin", "/admin/login/", json=False),
]


def assert_locked(path, response):
    assert response.status_code == 429
    assert response["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if path.json:
        body = response.json()
        assert body["code"] == "locked_out" and body["errors"] == {}
        assert f"{minutes} 分钟后再试" in body["detail"]
    else:
        assert f"{minutes} 分钟后再试" in response.content.decode()


def the_lock_ends():
    """As if the cool-off had passed since every recorded failure."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME)


@pytest.fixture
def staff_user():
    """An account that may use every way in (the admin only lets staff in)."""
    return factories.make_user("zhangsan", is_staff=True)


@pytest.mark.parametrize("path", PATHS, ids=repr)
def test_wrong_passwords_from_one_address_lock_the_account_until_the_cool_off_ends(path, staff_user):
    answers = [path.attempt("zhangsan", f"wrong-{n}") for n in range(ATTEMPTS)]

    limit = settings.AXES_FAILURE_LIMIT
    assert all(path.refused_as_wrong(a) for a in answers[:limit - 1])
    for answer in answers[limit - 1:]:
        assert_locked(path, answer)
    # the right password is refused while the lock lasts, and each refusal restarts the cool-off
    assert_locked(path, path.attempt("zhangsan", PASSWORD))
    assert not Token.objects.exists()

    the_lock_ends()
    assert path.signed_in(path.attempt("zhangsan", PASSWORD))
    assert not AccessAttempt.objects.filter(username="zhangsan").exists()  # success clears the count


@pytest.mark.parametrize("path", PATHS, ids=repr)
def test_wrong_passwords_from_many_addresses_lock_the_account(path, staff_user):
    answers = [path.attempt("zhangsan", "wrong", address=f"10.0.{n}.1") for n in range(ATTEMPTS)]

    assert answers[-1].status_code == 429
    assert sum(a.status_code == 429 for a in answers) == ATTEMPTS - settings.AXES_FAILURE_LIMIT + 1
    # locked by account: the right password from an address never seen before is refused too
    assert_locked(path, path.attempt("zhangsan", PASSWORD, address="192.0.2.99"))

    the_lock_ends()
    assert path.signed_in(path.attempt("zhangsan", PASSWORD, address="192.0.2.99"))


@pytest.mark.parametrize("path", PATHS, ids=repr)
def test_many_accounts_tried_from_one_address_lock_the_address(path, staff_user):
    answers = [path.attempt(f"guess-{n}", "wrong", address="198.51.100.7") for n in range(ATTEMPTS)]

    assert answers[-1].status_code == 429
    # locked by address: even a real account's right password is refused from there, and works from elsewhere
    assert_locked(path, path.attempt("zhangsan", PASSWORD, address="198.51.100.7"))
    assert path.signed_in(path.attempt("zhangsan", PASSWORD, address="198.51.100.8"))


def test_below_the_limit_a_success_clears_the_failures(staff_user):
    web = PATHS[1]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        web.attempt("zhangsan", "wrong")
    assert web.signed_in(web.attempt("zhangsan", PASSWORD))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert web.refused_as_wrong(web.attempt("zhangsan", "wrong"))


def test_the_locked_sign_in_page_says_why_in_english_too(staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = Client().post("/accounts/login/", {"username": "zhangsan", "password": "wrong"},
                                 HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()


@pytest.mark.parametrize("path", PATHS, ids=repr)
def test_a_nul_or_an_overlong_username_is_a_wrong_sign_in_not_a_server_error(path):
    assert path.refused_as_wrong(path.attempt("zhang\x00san", "wrong"))  # the form refuses it before authenticate
    assert path.refused_as_wrong(path.attempt("z" * 300, "wrong"))
    assert AccessAttempt.objects.get().username == "z" * 255  # counted, cut to what the table holds
    assert attempted_username(None, {"username": "zhang\x00san"}) == "zhangsan"


@pytest.mark.parametrize("forwarded, proxies, counted", [
    ("203.0.113.5", 0, "127.0.0.1"),  # no proxy of ours: the header is the client's word, never read
    ("203.0.113.5", 1, "203.0.113.5"),  # behind one proxy: what it saw
    ("6.6.6.6, 203.0.113.5", 1, "203.0.113.5"),  # a forged entry to the left is ignored
    ("not-an-address", 1, "127.0.0.1"),  # garbage: the connection's own address
])
def test_the_client_address_behind_our_own_proxies(settings, forwarded, proxies, counted):
    settings.TRUSTED_PROXY_COUNT = proxies
    Client().post("/accounts/login/", {"username": "nobody", "password": "wrong"}, HTTP_X_FORWARDED_FOR=forwarded)
    assert AccessAttempt.objects.get().ip_address == counted
