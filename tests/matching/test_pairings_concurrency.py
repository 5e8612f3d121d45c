"""Races on a one-on-one pairing, with real concurrent transactions on PostgreSQL.

Each trial starts 20 threads, each with its own database connection, held at a barrier and released
together into `pairing_accept`. The services lock the challenge, then the expert, then the agreement,
so the acceptances are serialised; a loser gets Conflict (409 / GraphQL CONFLICT).
SQLite serialises every write transaction, so these tests would pass there for the wrong reason:
they run on PostgreSQL only (CI sets DATABASE_URL).
"""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from enterprises.models import Challenge, Enterprise
from experts.models import Expert
from jianglian.errors import Conflict
from matching.models import PairingAgreement
from matching.pairings import services
from tests import factories
from tests.concurrency import POSTGRES_ONLY, together

THREADS = 20
TRIALS = 5

pytestmark = POSTGRES_ONLY


def race(calls):
    """Run each zero-argument call in its own thread, released together; return 'won'/'conflict' per call."""
    def outcome(result):
        if isinstance(result, Conflict):
            return "conflict"
        if isinstance(result, Exception):
            return f"error: {result!r}"
        return "won"

    return [outcome(result) for result in together(calls, join_timeout=60)]


def users(n):
    User = get_user_model()
    return User.objects.bulk_create([User(username=f"race{factories.seq()}") for _ in range(n)])


def experts(n, *, capacity):
    """(user, expert) pairs written in bulk (no search-index sync per row)."""
    accounts = users(n)
    rows = Expert.objects.bulk_create([
        Expert(user=user, name=f"专家{user.pk}", employer="四川化工集团", province="sichuan", city="成都",
               capacity=capacity)
        for user in accounts
    ])
    return list(zip(accounts, rows))


def enterprises_with_staff(n):
    """(staff user, enterprise) pairs written in bulk."""
    accounts = users(n)
    rows = Enterprise.objects.bulk_create([
        Enterprise(name=f"测试化工{user.pk}", credit_code=factories.make_credit_code(), province="sichuan",
                   city="成都", verified=True)
        for user in accounts
    ])
    Enterprise.staff.through.objects.bulk_create([
        Enterprise.staff.through(enterprise=enterprise, user=user) for user, enterprise in zip(accounts, rows)
    ])
    return list(zip(accounts, rows))


def open_challenges(enterprises):
    """Open challenges written in bulk: no search-index sync per row, which these tests do not need."""
    return Challenge.objects.bulk_create([
        Challenge(enterprise=enterprise, title="精馏塔蒸汽单耗偏高", description="降低能耗", category="green",
                  status=Challenge.Status.OPEN)
        for enterprise in enterprises
    ])


def proposals(pairs):
    """Open proposals written in bulk (proposing is not what races here)."""
    expires_at = timezone.now() + timedelta(days=14)
    return PairingAgreement.objects.bulk_create([
        PairingAgreement(challenge=challenge, expert=expert, expires_at=expires_at) for challenge, expert in pairs
    ])


def test_twenty_experts_accepting_one_challenge_at_once_leave_exactly_one_winner():
    winners_per_trial = []
    for _ in range(TRIALS):
        [(enterprise_user, enterprise)] = enterprises_with_staff(1)
        [challenge] = open_challenges([enterprise])
        accounts = experts(THREADS, capacity=5)
        invitations = list(zip([user for user, _ in accounts],
                               proposals([(challenge, expert) for _, expert in accounts])))

        results = race([
            lambda user=user, pairing=pairing: services.pairing_accept(user=user, pairing=pairing)
            for user, pairing in invitations
        ])

        assert sorted(results) == ["conflict"] * (THREADS - 1) + ["won"], results
        holding = PairingAgreement.objects.filter(challenge=challenge, status__in=PairingAgreement.HOLDING_STATES)
        assert holding.count() == 1
        winners_per_trial.append(results.count("won"))
    assert winners_per_trial == [1] * TRIALS


@pytest.mark.parametrize("capacity", [1, 2])
def test_an_expert_accepting_twenty_invitations_at_once_never_exceeds_capacity(capacity):
    for _ in range(TRIALS):
        [(expert_user, expert)] = experts(1, capacity=capacity)
        staff = enterprises_with_staff(THREADS)
        challenges = open_challenges([enterprise for _, enterprise in staff])
        invitations = proposals([(challenge, expert) for challenge in challenges])

        results = race([
            lambda pairing=pairing: services.pairing_accept(user=expert_user, pairing=pairing)
            for pairing in invitations
        ])

        assert results.count("won") == capacity, results
        assert results.count("conflict") == THREADS - capacity, results
        held = PairingAgreement.objects.filter(expert=expert, status__in=PairingAgreement.HOLDING_STATES).count()
        assert held == capacity
