"""Inviting an expert who has no account (issue 12 §1: matching.pairings.invitations, the page /i/<token>/).

Given an enterprise with an open challenge and a catalog entry nobody has claimed (it has an e-mail address and a
mobile number), the enterprise proposes a pairing as to anyone. The expert gets a one-time link through the
entry's channels; the link opens the invitation on a phone-sized page where, in one visit, the expert opens the
account of their catalog entry and accepts or declines. The link works once, only while the invitation waits
(it expires with the proposal), only for that expert: never for another signed-in user, nor once the entry was
claimed by someone else; and the page says which of these happened.
"""
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from experts.models import Expert
from experts.services import expert_claim, expert_claim_token
from jianglian.errors import DomainError
from jianglian.models import AuditEntry
from matching.models import PairingAgreement, PairingInvitationLink, ResponseChannel
from matching.pairings import invitations, services
from tests import factories

pytestmark = pytest.mark.django_db

Status = PairingAgreement.Status
User = get_user_model()
LINK = re.compile(r"https?://[^/\s]+(/i/[^/\s]+/)")


@pytest.fixture
def invited(django_capture_on_commit_callbacks):
    """(parties, the expert without an account, the pairing, the link's path from the e-mail they received)."""
    parties = factories.make_pairing_parties()
    expert = factories.make_expert(name="黎军", email="lijun@example.com", phone="138 0013 8000")
    with django_capture_on_commit_callbacks(execute=True):
        pairing = services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge, expert=expert,
                                           message="想请您帮忙诊断精馏塔能耗。")
    return parties, expert, pairing, link_in(mail.outbox[-1].body)


def link_in(text: str) -> str:
    return LINK.search(text).group(1)


def token_of(path: str) -> str:
    return path.split("/")[2]


def answer(client, path, *, username="lijun", answer="accept", note="乐意效劳"):
    return client.post(path, {"username": username, "password1": "Jianglian-2026!x", "password2": "Jianglian-2026!x",
                              "answer": answer, "note": note})


# --- the link is sent ------------------------------------------------------------------------------------


def test_the_link_goes_by_e_mail_and_sms_to_the_catalog_entrys_channels_once(invited):
    from jianglian import sms
    from jianglian.models import NotificationLog
    from jianglian.notifications import deliver

    parties, expert, pairing, path = invited
    assert [m.to for m in mail.outbox] == [["lijun@example.com"]]
    message = mail.outbox[0]
    assert parties.enterprise.name in message.subject and parties.challenge.title in message.subject
    assert "想请您帮忙诊断精馏塔能耗。" in message.body
    link = PairingInvitationLink.objects.get(pairing=pairing)
    assert link.sent_to == {"email": "lijun@example.com", "sms": "13800138000"} and link.sent_at is not None
    # the text message: one 70-character segment with a short link to the same page
    texts = [m for m in sms.outbox if m.to == "13800138000"]
    assert len(texts) == 1 and texts[0].segments == 1
    short = re.search(r"https?://[^/\s]+(/s/[^/\s]+/)", texts[0].text).group(1)
    assert Client().get(short)["Location"].endswith(path)
    # no inbox for an address without an account; a redelivered task sends nothing again
    rows = NotificationLog.objects.filter(kind="pairing_invitation_link")
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "sms"]
    assert not any(deliver(row.pk) for row in rows)
    assert len(mail.outbox) == 1 and len([m for m in sms.outbox if m.to == "13800138000"]) == 1


def test_an_entry_without_any_channel_gets_a_link_sent_nowhere(django_capture_on_commit_callbacks):
    parties = factories.make_pairing_parties()
    expert = factories.make_expert(email="", phone="028-8888 8888")  # a landline: no SMS
    with django_capture_on_commit_callbacks(execute=True):
        pairing = services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge, expert=expert)
    assert mail.outbox == []
    assert PairingInvitationLink.objects.get(pairing=pairing).sent_to == {}


def test_a_rolled_back_proposal_sends_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    parties = factories.make_pairing_parties()
    expert = factories.make_expert()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge, expert=expert)
            transaction.set_rollback(True)
    assert mail.outbox == [] and not PairingInvitationLink.objects.exists()


# --- the page opens the invitation, the expert claims and answers in one visit -------------------------------


def test_the_link_opens_the_invitation_on_a_phone_friendly_page(invited):
    parties, expert, pairing, path = invited
    response = Client().get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="viewport" content="width=device-width' in html
    assert parties.challenge.title in html and parties.enterprise.name in html and "黎军" in html
    assert 'data-invitation="open"' in html


def test_the_expert_claims_the_account_and_accepts_in_one_visit(invited):
    parties, expert, pairing, path = invited
    client = Client()
    response = answer(client, path)
    assert response.status_code == 302 and response.url == f"/pairings/{pairing.pk}/"
    expert.refresh_from_db()
    pairing.refresh_from_db()
    user = User.objects.get(username="lijun")
    assert expert.user == user
    assert (pairing.status, pairing.response_note, pairing.response_channel) == (
        Status.ACCEPTED, "乐意效劳", ResponseChannel.LINK)
    assert PairingInvitationLink.objects.get(pairing=pairing).used_by == user
    assert list(AuditEntry.objects.filter(actor=user).values_list("action", flat=True).order_by("id")) == [
        "claim", "accept"]
    # signed in: the agreement's page offers the signature
    page = client.get(response.url).content.decode()
    assert f"/pairings/{pairing.pk}/sign/" in page


def test_the_expert_may_decline_through_the_link(invited):
    parties, expert, pairing, path = invited
    answer(Client(), path, answer="decline", note="近期工作繁忙")
    pairing.refresh_from_db()
    assert (pairing.status, pairing.response_note) == (Status.DECLINED, "近期工作繁忙")
    assert Expert.objects.get(pk=expert.pk).user.username == "lijun"


def test_a_bad_password_keeps_the_link_unused_and_shows_the_field_error(invited):
    parties, expert, pairing, path = invited
    response = Client().post(path, {"username": "lijun", "password1": "123", "password2": "123", "answer": "accept"})
    assert response.status_code == 400
    assert not User.objects.filter(username="lijun").exists()
    assert PairingInvitationLink.objects.get(pairing=pairing).used_at is None


# --- the link works once, for that expert, while the invitation waits ---------------------------------------


def test_the_link_works_once(invited):
    parties, expert, pairing, path = invited
    answer(Client(), path)
    again = Client().get(path)
    assert again.status_code == 410 and 'data-refusal="link_used"' in again.content.decode()
    with pytest.raises(DomainError) as refused:
        invitations.invitation_link_redeem(token=token_of(path), user=factories.make_user(), accept=True)
    assert refused.value.code == "link_used"
    response = answer(Client(), path, username="someone-else")
    assert response.status_code == 410
    assert not User.objects.filter(username="someone-else").exists()


def test_a_used_link_says_it_was_used(invited):
    parties, expert, pairing, path = invited
    link = PairingInvitationLink.objects.get(pairing=pairing)
    PairingInvitationLink.objects.filter(pk=link.pk).update(used_at=timezone.now())
    response = Client().get(path)
    assert response.status_code == 410
    assert "该邀请链接已使用过" in response.content.decode()


def test_the_link_expires_with_the_proposal(invited):
    parties, expert, pairing, path = invited
    PairingAgreement.objects.filter(pk=pairing.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = Client().get(path)
    assert response.status_code == 410
    assert 'data-refusal="link_expired"' in response.content.decode() and "过期" in response.content.decode()
    assert answer(Client(), path).status_code == 410
    assert not User.objects.filter(username="lijun").exists()
    services.pairing_expire_due()
    assert 'data-refusal="link_expired"' in Client().get(path).content.decode()


def test_a_withdrawn_invitation_says_so(invited):
    parties, expert, pairing, path = invited
    services.pairing_withdraw(user=parties.enterprise_user, pairing=pairing)
    response = Client().get(path)
    assert response.status_code == 410 and 'data-refusal="link_answered"' in response.content.decode()


@pytest.mark.parametrize("who", ["another expert", "enterprise staff", "the secretariat", "a user without a role"])
def test_another_signed_in_user_cannot_use_the_link(invited, who):
    parties, expert, pairing, path = invited
    user = {"another expert": lambda: parties.expert_user, "enterprise staff": lambda: parties.enterprise_user,
            "the secretariat": factories.make_secretariat, "a user without a role": factories.make_user}[who]()
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 403 and 'data-refusal="link_other_user"' in response.content.decode()
    assert answer(client, path).status_code == 403
    assert invitations.link_refusal(PairingInvitationLink.objects.get(pairing=pairing), user).code == "link_other_user"
    expert.refresh_from_db()
    pairing.refresh_from_db()
    assert expert.user is None and pairing.status == Status.PROPOSED


def test_the_link_stops_once_the_entry_is_claimed_by_someone_else(invited):
    parties, expert, pairing, path = invited
    claimer = factories.make_user()
    expert_claim(user=claimer, token=expert_claim_token(user=factories.make_secretariat(), expert=expert))
    response = Client().get(path)
    assert response.status_code == 410 and 'data-refusal="link_claimed"' in response.content.decode()
    assert answer(Client(), path, username="intruder").status_code == 410
    assert not User.objects.filter(username="intruder").exists()
    # the account that claimed the entry is sent to the invitation on the site
    client = Client()
    client.force_login(claimer)
    assert client.get(path)["Location"] == f"/pairings/{pairing.pk}/"


def test_a_forged_or_mangled_token_is_invalid(invited):
    parties, expert, pairing, path = invited
    for token in ("abc", token_of(path)[:-2] + "xx", "1"):
        response = Client().get(f"/i/{token}/")
        assert response.status_code == 404 and 'data-refusal="link_invalid"' in response.content.decode()


def test_a_refused_acceptance_leaves_no_account_behind(invited):
    parties, expert, pairing, path = invited
    Expert.objects.filter(pk=expert.pk).update(capacity=0)
    response = answer(Client(), path)
    assert response.status_code == 400
    assert not User.objects.filter(username="lijun").exists()
    assert Expert.objects.get(pk=expert.pk).user is None
    assert PairingInvitationLink.objects.get(pairing=pairing).used_at is None


def test_two_redemptions_of_one_link_make_one_account(invited):
    parties, expert, pairing, path = invited
    first, second = factories.make_user(), factories.make_user()
    invitations.invitation_link_redeem(token=token_of(path), user=first, accept=True)
    with pytest.raises(DomainError):
        invitations.invitation_link_redeem(token=token_of(path), user=second, accept=True)
    assert Expert.objects.get(pk=expert.pk).user == first


# --- every interface proposes to an expert without an account through the same service -----------------------


def test_rest_and_graphql_propose_to_an_expert_without_an_account(client_for, django_capture_on_commit_callbacks):
    from tests.gql import gid, run

    parties = factories.make_pairing_parties()
    rest_expert, graphql_expert = factories.make_expert(), factories.make_expert()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(parties.enterprise_user).post(
            "/api/v1/pairings/", {"challenge": parties.challenge.pk, "expert": rest_expert.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["expert"]["phone"] is None  # still private to the enterprise
    with django_capture_on_commit_callbacks(execute=True):
        result = run("""mutation($c: ID!, $e: ID!) { proposePairing(challenge: $c, expert: $e) {
                        pairing { status } } }""",
                     {"c": gid("Challenge", parties.challenge), "e": gid("Expert", graphql_expert)},
                     user=parties.enterprise_user)
    assert result.ok()["proposePairing"]["pairing"]["status"] == "PROPOSED"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([rest_expert.email, graphql_expert.email])
    assert PairingInvitationLink.objects.filter(pairing__expert__in=[rest_expert, graphql_expert]).count() == 2
