"""Writes of pairing agreements (结对意向书): one service per transition, every rule in it.

Lifecycle of an agreement::

    proposed ─accept─► accepted ─sign (both sides)─► active ─complete─► completed
      │  │  └decline─► declined      │                  └──terminate──► terminated
      │  └withdraw───► withdrawn     └──terminate──► terminated
      └──(beat task, past expires_at)──► expired

The challenge follows: open ─(agreement active)─► paired ─complete─► resolved, and
paired ─terminate─► open again: the problem is still unsolved, so the enterprise may invite
another expert. Terminating an accepted (not yet signed) agreement leaves the challenge open.
When an agreement becomes active, the challenge's other open proposals are withdrawn
(action `supersede`), since they can no longer be accepted.

Rules:
- accepted and active agreements *hold* (PairingAgreement.HOLDING_STATES): one holding agreement
  per challenge (database constraint `one_holding_pairing_per_challenge`), and an expert holds at
  most `Expert.capacity` of them;
- one open proposal per challenge and expert (constraint `one_open_proposal_per_challenge_expert`);
- only legal transitions (IllegalTransition, 409), only the parties act (NotAllowed, 403): these
  rules are the `*_refusal` selectors of matching.pairings.selectors, which the pages ask too
  (`can_*`), so a button shows exactly when the service would accept the action;
- ratings: `enterprise_rating` is given by the enterprise, `expert_rating` by the expert.

Concurrency: every transition locks rows in one fixed order — the challenge, then the expert,
then the agreement (`SELECT … FOR UPDATE`) — and checks after locking, so two acceptances of one
challenge, or of one expert at capacity, are serialised and the second sees the first. A race
that still reaches a constraint becomes Conflict (409) instead of an IntegrityError.

Every change writes an AuditEntry and the notifications are recorded in the same transaction
and sent after commit (jianglian.notifications).
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianglian.audit import audit_record
from enterprises.models import Challenge
from experts.models import Expert
from jianglian.errors import Conflict, IllegalTransition
from jianglian.notifications import Kind, notify

from ..models import PairingAgreement
from .selectors import (
    SIDE_ENTERPRISE, SIDE_EXPERT, accept_refusal, complete_refusal, decline_refusal, propose_refusal, rate_refusal,
    rating_field, sides_to_sign, sign_refusal, terminate_refusal, withdraw_refusal,
)

logger = logging.getLogger(__name__)

Status = PairingAgreement.Status
HOLDING = PairingAgreement.HOLDING_STATES


class Side:
    EXPERT = SIDE_EXPERT
    ENTERPRISE = SIDE_ENTERPRISE


# --- helpers -------------------------------------------------------------------------------


def _check(refusal) -> None:
    """Raise the refusal a `*_refusal` selector returned, if any."""
    if refusal is not None:
        raise refusal


def _lock(pairing_id: int) -> PairingAgreement:
    """Lock the challenge, the expert and the agreement, in that order, and return the fresh agreement."""
    refs = PairingAgreement.objects.filter(pk=pairing_id).values("challenge_id", "expert_id").get()
    challenge = Challenge.objects.select_for_update().select_related("enterprise").get(pk=refs["challenge_id"])
    expert = Expert.objects.select_for_update().get(pk=refs["expert_id"])
    pairing = PairingAgreement.objects.select_for_update().get(pk=pairing_id)
    pairing.challenge, pairing.expert = challenge, expert
    return pairing


def _save(pairing: PairingAgreement, fields: list[str], conflict: str, code: str) -> None:
    try:
        with transaction.atomic():
            pairing.save(update_fields=fields)
    except IntegrityError:
        raise Conflict(conflict, code=code) from None


def _audit(user, pairing, action, from_state, note=""):
    audit_record(actor=user, subject=pairing, action=action, from_state=from_state, to_state=pairing.status, note=note)


def _set_challenge_status(user, challenge: Challenge, status: str, action: str, note: str = "") -> None:
    previous = challenge.status
    challenge.status = status
    challenge.save(update_fields=["status", "updated_at"])
    audit_record(actor=user, subject=challenge, action=action, from_state=previous, to_state=status, note=note)


def _context(pairing: PairingAgreement, **extra) -> dict:
    return dict(
        pairing_id=pairing.pk, number=pairing.number, challenge=pairing.challenge.title,
        enterprise=pairing.challenge.enterprise.name, expert=pairing.expert.name, **extra,
    )


def _enterprise_recipients(pairing: PairingAgreement):
    return list(pairing.challenge.enterprise.staff.all())


def _expert_recipients(pairing: PairingAgreement):
    return [pairing.expert.user] if pairing.expert.user_id else []


def _party_recipients(pairing: PairingAgreement, *, but=None):
    """Both sides of an agreement (the enterprise's staff and the expert), without the user who acted."""
    users = _enterprise_recipients(pairing) + _expert_recipients(pairing)
    return [u for u in users if but is None or u.pk != but.pk]


def holding_count(expert: Expert) -> int:
    return PairingAgreement.objects.filter(expert=expert, status__in=HOLDING).count()


# --- transitions ---------------------------------------------------------------------------


@transaction.atomic
def pairing_propose(*, user, challenge: Challenge, expert: Expert, message: str = "", goals: str = "",
                    start_date=None, end_date=None, deliverables: str = "") -> PairingAgreement:
    """Enterprise staff invite an expert to pair on one of their open challenges."""
    challenge = Challenge.objects.select_for_update().select_related("enterprise").get(pk=challenge.pk)
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    _check(propose_refusal(user, challenge, expert))
    if PairingAgreement.objects.filter(challenge=challenge, status__in=HOLDING).exists():
        raise Conflict(_("该需求已与一位劳模工匠结对。"), code="challenge_taken")
    if PairingAgreement.objects.filter(challenge=challenge, expert=expert, status=Status.PROPOSED).exists():
        raise Conflict(_("已向该劳模工匠发出邀请，请等待答复。"), code="duplicate_proposal")
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})
    pairing = PairingAgreement(
        challenge=challenge, expert=expert, message=message, goals=goals, start_date=start_date,
        end_date=end_date, deliverables=deliverables, proposed_by=user,
        expires_at=timezone.now() + timedelta(days=settings.PAIRING_PROPOSAL_EXPIRY_DAYS),
    )
    pairing.full_clean(exclude=["challenge", "expert", "proposed_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            pairing.save()
    except IntegrityError:
        raise Conflict(_("已向该劳模工匠发出邀请，请等待答复。"), code="duplicate_proposal") from None
    _audit(user, pairing, "propose", "", note=message)
    notify(kind=Kind.PAIRING_PROPOSED, recipients=_expert_recipients(pairing), subject=pairing,
           context=_context(pairing, message=message, expires_at=pairing.expires_at))
    logger.info("pairing %s proposed: challenge %s, expert %s, by user %s", pairing.pk, challenge.pk, expert.pk, user.pk)
    return pairing


@transaction.atomic
def pairing_accept(*, user, pairing: PairingAgreement, note: str = "") -> PairingAgreement:
    """The invited expert accepts: the agreement now holds the challenge and one unit of capacity."""
    pairing = _lock(pairing.pk)
    _check(accept_refusal(user, pairing))
    challenge, expert = pairing.challenge, pairing.expert
    if PairingAgreement.objects.filter(challenge=challenge, status__in=HOLDING).exists():
        raise Conflict(_("该需求已与其他劳模工匠结对。"), code="challenge_taken")
    if holding_count(expert) >= expert.capacity:
        raise Conflict(_("您的结对数已达上限，请先完成或终止已有结对。"), code="capacity_reached")
    pairing.status = Status.ACCEPTED
    pairing.responded_at = timezone.now()
    pairing.response_note = note
    _save(pairing, ["status", "responded_at", "response_note"],
          _("该需求已与其他劳模工匠结对。"), "challenge_taken")
    _audit(user, pairing, "accept", Status.PROPOSED, note=note)
    notify(kind=Kind.PAIRING_ACCEPTED, recipients=_enterprise_recipients(pairing), subject=pairing,
           context=_context(pairing, note=note))
    logger.info("pairing %s accepted by expert %s", pairing.pk, expert.pk)
    return pairing


@transaction.atomic
def pairing_decline(*, user, pairing: PairingAgreement, note: str = "") -> PairingAgreement:
    """The invited expert declines, with an optional note."""
    pairing = _lock(pairing.pk)
    _check(decline_refusal(user, pairing))
    pairing.status = Status.DECLINED
    pairing.responded_at = timezone.now()
    pairing.response_note = note
    pairing.save(update_fields=["status", "responded_at", "response_note"])
    _audit(user, pairing, "decline", Status.PROPOSED, note=note)
    notify(kind=Kind.PAIRING_DECLINED, recipients=_enterprise_recipients(pairing), subject=pairing,
           context=_context(pairing, note=note))
    return pairing


@transaction.atomic
def pairing_withdraw(*, user, pairing: PairingAgreement, note: str = "") -> PairingAgreement:
    """The enterprise withdraws its invitation before the expert accepts it."""
    pairing = _lock(pairing.pk)
    _check(withdraw_refusal(user, pairing))
    pairing.status = Status.WITHDRAWN
    pairing.responded_at = timezone.now()
    pairing.save(update_fields=["status", "responded_at"])
    _audit(user, pairing, "withdraw", Status.PROPOSED, note=note)
    notify(kind=Kind.PAIRING_WITHDRAWN, recipients=_expert_recipients(pairing), subject=pairing,
           context=_context(pairing, note=note))
    return pairing


@transaction.atomic
def pairing_sign(*, user, pairing: PairingAgreement) -> PairingAgreement:
    """A party signs the accepted agreement; with both signatures it becomes active and the challenge paired."""
    pairing = _lock(pairing.pk)
    _check(sign_refusal(user, pairing))
    now = timezone.now()
    fields, signed = [], sides_to_sign(user, pairing)
    if Side.EXPERT in signed:
        pairing.expert_signed_at = now
        fields.append("expert_signed_at")
    if Side.ENTERPRISE in signed:
        pairing.enterprise_signed_at, pairing.enterprise_signed_by = now, user
        fields += ["enterprise_signed_at", "enterprise_signed_by"]
    challenge = pairing.challenge
    both = pairing.expert_signed_at is not None and pairing.enterprise_signed_at is not None
    if both:
        if challenge.status != Challenge.Status.OPEN:
            raise IllegalTransition(_("该需求已不在征集中，意向书不能生效。"), code="challenge_not_open")
        pairing.status, pairing.activated_at = Status.ACTIVE, now
        fields += ["status", "activated_at"]
    _save(pairing, fields, _("该需求已与其他劳模工匠结对。"), "challenge_taken")
    _audit(user, pairing, "sign", Status.ACCEPTED, note=",".join(signed))
    if both:
        _set_challenge_status(user, challenge, Challenge.Status.PAIRED, "pair", note=f"pairing {pairing.pk}")
        _supersede_other_proposals(user, pairing)
        notify(kind=Kind.PAIRING_ACTIVE, recipients=_party_recipients(pairing), subject=pairing,
               context=_context(pairing))
        logger.info("pairing %s active: challenge %s paired", pairing.pk, challenge.pk)
    else:
        waiting = _enterprise_recipients(pairing) if Side.EXPERT in signed else _expert_recipients(pairing)
        notify(kind=Kind.PAIRING_SIGNATURE_NEEDED, recipients=waiting, subject=pairing,
               context=_context(pairing, signed_side=signed[0]))
    return pairing


def _supersede_other_proposals(user, pairing: PairingAgreement) -> None:
    others = PairingAgreement.objects.select_for_update(of=("self",)).filter(
        challenge_id=pairing.challenge_id, status=Status.PROPOSED
    ).exclude(pk=pairing.pk).select_related("challenge__enterprise", "expert__user")
    for other in others:
        other.status = Status.WITHDRAWN
        other.save(update_fields=["status"])
        _audit(user, other, "supersede", Status.PROPOSED, note=f"challenge paired by agreement {pairing.pk}")
        notify(kind=Kind.PAIRING_WITHDRAWN, recipients=_expert_recipients(other), subject=other,
               context=_context(other, note=_("该需求已与其他劳模工匠结对。")))


OUTCOME_FIELDS = ("summary", "problems_solved", "savings_yuan", "workers_trained", "rating")


@transaction.atomic
def pairing_complete(*, user, pairing: PairingAgreement, summary: str, problems_solved: int | None = None,
                     savings_yuan=None, workers_trained: int | None = None,
                     rating: int | None = None) -> PairingAgreement:
    """Either party reports the outcome of an active agreement; the challenge is resolved.

    `rating` (1–5) is the caller's side's rating; the other side adds theirs with pairing_rate.
    """
    pairing = _lock(pairing.pk)
    _check(complete_refusal(user, pairing))
    if not (summary or "").strip():
        raise ValidationError({"summary": _("请填写成果总结。")})
    if savings_yuan is not None and savings_yuan < 0:
        raise ValidationError({"savings_yuan": _("节约金额不能为负数。")})
    pairing.outcome_summary = summary.strip()
    pairing.problems_solved = problems_solved
    pairing.savings_yuan = savings_yuan
    pairing.workers_trained = workers_trained
    fields = ["outcome_summary", "problems_solved", "savings_yuan", "workers_trained"]
    if rating is not None:
        field = rating_field(user, pairing)
        setattr(pairing, field, rating)
        fields.append(field)
    _clean(pairing)
    pairing.status, pairing.ended_at = Status.COMPLETED, timezone.now()
    pairing.save(update_fields=[*fields, "status", "ended_at"])
    _audit(user, pairing, "complete", Status.ACTIVE, note=pairing.outcome_summary)
    notify(kind=Kind.PAIRING_COMPLETED, recipients=_party_recipients(pairing, but=user), subject=pairing,
           context=_context(pairing, summary=pairing.outcome_summary))
    if pairing.challenge.status == Challenge.Status.PAIRED:
        _set_challenge_status(user, pairing.challenge, Challenge.Status.RESOLVED, "resolve",
                              note=f"pairing {pairing.pk}")
    return pairing


def _clean(pairing: PairingAgreement) -> None:
    try:
        pairing.full_clean(exclude=["challenge", "expert", "proposed_by", "enterprise_signed_by"],
                           validate_constraints=False)
    except ValidationError as error:
        renamed = {"outcome_summary": "summary", "enterprise_rating": "rating", "expert_rating": "rating"}
        raise ValidationError({renamed.get(k, k): v for k, v in error.message_dict.items()}) from None


@transaction.atomic
def pairing_rate(*, user, pairing: PairingAgreement, rating: int) -> PairingAgreement:
    """The side that has not rated yet rates a completed agreement (once)."""
    pairing = _lock(pairing.pk)
    _check(rate_refusal(user, pairing))
    field = rating_field(user, pairing)
    setattr(pairing, field, rating)
    _clean(pairing)
    pairing.save(update_fields=[field])
    _audit(user, pairing, "rate", Status.COMPLETED, note=f"{field}={rating}")
    return pairing


@transaction.atomic
def pairing_terminate(*, user, pairing: PairingAgreement, reason: str) -> PairingAgreement:
    """A party or the secretariat ends an accepted or active agreement; a paired challenge reopens."""
    pairing = _lock(pairing.pk)
    _check(terminate_refusal(user, pairing))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写终止原因。")})
    previous = pairing.status
    pairing.status, pairing.ended_at, pairing.termination_reason = Status.TERMINATED, timezone.now(), reason.strip()
    pairing.save(update_fields=["status", "ended_at", "termination_reason"])
    _audit(user, pairing, "terminate", previous, note=pairing.termination_reason)
    notify(kind=Kind.PAIRING_TERMINATED, recipients=_party_recipients(pairing, but=user), subject=pairing,
           context=_context(pairing, reason=pairing.termination_reason))
    if previous == Status.ACTIVE and pairing.challenge.status == Challenge.Status.PAIRED:
        _set_challenge_status(user, pairing.challenge, Challenge.Status.OPEN, "reopen",
                              note=f"pairing {pairing.pk} terminated")
    return pairing


# --- beat tasks' services --------------------------------------------------------------------


def pairing_expire_due(*, now=None) -> int:
    """proposed → expired for every proposal past its expires_at. Idempotent; returns how many expired."""
    now = now or timezone.now()
    due = PairingAgreement.objects.filter(status=Status.PROPOSED, expires_at__lte=now).values_list("pk", flat=True)
    expired = 0
    for pairing_id in list(due):
        with transaction.atomic():
            pairing = PairingAgreement.objects.select_for_update(of=("self",)).select_related(
                "challenge__enterprise", "expert__user"
            ).filter(pk=pairing_id, status=Status.PROPOSED, expires_at__lte=now).first()
            if pairing is None:  # answered meanwhile
                continue
            pairing.status = Status.EXPIRED
            pairing.save(update_fields=["status"])
            _audit(None, pairing, "expire", Status.PROPOSED)
            notify(kind=Kind.PAIRING_EXPIRED, recipients=_party_recipients(pairing), subject=pairing,
                   context=_context(pairing))
            expired += 1
    if expired:
        logger.info("%s pairing proposals expired", expired)
    return expired


def pairing_send_reminders(*, now=None) -> int:
    """Remind invited experts PAIRING_PROPOSAL_REMINDER_DAYS before their proposal expires, once each."""
    now = now or timezone.now()
    horizon = now + timedelta(days=settings.PAIRING_PROPOSAL_REMINDER_DAYS)
    due = PairingAgreement.objects.filter(
        status=Status.PROPOSED, reminder_sent_at__isnull=True, expires_at__gt=now, expires_at__lte=horizon
    ).values_list("pk", flat=True)
    reminded = 0
    for pairing_id in list(due):
        with transaction.atomic():
            claimed = PairingAgreement.objects.filter(
                pk=pairing_id, status=Status.PROPOSED, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if claimed != 1:
                continue
            pairing = PairingAgreement.objects.select_related("challenge__enterprise", "expert__user").get(pk=pairing_id)
            notify(kind=Kind.PAIRING_EXPIRY_REMINDER, recipients=_expert_recipients(pairing), subject=pairing,
                   context=_context(pairing, expires_at=pairing.expires_at))
            reminded += 1
    return reminded
