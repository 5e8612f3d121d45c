"""Who sees which challenges and enterprises."""
import pytest

from enterprises import selectors
from enterprises.models import Challenge
from tests import factories

pytestmark = pytest.mark.django_db


def test_drafts_and_closed_challenges_are_seen_only_by_their_enterprise_and_the_secretariat(
    enterprise_user, other_enterprise_user, secretariat
):
    user, enterprise = enterprise_user
    other, _ = other_enterprise_user
    draft = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.DRAFT)
    closed = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.CLOSED)
    public = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.OPEN)

    assert set(selectors.challenge_list(user=user)) == {draft, closed, public}
    assert set(selectors.challenge_list(user=secretariat)) == {draft, closed, public}
    assert set(selectors.challenge_list(user=other)) == {public}
    assert set(selectors.challenge_list(user=None)) == {public}


def test_unverified_enterprises_are_listed_only_to_their_staff_and_the_secretariat(enterprise_user, secretariat):
    user, verified = enterprise_user
    pending = factories.make_enterprise(staff=[user], verified=False)
    stranger = factories.make_user()
    assert set(selectors.enterprise_list(user=stranger)) == {verified}
    assert set(selectors.enterprise_list(user=user)) == {verified, pending}
    assert pending in selectors.enterprise_list(user=secretariat)
