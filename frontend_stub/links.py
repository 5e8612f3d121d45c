"""The page each notification leads to (its deep link): registered with jianglian.notifications, which knows no
app, for the models notifications are about."""
from django.urls import reverse

from jianglian.notifications import register_link
from jianglian.roles import is_secretariat


def _pairing(pairing, kind, user):
    return reverse("web:pairing", args=[pairing.pk])


def _membership_application(application, kind, user):
    return reverse("web:studio", args=[application.studio_id])


def _participation(participation, kind, user):
    return reverse("web:my_events")


def _event(event, kind, user):
    if user is not None and is_secretariat(user):
        return reverse("web:secretariat")
    return reverse("web:my_events")


def _enterprise(enterprise, kind, user):
    return reverse("web:my_challenges")


def _service_question(question, kind, user):
    """An unsolved question of a service day became a draft challenge: its page, to review and publish."""
    if question.challenge_id:
        return reverse("web:challenge", args=[question.challenge_id])
    return reverse("web:my_challenges")


def register_notification_links():
    register_link("matching.pairingagreement", _pairing)
    register_link("alliance.membershipapplication", _membership_application)
    register_link("alliance.eventparticipation", _participation)
    register_link("alliance.outreachevent", _event)
    register_link("enterprises.enterprise", _enterprise)
    register_link("alliance.servicedayexpert", _participation)  # a service day the expert takes part in
    register_link("alliance.servicedayquestion", _service_question)
