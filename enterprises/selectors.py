"""Reads of enterprises and challenges, filtered by what the caller may see."""
from django.db.models import Q, QuerySet

from jianglian.roles import enterprise_ids, is_secretariat

from .models import Challenge, Enterprise

PUBLIC_CHALLENGE_STATUSES = (Challenge.Status.OPEN, Challenge.Status.PAIRED, Challenge.Status.RESOLVED)


def enterprise_list(*, user) -> QuerySet[Enterprise]:
    """Verified enterprises for everyone; the caller's own and, for the secretariat, all."""
    qs = Enterprise.objects.all()
    if is_secretariat(user):
        return qs
    return qs.filter(Q(verified=True) | Q(id__in=enterprise_ids(user)))


def challenge_list(*, user) -> QuerySet[Challenge]:
    """Public challenges (open, paired, resolved); an enterprise also sees its own drafts and closed ones."""
    qs = Challenge.objects.all()
    if is_secretariat(user):
        return qs
    return qs.filter(Q(status__in=PUBLIC_CHALLENGE_STATUSES) | Q(enterprise_id__in=enterprise_ids(user)))


def group_root_id(enterprise: Enterprise) -> int:
    """The id of the parent enterprise of `enterprise`'s group (itself when it belongs to none)."""
    return enterprise.group_id or enterprise.pk


def group_members(enterprise: Enterprise) -> QuerySet[Enterprise]:
    """`enterprise`'s group: the parent and every enterprise that names it as 所属集团 (just `enterprise` when it
    belongs to no group and has no members). Groups are one level deep (enterprises.services)."""
    root = group_root_id(enterprise)
    return Enterprise.objects.filter(Q(pk=root) | Q(group_id=root))


def group_claims_pending() -> QuerySet[Enterprise]:
    """Enterprises whose 所属集团 the secretariat has not verified yet."""
    return Enterprise.objects.filter(group__isnull=False, group_verified_at__isnull=True).select_related("group")


def is_enterprise_staff(user, enterprise_id) -> bool:
    return enterprise_id in enterprise_ids(user)


def can_manage_challenge(user, challenge: Challenge) -> bool:
    return is_enterprise_staff(user, challenge.enterprise_id)
