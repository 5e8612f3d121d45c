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
import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jianglian.audit import audit_record
from enterprises.models import Challenge
from experts.models import Expert
from jianglian.errors import Conflict, IllegalTransition
from jianglian.files import removed_unless_kept
from jianglian.notifications import Kind, notify
from jianglian.services import required_text

from ..models import ON_BEHALF_CHANNELS, PairingAgreement, ResponseChannel, StudioInvitation
from . import notices
from .selectors import (
    SIDE_ENTERPRISE, SIDE_EXPERT, accept_refusal, expert_contact, complete_refusal, decline_refusal, invitee_refusal,
    paper_agreement_refusal, propose_refusal, rate_refusal, rating_field, record_response_refusal, sides_to_sign,
    sign_refusal, studio_assign_refusal, studio_decline_refusal, studio_invite_refusal, studio_withdraw_refusal,
    terminate_refusal, withdraw_refusal,
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
    """Enterprise staff invite an expert to pair on one of their open challenges. An expert without an account is
    invited too: the invitation goes to every channel their catalog entry has as a one-time link
    (matching.pairings.invitations)."""
    challenge = Challenge.objects.select_for_update().select_related("enterprise").get(pk=challenge.pk)
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    _check(propose_refusal(user, challenge, expert))
    return _propose(user=user, challenge=challenge, expert=expert, message=message, goals=goals,
                    start_date=start_date, end_date=end_date, deliverables=deliverables, proposed_by=user)


def _propose(*, user, challenge: Challenge, expert: Expert, message: str, goals: str, start_date, end_date,
             proposed_by, deliverables: str = "", studio=None) -> PairingAgreement:
    """A new proposal on the locked `challenge` and `expert` (the caller checked who may propose): one open
    proposal per challenge and expert, none while the challenge is held; the expert is told (their account, or
    the invitation link on every channel of their catalog entry)."""
    if PairingAgreement.objects.filter(challenge=challenge, status__in=HOLDING).exists():
        raise Conflict(_("该需求已与一位劳模工匠结对。"), code="challenge_taken")
    if PairingAgreement.objects.filter(challenge=challenge, expert=expert, status=Status.PROPOSED).exists():
        raise Conflict(_("已向该劳模工匠发出邀请，请等待答复。"), code="duplicate_proposal")
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})
    pairing = PairingAgreement(
        challenge=challenge, expert=expert, message=message, goals=goals, start_date=start_date,
        end_date=end_date, deliverables=deliverables, proposed_by=proposed_by, studio=studio,
        expires_at=timezone.now() + timedelta(days=settings.PAIRING_PROPOSAL_EXPIRY_DAYS),
    )
    pairing.full_clean(exclude=["challenge", "expert", "proposed_by", "studio"], validate_constraints=False)
    try:
        with transaction.atomic():
            pairing.save()
    except IntegrityError:
        raise Conflict(_("已向该劳模工匠发出邀请，请等待答复。"), code="duplicate_proposal") from None
    _audit(user, pairing, "propose", "", note=message if studio is None else f"{studio.name}：{message}")
    if expert.user_id is None:
        from .invitations import invitation_link_issue

        invitation_link_issue(pairing)
    elif studio is not None:  # the studio's assignment: the member is told who assigned them
        notify(kind=notices.STUDIO_INVITATION_ASSIGNED, recipients=_expert_recipients(pairing), subject=pairing,
               context=_context(pairing, studio=studio.name, message=message, expires_at=pairing.expires_at))
    else:
        notify(kind=Kind.PAIRING_PROPOSED, recipients=_expert_recipients(pairing), subject=pairing,
               context=_context(pairing, message=message, expires_at=pairing.expires_at))
    logger.info("pairing %s proposed: challenge %s, expert %s, by user %s", pairing.pk, challenge.pk, expert.pk,
                user.pk)
    return pairing


def _check_can_hold(pairing: PairingAgreement, *, own: bool = True) -> None:
    """An agreement about to hold (accepted, or signed on paper): no other holds the challenge, and the expert
    has a unit of capacity left (rows locked by _lock)."""
    challenge, expert = pairing.challenge, pairing.expert
    if PairingAgreement.objects.filter(challenge=challenge, status__in=HOLDING).exclude(pk=pairing.pk).exists():
        raise Conflict(_("该需求已与其他劳模工匠结对。"), code="challenge_taken")
    holding = PairingAgreement.objects.filter(expert=expert, status__in=HOLDING).exclude(pk=pairing.pk).count()
    if holding >= expert.capacity:
        message = (_("您的结对数已达上限，请先完成或终止已有结对。") if own
                   else _("该劳模工匠的结对数已达上限。"))
        raise Conflict(message, code="capacity_reached")


@transaction.atomic
def pairing_accept(*, user, pairing: PairingAgreement, note: str = "",
                   channel: str = ResponseChannel.SITE) -> PairingAgreement:
    """The invited expert accepts: the agreement now holds the challenge and one unit of capacity."""
    pairing = _lock(pairing.pk)
    _check(accept_refusal(user, pairing))
    _check_can_hold(pairing)
    pairing.status = Status.ACCEPTED
    pairing.responded_at = timezone.now()
    pairing.response_note = note
    pairing.response_channel = channel
    _save(pairing, ["status", "responded_at", "response_note", "response_channel"],
          _("该需求已与其他劳模工匠结对。"), "challenge_taken")
    _audit(user, pairing, "accept", Status.PROPOSED, note=note)
    notify(kind=Kind.PAIRING_ACCEPTED, recipients=_enterprise_recipients(pairing), subject=pairing,
           context=_context(pairing, note=note))
    logger.info("pairing %s accepted by expert %s", pairing.pk, pairing.expert_id)
    return pairing


@transaction.atomic
def pairing_decline(*, user, pairing: PairingAgreement, note: str = "",
                    channel: str = ResponseChannel.SITE) -> PairingAgreement:
    """The invited expert declines, with an optional note."""
    pairing = _lock(pairing.pk)
    _check(decline_refusal(user, pairing))
    pairing.status = Status.DECLINED
    pairing.responded_at = timezone.now()
    pairing.response_note = note
    pairing.response_channel = channel
    pairing.save(update_fields=["status", "responded_at", "response_note", "response_channel"])
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
    summary = required_text(summary, "summary", _("请填写成果总结。"))
    if savings_yuan is not None and savings_yuan < 0:
        raise ValidationError({"savings_yuan": _("节约金额不能为负数。")})
    pairing.outcome_summary = summary
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
    reason = required_text(reason, "reason", _("请填写终止原因。"))
    previous = pairing.status
    pairing.status, pairing.ended_at, pairing.termination_reason = Status.TERMINATED, timezone.now(), reason
    pairing.save(update_fields=["status", "ended_at", "termination_reason"])
    _audit(user, pairing, "terminate", previous, note=pairing.termination_reason)
    notify(kind=Kind.PAIRING_TERMINATED, recipients=_party_recipients(pairing, but=user), subject=pairing,
           context=_context(pairing, reason=pairing.termination_reason))
    if previous == Status.ACTIVE and pairing.challenge.status == Challenge.Status.PAIRED:
        _set_challenge_status(user, pairing.challenge, Challenge.Status.OPEN, "reopen",
                              note=f"pairing {pairing.pk} terminated")
    return pairing


# --- the secretariat's liaison (issue 12 §1) -------------------------------------------------------


def _expert_contacts(pairing: PairingAgreement) -> list:
    """Who tells the expert: their account, else the channels of their catalog entry (no account yet)."""
    if pairing.expert.user_id:
        return _expert_recipients(pairing)
    contact = expert_contact(pairing.expert)
    return [contact] if contact is not None else []


@transaction.atomic
def pairing_record_response(*, user, pairing: PairingAgreement, accept: bool, channel: str,
                            note: str = "") -> PairingAgreement:
    """A liaison of the secretariat records the answer the expert gave by phone or in person (代为答复): accepted
    or declined, through which channel, with a note. The same rules as the expert's own answer (expiry, the
    challenge held, the expert's capacity); audited as answered on the expert's behalf by the liaison, and told to
    both sides. It signs nothing: signing needs the expert (account or link) or the paper agreement."""
    pairing = _lock(pairing.pk)
    _check(record_response_refusal(user, pairing, accept=accept))
    if channel not in ON_BEHALF_CHANNELS:
        raise ValidationError({"channel": _("请选择专家答复的方式：电话、当面或其他。")})
    note = (note or "").strip()
    if accept:
        _check_can_hold(pairing, own=False)
    pairing.status = Status.ACCEPTED if accept else Status.DECLINED
    pairing.responded_at = timezone.now()
    pairing.response_note = note
    pairing.response_channel = channel
    pairing.responded_on_behalf_by = user
    _save(pairing, ["status", "responded_at", "response_note", "response_channel", "responded_on_behalf_by"],
          _("该需求已与其他劳模工匠结对。"), "challenge_taken")
    label = ResponseChannel(channel).label
    _audit(user, pairing, "accept_on_behalf" if accept else "decline_on_behalf", Status.PROPOSED,
           note=_("代为答复（%(channel)s）：%(note)s") % {"channel": label, "note": note})
    notify(kind=notices.ANSWERED_ON_BEHALF,
           recipients=[*_enterprise_recipients(pairing), *_expert_contacts(pairing)], subject=pairing,
           context=_context(pairing, accepted=accept, channel=str(label), note=note,
                            liaison=user.get_full_name() or user.get_username()))
    logger.info("pairing %s %s on the expert's behalf by user %s (%s)", pairing.pk,
                "accepted" if accept else "declined", user.pk, channel)
    return pairing


PAPER_TYPES = {b"%PDF-": ("application/pdf", ".pdf"), b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
               b"\x89PNG\r\n\x1a\n": ("image/png", ".png")}


def paper_scan_type(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a scan from its first bytes — PDF, JPEG or PNG — or None."""
    return next((kind for magic, kind in PAPER_TYPES.items() if head.startswith(magic)), None)


def _read_scan(scan) -> tuple[bytes, str, str]:
    """The bytes of an uploaded scan with its sniffed type; ValidationError on `file` when it is empty, too large
    or not a PDF, JPEG or PNG (whatever its name or declared type says)."""
    limit = settings.PAIRING_PAPER_MAX_BYTES
    size = getattr(scan, "size", None)
    if size is not None and size > limit:
        raise ValidationError({"file": _("文件过大：最大 %(mb)s MB。") % {"mb": limit // (1024 * 1024)}})
    data = scan.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({"file": _("文件过大：最大 %(mb)s MB。") % {"mb": limit // (1024 * 1024)}})
    if not data:
        raise ValidationError({"file": _("文件为空。")})
    kind = paper_scan_type(data[:16])
    if kind is None:
        raise ValidationError({"file": _("只接受 PDF、JPEG 或 PNG 格式的扫描件。")})
    return data, *kind


def pairing_attach_paper(*, user, pairing: PairingAgreement, file, signed_on) -> PairingAgreement:
    """The secretariat attaches the scan of the paper agreement both sides signed on site (PDF, JPEG or PNG,
    read from its bytes, at most PAIRING_PAPER_MAX_BYTES): it records both signatures on the date written on the
    paper, and the agreement is active (an invitation still pending is accepted by it). The same rules of one
    holding agreement per challenge and the expert's capacity apply. A refused scan stores nothing: a failed write
    (its commit included) removes the file (jianglian.files)."""
    with removed_unless_kept() as stored, transaction.atomic():
        pairing = _lock(pairing.pk)
        _check(paper_agreement_refusal(user, pairing))
        data, content_type, extension = _read_scan(file)
        today = timezone.localdate()
        if signed_on is None:
            raise ValidationError({"signed_on": _("请填写纸质意向书上的签署日期。")})
        if signed_on > today:
            raise ValidationError({"signed_on": _("签署日期不能晚于今天。")})
        if signed_on < timezone.localtime(pairing.proposed_at).date():
            raise ValidationError({"signed_on": _("签署日期不能早于发出邀请的日期。")})
        previous = pairing.status
        _check_can_hold(pairing, own=False)
        now = timezone.now()
        signed_at = timezone.make_aware(datetime.combine(signed_on, time(12, 0)))
        if previous == Status.PROPOSED:
            pairing.responded_at, pairing.response_channel = now, ResponseChannel.IN_PERSON
            pairing.responded_on_behalf_by = user
        pairing.expert_signed_at = pairing.expert_signed_at or signed_at
        pairing.enterprise_signed_at = pairing.enterprise_signed_at or signed_at
        pairing.paper_signed_on, pairing.paper_attached_by, pairing.paper_attached_at = signed_on, user, now
        pairing.paper_content_type = content_type
        pairing.status, pairing.activated_at = Status.ACTIVE, now
        pairing.paper_scan.save(f"{pairing.pk}-{secrets.token_hex(8)}{extension}", ContentFile(data), save=False)
        stored(pairing.paper_scan.storage, pairing.paper_scan.name)  # a refusal from here on leaves no file behind
        _save(pairing, ["responded_at", "response_channel", "responded_on_behalf_by", "expert_signed_at",
                        "enterprise_signed_at", "paper_signed_on", "paper_attached_by", "paper_attached_at",
                        "paper_content_type", "paper_scan", "status", "activated_at"],
              _("该需求已与其他劳模工匠结对。"), "challenge_taken")
        _audit(user, pairing, "paper_agreement", previous,
               note=_("纸质意向书（%(date)s 双方签署）由秘书处上传") % {"date": signed_on.isoformat()})
        _set_challenge_status(user, pairing.challenge, Challenge.Status.PAIRED, "pair", note=f"pairing {pairing.pk}")
        _supersede_other_proposals(user, pairing)
        notify(kind=notices.PAPER_AGREEMENT,
               recipients=[*_enterprise_recipients(pairing), *_expert_contacts(pairing)],
               subject=pairing, context=_context(pairing, signed_on=signed_on))
        logger.info("pairing %s active on paper signed %s, scan attached by user %s", pairing.pk, signed_on, user.pk)
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


# --- studio invitations (issue 12 §2) ---------------------------------------------------------------------


def _studio_recipients(studio) -> list:
    """The accounts that act for a studio: its managers and its lead's."""
    users = list(studio.managers.all())
    if studio.lead_id and studio.lead.user_id:
        users.append(studio.lead.user)
    return users


def _studio_context(invitation: StudioInvitation, **extra) -> dict:
    return dict(invitation_id=invitation.pk, challenge=invitation.challenge.title,
                enterprise=invitation.challenge.enterprise.name, studio=invitation.studio.name, **extra)


def _lock_invitation(invitation_id: int) -> StudioInvitation:
    """Lock the challenge, then the invitation (the order of _lock: challenge first)."""
    challenge_id = StudioInvitation.objects.filter(pk=invitation_id).values_list("challenge_id", flat=True).get()
    challenge = Challenge.objects.select_for_update().select_related("enterprise").get(pk=challenge_id)
    invitation = (StudioInvitation.objects.select_for_update(of=("self",)).select_related("studio__lead")
                  .get(pk=invitation_id))
    invitation.challenge = challenge
    return invitation


@transaction.atomic
def studio_invite(*, user, challenge: Challenge, studio, message: str = "", goals: str = "", start_date=None,
                  end_date=None) -> StudioInvitation:
    """Enterprise staff invite a studio to one of their open challenges; its lead and managers are told."""
    challenge = Challenge.objects.select_for_update().select_related("enterprise").get(pk=challenge.pk)
    _check(studio_invite_refusal(user, challenge, studio))
    if PairingAgreement.objects.filter(challenge=challenge, status__in=HOLDING).exists():
        raise Conflict(_("该需求已与一位劳模工匠结对。"), code="challenge_taken")
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})
    invitation = StudioInvitation(
        challenge=challenge, studio=studio, message=message, goals=goals, start_date=start_date, end_date=end_date,
        proposed_by=user, expires_at=timezone.now() + timedelta(days=settings.PAIRING_PROPOSAL_EXPIRY_DAYS))
    invitation.full_clean(exclude=["challenge", "studio", "proposed_by", "pairing"], validate_constraints=False)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise Conflict(_("已邀请该工作室，请等待工作室指派成员。"), code="duplicate_invitation") from None
    audit_record(actor=user, subject=invitation, action="studio_invite", to_state=invitation.status, note=message)
    notify(kind=notices.STUDIO_INVITATION, recipients=_studio_recipients(studio), subject=invitation,
           context=_studio_context(invitation, message=message, expires_at=invitation.expires_at))
    return invitation


@transaction.atomic
def studio_invitation_assign(*, user, invitation: StudioInvitation, expert: Expert) -> StudioInvitation:
    """The studio's lead or managers (or the secretariat for them) assign the member who takes the invitation:
    from then on it is that member's one-on-one proposal, naming the studio, under every rule of a proposal (one
    agreement per challenge, the member's capacity, conflicts of interest). The member is told as any invited
    expert (their account, or the one-time link when they have none); the enterprise is told who takes it."""
    invitation = _lock_invitation(invitation.pk)
    _check(studio_assign_refusal(user, invitation))
    challenge, studio = invitation.challenge, invitation.studio
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    if expert.studio_id != studio.pk and studio.lead_id != expert.pk:
        raise ValidationError({"expert": _("只能指派本工作室的成员。")})
    _check(invitee_refusal(challenge, expert))
    if PairingAgreement.objects.filter(expert=expert, status__in=HOLDING).count() >= expert.capacity:
        raise Conflict(_("该劳模工匠的结对数已达上限。"), code="capacity_reached")
    pairing = _propose(user=user, challenge=challenge, expert=expert, message=invitation.message,
                       goals=invitation.goals, start_date=invitation.start_date, end_date=invitation.end_date,
                       proposed_by=invitation.proposed_by, studio=studio)
    invitation.status, invitation.pairing = StudioInvitation.Status.ASSIGNED, pairing
    invitation.answered_at, invitation.answered_by = timezone.now(), user
    invitation.save(update_fields=["status", "pairing", "answered_at", "answered_by"])
    audit_record(actor=user, subject=invitation, action="studio_assign", from_state=StudioInvitation.Status.PENDING,
                 to_state=invitation.status, note=f"{expert.name} (expert {expert.pk}), pairing {pairing.pk}")
    notify(kind=notices.STUDIO_INVITATION_TAKEN, recipients=_enterprise_recipients(pairing), subject=invitation,
           context=_studio_context(invitation, expert=expert.name, pairing_id=pairing.pk, number=pairing.number))
    return invitation


@transaction.atomic
def studio_invitation_decline(*, user, invitation: StudioInvitation, note: str = "") -> StudioInvitation:
    """The studio (or the secretariat for it) declines, with a note; the enterprise is told."""
    invitation = _lock_invitation(invitation.pk)
    _check(studio_decline_refusal(user, invitation))
    invitation.status, invitation.note = StudioInvitation.Status.DECLINED, (note or "").strip()
    invitation.answered_at, invitation.answered_by = timezone.now(), user
    invitation.save(update_fields=["status", "note", "answered_at", "answered_by"])
    audit_record(actor=user, subject=invitation, action="studio_decline", from_state=StudioInvitation.Status.PENDING,
                 to_state=invitation.status, note=invitation.note)
    notify(kind=notices.STUDIO_INVITATION_DECLINED, recipients=list(invitation.challenge.enterprise.staff.all()),
           subject=invitation, context=_studio_context(invitation, note=invitation.note))
    return invitation


@transaction.atomic
def studio_invitation_withdraw(*, user, invitation: StudioInvitation, note: str = "") -> StudioInvitation:
    """The enterprise withdraws its invitation before the studio assigns a member."""
    invitation = _lock_invitation(invitation.pk)
    _check(studio_withdraw_refusal(user, invitation))
    invitation.status, invitation.note = StudioInvitation.Status.WITHDRAWN, (note or "").strip()
    invitation.answered_at, invitation.answered_by = timezone.now(), user
    invitation.save(update_fields=["status", "note", "answered_at", "answered_by"])
    audit_record(actor=user, subject=invitation, action="studio_withdraw", from_state=StudioInvitation.Status.PENDING,
                 to_state=invitation.status, note=invitation.note)
    return invitation


def studio_invitation_expire_due(*, now=None) -> int:
    """pending → expired for every studio invitation past its expires_at (beat, with the proposals). Idempotent."""
    now = now or timezone.now()
    expired = 0
    for invitation_id in list(StudioInvitation.objects.filter(
            status=StudioInvitation.Status.PENDING, expires_at__lte=now).values_list("pk", flat=True)):
        with transaction.atomic():
            if StudioInvitation.objects.filter(pk=invitation_id, status=StudioInvitation.Status.PENDING).update(
                    status=StudioInvitation.Status.EXPIRED) == 1:
                audit_record(actor=None, subject=StudioInvitation(pk=invitation_id), action="expire",
                             from_state=StudioInvitation.Status.PENDING, to_state=StudioInvitation.Status.EXPIRED)
                expired += 1
    return expired
