"""A studio applies to join the alliance; only the secretariat reviews."""
import pytest

from alliance import services
from alliance.models import AuditEntry, MembershipApplication, Studio
from alliance.services import ReviewDecision
from jianglian.errors import Conflict, IllegalTransition, NotAllowed
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def studio_and_lead():
    user, expert = factories.make_expert_user()
    return factories.make_studio(lead=expert), user


def test_the_lead_applies_once_while_an_application_is_pending(studio_and_lead):
    studio, lead_user = studio_and_lead
    services.membership_apply(user=lead_user, studio=studio, statement="我们长期从事精馏节能。")
    with pytest.raises(Conflict):
        services.membership_apply(user=lead_user, studio=studio, statement="again")
    assert MembershipApplication.objects.filter(studio=studio).count() == 1


def test_a_stranger_cannot_apply_for_a_studio(studio_and_lead):
    studio, _ = studio_and_lead
    with pytest.raises(NotAllowed):
        services.membership_apply(user=factories.make_user(), studio=studio, statement="x")


def test_approval_makes_the_studio_a_member_and_is_audited(studio_and_lead, secretariat):
    studio, lead_user = studio_and_lead
    application = services.membership_apply(user=lead_user, studio=studio, statement="申请入盟")
    services.membership_review(user=secretariat, application=application, decision=ReviewDecision.APPROVE, note="符合条件")
    studio.refresh_from_db()
    application.refresh_from_db()
    assert studio.membership_status == Studio.MembershipStatus.MEMBER
    assert (application.status, application.reviewed_by) == (MembershipApplication.Status.APPROVED, secretariat)
    review = AuditEntry.objects.get(subject_id=application.pk, action="review")
    assert (review.from_state, review.to_state, review.note) == ("pending", "approved", "符合条件")


def test_only_the_secretariat_reviews_and_only_once(studio_and_lead, secretariat):
    studio, lead_user = studio_and_lead
    application = services.membership_apply(user=lead_user, studio=studio, statement="申请入盟")
    with pytest.raises(NotAllowed):
        services.membership_review(user=lead_user, application=application, decision=ReviewDecision.APPROVE)
    services.membership_review(user=secretariat, application=application, decision=ReviewDecision.REJECT, note="材料不全")
    with pytest.raises(IllegalTransition):
        services.membership_review(user=secretariat, application=application, decision=ReviewDecision.APPROVE)
    studio.refresh_from_db()
    assert studio.membership_status == Studio.MembershipStatus.NONE


def test_a_withdrawn_application_frees_the_studio_to_apply_again(studio_and_lead):
    studio, lead_user = studio_and_lead
    first = services.membership_apply(user=lead_user, studio=studio, statement="第一次")
    services.membership_withdraw(user=lead_user, application=first)
    second = services.membership_apply(user=lead_user, studio=studio, statement="第二次")
    assert second.status == MembershipApplication.Status.PENDING
