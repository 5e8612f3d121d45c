"""Every `next` goes through one helper (frontend_stub.views.common.next_url): a path on this site is followed,
anything else (another host however disguised, a scheme, a bare word) sends the user to their role's workspace.
Never a Location off the host, never a 500, never a URL name looked up."""
import pytest
from django.test import RequestFactory
from django.urls import reverse

from frontend_stub.views.common import next_url, workspace_url
from matching.models import PairingAgreement
from tests import factories

pytestmark = pytest.mark.django_db

# What arrives in request.POST / request.GET after decoding (the test client encodes each value as a form would).
TRICKS = [
    "/\t/evil.example",  # a raw tab: browsers drop it, and "//evil.example" is another host
    "/\n/evil.example",  # a raw newline, likewise
    "/\r\n/evil.example",
    "\t//evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://evil.example/",
    "http://testserver.evil.example/",
    "https:/evil.example",
    "http:\\\\evil.example",
    "%2F%2Fevil.example",  # sent double-encoded: arrives with its percent signs, is no path
    "%2f%5cevil.example",
    " //evil.example",
    "/\x00/evil.example",
    "foo",  # a bare word: Django's redirect() would look it up as a URL name (a 500 after the action ran)
    "web:home",
    "my_agreements",
]
LOCAL = ["/me/agreements/?page=2", "/experts/?q=%E7%B2%BE%E9%A6%8F", "/%2F%2Fevil.example"]  # the last stays here


def request_with(user, **data):
    request = RequestFactory().post("/anywhere/", data)
    request.user = user
    return request


@pytest.mark.parametrize("target", TRICKS)
def test_a_next_that_is_not_a_local_path_leads_to_the_role_workspace(target, enterprise_user):
    user = enterprise_user[0]
    assert next_url(request_with(user, next=target), default="/pairings/1/") == reverse("web:my_challenges")


@pytest.mark.parametrize("target", LOCAL)
def test_a_local_path_is_followed_as_given(target, expert_user):
    assert next_url(request_with(expert_user[0], next=target)) == target


def test_without_a_next_the_page_default_or_else_the_workspace(secretariat, django_user_model):
    assert next_url(request_with(secretariat), default="/pairings/7/") == "/pairings/7/"
    assert next_url(request_with(secretariat)) == reverse("web:secretariat")
    nobody = django_user_model.objects.create_user("no-role")
    assert workspace_url(nobody) == reverse("web:home")


# --- on the pages that redirect ------------------------------------------------------------------------
@pytest.fixture
def proposed():
    parties = factories.make_pairing_parties()
    pairing = factories.make_pairing(challenge=parties.challenge, expert=parties.expert)
    return parties, pairing


@pytest.mark.parametrize("target", TRICKS)
def test_a_pairing_action_runs_and_then_never_leaves_the_site(web, proposed, target):
    parties, pairing = proposed
    response = web(parties.expert_user).post(reverse("web:pairing_action", args=[pairing.pk, "decline"]),
                                             {"note": "忙", "next": target})
    assert response.status_code == 302 and response["Location"] == reverse("web:my_invitations")
    assert PairingAgreement.objects.get(pk=pairing.pk).status == PairingAgreement.Status.DECLINED


def test_a_pairing_action_follows_a_local_next_and_defaults_to_the_agreement(web, proposed):
    parties, pairing = proposed
    client = web(parties.enterprise_user)
    response = client.post(reverse("web:pairing_action", args=[pairing.pk, "withdraw"]), {"next": "/me/agreements/"})
    assert response["Location"] == "/me/agreements/"
    other = factories.make_pairing(challenge=factories.make_challenge(enterprise=parties.enterprise),
                                   expert=factories.make_expert_user()[1])
    response = client.post(reverse("web:pairing_action", args=[other.pk, "withdraw"]))
    assert response["Location"] == reverse("web:pairing", args=[other.pk])


@pytest.mark.parametrize("target", TRICKS)
def test_sign_in_never_sends_off_the_site(web, target):
    factories.make_user("wangwu")
    client = web()
    page = client.get(reverse("web:login"), {"next": target})
    assert page.status_code == 200 and page.context["next"] == ""  # the form does not carry it on
    response = client.post(reverse("web:login"), {"username": "wangwu", "password": "pass-word-123", "next": target})
    assert response.status_code == 302 and response["Location"] == reverse("web:home")  # no role: home


def test_sign_in_follows_a_local_next_or_goes_to_the_role_workspace(web, enterprise_user):
    user = enterprise_user[0]
    response = web().post(reverse("web:login"), {"username": user.username, "password": "pass-word-123",
                                                 "next": "/me/agreements/"})
    assert response["Location"] == "/me/agreements/"
    response = web().post(reverse("web:login"), {"username": user.username, "password": "pass-word-123"})
    assert response["Location"] == reverse("web:my_challenges")


@pytest.mark.parametrize("target", TRICKS)
def test_sign_out_never_sends_off_the_site(web, expert_user, target):
    response = web(expert_user[0]).post(reverse("web:logout"), {"next": target})
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
