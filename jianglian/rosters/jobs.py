"""The secretariat's roster uploads (the page and REST): kept, checked in Celery, confirmed, imported in Celery.

    upload = upload_create(user=..., kind="experts", data=..., filename=...)   # the file is read at once
    # … the task checks it: status "checked", check_report (every row new / update / unchanged / error)
    upload_confirm(user=..., upload=upload, valid_rows_only=False)
    # … the task imports the same file: status "imported" (or "not_imported"), import_report

The confirmation is a stored upload: the page and REST confirm the file that was previewed, by its token,
without sending it again. `upload_create(..., dry_run=False)` checks and imports in one step (REST's
`dry_run=false`). Both steps go through the app's import service registered with the kind
(`experts.services.experts_import` …), so a row follows the same rules as on the command line, and the import
checks the file again against the database as it is then: a row that became an error meanwhile stops it
(all or nothing) unless the valid rows only were asked for.

A run cut off half-way — the server stopped during an import, a worker killed, a task lost with the broker —
leaves nothing half written (the import is one transaction) and is run again by `upload_recover` (a beat job)
once it has been running or waiting for ROSTER_UPLOAD_STALE_MINUTES; after ROSTER_UPLOAD_MAX_ATTEMPTS runs it
fails with a message instead, so no upload stays "importing" for ever.

A file the reader refuses (type, size, zip bomb, row cap, header only …) is refused by `upload_create`
with a RosterFileError (HTTP 400) and never kept. The check and the import record their progress (phase, rows
done, total) on the upload, at most a few times a second, for the page to poll. The file is emptied once it
is imported or refused; uploads older than ROSTER_UPLOAD_KEEP_DAYS are deleted.
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jianglian.audit import audit_record
from jianglian.errors import DomainError, IllegalTransition, NotAllowed
from jianglian.models import RosterUpload
from jianglian.roles import is_secretariat

from .files import limit
from .importer import get_kind, get_service, read_file, registered
from .report import Report

logger = logging.getLogger(__name__)

Status = RosterUpload.Status
RUNNING = (Status.PENDING_CHECK, Status.CHECKING, Status.PENDING_IMPORT, Status.IMPORTING)
STEPS = ((Status.PENDING_CHECK, Status.CHECKING), (Status.PENDING_IMPORT, Status.IMPORTING))  # (waiting, running)
PROGRESS_EVERY_SECONDS = 0.5


def _require_secretariat(user) -> None:
    if not is_secretariat(user):
        raise NotAllowed(_("只有秘书处可以导入名册。"))


# --- reads ------------------------------------------------------------------------------------------------------


def upload_list(*, user):
    """The uploads the caller may see: every upload for the secretariat, none for anyone else."""
    if not is_secretariat(user):
        return RosterUpload.objects.none()
    return RosterUpload.objects.defer("data", "check_report", "import_report").select_related("uploaded_by")


def upload_get(*, user, token) -> RosterUpload:
    """One upload by its token (RosterUpload.DoesNotExist when there is none or the caller may not see it)."""
    return RosterUpload.objects.defer("data").select_related("uploaded_by", "confirmed_by").get(
        pk__in=upload_list(user=user).values("pk"), token=token)


def upload_report(upload: RosterUpload) -> Report | None:
    """What the upload did or would do: the import's report once imported, else the check's (None before)."""
    data = upload.import_report or upload.check_report
    return Report.from_dict(data) if data else None


def upload_running(upload: RosterUpload) -> bool:
    return upload.status in RUNNING


def upload_confirmable(upload: RosterUpload) -> bool:
    """Whether the upload is waiting for a confirmation that can still be given."""
    return upload.status == Status.CHECKED and not _expired(upload)


def upload_progress(upload: RosterUpload) -> dict:
    """The one progress shape (REST and the page's polling): phase, rows done of total, a percentage."""
    total = upload.total or 0
    percent = 100 if not upload_running(upload) else (min(99, upload.done * 100 // total) if total else 0)
    return {"status": upload.status, "status_label": str(upload.get_status_display()), "phase": upload.phase,
            "done": upload.done, "total": total, "percent": percent, "running": upload_running(upload)}


def _expired(upload: RosterUpload) -> bool:
    return upload.created_at < timezone.now() - timedelta(hours=limit("ROSTER_UPLOAD_CONFIRM_HOURS"))


# --- writes -----------------------------------------------------------------------------------------------------


def upload_create(*, user, kind: str, data: bytes, filename: str, dry_run: bool = True,
                  valid_rows_only: bool = False) -> RosterUpload:
    """Keep an uploaded roster and queue its check (or, with `dry_run=False`, its import); the secretariat only.

    The file is read first with every guard of the import (RosterFileError: nothing is kept); an unknown
    kind is a DomainError."""
    _require_secretariat(user)
    if kind not in registered():
        raise DomainError(_("没有这种名册：%(kind)s。") % {"kind": kind}, code="roster_kind")
    rows = read_file(get_kind(kind), data, filename)
    now = timezone.now()
    RosterUpload.objects.filter(created_at__lt=now - timedelta(days=limit("ROSTER_UPLOAD_KEEP_DAYS"))).delete()
    with transaction.atomic():
        upload = RosterUpload.objects.create(
            kind=kind, filename=filename[:255], size=len(data), data=data, uploaded_by=user, total=rows,
            status=Status.PENDING_CHECK if dry_run else Status.PENDING_IMPORT,
            valid_rows_only=bool(valid_rows_only) and not dry_run,
            confirmed_by=None if dry_run else user, confirmed_at=None if dry_run else now,
        )
        _queue(upload)
    return upload


def upload_confirm(*, user, upload: RosterUpload, valid_rows_only: bool = False) -> RosterUpload:
    """Import a checked upload (the file that was previewed); the secretariat only.

    Refused: an upload that is not waiting for a confirmation (409: not checked yet, refused, already
    confirmed — by someone else at the same moment too), one checked more than ROSTER_UPLOAD_CONFIRM_HOURS ago
    (its preview is stale: upload it again), and one whose check found errors unless `valid_rows_only`
    (all or nothing) or with no valid row at all."""
    _require_secretariat(user)
    if upload.status != Status.CHECKED:
        raise IllegalTransition(_("这份名册当前为“%(status)s”，不能确认导入。") % {"status": upload.get_status_display()})
    if _expired(upload):
        raise DomainError(_("预检查已超过 %(hours)s 小时，数据可能已变化：请重新上传。")
                          % {"hours": limit("ROSTER_UPLOAD_CONFIRM_HOURS")}, code="roster_upload_expired")
    report = upload_report(upload)
    valid = sum(1 for r in report.results if r.ok)
    if report.error_rows and not valid_rows_only:
        raise DomainError(_("有 %(n)s 行错误：全部改正后重新上传，或选择“只导入正确的行”。") % {"n": report.error_rows},
                          code="roster_has_errors")
    if not valid:
        raise DomainError(_("没有可以导入的正确行。"), code="roster_no_valid_rows")
    with transaction.atomic():
        claimed = RosterUpload.objects.filter(pk=upload.pk, status=Status.CHECKED).update(
            status=Status.PENDING_IMPORT, valid_rows_only=bool(valid_rows_only), confirmed_by=user,
            confirmed_at=timezone.now(), phase="", done=0, total=len(report.results), attempts=0)
        if not claimed:
            raise IllegalTransition(_("这份名册已由他人确认导入。"))
        upload.refresh_from_db()
        _queue(upload)
    return upload


def _queue(upload: RosterUpload) -> None:
    from jianglian.tasks import roster_upload_run  # the one lazy side of the jobs ↔ tasks pair

    pk = upload.pk
    transaction.on_commit(lambda: roster_upload_run.delay(pk))


def upload_run(upload_id: int) -> str | None:
    """The Celery task's work: check or import one upload, recording progress and the report.

    Claims the upload with a conditional update (pending → running), so a task delivered twice runs once.
    Returns the final status, or None when there was nothing to claim."""
    for pending, running in STEPS:
        if RosterUpload.objects.filter(pk=upload_id, status=pending).update(
                status=running, phase="", done=0, started_at=timezone.now(), attempts=F("attempts") + 1):
            break
    else:
        logger.info("roster upload %s: nothing to run", upload_id)
        return None
    upload = RosterUpload.objects.get(pk=upload_id)
    checking = upload.status == Status.CHECKING
    user = (upload.uploaded_by if checking else upload.confirmed_by) or upload.uploaded_by
    fields = {"finished_at": timezone.now()}
    try:
        report = get_service(upload.kind)(
            user=user, data=bytes(upload.data), filename=upload.filename, dry_run=checking,
            valid_rows_only=upload.valid_rows_only, progress=_Progress(upload_id))
    except DomainError as refused:  # the uploader is no longer allowed to, say
        fields.update(status=Status.FAILED, failure=str(refused))
    except Exception:  # noqa: BLE001 — recorded on the upload for the page; the import rolled back
        logger.exception("roster upload %s failed", upload_id)
        fields.update(status=Status.FAILED, failure=_("导入时发生意外错误，没有写入任何数据。请稍后重试或联系管理员。"))
    else:
        data = report.as_dict(rows=True)
        if checking:
            fields.update(check_report=data, status=Status.REFUSED if report.file_errors else Status.CHECKED)
        else:
            fields.update(import_report=data, status=Status.IMPORTED if report.imported else Status.NOT_IMPORTED)
    if fields["status"] not in (Status.CHECKED,):
        fields["data"] = b""  # imported, refused or failed: the file is not kept
    RosterUpload.objects.filter(pk=upload_id).update(**fields)
    if not checking:
        upload.refresh_from_db(fields=["status", "import_report", "confirmed_by"])
        counts = (upload.import_report or {})
        audit_record(actor=upload.confirmed_by, subject=upload, action="roster_import", to_state=upload.status,
                     note=f"{upload.kind} {upload.filename}: " + ", ".join(
                         f"{k} {counts.get(k, 0)}" for k in ("rows", "created", "updated", "unchanged", "error_rows")))
    return fields["status"]


def upload_recover() -> int:
    """Beat job: run again the checks and imports that were cut off or whose task was lost; returns how many.

    Cut off: running (claimed) for more than ROSTER_UPLOAD_STALE_MINUTES — far longer than the largest roster
    takes — so the process that claimed it is gone; it goes back to waiting and its task is sent again (the
    import rolled back with the process, and a run repeated after a commit finds its rows unchanged). After
    ROSTER_UPLOAD_MAX_ATTEMPTS runs it fails with a message instead. Lost: waiting that long since it was
    uploaded (a check) or confirmed (an import); its task is sent again, and a second delivery claims nothing."""
    now = timezone.now()
    stale = now - timedelta(minutes=limit("ROSTER_UPLOAD_STALE_MINUTES"))
    most = limit("ROSTER_UPLOAD_MAX_ATTEMPTS")
    for pending, running in STEPS:
        # (no start recorded: claimed before the field existed, by a release that did not record it)
        cut_off = RosterUpload.objects.filter(Q(started_at__lt=stale) | Q(started_at__isnull=True, created_at__lt=stale),
                                              status=running)
        given_up = list(cut_off.filter(attempts__gte=most).values_list("pk", flat=True))
        RosterUpload.objects.filter(pk__in=given_up, status=running).update(
            status=Status.FAILED, finished_at=now, data=b"",
            failure=_("处理被中断了 %(n)s 次（服务器重启或任务进程退出），已停止重试；没有写入中断时的数据。请重新上传。")
            % {"n": most})
        for pk in given_up:
            logger.warning("roster upload %s: cut off %s times, failed", pk, most)
        cut_off.filter(attempts__lt=most).update(status=pending, phase="", done=0)
    lost = RosterUpload.objects.filter(Q(status=Status.PENDING_CHECK, created_at__lt=stale)
                                       | Q(status=Status.PENDING_IMPORT, confirmed_at__lt=stale))
    from jianglian.tasks import roster_upload_run  # the one lazy side of the jobs ↔ tasks pair

    ids = list(lost.values_list("pk", flat=True))
    for pk in ids:
        logger.info("roster upload %s: run again (cut off or its task lost)", pk)
        roster_upload_run.delay(pk)
    return len(ids)


class _Progress:
    """The import's progress callback: writes phase / done / total on the upload, at most every half second
    (and at each phase's start and end). Inside the import's write transaction the writes only show after the
    commit; the page then says "writing" without a count."""

    def __init__(self, upload_id: int):
        self.upload_id = upload_id
        self.phase = None
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == self.phase and done < total and now - self.last < PROGRESS_EVERY_SECONDS:
            return
        self.phase, self.last = phase, now
        RosterUpload.objects.filter(pk=self.upload_id).update(phase=phase, done=done, total=total)
