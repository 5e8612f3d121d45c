"""Reads the web pages need that compose several apps' data (figures, charts, dashboards).

Each function is a plain read with explicit arguments; the permission and visibility
rules stay in the owning apps' selectors (challenge_list, membership_application_list …).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from alliance.models import MembershipApplication, MembershipBatch, OutreachEvent, Studio
from enterprises.models import Challenge, Enterprise
from enterprises.selectors import challenge_list
from experts.models import Expert
from matching.models import PairingAgreement
from matching.selectors import fitting_challenges

# A pairing counts as signed once both sides signed it (it became active), whatever happened after.
SIGNED_PAIRING_STATES = (PairingAgreement.Status.ACTIVE, PairingAgreement.Status.COMPLETED,
                         PairingAgreement.Status.TERMINATED)


@dataclass(frozen=True)
class AllianceFigures:
    member_studios: int
    experts: int
    open_challenges: int
    pairings_signed: int
    problems_solved: int


def alliance_figures() -> AllianceFigures:
    """The public figures of the home page, in four queries."""
    pairings = PairingAgreement.objects.aggregate(
        signed=Count("id", filter=Q(status__in=SIGNED_PAIRING_STATES)),
        solved=Sum("problems_solved", filter=Q(status=PairingAgreement.Status.COMPLETED)),
    )
    return AllianceFigures(
        member_studios=Studio.objects.filter(membership_status=Studio.MembershipStatus.MEMBER).count(),
        experts=Expert.objects.count(),
        open_challenges=Challenge.objects.filter(status=Challenge.Status.OPEN).count(),
        pairings_signed=pairings["signed"] or 0,
        problems_solved=pairings["solved"] or 0,
    )


def published_batches():
    """Published member batches, newest first, each with its studios prefetched (two queries)."""
    return MembershipBatch.objects.order_by("-number").prefetch_related("studios")


def pending_enterprise_verifications():
    return Enterprise.objects.filter(verified=False).order_by("created_at", "id")


def pending_membership_count() -> int:
    return MembershipApplication.objects.filter(status=MembershipApplication.Status.PENDING).count()


def experts_without_account():
    """Catalog entries nobody has claimed yet (the secretariat sends them a sign-up link)."""
    return Expert.objects.filter(user__isnull=True).order_by("name", "id")


def open_challenges_for_expert(*, user, expert) -> tuple[list, list[Challenge]]:
    """(open challenges where the engine ranked `expert`, as matching.selectors.fitting_challenges orders and
    labels them; then other open challenges asking for one of the expert's skills, newest first)."""
    ranked = fitting_challenges(user=user, expert=expert)
    visible = challenge_list(user=user).filter(status=Challenge.Status.OPEN)
    by_skill = list(
        visible.filter(skills__in=expert.skills.all()).exclude(pk__in=[f.challenge.pk for f in ranked])
        .select_related("enterprise").prefetch_related("skills").order_by("-published_at", "-id").distinct()
    )
    return ranked, by_skill
