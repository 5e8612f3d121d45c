"""Roster uploads (jianglian.rosters.jobs) and REST /api/v1/imports/: a dry run by default with the per-row
report, then a confirmation that imports the previewed file by its token; the secretariat only.

Without a broker the tasks run eagerly once the request's transaction commits, so the answer is final; a
test with a broker nobody reads (`queued`) sees the 202 a client gets while a worker is busy."""
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from experts.models import Expert
from jianglian.errors import IllegalTransition, NotAllowed
from jianglian.models import AuditEntry, RosterUpload
from jianglian.rosters import jobs
from jianglian.rosters.files import RosterFileError
from tests import factories
from tests.rosters import csv_bytes, person, table, xlsx

# Transactional: a request commits as in real use, so the eager task runs before the answer is written.
pytestmark = pytest.mark.django_db(transaction=True)

VARIANTS = {"姓名": "名字", "工作单位": "单位", "手机号": "联系电话", "省份": "省", "城市": "所在城市", "技能专长": "专业领域",
            "荣誉称号": "荣誉"}


def messy(*people):
    """A roster as real ones come: the usual header variants instead of the template's, a column nobody knows."""
    return table([{VARIANTS.get(k, k): v for k, v in p.items()} | {"备注": "无"} for p in people])


MESSY = messy(
    person(1, 技能专长="精馏"),
    person(2, 手机号="12345"),                         # not a mobile number
    person(3, 技能专长="量子纠缠、精馏"),               # an unknown skill: a warning, kept as a self-filled skill
    person(4, 荣誉称号="宇宙劳模"),                    # an unknown honour
)


@pytest.fixture
def skills(db):
    return [factories.make_skill(code="distillation", name="精馏与分离节能", synonyms=["精馏"])]


@pytest.fixture
def sec(secretariat, client_for):
    return client_for(secretariat)


def _file(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def by_row(report):
    return {r["row"]: r for r in report["results"]}


# --- the dry run ------------------------------------------------------------------------------------------------


def test_an_upload_is_a_dry_run_answering_every_row_with_its_excel_row_number_and_field_messages(
        sec, skills):
    response = sec.post("/api/v1/imports/experts/", {"file": _file(xlsx(MESSY), "名册.xlsx")}, format="multipart")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "checked" and body["progress"]["running"] is False
    assert body["confirm_url"].endswith(f"/api/v1/imports/{body['id']}/confirm/")
    report = body["report"]
    assert report["dry_run"] is True and report["header_row"] == 1
    assert report["unrecognised_columns"] == ["H: 备注"]
    rows = by_row(report)
    assert {n: r["status"] for n, r in rows.items()} == {2: "new", 3: "error", 4: "new", 5: "error"}
    assert [(e["field"], e["column"]) for e in rows[3]["errors"]] == [("phone", "联系电话")]
    assert [e["field"] for e in rows[5]["errors"]] == ["honours"]
    assert "量子纠缠" in rows[4]["warnings"][0]["message"]
    assert (report["rows"], report["created"], report["error_rows"]) == (4, 2, 2)
    assert Expert.objects.count() == 0  # a dry run writes nothing


def test_an_unchanged_and_an_updated_row_are_told_apart(sec, skills):
    factories.make_expert(name="专家001", employer="四川天华化工集团有限公司", phone="13900000001", city="泸州",
                          province="sichuan")
    factories.make_expert(name="专家002", employer="四川天华化工集团有限公司", phone="13900000002", city="成都",
                          province="sichuan")
    body = sec.post("/api/v1/imports/experts/", {"file": _file(csv_bytes(table([person(1), person(2)])), "r.csv")},
                    format="multipart").json()
    rows = by_row(body["report"])
    assert (rows[2]["status"], rows[3]["status"]) == ("unchanged", "update")
    assert rows[3]["changed"] == ["城市"]


# --- confirming ---------------------------------------------------------------------------------------------------


def test_confirming_imports_the_previewed_file_all_or_nothing_unless_the_valid_rows_only_are_asked_for(
        sec, secretariat, skills):
    body = sec.post("/api/v1/imports/experts/", {"file": _file(xlsx(MESSY), "名册.xlsx")}, format="multipart").json()
    refused = sec.post(body["confirm_url"], {}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "roster_has_errors"
    assert Expert.objects.count() == 0
    response = sec.post(body["confirm_url"], {"valid_rows_only": True}, format="json")
    assert response.status_code == 200, response.json()
    done = response.json()
    assert done["status"] == "imported" and done["confirm_url"] is None
    assert (done["report"]["created"], done["report"]["error_rows"], done["report"]["dry_run"]) == (2, 2, False)
    assert sorted(Expert.objects.values_list("name", flat=True)) == ["专家001", "专家003"]
    assert Expert.objects.get(name="专家003").skill_tags == ["量子纠缠"]
    again = sec.post(body["confirm_url"], {"valid_rows_only": True}, format="json")
    assert again.status_code == 409
    assert Expert.objects.count() == 2
    upload = RosterUpload.objects.get(token=body["id"])
    assert bytes(upload.data) == b""  # the file is not kept once imported
    entry = AuditEntry.objects.get(subject_type="jianglian.rosterupload", subject_id=upload.pk)
    assert entry.actor == secretariat and entry.action == "roster_import" and "created 2" in entry.note


def test_dry_run_false_checks_and_imports_in_one_step(sec, skills):
    response = sec.post("/api/v1/imports/experts/", {"file": _file(xlsx(table([person(1), person(2)])), "a.xlsx"),
                                                     "dry_run": "false"}, format="multipart")
    assert response.status_code == 201
    assert response.json()["status"] == "imported" and Expert.objects.count() == 2


def test_dry_run_false_with_errors_imports_nothing_unless_valid_rows_only(sec, skills):
    body = sec.post("/api/v1/imports/experts/", {"file": _file(xlsx(MESSY), "m.xlsx"), "dry_run": "false"},
                    format="multipart").json()
    assert body["status"] == "not_imported" and body["report"]["imported"] is False and Expert.objects.count() == 0
    body = sec.post("/api/v1/imports/experts/", {"file": _file(xlsx(MESSY), "m.xlsx"), "dry_run": "false",
                                                 "valid_rows_only": "true"}, format="multipart").json()
    assert body["status"] == "imported" and Expert.objects.count() == 2


@pytest.fixture
def queued():
    """A broker nobody reads (Celery's in-memory transport, not eager): tasks wait, as behind a busy worker."""
    from jianglian.celery import app

    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = True


def test_while_a_worker_has_not_run_the_check_the_answer_is_202_and_the_upload_url_polls(sec, skills, queued):
    response = sec.post("/api/v1/imports/experts/", {"file": _file(xlsx(MESSY), "名册.xlsx")}, format="multipart")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending_check" and body["report"] is None and body["confirm_url"] is None
    assert body["progress"] == {"status": "pending_check", "status_label": "等待预检查", "phase": "", "done": 0,
                                "total": 4, "percent": 0, "running": True}
    assert response["Location"] == body["url"]
    assert sec.post(f"/api/v1/imports/{body['id']}/confirm/", {}, format="json").status_code == 409
    jobs.upload_run(RosterUpload.objects.get(token=body["id"]).pk)  # the worker runs the check
    polled = sec.get(body["url"]).json()
    assert polled["status"] == "checked" and polled["progress"]["done"] == 4 and polled["progress"]["percent"] == 100
    assert by_row(polled["report"])[3]["status"] == "error"


# --- bad files, kinds, the template ----------------------------------------------------------------------------


@pytest.mark.parametrize("data, name, code", [
    (b"", "a.xlsx", None),  # an empty upload: DRF's own field message
    (b"x", "a.xlsx", "roster_file_type"),
    (xlsx(table([person(1)])), "roster.csv", "roster_file_type"),
    (xlsx(table([person(1)])[:1]), "header-only.xlsx", "roster_no_rows"),
    (b"PK\x03\x04broken", "a.xlsx", "roster_file_type"),
    (xlsx([["备注", "说明"], ["a", "b"]]), "no-header.xlsx", "roster_header"),
], ids=["empty", "one-byte", "workbook-named-csv", "header-only", "corrupt-zip", "no-known-header"])
def test_a_bad_file_is_a_400_with_its_message_and_nothing_is_kept(sec, data, name, code):
    response = sec.post("/api/v1/imports/experts/", {"file": _file(data, name)}, format="multipart")
    assert response.status_code == 400, response.content
    if code:
        assert response.json()["code"] == code and response.json()["detail"]
    assert RosterUpload.objects.count() == 0 and Expert.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(sec, settings):
    settings.ROSTER_MAX_FILE_BYTES = 1000
    response = sec.post("/api/v1/imports/experts/", {"file": _file(b"a" * 2000, "a.csv")}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "roster_too_large"


def test_an_unknown_kind_is_a_404(sec):
    assert sec.post("/api/v1/imports/nobody/", {"file": _file(b"a,b\n1,2\n", "a.csv")}).status_code == 404
    assert sec.get("/api/v1/imports/nobody/template/").status_code == 404


@pytest.mark.parametrize("kind, header", [("experts", "姓名"), ("studios", "工作室名称"), ("enterprises", "企业名称")])
def test_the_template_of_each_kind_downloads_as_xlsx(sec, kind, header):
    response = sec.get(f"/api/v1/imports/{kind}/template/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"{kind}-template.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.cell(1, 1).value == header


def test_studios_and_enterprises_upload_the_same_way(sec):
    rows = [["企业名称", "统一社会信用代码", "省份", "城市"], ["泸州某化工有限公司", "91510500MA62X0AA4X", "四川", "泸州"]]
    body = sec.post("/api/v1/imports/enterprises/", {"file": _file(csv_bytes(rows), "e.csv")},
                    format="multipart").json()
    assert body["kind"] == "enterprises" and body["status"] == "checked"
    assert [r["row"] for r in body["report"]["results"]] == [2]


# --- who ------------------------------------------------------------------------------------------------------


def test_only_the_secretariat_uploads_reads_confirms_and_downloads(client_for, secretariat, enterprise_user,
                                                                   expert_user, skills):
    token = client_for(secretariat).post("/api/v1/imports/experts/", {"file": _file(xlsx(MESSY), "m.xlsx")},
                                         format="multipart").json()["id"]
    for user, refused in ((None, 401), (enterprise_user[0], 403), (expert_user[0], 403)):
        client = client_for(user)
        assert client.post("/api/v1/imports/experts/", {"file": _file(xlsx(MESSY), "m.xlsx")},
                           format="multipart").status_code == refused
        assert client.get(f"/api/v1/imports/{token}/").status_code == refused
        assert client.post(f"/api/v1/imports/{token}/confirm/", {"valid_rows_only": True},
                           format="json").status_code == refused
        assert client.get("/api/v1/imports/experts/template/").status_code == refused
        assert client.get("/api/v1/imports/").status_code == refused
    assert RosterUpload.objects.count() == 1 and Expert.objects.count() == 1  # expert_user's own entry
    with pytest.raises(NotAllowed):
        jobs.upload_confirm(user=enterprise_user[0], upload=RosterUpload.objects.get(), valid_rows_only=True)


def test_the_secretariat_lists_the_uploads_newest_first(sec, skills):
    for name in ("a.xlsx", "b.xlsx"):
        sec.post("/api/v1/imports/experts/", {"file": _file(xlsx(MESSY), name)}, format="multipart")
    body = sec.get("/api/v1/imports/").json()
    assert [u["filename"] for u in body["results"]] == ["b.xlsx", "a.xlsx"]
    assert "report" not in body["results"][0]


def test_an_unknown_token_is_a_404(sec):
    assert sec.get("/api/v1/imports/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert sec.post("/api/v1/imports/00000000-0000-0000-0000-000000000000/confirm/", {}).status_code == 404


# --- the service and the task -------------------------------------------------------------------------------------


def checked_upload(user, rows=MESSY, name="m.xlsx"):
    upload = jobs.upload_create(user=user, kind="experts", data=xlsx(rows), filename=name)  # the task runs on commit
    upload.refresh_from_db()
    return upload


def confirmed(user, upload, **options):
    jobs.upload_confirm(user=user, upload=upload, **options)  # the task runs on commit
    upload.refresh_from_db()
    return upload.status


def test_a_preview_older_than_the_confirmation_window_must_be_uploaded_again(secretariat, skills):
    upload = checked_upload(secretariat, table([person(1)]))
    RosterUpload.objects.filter(pk=upload.pk).update(created_at=upload.created_at - timedelta(hours=25))
    upload.refresh_from_db()
    with pytest.raises(Exception) as refused:
        jobs.upload_confirm(user=secretariat, upload=upload)
    assert getattr(refused.value, "code", None) == "roster_upload_expired"
    assert Expert.objects.count() == 0


def test_two_confirmations_at_once_import_once(secretariat, skills):
    upload = checked_upload(secretariat, table([person(1)]))
    stale = RosterUpload.objects.get(pk=upload.pk)
    assert confirmed(secretariat, upload) == "imported"
    with pytest.raises(IllegalTransition):
        jobs.upload_confirm(user=secretariat, upload=stale)  # read before the other one claimed it
    assert jobs.upload_run(upload.pk) is None  # a second delivery of the task claims nothing
    assert Expert.objects.count() == 1


def test_a_file_with_no_valid_row_cannot_be_confirmed(secretariat):
    upload = checked_upload(secretariat, table([person(1, 手机号="1"), person(2, 手机号="2")]))
    with pytest.raises(Exception) as refused:
        jobs.upload_confirm(user=secretariat, upload=upload, valid_rows_only=True)
    assert getattr(refused.value, "code", None) == "roster_no_valid_rows"


def test_the_task_records_its_progress_and_the_import_checks_the_file_again(secretariat, skills):
    upload = checked_upload(secretariat, table([person(n) for n in range(1, 1201)]), name="big.xlsx")
    assert (upload.status, upload.phase, upload.done, upload.total) == ("checked", "check", 1200, 1200)
    factories.make_expert(name="别人", employer="某厂", phone="13900000007")  # arrives between preview and confirm
    assert confirmed(secretariat, upload) == "imported"
    assert (upload.phase, upload.done, upload.total) == ("write", 1200, 1200)
    assert (upload.import_report["created"], upload.import_report["updated"]) == (1199, 1)
    assert Expert.objects.count() == 1200


def test_an_upload_whose_uploader_lost_the_secretariat_role_fails_with_the_reason(secretariat, skills):
    upload = checked_upload(secretariat, table([person(1)]))
    RosterUpload.objects.filter(pk=upload.pk).update(status="pending_import", confirmed_by=secretariat)
    secretariat.groups.clear()  # between the confirmation and the worker
    assert jobs.upload_run(upload.pk) == "failed"
    upload.refresh_from_db()
    assert upload.failure == "只有秘书处可以导入名册。" and Expert.objects.count() == 0


def test_a_bad_file_is_refused_by_the_service_and_not_kept(secretariat):
    with pytest.raises(RosterFileError):
        jobs.upload_create(user=secretariat, kind="experts", data=b"", filename="a.xlsx")
    assert RosterUpload.objects.count() == 0


def test_old_uploads_are_deleted_when_a_new_one_arrives(secretariat, skills, settings):
    old = checked_upload(secretariat, table([person(1)]))
    RosterUpload.objects.filter(pk=old.pk).update(created_at=old.created_at - timedelta(days=8))
    checked_upload(secretariat, table([person(2)]))
    assert list(RosterUpload.objects.values_list("filename", flat=True)) == ["m.xlsx"]
    assert not RosterUpload.objects.filter(pk=old.pk).exists()


# --- a run cut off: the server stopped during an import, a worker killed, a task lost -----------------------------


def cut_off_import(secretariat, monkeypatch, rows):
    """An import the server's stop interrupts half-way through its writes (Ctrl-C: no exception handler runs)."""
    from experts.roster import ExpertRoster

    upload = checked_upload(secretariat, rows)
    def interrupted(self, creates, updates, progress):
        super(ExpertRoster, self).write(creates, updates, progress)  # the rows are written …
        raise KeyboardInterrupt  # … and the process stops before the commit

    with monkeypatch.context() as patched:
        patched.setattr(ExpertRoster, "write", interrupted)
        with pytest.raises(KeyboardInterrupt):
            jobs.upload_confirm(user=secretariat, upload=upload)  # its task runs on commit, and is cut off
    upload.refresh_from_db()
    return upload


def minutes_later(upload, minutes):
    """As if `minutes` had passed since the upload, its confirmation and the start of its run."""
    earlier = timedelta(minutes=minutes)
    RosterUpload.objects.filter(pk=upload.pk).update(
        created_at=upload.created_at - earlier, confirmed_at=upload.confirmed_at - earlier,
        started_at=upload.started_at - earlier)


def test_an_import_cut_off_by_a_restart_left_nothing_written_and_is_run_again_by_the_recovery_job(
        secretariat, skills, monkeypatch, settings):
    """Was: stuck as "importing" for ever (the page polling, the confirmation refused), the file never imported."""
    upload = cut_off_import(secretariat, monkeypatch, table([person(1), person(2)]))
    assert (upload.status, upload.attempts) == ("importing", 1)
    assert Expert.objects.count() == 0  # nothing half written

    from jianglian.tasks import recover_roster_uploads

    assert recover_roster_uploads() == 0  # still within the time any roster takes: maybe still running
    minutes_later(upload, settings.ROSTER_UPLOAD_STALE_MINUTES + 1)
    assert recover_roster_uploads() == 1

    upload.refresh_from_db()
    assert (upload.status, upload.attempts, upload.import_report["created"]) == ("imported", 2, 2)
    assert Expert.objects.count() == 2
    assert recover_roster_uploads() == 0  # done: nothing to run again


def test_an_import_cut_off_at_every_run_fails_with_a_message_instead_of_running_for_ever(
        secretariat, skills, monkeypatch, settings):
    settings.ROSTER_UPLOAD_MAX_ATTEMPTS = 1
    upload = cut_off_import(secretariat, monkeypatch, table([person(1)]))
    minutes_later(upload, settings.ROSTER_UPLOAD_STALE_MINUTES + 1)

    jobs.upload_recover()

    upload.refresh_from_db()
    assert upload.status == "failed" and "中断了 1 次" in upload.failure and "请重新上传" in upload.failure
    assert bytes(upload.data) == b"" and not jobs.upload_progress(upload)["running"]
    assert Expert.objects.count() == 0


def test_a_check_whose_task_was_lost_with_the_broker_is_sent_again(secretariat, skills, queued, settings):
    upload = jobs.upload_create(user=secretariat, kind="experts", data=xlsx(table([person(1)])), filename="a.xlsx")
    RosterUpload.objects.filter(pk=upload.pk).update(
        created_at=upload.created_at - timedelta(minutes=settings.ROSTER_UPLOAD_STALE_MINUTES + 1))
    sent = []
    from jianglian.tasks import roster_upload_run

    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(roster_upload_run, "delay", sent.append)
        assert jobs.upload_recover() == 1

    assert sent == [upload.pk]
    assert jobs.upload_run(upload.pk) == "checked"  # the worker runs it; a second delivery would claim nothing
    assert jobs.upload_run(upload.pk) is None


def test_a_run_within_the_time_a_roster_takes_is_left_alone(secretariat, skills):
    upload = checked_upload(secretariat, table([person(1)]))
    RosterUpload.objects.filter(pk=upload.pk).update(status="importing", confirmed_at=upload.created_at,
                                                      started_at=upload.created_at)
    assert jobs.upload_recover() == 0
    upload.refresh_from_db()
    assert upload.status == "importing"


def test_an_import_stuck_before_runs_recorded_their_start_is_run_again_too(secretariat, skills, settings):
    """Uploads left "importing" by a restart before this release have no start time: they are cut off as well."""
    upload = checked_upload(secretariat, table([person(1)]))
    long_ago = upload.created_at - timedelta(minutes=settings.ROSTER_UPLOAD_STALE_MINUTES + 1)
    RosterUpload.objects.filter(pk=upload.pk).update(status="importing", created_at=long_ago, confirmed_at=long_ago,
                                                      confirmed_by=secretariat, started_at=None)

    assert jobs.upload_recover() == 1

    upload.refresh_from_db()
    assert upload.status == "imported" and Expert.objects.count() == 1
