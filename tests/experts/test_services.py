"""Experts edit their own profile; the secretariat curates the catalog and the taxonomy."""
import pytest
from django.core.exceptions import ValidationError

from experts import selectors, services
from experts.models import Expert, Skill
from jianglian.choices import Honour
from jianglian.errors import NotAllowed
from matching.models import PairingAgreement
from tests import factories

pytestmark = pytest.mark.django_db


def fresh(user):
    """The same account as a new request would load it (role lookups are cached per user object)."""
    return type(user).objects.get(pk=user.pk)


def test_an_expert_edits_their_own_bio_and_capacity(expert_user):
    user, expert = expert_user
    services.expert_update(user=user, expert=expert, bio="主持精馏塔节能改造十余项。", capacity=3)
    expert.refresh_from_db()
    assert (expert.bio, expert.capacity) == ("主持精馏塔节能改造十余项。", 3)


def test_an_expert_cannot_edit_another_profile_or_grant_themselves_honours(expert_user):
    user, expert = expert_user
    other = factories.make_expert()
    with pytest.raises(NotAllowed):
        services.expert_update(user=user, expert=other, bio="x")
    with pytest.raises(NotAllowed):
        services.expert_update(user=user, expert=expert, honours=[Honour.GREAT_CRAFTSMAN])
    with pytest.raises(ValidationError):
        services.expert_update(user=user, expert=expert, name="改名")
    assert not expert.honours.exists()


def test_capacity_out_of_range_is_a_field_error(expert_user):
    user, expert = expert_user
    with pytest.raises(ValidationError) as excinfo:
        services.expert_update(user=user, expert=expert, capacity=99)
    assert "capacity" in excinfo.value.message_dict


def test_the_secretariat_adds_experts_with_honours(secretariat):
    expert = services.expert_create(
        user=secretariat, name="王建国", employer="中石化某分公司", province="shandong", city="淄博",
        honours=[Honour.NATIONAL_MODEL_WORKER, Honour.GREAT_CRAFTSMAN],
    )
    assert set(expert.honours.values_list("honour", flat=True)) == {"national_model_worker", "great_craftsman"}
    with pytest.raises(NotAllowed):
        services.expert_create(user=factories.make_user(), name="x", employer="y", province="shandong", city="z")
    assert Expert.objects.count() == 1


def test_only_the_secretariat_curates_skills(secretariat, expert_user):
    user, _ = expert_user
    skill = services.skill_create(user=secretariat, code="distillation", name="精馏", synonyms=["蒸馏"])
    with pytest.raises(NotAllowed):
        services.skill_update(user=user, skill=skill, name="x")
    assert Skill.objects.get().synonyms == ["蒸馏"]


def test_contact_details_are_visible_after_an_accepted_pairing_only(enterprise_user, secretariat):
    user, enterprise = enterprise_user
    expert = factories.make_expert()
    challenge = factories.make_challenge(enterprise=enterprise)
    assert not selectors.can_see_contact(user, expert)
    assert selectors.can_see_contact(secretariat, expert)
    PairingAgreement.objects.create(challenge=challenge, expert=expert, status=PairingAgreement.Status.PROPOSED)
    assert not selectors.can_see_contact(fresh(user), expert)
    PairingAgreement.objects.filter(expert=expert).update(status=PairingAgreement.Status.ACCEPTED)
    assert selectors.can_see_contact(fresh(user), expert)
    assert not selectors.can_see_contact(None, expert)


def test_an_expert_sees_their_own_contact_details(expert_user):
    user, expert = expert_user
    assert selectors.can_see_contact(user, expert)
