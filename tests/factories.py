"""Test data built through plain model calls where no rule applies, and through services where one does.

Every factory takes keyword overrides; `seq()` keeps names and codes unique.
"""
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from alliance.models import Studio
from enterprises.models import Challenge, Enterprise
from enterprises.validators import credit_code_check_character
from experts.models import Expert, ExpertHonour, Skill
from jianglian.choices import Category, Honour, Province
from jianglian.roles import SECRETARIAT_GROUP

_counter = itertools.count(1)


def seq() -> int:
    return next(_counter)


def make_credit_code(n: int | None = None) -> str:
    n = seq() if n is None else n
    first17 = f"91510100{n:09d}"
    return first17 + credit_code_check_character(first17)


def make_user(username=None, **extra):
    username = username or f"user{seq()}"
    return get_user_model().objects.create_user(username=username, password="pass-word-123", **extra)


def make_secretariat(username=None):
    user = make_user(username or f"secretariat{seq()}", is_staff=True)
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    user.groups.add(group)
    return user


def make_skill(**fields) -> Skill:
    n = seq()
    defaults = dict(code=f"skill-{n}", name=f"技能{n}", category=Category.TECHNOLOGY)
    defaults.update(fields)
    return Skill.objects.create(**defaults)


def make_expert(*, user=None, skills=(), honours=(), **fields) -> Expert:
    n = seq()
    defaults = dict(
        name=f"专家{n}", employer="四川化工集团", province=Province.SICHUAN, city="成都",
        bio="长期从事精馏塔节能改造。", phone=f"1380000{n:04d}", email=f"expert{n}@example.com",
    )
    defaults.update(fields)
    expert = Expert.objects.create(user=user, **defaults)
    expert.skills.set(skills)
    for honour in honours:
        ExpertHonour.objects.create(expert=expert, honour=honour)
    return expert


def make_expert_user(**fields):
    """A user account linked to a new expert: returns (user, expert)."""
    user = make_user()
    return user, make_expert(user=user, **fields)


def make_studio(*, lead=None, skills=(), **fields) -> Studio:
    n = seq()
    defaults = dict(name=f"创新工作室{n}", host_enterprise="四川化工集团", province=Province.SICHUAN, city="成都")
    defaults.update(fields)
    studio = Studio.objects.create(lead=lead, **defaults)
    studio.skills.set(skills)
    return studio


def make_enterprise(*, staff=(), verified=True, **fields) -> Enterprise:
    n = seq()
    defaults = dict(name=f"测试化工有限公司{n}", credit_code=make_credit_code(n), province=Province.SICHUAN, city="成都")
    defaults.update(fields)
    enterprise = Enterprise.objects.create(verified=verified, **defaults)
    enterprise.staff.set(staff)
    return enterprise


def make_enterprise_user(**fields):
    """A user who is staff of a new verified enterprise: returns (user, enterprise)."""
    user = make_user()
    return user, make_enterprise(staff=[user], **fields)


def make_challenge(*, enterprise=None, skills=(), status=Challenge.Status.OPEN, **fields) -> Challenge:
    enterprise = enterprise or make_enterprise()
    defaults = dict(
        title="精馏塔蒸汽单耗偏高", description="每生产一吨产品要消耗将近两吨蒸汽，希望降低能耗。",
        category=Category.GREEN,
    )
    defaults.update(fields)
    challenge = Challenge.objects.create(enterprise=enterprise, status=status, **defaults)
    challenge.skills.set(skills)
    return challenge


__all__ = [
    "seq", "make_credit_code", "make_user", "make_secretariat", "make_skill", "make_expert", "make_expert_user",
    "make_studio", "make_enterprise", "make_enterprise_user", "make_challenge", "Honour", "ExpertHonour",
]


# --- Pairing agreements, events --------------------------------------------------------


def make_pairing_parties(*, capacity=2, **expert_fields):
    """An enterprise with an open challenge and an expert accepting pairings.

    Returns a SimpleNamespace: enterprise_user, enterprise, challenge, expert_user, expert.
    """
    from types import SimpleNamespace

    enterprise_user, enterprise = make_enterprise_user()
    challenge = make_challenge(enterprise=enterprise)
    expert_user, expert = make_expert_user(capacity=capacity, **expert_fields)
    return SimpleNamespace(enterprise_user=enterprise_user, enterprise=enterprise, challenge=challenge,
                           expert_user=expert_user, expert=expert)


def make_pairing(*, challenge=None, expert=None, status="proposed", **fields):
    """A PairingAgreement written directly in `status` (no rules): for tests of what follows from a state."""
    from datetime import timedelta

    from django.utils import timezone

    from matching.models import PairingAgreement

    challenge = challenge or make_challenge()
    expert = expert or make_expert_user()[1]
    fields.setdefault("expires_at", timezone.now() + timedelta(days=14))
    return PairingAgreement.objects.create(challenge=challenge, expert=expert, status=status, **fields)


def make_event(**fields):
    """A planned OutreachEvent written directly."""
    from datetime import timedelta

    from django.utils import timezone

    from alliance.models import OutreachEvent

    n = seq()
    defaults = dict(
        title=f"劳模工匠进校园·第{n}场", school="四川化工职业技术学院", province=Province.SICHUAN, city="泸州",
        starts_at=timezone.now() + timedelta(days=30), format=OutreachEvent.Format.LECTURE,
        topic="精馏节能与安全生产", capacity=200, audience="化工专业学生",
    )
    defaults.update(fields)
    return OutreachEvent.objects.create(**defaults)


def make_reviewed_application(secretariat, decision="approve"):
    """A new studio (led by a new expert with an account) that applied for membership, reviewed by the
    secretariat through the services (so the review is audited and mailed as in real use)."""
    from alliance import services

    lead_user, lead = make_expert_user()
    studio = make_studio(lead=lead)
    application = services.membership_apply(user=lead_user, studio=studio, statement="申请入盟")
    return services.membership_review(user=secretariat, application=application, decision=decision, note="意见")
