"""Linking an account to a catalog entry: only through the secretariat's signed, one-time, expiring link."""
import time

import pytest
from django.core import signing

from experts.services import EXPERT_CLAIM_MAX_AGE, EXPERT_CLAIM_SALT, expert_claim, expert_claim_token, expert_from_claim_token
from jianglian.errors import Conflict, DomainError, NotAllowed
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_secretariat_issues_a_link_and_the_new_account_becomes_the_expert(secretariat):
    expert = factories.make_expert(name="王强")
    user = factories.make_user()

    token = expert_claim_token(user=secretariat, expert=expert)
    claimed = expert_claim(user=user, token=token)

    expert.refresh_from_db()
    assert claimed == expert and expert.user == user


def test_only_the_secretariat_issues_links(enterprise_user, expert_user):
    expert = factories.make_expert()
    for user in (enterprise_user[0], expert_user[0]):
        with pytest.raises(NotAllowed):
            expert_claim_token(user=user, expert=expert)


def test_no_link_for_an_entry_that_already_has_an_account(secretariat, expert_user):
    with pytest.raises(Conflict):
        expert_claim_token(user=secretariat, expert=expert_user[1])


def test_a_link_works_once(secretariat):
    expert = factories.make_expert()
    token = expert_claim_token(user=secretariat, expert=expert)
    expert_claim(user=factories.make_user(), token=token)

    with pytest.raises(Conflict):
        expert_claim(user=factories.make_user(), token=token)


def test_a_forged_or_expired_link_is_refused():
    expert = factories.make_expert()
    forged = signing.dumps({"expert": expert.pk}, salt="something-else")
    with pytest.raises(DomainError) as forged_error:
        expert_from_claim_token(forged)
    assert forged_error.value.code == "claim_invalid"

    class SignedLongAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - EXPERT_CLAIM_MAX_AGE - 60)

    old = SignedLongAgo(salt=EXPERT_CLAIM_SALT).sign_object({"expert": expert.pk}, compress=True)
    with pytest.raises(DomainError) as expired:
        expert_from_claim_token(old)
    assert expired.value.code == "claim_expired"


def test_an_account_already_linked_cannot_claim_another_entry(secretariat, expert_user):
    token = expert_claim_token(user=secretariat, expert=factories.make_expert())
    with pytest.raises(Conflict):
        expert_claim(user=expert_user[0], token=token)
