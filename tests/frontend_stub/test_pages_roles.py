"""Pages by role, one table: every page of the site × every role.

A workspace page answers its own role(s); any other signed-in role gets 403 (with a link to its own
workspace), an anonymous visitor is sent to sign in. The pages of one agreement answer its two parties and the
secretariat; to anyone else the agreement does not exist (404). Public pages answer everyone. Which objects a role may
see or change on its own pages is each feature's spec; here every object belongs to the role that owns it.
"""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.models import EventRequest, ServiceDay
from alliance.services import membership_apply
from jianglian.models import RosterUpload
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "no_role", "enterprise", "expert", "secretariat"]
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
ENTERPRISE, EXPERT, SECRETARIAT = {"enterprise"}, {"expert"}, {"secretariat"}
PARTIES = {"enterprise", "expert"}
AGREEMENT = PARTIES | SECRETARIAT  # refused with 404: another user's agreement is not shown to exist

# (url name, method, argument builder from the world, roles that may open it)
PAGES = [
    # public
    ("web:home", "get", None, EVERYONE),
    ("web:batches", "get", None, EVERYONE),
    ("web:experts", "get", None, EVERYONE),
    ("web:expert", "get", lambda w: [w.expert.pk], EVERYONE),
    ("web:studios", "get", None, EVERYONE),
    ("web:studio", "get", lambda w: [w.studio.pk], EVERYONE),
    ("web:challenge", "get", lambda w: [w.open_challenge.pk], EVERYONE),
    ("web:activities", "get", None, EVERYONE),
    ("web:event", "get", lambda w: [w.public_event.pk], EVERYONE),
    ("web:event_request", "get", None, EVERYONE),
    ("web:service_day", "get", lambda w: [w.service_day.pk], EVERYONE),
    ("web:login", "get", None, EVERYONE),
    ("web:signup", "get", None, EVERYONE),
    ("web:signup_enterprise", "get", None, EVERYONE),
    ("web:my_home", "get", None, SIGNED_IN),
    ("web:my_studio_invitations", "get", None, SIGNED_IN),  # a studio's lead or managers, the secretariat: theirs
    ("web:password_change", "get", None, SIGNED_IN),
    ("web:notifications", "get", None, SIGNED_IN),
    ("web:notifications_mark_read", "post", None, SIGNED_IN),
    ("web:notification_settings", "get", None, SIGNED_IN),
    # enterprise staff
    ("web:my_challenges", "get", None, ENTERPRISE),
    ("web:challenge_new", "get", None, ENTERPRISE),
    ("web:challenge_edit", "get", lambda w: [w.draft.pk], ENTERPRISE),
    ("web:challenge_publish", "post", lambda w: [w.draft.pk], ENTERPRISE),
    ("web:challenge_close", "post", lambda w: [w.draft.pk], ENTERPRISE),
    ("web:challenge_matches_refresh", "post", lambda w: [w.open_challenge.pk], ENTERPRISE | SECRETARIAT),
    ("web:invite", "post", lambda w: [w.open_challenge.pk, w.expert.pk], ENTERPRISE),
    ("web:invite", "get", lambda w: [w.open_challenge.pk, w.expert.pk], ENTERPRISE),
    ("web:invite_studio", "post", lambda w: [w.open_challenge.pk, w.studio.pk], ENTERPRISE),
    # both sides of an agreement
    ("web:my_agreements", "get", None, PARTIES),
    ("web:pairing", "get", lambda w: [w.pairing.pk], AGREEMENT),
    ("web:pairing_print", "get", lambda w: [w.pairing.pk], AGREEMENT),
    ("web:pairing_pdf", "get", lambda w: [w.pairing.pk], AGREEMENT),
    ("web:pairing_action", "post", lambda w: [w.pairing.pk, "sign"], PARTIES),  # the secretariat sees, never signs
    ("web:pairing_complete", "post", lambda w: [w.pairing.pk], PARTIES),
    # the secretariat's liaison on an agreement (a 404 to whoever does not see it)
    ("web:pairing_record_response", "post", lambda w: [w.pairing.pk], SECRETARIAT),
    ("web:pairing_attach_paper", "post", lambda w: [w.pairing.pk], SECRETARIAT),
    # experts
    ("web:my_invitations", "get", None, EXPERT),
    ("web:expert_open_challenges", "get", None, EXPERT),
    ("web:my_events", "get", None, EXPERT),
    ("web:event_respond", "post", lambda w: [w.event.pk, "confirm"], EXPERT),
    ("web:expert_profile", "get", None, EXPERT),
    # the secretariat
    ("web:secretariat", "get", None, SECRETARIAT),
    ("web:campaign_report", "get", None, SECRETARIAT),
    ("web:review_application", "post", lambda w: [w.application.pk, "approve"], SECRETARIAT),
    ("web:publish_batch", "post", None, SECRETARIAT),
    ("web:verify_enterprise", "post", lambda w: [w.unverified.pk], SECRETARIAT),
    ("web:verify_enterprise_group", "post", lambda w: [w.group_member.pk], SECRETARIAT),
    ("web:expert_claim_link", "post", lambda w: [w.unclaimed.pk], SECRETARIAT),
    ("web:expert_claims", "get", None, SECRETARIAT),
    ("web:liaison_queue", "get", None, SECRETARIAT),
    ("web:roster_imports", "get", None, SECRETARIAT),
    ("web:roster_import", "get", lambda w: [w.upload.token], SECRETARIAT),
    ("web:roster_import_progress", "get", lambda w: [w.upload.token], SECRETARIAT),
    ("web:roster_import_confirm", "post", lambda w: [w.upload.token], SECRETARIAT),
    ("web:roster_import_template", "get", lambda w: ["experts"], SECRETARIAT),
    ("web:taxonomy", "get", None, SECRETARIAT),
    ("web:taxonomy_skill", "get", lambda w: [w.skill.pk], SECRETARIAT),
    ("web:manage_activities", "get", None, SECRETARIAT),
    ("web:event_new", "get", None, SECRETARIAT),
    ("web:manage_event", "get", lambda w: [w.event.pk], SECRETARIAT),
    ("web:event_edit", "get", lambda w: [w.event.pk], SECRETARIAT),
    ("web:event_invite", "post", lambda w: [w.event.pk], SECRETARIAT),
    ("web:event_confirm", "post", lambda w: [w.event.pk], SECRETARIAT),
    ("web:event_report", "post", lambda w: [w.event.pk], SECRETARIAT),
    ("web:event_cancel", "post", lambda w: [w.event.pk], SECRETARIAT),
    ("web:request_accept", "post", lambda w: [w.event_request.pk], SECRETARIAT),
    ("web:request_decline", "post", lambda w: [w.event_request.pk], SECRETARIAT),
    ("web:service_day_new", "get", None, SECRETARIAT),
    ("web:manage_service_day", "get", lambda w: [w.service_day.pk], SECRETARIAT),
    ("web:service_day_participants", "post", lambda w: [w.service_day.pk], SECRETARIAT),
    ("web:service_day_close", "post", lambda w: [w.service_day.pk, "cancel"], SECRETARIAT),
    # those at a service day (the secretariat and its experts; this world's expert is not at it)
    ("web:service_day_log", "post", lambda w: [w.service_day.pk], SECRETARIAT),
]


@pytest.fixture
def world(django_user_model):
    enterprise_user, enterprise = factories.make_enterprise_user()
    expert_user, expert = factories.make_expert_user()
    lead_user, lead = factories.make_expert_user()
    studio = factories.make_studio(lead=lead)
    event = factories.make_event()
    event.participations.create(expert=expert, role="主讲")
    open_challenge = factories.make_challenge(enterprise=enterprise)
    return SimpleNamespace(
        users={
            "anonymous": None,
            "no_role": django_user_model.objects.create_user("no-role", password="pass-word-123"),
            "enterprise": enterprise_user, "expert": expert_user, "secretariat": factories.make_secretariat(),
        },
        expert=expert, studio=studio, event=event,
        draft=factories.make_challenge(enterprise=enterprise, status="draft"),
        open_challenge=open_challenge,
        pairing=factories.make_pairing(challenge=open_challenge, expert=expert, status="accepted"),
        application=membership_apply(user=lead_user, studio=studio, statement="十年来完成技改项目四十余项。"),
        unverified=factories.make_enterprise(verified=False),
        group_member=factories.make_enterprise(group=enterprise),
        unclaimed=factories.make_expert(),
        upload=RosterUpload.objects.create(kind="experts", filename="roster.xlsx"),
        skill=factories.make_skill(),
        public_event=factories.make_event(status="confirmed"),
        service_day=ServiceDay.objects.create(title="助企行", venue="园区", province="sichuan", city="泸州",
                                              starts_at=timezone.now() + timedelta(days=3)),
        event_request=EventRequest.objects.create(
            school="某职院", contact_name="王", phone="13800138000", province="sichuan", city="泸州", topic="安全",
            audience="学生", preferred_dates=[(timezone.localdate() + timedelta(days=9)).isoformat()],
            format="lecture"),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name, method, args, allowed", PAGES, ids=[page[0].removeprefix("web:") for page in PAGES])
def test_each_page_answers_its_roles_and_refuses_the_others(web, world, role, name, method, args, allowed):
    url = reverse(name, args=args(world) if args else None)
    # a filled-in outcome form, so that its page reaches the rule (an empty one is its field errors for anyone)
    data = {"outcome-outcome_summary": "培训了三名班组长。"} if name == "web:pairing_complete" else None
    response = getattr(web(world.users[role]), method)(url, data)

    if role in allowed:  # 400: the page's own form shown again with its field errors (nothing was filled in)
        assert response.status_code in {200, 302, 400}, response.status_code
        if response.status_code == 302:  # an action done (or refused with a message), never "sign in first"
            assert not response["Location"].startswith(reverse("web:login"))
    elif role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
    elif name.startswith("web:pairing") and role not in AGREEMENT:
        assert response.status_code == 404
    else:
        assert response.status_code == 403
        assert reverse("web:my_home") in response.content.decode()  # the way to the role's own workspace


def test_the_table_covers_every_page_of_the_site():
    from frontend_stub import urls

    listed = {name.removeprefix("web:") for name, *_ in PAGES}
    # The expert sign-up answers a claim link (test_pages_accounts.py), the invitation link's page its link and the
    # paper scan exists once attached (tests/matching/test_liaison.py); sign-out and the skill suggestions are no
    # pages of a role; one notification opens for its recipient only and a short link for anyone
    # (test_pages_notifications.py, tests/jianglian/test_notifications.py); turning a service day's question into a
    # challenge answers those who see the question (test_pages_activities.py); a studio invitation's actions answer
    # its studio and enterprise (tests/matching/test_studio_invitations.py).
    per_object = {"signup_expert", "invitation_link", "pairing_paper", "studio_invitation_action", "logout",
                  "skill_suggestions", "notification_open", "short_link", "service_question_convert"}
    assert {p.name for p in urls.urlpatterns} == listed | per_object
