"""A large roster import in Celery for real: the page's upload queues the check on commit, the page shows it queued
with its progress, a worker on Redis checks the file and the page shows the preview; the confirmation queues the
import, the worker writes it, the experts are there.

Uses redis://127.0.0.1:6379/8 (or ROSTER_TEST_BROKER_URL: a database of its own, emptied by the test); PostgreSQL
(a worker thread cannot share SQLite's in-memory test database); skipped otherwise, with the reason.
"""
import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from experts.models import Expert
from jianglian.models import RosterUpload
from tests import factories
from tests.matching.test_matches_live import live_app, redis_reachable, wait_for  # noqa: F401 (live_app: a fixture)
from tests.rosters import person, table, xlsx

BROKER = os.environ.get("ROSTER_TEST_BROKER_URL", "redis://127.0.0.1:6379/8")
ROWS = 300

pytestmark = [
    pytest.mark.celery_live,
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
                       reason="a worker thread cannot share SQLite's in-memory test database: run with "
                              "DATABASE_URL=postgres://…"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def broker(monkeypatch):
    if not redis_reachable(BROKER):
        pytest.skip(f"Redis is not reachable at {BROKER}")
    monkeypatch.setattr("tests.matching.test_matches_live.BROKER", BROKER)


def test_a_large_roster_is_checked_and_imported_by_a_worker_with_its_progress_on_the_page(
        broker, live_app):  # noqa: F811
    factories.make_skill(code="distillation", name="精馏与分离节能", synonyms=["精馏"])
    client = Client()
    client.force_login(factories.make_secretariat())
    roster = xlsx(table([person(n, 技能专长="精馏") for n in range(1, ROWS + 1)]))

    client.post(reverse("web:roster_imports"), {"kind": "experts", "file": SimpleUploadedFile("名册.xlsx", roster)})
    upload = RosterUpload.objects.get()
    page = reverse("web:roster_import", args=[upload.token])
    progress = reverse("web:roster_import_progress", args=[upload.token])
    # no worker yet: the check waits in the queue, and the page says so and polls
    assert upload.status == "pending_check"
    html = client.get(page).content.decode()
    assert "data-import-progress" in html and "排队等待处理" in html
    assert client.get(progress).json()["running"] is True

    with start_worker(live_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert wait_for(lambda: RosterUpload.objects.get(pk=upload.pk).status == "checked", seconds=120)
        done = client.get(progress).json()
        assert (done["running"], done["percent"]) == (False, 100)
        html = client.get(page).content.decode()
        assert html.count("<tr data-row=") == 100 and 'data-status="error"' not in html  # the first page of rows

        client.post(reverse("web:roster_import_confirm", args=[upload.token]))
        assert wait_for(lambda: RosterUpload.objects.get(pk=upload.pk).status == "imported", seconds=120)

    assert Expert.objects.count() == ROWS
    report = RosterUpload.objects.get(pk=upload.pk).import_report
    assert (report["rows"], report["created"]) == (ROWS, ROWS)
