"""An audit trail nobody rewrites, and history that no deletion takes with it.

- AuditEntry is insert-only: saving an existing entry, update(), delete() of an entry or a queryset raise;
  on PostgreSQL a trigger refuses UPDATE and DELETE in SQL too (only the actor set to NULL, by an account's
  deletion, passes: the name and role were copied in).
- Accounts are deactivated, never deleted, from the admin (which says why); deactivated ones cannot sign in.
- History rows are protected from cascades: a studio with applications, an event or an expert with outreach
  participations, an expert or challenge with agreements cannot be deleted (the admin lists what holds it).
"""
import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from alliance import services as alliance_services
from alliance.models import EventParticipation, MembershipApplication, Studio
from jianglian import services
from jianglian.errors import NotAllowed
from jianglian.models import AuditEntry, AuditTrailInsertOnly
from matching.pairings import services as pairing_services
from tests import factories

pytestmark = pytest.mark.django_db

POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture
def entry(secretariat):
    parties = factories.make_pairing_parties()
    parties.enterprise_user.first_name, parties.enterprise_user.last_name = "", "王经理"
    parties.enterprise_user.save()
    pairing = pairing_services.pairing_propose(user=parties.enterprise_user, challenge=parties.challenge,
                                               expert=parties.expert, message="你好")
    return AuditEntry.objects.get(subject_id=pairing.pk, action="propose"), parties


def test_the_entry_copies_the_actors_name_and_role(entry):
    entry, parties = entry
    assert entry.actor_name == f"王经理 ({parties.enterprise_user.username})"
    assert entry.actor_role == "enterprise"


def test_roles_are_named_for_each_kind_of_actor(secretariat):
    application = factories.make_reviewed_application(secretariat)
    application_entries = AuditEntry.objects.filter(subject_type="alliance.membershipapplication",
                                                    subject_id=application.pk)
    review, submitted = application_entries.get(action="review"), application_entries.get(action="apply")
    assert (review.actor_role, submitted.actor_role) == ("secretariat", "expert")
    factories.make_pairing(status="proposed", expires_at="2000-01-01T00:00:00Z")
    pairing_services.pairing_expire_due()
    assert AuditEntry.objects.get(action="expire").actor_role == "system"


def test_an_existing_entry_cannot_be_saved_updated_or_deleted_through_the_orm(entry):
    entry, _ = entry
    entry.note = "改过的说明"
    with pytest.raises(AuditTrailInsertOnly):
        entry.save()
    with pytest.raises(AuditTrailInsertOnly):
        entry.save(update_fields=["note"])
    with pytest.raises(AuditTrailInsertOnly):
        entry.delete()
    with pytest.raises(AuditTrailInsertOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(note="改过的说明")
    with pytest.raises(AuditTrailInsertOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditTrailInsertOnly):
        AuditEntry.objects.bulk_update([entry], ["note"])
    entry.refresh_from_db()
    assert entry.note == "你好" and AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.postgres_only
@pytest.mark.skipif(not POSTGRES, reason="the trigger is PostgreSQL's: set DATABASE_URL=postgres://…")
@pytest.mark.parametrize("sql", [
    "UPDATE alliance_auditentry SET note = 'rewritten' WHERE id = %s",
    "UPDATE alliance_auditentry SET actor_name = 'someone else' WHERE id = %s",
    "UPDATE alliance_auditentry SET actor_id = NULL, note = 'and the note' WHERE id = %s",
    "DELETE FROM alliance_auditentry WHERE id = %s",
])
def test_on_postgresql_a_trigger_refuses_sql_update_and_delete(entry, sql):
    entry, _ = entry
    with pytest.raises(DatabaseError, match="insert-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert (fresh.note, fresh.actor_id) == ("你好", entry.actor_id)


def test_deleting_an_account_keeps_who_did_it(entry):
    """Not done by the platform (accounts are deactivated), but a shell or a cleanup script may: the entry
    survives with the copied name and role, on PostgreSQL through the one UPDATE the trigger allows."""
    entry, parties = entry
    user = parties.enterprise_user
    user.enterprises.clear()
    PairingAgreementModel = entry._meta.apps.get_model("matching", "PairingAgreement")
    PairingAgreementModel.objects.filter(proposed_by=user).update(proposed_by=None)
    user.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor_id is None
    assert entry.actor_name.endswith(f"({user.username})") and entry.actor_role == "enterprise"


def test_renaming_an_account_keeps_the_name_it_acted_under(entry):
    entry, parties = entry
    parties.enterprise_user.last_name = "李经理"
    parties.enterprise_user.save()
    assert AuditEntry.objects.get(pk=entry.pk).actor_name.startswith("王经理")


# --- accounts are deactivated, not deleted --------------------------------------------------------------

def test_the_secretariat_deactivates_an_account_which_then_cannot_sign_in(secretariat, token_client_for):
    user, _ = factories.make_enterprise_user()
    client = token_client_for(user)
    assert client.get("/api/v1/pairings/").status_code == 200
    services.account_deactivate(user=secretariat, account=user, reason="离职")
    assert client.get("/api/v1/pairings/").status_code == 401
    entry = AuditEntry.objects.get(subject_type="auth.user", subject_id=user.pk)
    assert (entry.action, entry.from_state, entry.to_state) == ("deactivate", "active", "inactive")
    services.account_reactivate(user=secretariat, account=user)
    assert client.get("/api/v1/pairings/").status_code == 200


def test_only_the_secretariat_deactivates_accounts(enterprise_user, expert_user):
    with pytest.raises(NotAllowed):
        services.account_deactivate(user=enterprise_user[0], account=expert_user[0])


@pytest.fixture
def admin_client(client, secretariat):
    secretariat.is_superuser = True
    secretariat.save()
    client.force_login(secretariat)
    return client


def test_the_admin_deactivates_instead_of_deleting_and_says_why(admin_client):
    user, _ = factories.make_enterprise_user()
    changelist = reverse("admin:auth_user_changelist")
    actions = admin_client.get(changelist).context["action_form"].fields["action"].choices
    assert "delete_selected" not in dict(actions) and "deactivate" in dict(actions)

    response = admin_client.get(reverse("admin:auth_user_delete", args=[user.pk]), follow=True)
    assert "只能停用" in response.content.decode()
    user.refresh_from_db()

    admin_client.post(changelist, {"action": "deactivate", "_selected_action": [user.pk]})
    user.refresh_from_db()
    assert user.is_active is False


# --- history is protected from cascades ----------------------------------------------------------------

def test_a_studio_with_applications_is_not_deleted_and_the_admin_says_why(admin_client, secretariat):
    application = factories.make_reviewed_application(secretariat)
    studio = application.studio
    with pytest.raises(ProtectedError):
        studio.delete()
    page = admin_client.get(reverse("admin:alliance_studio_delete", args=[studio.pk])).content.decode()
    assert "protected" in page or "受保护" in page
    assert str(application) in page or "入盟申请" in page
    admin_client.post(reverse("admin:alliance_studio_delete", args=[studio.pk]), {"post": "yes"})
    assert Studio.objects.filter(pk=studio.pk).exists()
    assert MembershipApplication.objects.filter(pk=application.pk).exists()


def test_an_event_or_an_expert_with_participations_is_not_deleted(secretariat):
    event = factories.make_event()
    expert = factories.make_expert()
    alliance_services.event_invite_experts(user=secretariat, event=event, experts=[expert], role="主讲")
    with pytest.raises(ProtectedError):
        event.delete()
    with pytest.raises(ProtectedError):
        expert.delete()
    assert EventParticipation.objects.filter(event=event, expert=expert).exists()


def test_an_expert_or_a_challenge_with_agreements_is_not_deleted():
    pairing = factories.make_pairing()
    with pytest.raises(ProtectedError):
        pairing.expert.delete()
    with pytest.raises(ProtectedError):
        pairing.challenge.delete()
    with pytest.raises(ProtectedError):
        pairing.challenge.enterprise.delete()
