"""Fields a role may not change, refused with a field error by the service whatever the interface; a suspended
studio that applies again asks to be reinstated, and only the secretariat's decision on that makes it a member.

- a studio's name and level are the secretariat's (a lead may send them back unchanged, as a form does);
- a studio's membership status moves only through the membership services;
- an enterprise's verification is the secretariat's (verify), never a field its staff edit.
"""
import pytest
from django.core.exceptions import ValidationError

from alliance import services
from alliance.models import MembershipApplication, Studio
from enterprises import services as enterprise_services
from jianglian.errors import IllegalTransition
from jianglian.models import AuditEntry
from tests import factories
from tests.gql import gid, run

pytestmark = pytest.mark.django_db

Level = Studio.Level


@pytest.fixture
def led_studio(expert_user):
    user, lead = expert_user
    return user, factories.make_studio(lead=lead, level=Level.MUNICIPAL, name="精馏节能创新工作室")


@pytest.mark.parametrize("field, value", [("level", Level.NATIONAL), ("name", "国家级精馏工作室")])
def test_the_lead_may_not_change_the_name_or_level_service(led_studio, field, value):
    user, studio = led_studio
    with pytest.raises(ValidationError) as refused:
        services.studio_update(user=user, studio=studio, **{field: value, "description": "新简介"})
    assert list(refused.value.message_dict) == [field]
    studio.refresh_from_db()
    assert (studio.level, studio.name, studio.description) == (Level.MUNICIPAL, "精馏节能创新工作室", "")


@pytest.mark.parametrize("field, value", [("level", "national"), ("name", "国家级精馏工作室")])
def test_the_lead_may_not_change_the_name_or_level_rest(led_studio, token_client_for, field, value):
    user, studio = led_studio
    response = token_client_for(user).patch(f"/api/v1/studios/{studio.pk}/", {field: value}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    studio.refresh_from_db()
    assert getattr(studio, field) != value


def test_a_form_sending_the_name_and_level_back_unchanged_passes(led_studio, token_client_for):
    user, studio = led_studio
    response = token_client_for(user).patch(f"/api/v1/studios/{studio.pk}/", {
        "level": studio.level, "description": "新简介"}, format="json")
    assert response.status_code == 200, response.json()
    services.studio_update(user=user, studio=studio, name=studio.name, level=studio.level, description="再改")


def test_the_secretariat_changes_the_level_and_name(led_studio, secretariat, token_client_for):
    _, studio = led_studio
    response = token_client_for(secretariat).patch(f"/api/v1/studios/{studio.pk}/", {
        "level": "national", "name": "国家级精馏节能创新工作室"}, format="json")
    assert response.status_code == 200, response.json()
    studio.refresh_from_db()
    assert (studio.level, studio.name) == (Level.NATIONAL, "国家级精馏节能创新工作室")


@pytest.mark.parametrize("field, value", [("membership_status", "member"), ("suspended_reason", ""), ("batch", 1)])
def test_the_membership_status_is_no_field_of_an_edit(led_studio, field, value):
    user, studio = led_studio
    with pytest.raises(ValidationError) as refused:
        services.studio_update(user=user, studio=studio, **{field: value})
    assert field in refused.value.message_dict


@pytest.mark.parametrize("field, value", [("verified", True), ("verified_at", "2024-01-01T00:00:00Z"),
                                          ("verified_by", 1)])
def test_enterprise_staff_may_not_verify_their_enterprise(enterprise_user, token_client_for, field, value):
    user, enterprise = enterprise_user
    enterprise.verified = False
    enterprise.save(update_fields=["verified"])
    response = token_client_for(user).patch(f"/api/v1/enterprises/{enterprise.pk}/", {field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    with pytest.raises(ValidationError) as refused:
        enterprise_services.enterprise_update(user=user, enterprise=enterprise, **{field: value})
    assert field in refused.value.message_dict
    enterprise.refresh_from_db()
    assert enterprise.verified is False


# --- re-applying after suspension is a reinstatement ---------------------------------------------------

@pytest.fixture
def suspended(secretariat):
    application = factories.make_reviewed_application(secretariat)
    studio = services.studio_suspend(user=secretariat, studio=application.studio, reason="连续两年未开展活动")
    return studio, studio.lead.user


def test_a_suspended_studio_applying_again_asks_for_reinstatement(suspended, secretariat, token_client_for):
    studio, lead_user = suspended
    response = token_client_for(lead_user).post("/api/v1/membership-applications/",
                                                {"studio": studio.pk, "statement": "已整改，申请恢复"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "reinstatement"
    studio.refresh_from_db()
    assert studio.membership_status == Studio.MembershipStatus.SUSPENDED  # nothing changes until the decision


def test_approving_a_reinstatement_is_the_reinstate_decision(suspended, secretariat):
    studio, lead_user = suspended
    application = services.membership_apply(user=lead_user, studio=studio, statement="已整改")
    services.membership_review(user=secretariat, application=application, decision="approve", note="整改到位")
    studio.refresh_from_db()
    assert studio.membership_status == Studio.MembershipStatus.MEMBER and studio.suspended_reason == ""
    reinstated = AuditEntry.objects.get(subject_type="alliance.studio", subject_id=studio.pk, action="reinstate")
    assert (reinstated.from_state, reinstated.to_state, reinstated.note) == ("suspended", "member", "整改到位")
    with pytest.raises(IllegalTransition) as refused:
        services.membership_batch_publish(user=secretariat, name="第二批", application_ids=[application.pk])
    assert refused.value.code == "reinstatement_not_published"


def test_a_rejected_reinstatement_leaves_the_studio_suspended(suspended, secretariat):
    studio, lead_user = suspended
    application = services.membership_apply(user=lead_user, studio=studio, statement="已整改")
    services.membership_review(user=secretariat, application=application, decision="reject")
    studio.refresh_from_db()
    assert studio.membership_status == Studio.MembershipStatus.SUSPENDED


def test_a_membership_application_never_lifts_a_suspension(secretariat):
    """An application filed as a new membership before the studio was suspended cannot reinstate it."""
    lead_user, lead = factories.make_expert_user()
    studio = factories.make_studio(lead=lead, membership_status=Studio.MembershipStatus.SUSPENDED)
    application = MembershipApplication.objects.create(studio=studio, statement="旧申请", submitted_by=lead_user)
    with pytest.raises(IllegalTransition) as refused:
        services.membership_review(user=secretariat, application=application, decision="approve")
    assert refused.value.code == "studio_suspended"
    studio.refresh_from_db()
    assert studio.membership_status == Studio.MembershipStatus.SUSPENDED


def test_graphql_shows_the_kind_of_an_application(suspended, secretariat):
    studio, lead_user = suspended
    data = run("""mutation($studio: ID!) { applyForMembership(studio: $studio, statement: "已整改") {
                    application { kind status } } }""", {"studio": gid("Studio", studio)}, user=lead_user).ok()
    assert data["applyForMembership"]["application"] == {"kind": "REINSTATEMENT", "status": "PENDING"}
