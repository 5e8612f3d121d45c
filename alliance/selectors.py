"""Reads of studios, membership applications and batches."""
from django.db.models import Q, QuerySet

from jianglian.roles import expert_of, is_secretariat

from .models import MembershipApplication, Studio


def studio_list(*, user=None) -> QuerySet[Studio]:
    return Studio.objects.all()


def can_manage_studio(user, studio: Studio) -> bool:
    """The studio's lead expert and its manager accounts act for it."""
    if user is None or not user.is_authenticated:
        return False
    own = expert_of(user)
    if own is not None and studio.lead_id == own.pk:
        return True
    return studio.managers.filter(pk=user.pk).exists()


def membership_application_list(*, user, status: str | None = None) -> QuerySet[MembershipApplication]:
    """The secretariat sees every application; a studio's lead or managers see that studio's."""
    qs = MembershipApplication.objects.select_related("studio")
    if status:
        qs = qs.filter(status=status)
    if is_secretariat(user):
        return qs
    if user is None or not user.is_authenticated:
        return qs.none()
    own = expert_of(user)
    managed = Q(studio__managers=user)
    if own is not None:
        managed |= Q(studio__lead=own)
    return qs.filter(managed).distinct()
