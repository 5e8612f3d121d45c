"""Challenges move draft → open → closed only through their enterprise, and only a verified one publishes."""
import pytest
from django.core.exceptions import ValidationError

from alliance.models import AuditEntry
from enterprises import services
from enterprises.models import Challenge, Enterprise
from jianglian.choices import Category, Province
from jianglian.errors import IllegalTransition, NotAllowed
from tests import factories

pytestmark = pytest.mark.django_db


def test_registering_an_enterprise_makes_the_user_its_staff_and_leaves_it_unverified():
    user = factories.make_user()
    enterprise = services.enterprise_register(
        user=user, name="成都蓝星化工有限公司", credit_code=factories.make_credit_code().lower(),
        province=Province.SICHUAN, city="成都",
    )
    assert enterprise.staff.filter(pk=user.pk).exists()
    assert enterprise.verified is False
    assert enterprise.credit_code == enterprise.credit_code.upper()


def test_an_invalid_credit_code_is_a_field_error_and_nothing_is_written():
    user = factories.make_user()
    with pytest.raises(ValidationError) as excinfo:
        services.enterprise_register(
            user=user, name="某公司", credit_code="91350100M000100Y44", province=Province.SICHUAN, city="成都"
        )
    assert "credit_code" in excinfo.value.message_dict
    assert Enterprise.objects.count() == 0


def test_only_the_secretariat_verifies_and_the_change_is_audited(secretariat, enterprise_user):
    user, _ = enterprise_user
    enterprise = factories.make_enterprise(staff=[user], verified=False)
    with pytest.raises(NotAllowed):
        services.enterprise_verify(user=user, enterprise=enterprise)
    services.enterprise_verify(user=secretariat, enterprise=enterprise)
    enterprise.refresh_from_db()
    assert enterprise.verified and enterprise.verified_by == secretariat
    entry = AuditEntry.objects.get(subject_type="enterprises.enterprise", subject_id=enterprise.pk)
    assert (entry.actor, entry.from_state, entry.to_state) == (secretariat, "unverified", "verified")


def test_staff_create_a_draft_for_their_own_enterprise_only(enterprise_user, other_enterprise_user):
    user, enterprise = enterprise_user
    _, other = other_enterprise_user
    challenge = services.challenge_create(
        user=user, enterprise=enterprise, title="输送泵机封泄漏", description="几台泵老是漏料。", category=Category.TECHNOLOGY
    )
    assert challenge.status == Challenge.Status.DRAFT
    with pytest.raises(NotAllowed):
        services.challenge_create(user=user, enterprise=other, title="x", description="y", category=Category.GREEN)


def test_a_bad_category_is_a_field_error(enterprise_user):
    user, enterprise = enterprise_user
    with pytest.raises(ValidationError) as excinfo:
        services.challenge_create(user=user, enterprise=enterprise, title="t", description="d", category="space")
    assert "category" in excinfo.value.message_dict
    assert Challenge.objects.count() == 0


def test_publishing_needs_a_verified_enterprise(enterprise_user, django_capture_on_commit_callbacks):
    user, enterprise = enterprise_user
    enterprise.verified = False
    enterprise.save()
    draft = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.DRAFT)
    with pytest.raises(NotAllowed) as excinfo:
        services.challenge_publish(user=user, challenge=draft)
    assert excinfo.value.code == "enterprise_not_verified"
    draft.refresh_from_db()
    assert draft.status == Challenge.Status.DRAFT


def test_publishing_opens_the_draft_and_queues_matching_after_commit(enterprise_user, django_capture_on_commit_callbacks):
    user, enterprise = enterprise_user
    draft = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.DRAFT)
    with django_capture_on_commit_callbacks() as callbacks:
        services.challenge_publish(user=user, challenge=draft)
    draft.refresh_from_db()
    assert draft.status == Challenge.Status.OPEN and draft.published_at is not None
    assert len(callbacks) >= 1
    with pytest.raises(IllegalTransition):
        services.challenge_publish(user=user, challenge=draft)


def test_another_enterprise_cannot_publish_update_or_close(enterprise_user, other_enterprise_user):
    _, enterprise = enterprise_user
    intruder, _ = other_enterprise_user
    draft = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.DRAFT)
    for action in (
        lambda: services.challenge_publish(user=intruder, challenge=draft),
        lambda: services.challenge_update(user=intruder, challenge=draft, title="hijacked"),
        lambda: services.challenge_close(user=intruder, challenge=draft),
    ):
        with pytest.raises(NotAllowed):
            action()
    draft.refresh_from_db()
    assert (draft.status, draft.title) == (Challenge.Status.DRAFT, "精馏塔蒸汽单耗偏高")


def test_update_refuses_privileged_fields(enterprise_user):
    user, enterprise = enterprise_user
    draft = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.DRAFT)
    with pytest.raises(ValidationError) as excinfo:
        services.challenge_update(user=user, challenge=draft, status="resolved", enterprise_id=999)
    assert set(excinfo.value.message_dict) == {"status", "enterprise_id"}
    draft.refresh_from_db()
    assert draft.status == Challenge.Status.DRAFT


def test_a_paired_challenge_can_no_longer_be_edited_or_closed(enterprise_user):
    user, enterprise = enterprise_user
    paired = factories.make_challenge(enterprise=enterprise, status=Challenge.Status.PAIRED)
    with pytest.raises(IllegalTransition):
        services.challenge_update(user=user, challenge=paired, title="new")
    with pytest.raises(IllegalTransition):
        services.challenge_close(user=user, challenge=paired)


def test_closing_records_the_reason(enterprise_user):
    user, enterprise = enterprise_user
    challenge = factories.make_challenge(enterprise=enterprise)
    services.challenge_close(user=user, challenge=challenge, reason="已自行解决")
    entry = AuditEntry.objects.get(subject_type="enterprises.challenge", subject_id=challenge.pk, action="close")
    assert (entry.from_state, entry.to_state, entry.note) == ("open", "closed", "已自行解决")
