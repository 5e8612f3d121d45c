"""Django admin: every model has a working admin page; state changes go through admin actions that call services."""
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from alliance.models import EventParticipation, MembershipApplication, OutreachEvent
from experts.models import Expert
from jianglian.models import AuditEntry, NotificationLog
from enterprises.models import Challenge
from tests import factories

PROJECT_APPS = ("experts", "alliance", "enterprises", "matching", "jianglian")


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.com", "pass-word-123")
    client.force_login(user)
    return client, user


def test_every_model_of_the_project_apps_is_registered():
    missing = [m._meta.label for app in PROJECT_APPS for m in apps.get_app_config(app).get_models()
               if m not in admin.site._registry and not m._meta.auto_created]
    assert missing == []


@pytest.mark.django_db
def test_every_changelist_search_and_change_page_answers(superuser_client):
    client, user = superuser_client
    enterprise_user, enterprise = factories.make_enterprise_user()
    skill = factories.make_skill()
    expert = factories.make_expert(skills=[skill], honours=["great_craftsman"])
    factories.make_studio(lead=expert, skills=[skill])
    factories.make_challenge(enterprise=enterprise, skills=[skill])
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        info = model._meta.app_label, model._meta.model_name
        assert client.get(reverse("admin:%s_%s_changelist" % info)).status_code == 200, info
        if model_admin.search_fields:
            assert client.get(reverse("admin:%s_%s_changelist" % info), {"q": "精馏"}).status_code == 200, info
        obj = model.objects.first()
        if obj is not None:
            assert client.get(reverse("admin:%s_%s_change" % info, args=[obj.pk])).status_code == 200, info
        if model_admin.has_add_permission(type("R", (), {"user": user})()):
            assert client.get(reverse("admin:%s_%s_add" % info)).status_code == 200, info


@pytest.mark.django_db
def test_the_verify_action_verifies_through_the_service_and_audits(client):
    secretariat = factories.make_secretariat()
    secretariat.is_superuser = True  # admin permissions; the rule itself checks the secretariat role
    secretariat.save()
    client.force_login(secretariat)
    enterprise = factories.make_enterprise(verified=False)
    response = client.post(reverse("admin:enterprises_enterprise_changelist"),
                           {"action": "verify", "_selected_action": [enterprise.pk]}, follow=True)
    assert response.status_code == 200
    enterprise.refresh_from_db()
    assert enterprise.verified and enterprise.verified_by == secretariat
    assert AuditEntry.objects.filter(subject_type="enterprises.enterprise", subject_id=enterprise.pk,
                                     action="verify").exists()


@pytest.mark.django_db
def test_a_staff_user_outside_the_secretariat_is_refused_by_the_service(client, django_user_model):
    staff = django_user_model.objects.create_user("clerk", password="pass-word-123", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_membershipapplication",
                                                                         "change_membershipapplication"]))
    client.force_login(staff)
    studio = factories.make_studio()
    application = MembershipApplication.objects.create(studio=studio, statement="申请入盟")
    response = client.post(reverse("admin:alliance_membershipapplication_changelist"),
                           {"action": "approve", "_selected_action": [application.pk]}, follow=True)
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.PENDING
    assert "只有秘书处" in response.content.decode()


@pytest.mark.django_db
def test_approve_and_close_actions_call_the_services(client):
    secretariat = factories.make_secretariat()
    secretariat.is_superuser = True
    secretariat.save()
    client.force_login(secretariat)
    application = MembershipApplication.objects.create(studio=factories.make_studio(), statement="申请入盟")
    challenge = factories.make_challenge(status=Challenge.Status.OPEN)
    client.post(reverse("admin:alliance_membershipapplication_changelist"),
                {"action": "approve", "_selected_action": [application.pk]})
    client.post(reverse("admin:enterprises_challenge_changelist"),
                {"action": "close", "_selected_action": [challenge.pk]})
    application.refresh_from_db()
    challenge.refresh_from_db()
    assert application.status == "approved" and application.reviewed_by == secretariat
    assert application.studio.membership_status == "member"
    assert challenge.status == "closed"
    assert AuditEntry.objects.filter(action="close", subject_id=challenge.pk).exists()


@pytest.mark.django_db
def test_an_event_and_its_invitations_are_written_by_the_services(client):
    secretariat = factories.make_secretariat()
    secretariat.is_staff = True
    secretariat.is_superuser = True
    secretariat.save()
    client.force_login(secretariat)
    expert_user, expert = factories.make_expert_user()
    form = {
        "title": "走进化工职院", "school": "四川化工职业技术学院", "province": "sichuan", "city": "泸州",
        "starts_at_0": "2031-05-01", "starts_at_1": "09:00:00", "format": "lecture", "topic": "精馏节能",
        "capacity": "100", "audience": "学生",
        "participations-TOTAL_FORMS": "1", "participations-INITIAL_FORMS": "0",
        "participations-MIN_NUM_FORMS": "0", "participations-MAX_NUM_FORMS": "1000",
        "participations-0-expert": str(expert.pk), "participations-0-role": "主讲",
    }

    response = client.post(reverse("admin:alliance_outreachevent_add"), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    event = OutreachEvent.objects.get()
    assert (event.status, event.created_by) == ("planned", secretariat)
    assert AuditEntry.objects.filter(subject_id=event.pk, action="create").exists()  # event_create audits
    assert [(p.expert, p.role, p.status) for p in event.participations.all()] == [(expert, "主讲", "invited")]
    assert NotificationLog.objects.filter(recipient=expert_user, channel="email").count() == 1  # event_invite_experts mails


def test_participations_and_an_experts_account_are_not_edited_by_hand():
    participation_admin = admin.site._registry[EventParticipation]
    expert_admin = admin.site._registry[Expert]

    assert not participation_admin.has_add_permission(None) and not participation_admin.has_change_permission(None)
    assert "user" in expert_admin.readonly_fields
