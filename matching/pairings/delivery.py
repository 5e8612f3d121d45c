"""Sending an invitation link to the channels of a catalog entry without an account (e-mail now; SMS and the
outbox come with jianglian.notifications' channels)."""
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from jianglian.notifications import render

from ..models import PairingInvitationLink
from . import notices
from .invitations import link_path
from .selectors import expert_channels

logger = logging.getLogger(__name__)


def invitation_context(link: PairingInvitationLink) -> dict:
    pairing = link.pairing
    site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return {
        "pairing_id": pairing.pk, "challenge": pairing.challenge.title, "enterprise": pairing.challenge.enterprise.name,
        "expert": pairing.expert.name, "message": pairing.message,
        "studio": pairing.studio.name if pairing.studio_id else "",
        "expires_at": timezone.localtime(pairing.expires_at).strftime("%Y-%m-%d %H:%M") if pairing.expires_at else "",
        "link": site + link_path(link),
    }


def invitation_link_deliver(link_id: int) -> bool:
    """Send the link once (the row is claimed under a lock); True when this call sent it."""
    with transaction.atomic():
        link = (PairingInvitationLink.objects.select_for_update(of=("self",))
                .select_related("pairing__challenge__enterprise", "pairing__expert__user", "pairing__studio")
                .filter(pk=link_id, sent_at__isnull=True).first())
        if link is None:
            return False
        channels = expert_channels(link.pairing.expert)
        sent = {}
        if "email" in channels:
            subject, body = render(notices.INVITATION_LINK, settings.LANGUAGE_CODE, invitation_context(link))
            EmailMessage(subject=subject, body=body, to=[channels["email"]]).send()
            sent["email"] = channels["email"]
        link.sent_to, link.sent_at = sent, timezone.now()
        link.save(update_fields=["sent_to", "sent_at"])
    logger.info("invitation link %s of pairing %s sent to %s", link.pk, link.pairing_id, sorted(sent) or "no channel")
    return bool(sent)
