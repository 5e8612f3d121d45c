"""`./dev serve` runs what beat runs in production, without a broker: `manage.py run_periodic` calls every task of
CELERY_BEAT_SCHEDULE in-process on the same schedule (jianglian.periodic)."""
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from jianglian import periodic
from jianglian.models import Notification
from matching.models import PairingAgreement
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def test_the_schedule_is_beats_own():
    entries = periodic.entries(now=100.0)
    assert {e.task for e in entries} == {spec["task"] for spec in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"matching.pairings.expire_proposals", "matching.pairings.send_expiry_reminders",
            "jianglian.flush_notifications", "search.tasks.reconcile", "matching.catch_up_rankings",
            "alliance.event_report_reminders"} <= {e.task for e in entries}
    assert all(e.next_at == 100.0 for e in entries)  # everything runs once at start


def test_each_job_runs_on_its_own_period_and_a_failing_one_stops_nothing():
    schedule = periodic.entries({"fast": {"task": "a", "schedule": 10}, "slow": {"task": "b", "schedule": 60},
                                 "broken": {"task": "c", "schedule": 10}}, now=0.0)
    ran = []

    def run(task):
        ran.append(task)
        if task == "c":
            raise RuntimeError("the index is unreadable")
        return task

    for now in (0, 5, 10, 20, 59, 60):
        periodic.run_due(schedule, float(now), run)
    assert ran.count("a") == 4 and ran.count("c") == 4 and ran.count("b") == 2  # at 0, 10, 20, 59→no, 60
    broken = next(e for e in schedule if e.name == "broken")
    assert (broken.runs, broken.failures) == (4, 4)


def test_the_loop_sleeps_until_the_next_job_and_stops_when_asked():
    schedule = periodic.entries({"job": {"task": "t", "schedule": 2}}, now=0.0)
    clock = {"now": 0.0}
    runs = []

    def sleep(seconds):
        clock["now"] += seconds

    periodic.run_forever(schedule, clock=lambda: clock["now"], sleep=sleep, run=runs.append,
                         should_stop=lambda: clock["now"] >= 7, tick=1.0)
    assert len(runs) == 4  # at 0, 2, 4, 6


@pytest.mark.django_db
def test_run_periodic_once_expires_reminds_and_flushes_with_the_real_tasks():
    # Given a proposal past its expiry and one inside its reminder window
    parties = factories.make_pairing_parties()
    expired = factories.make_pairing(challenge=parties.challenge, expert=parties.expert)
    reminded = factories.make_pairing(challenge=factories.make_challenge(enterprise=parties.enterprise),
                                      expert=parties.expert)
    PairingAgreement.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    PairingAgreement.objects.filter(pk=reminded.pk).update(expires_at=timezone.now() + timedelta(days=1))

    # When the periodic jobs run once, as ./dev serve starts them
    out = StringIO()
    call_command("run_periodic", "--once", stdout=out)

    # Then the proposal expired and the expert was reminded, in the inbox too, and every job answered
    assert PairingAgreement.objects.get(pk=expired.pk).status == "expired"
    assert Notification.objects.filter(kind="pairing_expired").exists()
    assert Notification.objects.filter(kind="pairing_expiry_reminder", recipient=parties.expert_user).exists()
    text = out.getvalue()
    assert "pairings-expire-proposals (matching.pairings.expire_proposals) ok: 1" in text
    assert "pairings-expiry-reminders (matching.pairings.send_expiry_reminders) ok: 1" in text
    assert "failed" not in text, text


def test_dev_serve_starts_the_periodic_jobs_beside_the_server_without_a_broker():
    script = (ROOT / "dev").read_text()
    serve = script[script.index("serve() {"):script.index("run_tests()")]
    assert "manage.py run_periodic" in serve and 'kill "$periodic"' in serve
    assert serve.index("run_periodic") < serve.rindex("manage.py runserver")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell")
def test_run_periodic_is_a_management_command_that_prints_its_schedule(tmp_path):
    """The command starts in a process of its own (as ./dev serve runs it) and names every job it runs."""
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "jianglian.settings",
           "JIANGLIAN_VAR_DIR": str(tmp_path), "HOME": str(tmp_path)}
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True,
                   timeout=300)
    done = subprocess.run([sys.executable, "manage.py", "run_periodic", "--once"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for name in settings.CELERY_BEAT_SCHEDULE:
        assert name in done.stdout
    assert "failed" not in done.stdout, done.stdout + done.stderr
