"""Reads of pairing agreements: only the parties and the secretariat see an agreement, and who may
do what to it now (the `can_*` rules the services enforce and the pages show as buttons)."""
import re

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Challenge
from enterprises.selectors import can_manage_challenge
from experts.models import Expert
from jianglian.errors import DomainError, IllegalTransition, NotAllowed
from jianglian.roles import enterprise_ids, expert_of, is_secretariat

from ..conflicts import conflict_refusal
from ..models import PairingAgreement, StudioInvitation

Status = PairingAgreement.Status
SIDE_EXPERT, SIDE_ENTERPRISE = "expert", "enterprise"

# Everything a list or a detail shows, in one query.
_RELATED = ("challenge__enterprise", "expert", "proposed_by", "enterprise_signed_by", "studio", "responded_on_behalf_by")


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
    """Whether `expert` may be invited to `challenge`: accepting pairings, not its staff, and without a conflict
    of interest (matching.conflicts: Conflict `conflict_of_interest`, read once per challenge object). An expert
    without an account may be invited too: they get a one-time link on every channel their catalog entry has
    (matching.pairings.invitations), and the secretariat's liaison queue lists those who cannot be reached."""
    if not expert.accepting_pairings:
        return DomainError(_("该劳模工匠暂不接受结对。"), code="expert_not_accepting")
    if expert.user_id is not None and expert.user_id in _staff_ids(challenge.enterprise):
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


def record_response_refusal(user, pairing: PairingAgreement, *, accept: bool = True, now=None) -> DomainError | None:
    """The secretariat records the answer an expert gave by phone or in person (代为答复) to a pending invitation;
    an acceptance also needs the invitation unexpired and the challenge still open."""
    if not is_secretariat(user):
        return NotAllowed(_("只有秘书处可以代为记录专家的答复。"))
    if pairing.status != Status.PROPOSED:
        return IllegalTransition(_("只有待答复的邀请可以记录答复。"))
    if accept and pairing.expires_at is not None and pairing.expires_at <= (now or timezone.now()):
        return IllegalTransition(_("邀请已过期。"), code="expired")
    if accept and pairing.challenge.status != Challenge.Status.OPEN:
        return IllegalTransition(_("该需求已不在征集中。"), code="challenge_not_open")
    return None


PAPER_STATES = (Status.PROPOSED, Status.ACCEPTED)


def paper_agreement_refusal(user, pairing: PairingAgreement) -> DomainError | None:
    """The secretariat attaches the scan of the paper agreement both sides signed on site, to an invitation
    not yet signed (pending or accepted) of a challenge still open: it records both signatures."""
    if not is_secretariat(user):
        return NotAllowed(_("只有秘书处可以上传纸质意向书。"))
    if pairing.status not in PAPER_STATES:
        return IllegalTransition(_("只有待答复或待签署的意向书可以上传纸质签署件。"))
    if pairing.challenge.status != Challenge.Status.OPEN:
        return IllegalTransition(_("该需求已不在征集中。"), code="challenge_not_open")
    return None


def can_record_response(user, pairing: PairingAgreement) -> bool:
    return record_response_refusal(user, pairing, accept=False) is None


def can_attach_paper(user, pairing: PairingAgreement) -> bool:
    return paper_agreement_refusal(user, pairing) is None


def can_see_paper(user, pairing: PairingAgreement) -> bool:
    """The scan of a paper agreement: its parties and the secretariat (those who see the agreement)."""
    return bool(pairing.paper_scan) and (is_party(user, pairing) or is_secretariat(user))


# --- reaching experts (issue 12 §1) -------------------------------------------------------------

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def mobile_number(phone: str) -> str:
    """A mainland mobile number in `phone` (spaces, dashes and +86 removed), or "" (a landline, nothing)."""
    digits = re.sub(r"[\s\-()]", "", phone or "")
    digits = re.sub(r"^(\+?86|0086)", "", digits)
    return digits if _MOBILE.match(digits) else ""


def expert_channels(expert: Expert) -> dict:
    """Where an expert can be written to, from the catalog entry (and the account's e-mail): {"email": …,
    "sms": …}, each present only when there is an address."""
    channels = {}
    email = expert.email or (expert.user.email if expert.user_id and expert.user else "")
    if email:
        channels["email"] = email
    mobile = mobile_number(expert.phone)
    if mobile:
        channels["sms"] = mobile
    return channels


def expert_contact(expert: Expert):
    """The catalog entry's channels as a recipient without an account (jianglian.notifications.Contact), or None
    when it has none (the liaison queue then lists the invitation)."""
    from jianglian.notifications import Contact

    channels = expert_channels(expert)
    if not channels:
        return None
    return Contact(name=f"expert-{expert.pk}", email=channels.get("email", ""), phone=channels.get("sms", ""))


def liaison_queue(*, user, now=None) -> QuerySet[PairingAgreement]:
    """The secretariat's liaison queue: pending, unexpired invitations waiting on experts who have no account,
    or no channel to be written to (no e-mail, no mobile), oldest first. Others: NotAllowed."""
    if not is_secretariat(user):
        raise NotAllowed(_("只有秘书处可以查看联络队列。"))
    no_channel = (Q(expert__email="") & (Q(expert__user__isnull=True) | Q(expert__user__email=""))
                  & ~Q(expert__phone__regex=r"^(\+?86|0086)?[ -]?1[3-9][0-9 -]{9,11}$"))
    return (PairingAgreement.objects.select_related(*_RELATED, "expert__user", "studio")
            .filter(status=Status.PROPOSED, expires_at__gt=now or timezone.now())
            .filter(Q(expert__user__isnull=True) | no_channel)
            .order_by("proposed_at", "id"))


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


# --- studio invitations (issue 12 §2) -----------------------------------------------------------------
#
# An enterprise invites a ranked studio; the studio's lead or managers (alliance.selectors.can_manage_studio), or
# the secretariat for them, assign the member who takes it: that member then gets a one-on-one proposal naming
# the studio, under every rule of a proposal (capacity, one agreement per challenge, conflicts of interest).

StudioInvitationStatus = StudioInvitation.Status


def _managed_studio_ids(user) -> frozenset:
    """Studios `user` manages (Studio.managers), read once per request (cached on the user)."""
    cached = getattr(user, "_cached_managed_studio_ids", None)
    if cached is None:
        cached = user._cached_managed_studio_ids = frozenset(user.managed_studios.values_list("pk", flat=True))
    return cached


def _acts_for_studio(user, studio) -> bool:
    """The secretariat, the studio's lead or its managers (alliance.selectors.can_manage_studio, without a query
    per studio)."""
    if user is None or not user.is_authenticated:
        return False
    if is_secretariat(user):
        return True
    own = expert_of(user)
    return (own is not None and studio.lead_id == own.pk) or studio.pk in _managed_studio_ids(user)


def studio_invitation_list(*, user) -> QuerySet[StudioInvitation]:
    """The secretariat sees every studio invitation; the enterprise its challenges'; a studio's lead and managers
    their studio's."""
    qs = StudioInvitation.objects.select_related("challenge__enterprise", "studio__lead", "pairing__expert",
                                                 "proposed_by", "answered_by")
    if is_secretariat(user):
        return qs
    if user is None or not user.is_authenticated:
        return qs.none()
    condition = Q(challenge__enterprise_id__in=enterprise_ids(user)) | Q(studio__managers=user)
    own = expert_of(user)
    if own is not None:
        condition |= Q(studio__lead_id=own.pk)
    return qs.filter(condition).distinct()


def studio_invite_refusal(user, challenge: Challenge, studio) -> DomainError | None:
    """The challenge's enterprise invites a studio while the challenge is open; a suspended studio is not invited."""
    refusal = proposal_refusal(user, challenge)
    if refusal is not None:
        return refusal
    if studio.membership_status == studio.MembershipStatus.SUSPENDED:
        return DomainError(_("该工作室已暂停，不能邀请。"), code="studio_suspended")
    return None


def studio_assign_refusal(user, invitation: StudioInvitation, *, now=None) -> DomainError | None:
    """The studio's lead or managers, or the secretariat, assign a member to a pending, unexpired invitation of a
    challenge still open."""
    if not _acts_for_studio(user, invitation.studio):
        return NotAllowed(_("只有工作室领衔人、管理账号或秘书处可以指派成员。"))
    if invitation.status != StudioInvitationStatus.PENDING:
        return IllegalTransition(_("只有待指派的工作室邀请可以指派成员。"))
    if invitation.expires_at is not None and invitation.expires_at <= (now or timezone.now()):
        return IllegalTransition(_("邀请已过期。"), code="expired")
    if invitation.challenge.status != Challenge.Status.OPEN:
        return IllegalTransition(_("该需求已不在征集中。"), code="challenge_not_open")
    return None


def studio_decline_refusal(user, invitation: StudioInvitation) -> DomainError | None:
    if not _acts_for_studio(user, invitation.studio):
        return NotAllowed(_("只有工作室领衔人、管理账号或秘书处可以答复工作室邀请。"))
    if invitation.status != StudioInvitationStatus.PENDING:
        return IllegalTransition(_("只有待指派的工作室邀请可以婉拒。"))
    return None


def studio_withdraw_refusal(user, invitation: StudioInvitation) -> DomainError | None:
    if invitation.challenge.enterprise_id not in enterprise_ids(user):
        return NotAllowed(_("只有发起邀请的企业可以撤回。"))
    if invitation.status != StudioInvitationStatus.PENDING:
        return IllegalTransition(_("工作室已处理该邀请，不能撤回。"))
    return None


STUDIO_INVITATION_REFUSALS = {"assign": studio_assign_refusal, "decline": studio_decline_refusal,
                              "withdraw": studio_withdraw_refusal}


def studio_invitation_actions(user, invitation: StudioInvitation) -> frozenset[str]:
    """What `user` may do to `invitation` now (the buttons; REST `actions`, GraphQL `actions`)."""
    return frozenset(name for name, refusal in STUDIO_INVITATION_REFUSALS.items() if refusal(user, invitation) is None)


def studio_assignable_members(invitation: StudioInvitation) -> QuerySet[Expert]:
    """The members a studio may assign: its lead and the experts of the studio, accepting pairings, by name."""
    studio = invitation.studio
    return (Expert.objects.filter(Q(studio_id=studio.pk) | Q(pk=studio.lead_id or 0), accepting_pairings=True)
            .order_by("name", "id"))
