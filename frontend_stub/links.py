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
        return reverse("web:manage_event", args=[event.pk])
    return reverse("web:my_events")


def _event_request(request, kind, user):
    """The school sees its event once it is public; until then, the activities."""
    return reverse("web:event", args=[request.event_id]) if request.event_id else reverse("web:activities")


def _service_day_expert(participation, kind, user):
    return reverse("web:service_day", args=[participation.service_day_id])


def _service_day_question(question, kind, user):
    if question.challenge_id:
        return reverse("web:challenge", args=[question.challenge_id])
    return reverse("web:service_day", args=[question.service_day_id])


def _enterprise(enterprise, kind, user):
    return reverse("web:my_challenges")


def register_notification_links():
    register_link("matching.pairingagreement", _pairing)
    register_link("alliance.membershipapplication", _membership_application)
    register_link("alliance.eventparticipation", _participation)
    register_link("alliance.outreachevent", _event)
    register_link("enterprises.enterprise", _enterprise)
    register_link("alliance.eventrequest", _event_request)
    register_link("alliance.servicedayexpert", _service_day_expert)
    register_link("alliance.servicedayquestion", _service_day_question)
