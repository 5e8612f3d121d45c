"""The secretariat's roster import pages: upload → preview of every row → confirm; progress while Celery works.

    /secretariat/imports/                     upload form, templates, recent uploads
    /secretariat/imports/<token>/             the upload: progress (polled), the preview table, the result
    /secretariat/imports/<token>/progress/    its progress as JSON (the page polls it while a task runs)
    /secretariat/imports/<token>/confirm/     POST: import the previewed file (valid rows only, if chosen)

The rules are jianglian.rosters.jobs' (the same as REST's and, through the apps' services, the command line's).
"""
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianglian.models import RosterUpload
from jianglian.rosters import jobs
from jianglian.rosters.files import RosterFileError, check_size
from jianglian.rosters.importer import get_kind, kinds, registered
from jianglian.rosters.workbook import template_filename, template_workbook

from ..forms import RosterUploadForm
from .common import secretariat_required, service_call

ROWS_PER_PAGE = 100
STATUS_FILTERS = ("error", "new", "update", "unchanged")


def row_labels() -> dict[str, str]:
    return {"new": _("新建"), "update": _("更新"), "unchanged": _("不变"), "error": _("错误")}


@secretariat_required
def imports(request):
    form = RosterUploadForm(request.POST or None, request.FILES or None, kinds=kinds())
    if request.method == "POST" and form.is_valid():
        given = form.cleaned_data["file"]
        with service_call(request) as ok:
            try:
                check_size(given.size)  # before reading it
                upload = jobs.upload_create(user=request.user, kind=form.cleaned_data["kind"], data=given.read(),
                                            filename=given.name)
            except RosterFileError as refused:  # the file's own fault: said next to the file input
                form.add_error("file", str(refused))
                ok.failed = True
        if ok:
            return redirect("web:roster_import", token=upload.token)
    return render(request, "frontend_stub/secretariat/imports.html", {
        "form": form,
        "kinds": kinds(),
        "uploads": jobs.upload_list(user=request.user)[:20],
    }, status=400 if form.errors else 200)


def _upload_or_404(request, token) -> RosterUpload:
    try:
        return jobs.upload_get(user=request.user, token=token)
    except RosterUpload.DoesNotExist:
        raise Http404 from None


@secretariat_required
def import_detail(request, token):
    upload = _upload_or_404(request, token)
    report = jobs.upload_report(upload)
    shown = request.GET.get("status")
    rows = page = None
    if report is not None:
        rows = report.results
        if shown in STATUS_FILTERS:
            rows = [r for r in rows if r.status == shown]
        page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "frontend_stub/secretariat/import_detail.html", {
        "upload": upload,
        "kind": get_kind(upload.kind),
        "report": report,
        "counts": report.counts() if report else None,
        "page": page,
        "shown": shown if shown in STATUS_FILTERS else "",
        "filters": STATUS_FILTERS,
        "row_labels": row_labels(),
        "progress": jobs.upload_progress(upload),
        "confirmable": jobs.upload_confirmable(upload),
        "valid_rows": sum(1 for r in report.results if r.ok) if report else 0,
    })


@secretariat_required
def import_progress(request, token):
    """The progress the page polls: jobs' shape, and the sentence the page shows."""
    progress = jobs.upload_progress(_upload_or_404(request, token))
    text = render_to_string("frontend_stub/secretariat/_import_progress.html", {"progress": progress}, request)
    return JsonResponse({**progress, "text": text.strip()})


@require_POST
@secretariat_required
def import_confirm(request, token):
    upload = _upload_or_404(request, token)
    with service_call(request) as ok:
        jobs.upload_confirm(user=request.user, upload=upload, valid_rows_only=request.POST.get("valid_rows_only") == "1")
    if ok:
        messages.success(request, _("已确认导入：%(name)s") % {"name": upload.filename})
    return redirect("web:roster_import", token=upload.token)


@secretariat_required
def import_template(request, kind):
    if kind not in registered():
        raise Http404
    kind = get_kind(kind)
    response = HttpResponse(template_workbook(kind),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{template_filename(kind)}"'
    return response
