"""Reads of pairing agreements: only the parties and the secretariat see an agreement, and who may
do what to it now (the `can_*` rules the services enforce and the pages show as buttons)."""
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Challenge
from enterprises.selectors import can_manage_challenge
from experts.models import Expert
from jianglian.errors import DomainError, IllegalTransition, NotAllowed
from jianglian.roles import enterprise_ids, expert_of, is_secretariat

from ..conflicts import conflict_refusal
from ..models import PairingAgreement

Status = PairingAgreement.Status
SIDE_EXPERT, SIDE_ENTERPRISE = "expert", "enterprise"

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


def pairing_list(*, user) -> QuerySet[PairingAgreement]:
    """Every agreement for the secretariat; the caller's own (either side) for anyone else (filters:
    matching.filters.PairingFilter)."""
    qs = PairingAgreement.objects.select_related(*_RELATED)
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


# --- whose contact details a user sees (an expert's phone and e-mail, in every interface) --------------
#
# The secretariat sees all; an expert sees their own; an enterprise sees an expert's once the expert has
# accepted one of its pairings, for good. A rule of pairings, so it lives here (experts never import matching).
CONTACT_REVEALING_PAIRING_STATES = (Status.ACCEPTED, Status.ACTIVE, Status.COMPLETED, Status.TERMINATED)


def contact_visible_expert_ids(user) -> frozenset | None:
    """Ids of experts whose contact details `user` may see; None means all of them (secretariat).

    One query whatever the number of experts listed, so lists can ask once per request.
    """
    if user is None or not user.is_authenticated:
        return frozenset()
    if is_secretariat(user):
        return None
    cached = getattr(user, "_cached_contact_visible_expert_ids", None)
    if cached is not None:
        return cached
    ids = set(
        PairingAgreement.objects.filter(
            challenge__enterprise_id__in=enterprise_ids(user), status__in=CONTACT_REVEALING_PAIRING_STATES
        ).values_list("expert_id", flat=True)
    )
    own = expert_of(user)
    if own is not None:
        ids.add(own.pk)
    user._cached_contact_visible_expert_ids = frozenset(ids)
    return user._cached_contact_visible_expert_ids


def can_see_contact(user, expert: Expert) -> bool:
    visible = contact_visible_expert_ids(user)
    return visible is None or expert.pk in visible


def pairing_contact_visible(*, user, pairing: PairingAgreement) -> bool:
    """Whether the expert's contact details may be shown to `user` (can_see_contact)."""
    return can_see_contact(user, pairing.expert)


# --- who may do what to an agreement ------------------------------------------------------------
#
# Each transition's permission and state rule is written once, here, as a `*_refusal` function:
# the domain error the service raises when `user` may not do it now, or None. The services raise
# it (after locking the rows); the pages show a button exactly when the matching `can_*` is true.
# What needs a locked read of *other* agreements — one holding agreement per challenge, one open
# proposal per challenge and expert, the expert's capacity — stays in the services as Conflict (409).
# No refusal reads the database beyond the per-request role caches (and, for proposals, the staff
# of the challenge's enterprise once per enterprise object and its conflicts of interest once per challenge
# object), so list pages may ask per row.


def is_invited_expert(user, pairing: PairingAgreement) -> bool:
    own = expert_of(user)
    return own is not None and own.pk == pairing.expert_id


def is_enterprise_side(user, pairing: PairingAgreement) -> bool:
    return pairing.challenge.enterprise_id in enterprise_ids(user)


def is_party(user, pairing: PairingAgreement) -> bool:
    return is_invited_expert(user, pairing) or is_enterprise_side(user, pairing)


def _staff_ids(enterprise) -> frozenset:
    """User ids of `enterprise`'s staff, read once per enterprise object."""
    cached = getattr(enterprise, "_cached_staff_user_ids", None)
    if cached is None:
        cached = enterprise._cached_staff_user_ids = frozenset(enterprise.staff.values_list("pk", flat=True))
    return cached


def proposal_refusal(user, challenge: Challenge) -> DomainError | None:
    """Whether `user` may invite experts to `challenge` now: its enterprise's staff, while it is open."""
    if not can_manage_challenge(user, challenge):
        return NotAllowed(_("只能为本企业的需求发起结对。"))
    if challenge.status != Challenge.Status.OPEN:
        return IllegalTransition(_("只能为征集中的需求发起结对。"), code="challenge_not_open")
    return None


def invitee_refusal(challenge: Challenge, expert: Expert) -> DomainError | None:
    """Whether `expert` may be invited to `challenge`: accepting pairings, with an account, not its staff, and
    without a conflict of interest (matching.conflicts: Conflict `conflict_of_interest`, read once per
    challenge object)."""
    if not expert.accepting_pairings:
        return DomainError(_("该劳模工匠暂不接受结对。"), code="expert_not_accepting")
    if expert.user_id is None:
        return DomainError(_("该劳模工匠尚未开通账号，无法答复邀请。"), code="expert_without_account")
    if expert.user_id in _staff_ids(challenge.enterprise):
        return DomainError(_("不能邀请本企业的员工结对。"), code="own_staff")
    return conflict_refusal(challenge, expert)


def propose_refusal(user, challenge: Challenge, expert: Expert) -> DomainError | None:
    return proposal_refusal(user, challenge) or invitee_refusal(challenge, expert)


def accept_refusal(user, pairing: PairingAgreement, *, now=None) -> DomainError | None:
    """The invited expert accepts a pending, unexpired invitation to a challenge still open."""
    if not is_invited_expert(user, pairing):
        return NotAllowed(_("只有受邀的劳模工匠可以答复邀请。"))
    if pairing.status != Status.PROPOSED:
        return IllegalTransition(_("只有待答复的邀请可以接受。"))
    if pairing.expires_at is not None and pairing.expires_at <= (now or timezone.now()):
        return IllegalTransition(_("邀请已过期。"), code="expired")
    if pairing.challenge.status != Challenge.Status.OPEN:
        return IllegalTransition(_("该需求已不在征集中。"), code="challenge_not_open")
    return None


def decline_refusal(user, pairing: PairingAgreement) -> DomainError | None:
    """The invited expert declines a pending invitation (also once past its expiry, before the beat task ran)."""
    if not is_invited_expert(user, pairing):
        return NotAllowed(_("只有受邀的劳模工匠可以答复邀请。"))
    if pairing.status != Status.PROPOSED:
        return IllegalTransition(_("只有待答复的邀请可以婉拒。"))
    return None


def withdraw_refusal(user, pairing: PairingAgreement) -> DomainError | None:
    """The challenge's enterprise withdraws its invitation until the expert answers."""
    if not is_enterprise_side(user, pairing):
        return NotAllowed(_("只有发起结对的企业可以撤回邀请。"))
    if pairing.status != Status.PROPOSED:
        return IllegalTransition(_("邀请已答复，不能撤回。"))
    return None


def sides_to_sign(user, pairing: PairingAgreement) -> list[str]:
    """The sides ("expert", "enterprise") `user` signs for that have not signed yet."""
    sides = []
    if is_invited_expert(user, pairing) and pairing.expert_signed_at is None:
        sides.append(SIDE_EXPERT)
    if is_enterprise_side(user, pairing) and pairing.enterprise_signed_at is None:
        sides.append(SIDE_ENTERPRISE)
    return sides


def sign_refusal(user, pairing: PairingAgreement) -> DomainError | None:
    """A party signs an accepted agreement once for each side they are."""
    if not is_party(user, pairing):
        return NotAllowed(_("只有结对双方可以签署意向书。"))
    if pairing.status != Status.ACCEPTED:
        return IllegalTransition(_("只有已接受、待签署的意向书可以签署。"))
    if not sides_to_sign(user, pairing):
        return IllegalTransition(_("您已签署该意向书。"), code="already_signed")
    return None


def complete_refusal(user, pairing: PairingAgreement) -> DomainError | None:
    """Either party reports the outcome of an active agreement."""
    if not is_party(user, pairing):
        return NotAllowed(_("只有结对双方可以填报结对成果。"))
    if pairing.status != Status.ACTIVE:
        return IllegalTransition(_("只有进行中的结对可以完成。"))
    return None


def rating_field(user, pairing: PairingAgreement) -> str:
    """Where `user`'s rating goes: `expert_rating` from the invited expert, `enterprise_rating` from the enterprise."""
    return "expert_rating" if is_invited_expert(user, pairing) else "enterprise_rating"


def rate_refusal(user, pairing: PairingAgreement) -> DomainError | None:
    """Each party rates a completed agreement once."""
    if not is_party(user, pairing):
        return NotAllowed(_("只有结对双方可以评分。"))
    if pairing.status != Status.COMPLETED:
        return IllegalTransition(_("结对完成后才能评分。"))
    if getattr(pairing, rating_field(user, pairing)) is not None:
        return IllegalTransition(_("您已评分。"), code="already_rated")
    return None


def terminate_refusal(user, pairing: PairingAgreement) -> DomainError | None:
    """A party or the secretariat ends an accepted or active agreement."""
    if not (is_party(user, pairing) or is_secretariat(user)):
        return NotAllowed(_("只有结对双方或秘书处可以终止结对。"))
    if pairing.status not in PairingAgreement.HOLDING_STATES:
        return IllegalTransition(_("只有已接受或进行中的结对可以终止。"))
    return None


def can_propose_on(user, challenge: Challenge) -> bool:
    return proposal_refusal(user, challenge) is None


def can_propose(user, challenge: Challenge, expert: Expert) -> bool:
    return propose_refusal(user, challenge, expert) is None


def can_accept(user, pairing: PairingAgreement) -> bool:
    return accept_refusal(user, pairing) is None


def can_decline(user, pairing: PairingAgreement) -> bool:
    return decline_refusal(user, pairing) is None


def can_withdraw(user, pairing: PairingAgreement) -> bool:
    return withdraw_refusal(user, pairing) is None


def can_sign(user, pairing: PairingAgreement) -> bool:
    return sign_refusal(user, pairing) is None


def can_complete(user, pairing: PairingAgreement) -> bool:
    return complete_refusal(user, pairing) is None


def can_rate(user, pairing: PairingAgreement) -> bool:
    return rate_refusal(user, pairing) is None


def can_terminate(user, pairing: PairingAgreement) -> bool:
    return terminate_refusal(user, pairing) is None


# The transitions of an agreement, in lifecycle order, with the rule that refuses each.
PAIRING_REFUSALS = {
    "accept": accept_refusal, "decline": decline_refusal, "withdraw": withdraw_refusal, "sign": sign_refusal,
    "complete": complete_refusal, "rate": rate_refusal, "terminate": terminate_refusal,
}


def pairing_refusals(user, pairing: PairingAgreement) -> dict[str, DomainError | None]:
    """Each transition's refusal for `user` on `pairing` now (None: allowed), in lifecycle order."""
    return {name: refusal(user, pairing) for name, refusal in PAIRING_REFUSALS.items()}


def pairing_actions(user, pairing: PairingAgreement) -> frozenset[str]:
    """The names of the transitions `user` may make on `pairing` now (what a page offers as buttons)."""
    return frozenset(name for name, refusal in pairing_refusals(user, pairing).items() if refusal is None)
