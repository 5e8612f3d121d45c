"""seed_demo: a realistic demo data set, the same for every seed run, loaded through the services, idempotent."""
import pytest
from django.apps import apps
from django.contrib.auth import authenticate as django_authenticate
from django.test import RequestFactory
from django.core.management import call_command

from alliance.models import (
    EventRequest, MembershipApplication, MembershipBatch, OutreachEvent, ServiceDay, ServiceDayQuestion, Studio,
)
from jianglian.models import AuditEntry
from enterprises.models import Challenge, Enterprise
from enterprises.validators import validate_credit_code
from experts.models import Expert
from jianglian.choices import Category
from matching.demo_data import build_plan
from jianglian.roles import enterprise_ids, expert_of, is_secretariat
from matching.models import DemoRecord, PairingAgreement

SEED_APPS = ("auth", "authtoken", "experts", "alliance", "enterprises", "matching", "jianglian")


def authenticate(**credentials):
    """Sign-in as the pages do it: with the request (sign-in throttling counts per request)."""
    return django_authenticate(RequestFactory().post("/accounts/login/"), **credentials)


def row_counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in SEED_APPS}


def test_the_plan_is_a_function_of_the_seed():
    assert build_plan(7) == build_plan(7)
    assert build_plan(7).experts != build_plan(8).experts


def test_the_plan_holds_dozens_of_studios_hundreds_of_experts_and_every_category_and_state():
    plan = build_plan()
    assert (len(plan.studios), len(plan.experts), len(plan.enterprises), len(plan.challenges)) == (48, 360, 60, 96)
    assert {e.status for e in plan.events} == {"planned", "confirmed", "held"}
    assert {s.level for s in plan.studios} == {"national", "provincial", "municipal", "enterprise"}
    assert {c.category for c in plan.challenges} == set(Category.values)
    assert {c.status for c in plan.challenges} == {"draft", "open", "paired", "resolved", "closed"}
    demo = next(e for e in plan.enterprises if e.verified)  # the demo `enterprise` account's
    assert {c.status for c in plan.challenges if c.enterprise_code == demo.credit_code} == set(Challenge.Status.values)
    assert len({e.province for e in plan.enterprises}) >= 5
    assert len({e.name for e in plan.experts}) == len(plan.experts)
    # schools' requests answered and waiting; service days held (with questions), planned and cancelled
    assert {r.decision for r in plan.requests} == {"pending", "accepted", "declined"}
    assert {d.status for d in plan.service_days} == {"held", "planned", "cancelled"}
    questions = [q for d in plan.service_days for q in d.questions]
    assert [q.enterprise_code for q in questions if q.converted] == [demo.credit_code]
    assert all(q.answered_by for q in questions if q.solved_on_site)


def test_the_parts_added_later_leave_the_earlier_ones_as_they_were():
    """Requests and service days draw from generators of their own: a database seeded before they existed gets
    them added, nothing else."""
    plan = build_plan()
    # the last of each earlier part, as the plan drew them before requests and service days were added
    assert plan.experts[-1].name == "石慧洁"
    assert plan.challenges[-1].title == "洁净区环境监测数据经常出现警戒限"
    assert plan.events[-1].experts == [("秦强飞", "重庆宏达化学股份有限公司"), ("范健宇", "重庆宏达化学股份有限公司")]


@pytest.fixture
def eager_celery():
    """The demo data computes matches in-process, also when CI points Celery at a real broker."""
    from jianglian.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.mark.django_db(transaction=True)  # each step commits: matching and index sync run as in real use
def test_seed_demo_loads_the_demo_data_through_the_services_and_a_second_run_changes_nothing(eager_celery, capsys):
    # given an empty database, when seed_demo runs (on a third of the default size: the same code paths, faster)
    call_command("seed_demo", "--no-progress", "--password", "demo-pass-123", "--scale", "0.34")
    out = capsys.readouterr().out

    # then the catalog is there
    assert Studio.objects.count() == 16
    assert Expert.objects.count() == 122
    assert Expert.objects.filter(honours__honour__startswith="national").exists()
    assert Expert.objects.filter(skills__isnull=False).distinct().count() == 122
    assert set(Studio.objects.values_list("level", flat=True)) == {"national", "provincial", "municipal", "enterprise"}
    # every credit code carries its check character, unverified enterprises exist
    for code in Enterprise.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)
    assert Enterprise.objects.filter(verified=False).exists()
    # challenges in all three categories, in draft / open / paired / resolved, paired ones with an active signed
    # agreement, resolved ones with a completed agreement, its outcome and both ratings
    assert set(Challenge.objects.values_list("category", flat=True)) == set(Category.values)
    assert {"draft", "open", "paired", "resolved"} <= set(Challenge.objects.values_list("status", flat=True))
    for challenge in Challenge.objects.filter(status="paired"):
        agreement = challenge.pairings.get(status=PairingAgreement.Status.ACTIVE)
        assert agreement.expert_signed_at and agreement.enterprise_signed_at
    for challenge in Challenge.objects.filter(status="resolved"):
        agreement = challenge.pairings.get(status=PairingAgreement.Status.COMPLETED)
        assert agreement.outcome_summary and agreement.enterprise_rating and agreement.expert_rating
    assert Challenge.objects.filter(status="open").count() == Challenge.objects.filter(
        status="open", matches__isnull=False).distinct().count() > 10
    # membership: pending applications and a published first batch; events in several states
    assert MembershipApplication.objects.filter(status="pending").exists()
    assert MembershipBatch.objects.get(name="首批成员名单").studios.count() == 8
    assert {"planned", "held"} <= set(OutreachEvent.objects.values_list("status", flat=True))
    # schools' requests: pending in the queue, one accepted into its event, one declined with the reason
    assert EventRequest.objects.filter(status="pending").exists()
    accepted = EventRequest.objects.get(status="accepted")
    assert accepted.event.requested_by_school and accepted.event.school == accepted.school
    assert EventRequest.objects.get(status="declined").decline_reason
    # service days: held ones with their questions (answered on the spot, one turned into a draft challenge of
    # the demo enterprise), a planned one
    assert {"held", "planned"} <= set(ServiceDay.objects.values_list("status", flat=True))
    assert ServiceDay.objects.filter(status="held").exclude(report_summary="").count() == 2
    answered = ServiceDayQuestion.objects.filter(solved_on_site=True)
    assert answered.count() >= 2 and not answered.filter(answered_by__isnull=True).exists()
    [converted] = ServiceDayQuestion.objects.filter(challenge__isnull=False)
    assert converted.challenge.status == "draft" and converted.challenge.enterprise == converted.enterprise
    assert AuditEntry.objects.filter(action="convert", subject_type="alliance.servicedayquestion").count() == 1
    # the services wrote the audit trail
    assert AuditEntry.objects.filter(action="publish", subject_type="enterprises.challenge").count() >= 20
    # demo accounts, with their roles, can sign in
    secretariat = authenticate(username="secretariat", password="demo-pass-123")
    enterprise = authenticate(username="enterprise", password="demo-pass-123")
    expert = authenticate(username="expert", password="demo-pass-123")
    assert is_secretariat(secretariat) and secretariat.is_staff
    assert secretariat.has_perm("jianglian.view_auditentry") and not secretariat.has_perm("jianglian.view_notificationlog")
    assert enterprise_ids(enterprise) and not is_secretariat(enterprise)
    # the demo enterprise has challenges in every state (README), the closed one closed by its staff
    mine = Challenge.objects.filter(enterprise_id__in=enterprise_ids(enterprise))
    assert set(mine.values_list("status", flat=True)) == set(Challenge.Status.values)
    assert AuditEntry.objects.filter(action="close", subject_type="enterprises.challenge", actor=enterprise).exists()
    assert expert_of(expert) is not None and expert_of(expert).led_studios.exists()
    assert PairingAgreement.objects.filter(expert=expert_of(expert), status="proposed").exists()
    assert "secretariat" in out and "demo-pass-123" in out

    # when it runs again, nothing is created or changed
    before = row_counts()
    snapshot = list(Expert.objects.order_by("id").values("id", "name", "bio", "studio_id", "updated_at"))
    call_command("seed_demo", "--no-progress", "--password", "other-password", "--scale", "0.34")
    assert row_counts() == before
    assert list(Expert.objects.order_by("id").values("id", "name", "bio", "studio_id", "updated_at")) == snapshot
    assert authenticate(username="secretariat", password="demo-pass-123") is not None

    # and after edits in the admin and on the pages (the plan's natural keys no longer match), still nothing
    moved = Expert.objects.filter(user__isnull=True).order_by("id").first()
    day, request = ServiceDay.objects.order_by("id").first(), EventRequest.objects.order_by("id").first()
    ServiceDay.objects.filter(pk=day.pk).update(title="改过名称的现场服务")
    EventRequest.objects.filter(pk=request.pk).update(topic="改过主题的申请")
    phone = moved.phone
    moved.employer, moved.phone = "另一家化工有限公司", "13999999999"  # changed jobs, new phone
    moved.save()
    studio, challenge = Studio.objects.order_by("id").first(), Challenge.objects.filter(status="draft").first()
    event = OutreachEvent.objects.order_by("id").first()
    names = (studio.name, challenge.title, event.title)
    Studio.objects.filter(pk=studio.pk).update(name=studio.name + "（更名）")
    Challenge.objects.filter(pk=challenge.pk).update(title="改过标题的需求")
    OutreachEvent.objects.filter(pk=event.pk).update(title="改过标题的活动")
    edited = row_counts()
    call_command("seed_demo", "--no-progress", "--scale", "0.34")
    assert row_counts() == edited
    assert Expert.objects.filter(name=moved.name).count() == 1  # no second 谭帅
    moved.refresh_from_db()
    assert (moved.employer, moved.phone) == ("另一家化工有限公司", "13999999999")
    assert Studio.objects.get(pk=studio.pk).name.endswith("（更名）")
    assert Challenge.objects.get(pk=challenge.pk).title == "改过标题的需求"

    # a database seeded before the records existed: its rows are found by their natural keys (an expert by
    # phone, whatever the employer says) and recorded then
    DemoRecord.objects.all().delete()
    Expert.objects.filter(pk=moved.pk).update(phone=phone)
    Studio.objects.filter(pk=studio.pk).update(name=names[0])
    Challenge.objects.filter(pk=challenge.pk).update(title=names[1])
    OutreachEvent.objects.filter(pk=event.pk).update(title=names[2])
    ServiceDay.objects.filter(pk=day.pk).update(title=day.title)
    EventRequest.objects.filter(pk=request.pk).update(topic=request.topic)
    call_command("seed_demo", "--no-progress", "--scale", "0.34")
    assert row_counts() == edited
