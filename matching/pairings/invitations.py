"""Invitations of experts who have no account (issue 12 §1): the one-time link.

When an enterprise proposes a pairing to a catalog entry nobody has claimed, `invitation_link_issue` writes a
`PairingInvitationLink` and sends its URL through every channel the entry has (e-mail, mobile). The token is the
row's id signed with the site's key (django.core.signing, salt `matching.invitation`), so it cannot be guessed
and nothing secret is stored.

The link opens the invitation on a phone-sized page (frontend_stub.views.invitations); in one visit the expert
creates the account of their catalog entry (the claim flow: experts.services.expert_link_account) and accepts
or declines (the pairing services, as the new account). It is refused — with a message that says why — when:

- the token is not one we signed (`link_invalid`),
- it was used already (`link_used`),
- the invitation was answered, withdrawn or superseded (`link_answered`), or expired (`link_expired`: the link
  lives as long as the proposal, `PairingAgreement.expires_at`),
- the catalog entry has an account now, claimed by someone else (`link_claimed`; the expert who claimed it
  answers on the site instead),
- another user is signed in (`link_other_user`): the link is the expert's only.
"""
import logging
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.services import expert_link_account
from jianglian.errors import Conflict, DomainError, IllegalTransition, NotAllowed
from jianglian.notifications import notify

from ..models import PairingAgreement, PairingInvitationLink, ResponseChannel
from . import notices
from .selectors import expert_channels, expert_contact

logger = logging.getLogger(__name__)

Status = PairingAgreement.Status
LINK_SALT = "matching.invitation"


def link_token(link: PairingInvitationLink) -> str:
    return signing.dumps(link.pk, salt=LINK_SALT)


def link_path(link: PairingInvitationLink) -> str:
    """The site path of a link (what the messages carry, made absolute by the sender)."""
    return reverse("web:invitation_link", args=[link_token(link)])


def invitation_link_issue(pairing: PairingAgreement) -> PairingInvitationLink:
    """A new link for a proposal to an expert without an account, sent through every channel the catalog entry
    has (e-mail, SMS with a short link: jianglian.notifications' outbox, after commit, once per channel). Called by
    pairing_propose inside its transaction; an entry without any channel gets none (the liaison queue lists it)."""
    expert = pairing.expert
    channels = expert_channels(expert)
    link = PairingInvitationLink.objects.create(pairing=pairing, sent_to=channels,
                                                sent_at=timezone.now() if channels else None)
    contact = expert_contact(expert)
    if contact is not None:
        notify(kind=notices.INVITATION_LINK, recipients=[contact], subject=pairing, event=f"link-{link.pk}",
               link=link_path(link), context=dict(
                   pairing_id=pairing.pk, number=pairing.number, challenge=pairing.challenge.title,
                   enterprise=pairing.challenge.enterprise.name, expert=expert.name, message=pairing.message,
                   studio=pairing.studio.name if pairing.studio_id else "", expires_at=pairing.expires_at))
    return link


@dataclass
class LinkState:
    """What a link opens now: the link and its invitation, or the refusal that says why not."""

    link: PairingInvitationLink | None
    refusal: DomainError | None

    @property
    def pairing(self):
        return self.link.pairing if self.link is not None else None


def _link_of(token: str, *, lock: bool = False) -> PairingInvitationLink | None:
    try:
        link_id = signing.loads(token or "", salt=LINK_SALT)
    except signing.BadSignature:
        return None
    qs = PairingInvitationLink.objects.select_related("pairing__challenge__enterprise", "pairing__expert__user",
                                                      "pairing__studio")
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.filter(pk=link_id).first() if isinstance(link_id, int) else None


def link_refusal(link: PairingInvitationLink | None, user, *, now=None) -> DomainError | None:
    """Why `link` cannot be used by `user` (anonymous, or signed in) now; None when it can."""
    if link is None:
        return DomainError(_("邀请链接无效。请使用短信或邮件中的完整链接。"), code="link_invalid")
    pairing = link.pairing
    if link.used_at is not None:
        return IllegalTransition(_("该邀请链接已使用过。请登录匠联平台查看邀请。"), code="link_used")
    if pairing.expert.user_id is not None:
        return IllegalTransition(_("该劳模工匠的账号已开通，邀请链接不再可用。请登录后在“结对邀请”中答复。"),
                                 code="link_claimed")
    if user is not None and user.is_authenticated:
        return NotAllowed(_("邀请链接只能由受邀的劳模工匠本人使用。请先退出当前账号。"), code="link_other_user")
    if pairing.status == Status.EXPIRED or (
            pairing.status == Status.PROPOSED and pairing.expires_at is not None
            and pairing.expires_at <= (now or timezone.now())):
        return IllegalTransition(_("该邀请已于 %(when)s 过期。") % {
            "when": timezone.localtime(pairing.expires_at).strftime("%Y-%m-%d %H:%M")}, code="link_expired")
    if pairing.status == Status.ACCEPTED and pairing.expert_signed_at is None:
        return None  # accepted on the expert's behalf (a liaison): the link still opens the account, to sign
    if pairing.status != Status.PROPOSED:
        return IllegalTransition(_("该邀请已%(status)s，无需再答复。") % {"status": pairing.get_status_display()},
                                 code="link_answered")
    return None


def link_needs_answer(link: PairingInvitationLink) -> bool:
    """Whether the link's page asks accept / decline (a pending invitation) or only opens the account (an
    invitation a liaison recorded as accepted: the expert then signs on the agreement's page)."""
    return link.pairing.status == Status.PROPOSED


def invitation_link_open(*, token: str, user) -> LinkState:
    """What the link `token` opens for `user` now (the page shows the invitation or the refusal)."""
    link = _link_of(token)
    return LinkState(link=link, refusal=link_refusal(link, user))


@transaction.atomic
def invitation_link_redeem(*, token: str, user, accept: bool = True, note: str = "") -> PairingAgreement:
    """In one visit: `user` (the account just created on the link's page) becomes the account of the invited
    catalog entry, the link is used up, and the invitation is accepted or declined as that account (`accept`;
    an invitation a liaison recorded as accepted only gets its account: the expert signs next).

    `user` must be a new account without a role; the page creates it in the same transaction, so a refusal
    (a used link, a lost race, the expert's capacity reached) leaves no account and no claim behind."""
    from . import services

    link = _link_of(token, lock=True)
    refusal = link_refusal(link, None)
    if refusal is not None:
        raise refusal
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("请先登录。"), code="not_authenticated")
    # Used once: the conditional update makes a second redemption (a double submit, a race) lose.
    if PairingInvitationLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
            used_at=timezone.now(), used_by=user) != 1:
        raise Conflict(_("该邀请链接已使用过。"), code="link_used")
    pairing = link.pairing
    expert_link_account(user=user, expert=pairing.expert, via=f"invitation link of pairing {pairing.pk}")
    if not link_needs_answer(link):
        logger.info("invitation link %s used: expert %s claimed by user %s", link.pk, pairing.expert_id, user.pk)
        return pairing
    service = services.pairing_accept if accept else services.pairing_decline
    pairing = service(user=user, pairing=pairing, note=note, channel=ResponseChannel.LINK)
    logger.info("invitation link %s used: expert %s claimed by user %s and %s", link.pk, pairing.expert_id, user.pk,
                "accepted" if accept else "declined")
    return pairing
