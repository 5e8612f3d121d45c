"""Reads of pairing agreements: only the parties and the secretariat see an agreement."""
from django.db.models import Q, QuerySet

from experts.selectors import can_see_contact
from jianglian.roles import enterprise_ids, expert_of, is_secretariat

from ..models import PairingAgreement

# Everything a list or a detail shows, in one query.
_RELATED = ("challenge__enterprise", "expert", "proposed_by", "enterprise_signed_by")


def _party_filter(user) -> Q | None:
    """The agreements `user` is a party to: as the invited expert or as staff of the challenge's enterprise."""
    if user is None or not user.is_authenticated:
        return None
    condition = Q(challenge__enterprise_id__in=enterprise_ids(user))
    own = expert_of(user)
    if own is not None:
        condition |= Q(expert_id=own.pk)
    return condition


def pairing_list(*, user, status: str | None = None) -> QuerySet[PairingAgreement]:
    """Every agreement for the secretariat; the caller's own (either side) for anyone else."""
    qs = PairingAgreement.objects.select_related(*_RELATED)
    if status:
        qs = qs.filter(status=status)
    if is_secretariat(user):
        return qs
    condition = _party_filter(user)
    return qs.none() if condition is None else qs.filter(condition)


def my_pairings(*, user, status: str | None = None) -> QuerySet[PairingAgreement]:
    """The agreements the caller is a party to (for an expert: their invitations), even for the secretariat."""
    qs = PairingAgreement.objects.select_related(*_RELATED)
    if status:
        qs = qs.filter(status=status)
    condition = _party_filter(user)
    return qs.none() if condition is None else qs.filter(condition)


def pairing_get(*, user, pairing_id) -> PairingAgreement:
    """One agreement the caller may see; PairingAgreement.DoesNotExist (404) otherwise, never 403."""
    return pairing_list(user=user).get(pk=pairing_id)


def pairing_contact_visible(*, user, pairing: PairingAgreement) -> bool:
    """Whether the expert's contact details may be shown to `user` (see experts.selectors)."""
    return can_see_contact(user, pairing.expert)
