"""Races on an invitation link (PostgreSQL, real row locks): many redemptions of one link at once — a double
submit, a forwarded message — make exactly one account of the catalog entry and one answer, every time; the
link and the secretariat's claim link racing for one entry leave it with exactly one account."""
import pytest
from django.contrib.auth import get_user_model

from experts.models import Expert
from experts.services import expert_claim, expert_claim_token
from jianglian.errors import DomainError
from matching.models import PairingAgreement, PairingInvitationLink
from matching.pairings import invitations, services
from tests import factories
from tests.concurrency import POSTGRES_ONLY, together

pytestmark = POSTGRES_ONLY

TRIALS = 5


def _invited():
    parties = factories.make_pairing_parties()
    expert = factories.make_expert()
    pairing = services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge, expert=expert)
    token = invitations.link_token(PairingInvitationLink.objects.get(pairing=pairing))
    return expert, pairing, token


def _redeem(token, user):
    def call():
        return invitations.invitation_link_redeem(token=token, user=get_user_model().objects.get(pk=user.pk),
                                                  accept=True)
    return call


@pytest.mark.parametrize("trial", range(TRIALS))
def test_ten_redemptions_of_one_link_make_one_account_and_one_answer(trial):
    expert, pairing, token = _invited()
    users = [factories.make_user() for _ in range(10)]
    results = together([_redeem(token, user) for user in users])
    won = [r for r in results if isinstance(r, PairingAgreement)]
    assert len(won) == 1 and all(isinstance(r, DomainError) for r in results if r not in won), results
    expert.refresh_from_db()
    assert expert.user_id in {u.pk for u in users}
    assert PairingAgreement.objects.get(pk=pairing.pk).status == PairingAgreement.Status.ACCEPTED
    assert PairingInvitationLink.objects.get(pairing=pairing).used_by_id == expert.user_id


@pytest.mark.parametrize("trial", range(TRIALS))
def test_the_link_and_the_claim_link_racing_leave_one_account(trial):
    expert, pairing, token = _invited()
    claim_token = expert_claim_token(user=factories.make_secretariat(), expert=expert)
    by_link, by_claim = factories.make_user(), factories.make_user()

    def claim():
        return expert_claim(user=get_user_model().objects.get(pk=by_claim.pk), token=claim_token)

    results = together([_redeem(token, by_link), claim])
    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    owner = Expert.objects.get(pk=expert.pk).user_id
    assert owner in {by_link.pk, by_claim.pk}
    status = PairingAgreement.objects.get(pk=pairing.pk).status
    assert status == (PairingAgreement.Status.ACCEPTED if owner == by_link.pk else PairingAgreement.Status.PROPOSED)
