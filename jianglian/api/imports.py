"""REST /api/v1/imports/: roster uploads of the secretariat (rules in jianglian.rosters.jobs and the apps' rosters).

    POST /api/v1/imports/<kind>/            multipart: file, dry_run (default true), valid_rows_only (default false)
    GET  /api/v1/imports/<token>/           the upload: status, progress, the report (every row)
    POST /api/v1/imports/<token>/confirm/   import the previewed file: valid_rows_only (default false)
    GET  /api/v1/imports/<kind>/template/   the .xlsx template of the kind
    GET  /api/v1/imports/                   the uploads, newest first (no rows)

`<kind>` is experts, studios or enterprises. A dry run is the default: the file is kept and checked, and the
answer carries the report and the upload's token; confirming the token imports exactly that file (nothing is
sent twice). `dry_run=false` checks and imports in one step. The check and the import run in Celery: when they
are done by the time of the answer (always without a broker) it is 201 (upload) / 200 (confirm) with the final
status; otherwise 202 with status pending_* or checking / importing, and `GET` on the upload's URL polls.

Upload is REST only (and the page): GraphQL has no file upload here (graphene-django does not implement the
multipart request spec, and the console takes no files).
"""
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from jianglian.models import RosterUpload
from jianglian.rosters import jobs
from jianglian.rosters.files import check_size
from jianglian.rosters.importer import get_kind, registered
from jianglian.rosters.workbook import template_filename, template_workbook

from .pagination import CappedPageNumberPagination
from .permissions import IsSecretariat
from .schema import summary
from .serializers import StrictInputSerializer

TAGS = ["imports"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadInputSerializer(StrictInputSerializer):
    file = serializers.FileField(help_text="名册文件：.xlsx 或 .csv（UTF-8 或 GB18030） / The roster: .xlsx or .csv")
    dry_run = serializers.BooleanField(default=True, help_text="只预检查、不写入（默认） / Check only (default)")
    valid_rows_only = serializers.BooleanField(
        default=False, help_text="有错误行时只导入正确的行（dry_run=false 时） / Import the valid rows despite errors")


class ConfirmInputSerializer(StrictInputSerializer):
    valid_rows_only = serializers.BooleanField(
        default=False, help_text="只导入正确的行（否则有错误行时拒绝） / Import the valid rows only")


class ProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=RosterUpload.Status.choices)
    status_label = serializers.CharField()
    phase = serializers.CharField(help_text="check | write | 空 / empty")
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    running = serializers.BooleanField()


class UploadSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="token", help_text="上传令牌 / The upload's token")
    kind = serializers.CharField()
    filename = serializers.CharField()
    size = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RosterUpload.Status.choices)
    created_at = serializers.DateTimeField()
    uploaded_by = serializers.CharField(source="uploaded_by.username", allow_null=True, default=None)
    valid_rows_only = serializers.BooleanField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    failure = serializers.CharField()
    progress = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    confirm_url = serializers.SerializerMethodField()

    def get_progress(self, upload) -> ProgressSerializer:
        return jobs.upload_progress(upload)

    def get_url(self, upload) -> str:
        return self.context["request"].build_absolute_uri(reverse("api-import", args=[upload.token]))

    def get_confirm_url(self, upload) -> str | None:
        if not jobs.upload_confirmable(upload):
            return None
        return self.context["request"].build_absolute_uri(reverse("api-import-confirm", args=[upload.token]))


class UploadReportSerializer(UploadSerializer):
    report = serializers.SerializerMethodField(help_text=(
        "导入报告（导入后）或预检查报告；检查完成前为 null。rows / created / updated / unchanged / error_rows，"
        "errors: [{row, field, column, message}]，results: 每一行 {row, status: new|update|unchanged|error, key, label, "
        "changed, id, errors, warnings} / The import's report once imported, else the check's (null before)"))

    def get_report(self, upload) -> dict | None:
        return upload.import_report or upload.check_report


def _answer(request, upload, *, done_status):
    upload = jobs.upload_get(user=request.user, token=upload.token)  # as the task left it
    code = status.HTTP_202_ACCEPTED if jobs.upload_running(upload) else done_status
    data = UploadReportSerializer(upload, context={"request": request}).data
    return Response(data, status=code, headers={"Location": data["url"]})


def _kind_or_404(kind: str):
    if kind not in registered():
        raise Http404
    return get_kind(kind)


class UploadView(APIView):
    permission_classes = [IsSecretariat]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary=summary("上传名册（默认预检查）", "Upload a roster (a dry run by default)"),
        description=__doc__, tags=TAGS, request={"multipart/form-data": UploadInputSerializer},
        operation_id="upload_roster",
        responses={201: UploadReportSerializer, 202: OpenApiResponse(
            UploadReportSerializer, description="已排队，轮询 url / Queued: poll `url`")},
    )
    def post(self, request, kind):
        _kind_or_404(kind)
        given = request.data.get("file")
        if hasattr(given, "size"):
            check_size(given.size)  # before reading it
        serializer = UploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = jobs.upload_create(user=request.user, kind=kind, data=data["file"].read(),
                                    filename=data["file"].name, dry_run=data["dry_run"],
                                    valid_rows_only=data["valid_rows_only"])
        return _answer(request, upload, done_status=status.HTTP_201_CREATED)


class UploadDetailView(APIView):
    permission_classes = [IsSecretariat]

    @extend_schema(summary=summary("名册上传的状态与报告", "A roster upload: status, progress and report"),
                   tags=TAGS, responses={200: UploadReportSerializer}, operation_id="get_roster_upload")
    def get(self, request, token):
        try:
            upload = jobs.upload_get(user=request.user, token=token)
        except RosterUpload.DoesNotExist:
            raise Http404 from None
        return Response(UploadReportSerializer(upload, context={"request": request}).data)


class UploadConfirmView(APIView):
    permission_classes = [IsSecretariat]

    @extend_schema(
        summary=summary("确认导入已预检查的名册", "Import a checked roster upload"), tags=TAGS,
        request=ConfirmInputSerializer, operation_id="confirm_roster_upload",
        responses={200: UploadReportSerializer, 202: OpenApiResponse(
            UploadReportSerializer, description="已排队，轮询 url / Queued: poll `url`")},
    )
    def post(self, request, token):
        try:
            upload = jobs.upload_get(user=request.user, token=token)
        except RosterUpload.DoesNotExist:
            raise Http404 from None
        serializer = ConfirmInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = jobs.upload_confirm(user=request.user, upload=upload, **serializer.validated_data)
        return _answer(request, upload, done_status=status.HTTP_200_OK)


class UploadListView(APIView):
    permission_classes = [IsSecretariat]

    @extend_schema(summary=summary("名册上传记录", "Roster uploads, newest first"), tags=TAGS,
                   responses={200: UploadSerializer(many=True)}, operation_id="list_roster_uploads")
    def get(self, request):
        paginator = CappedPageNumberPagination()
        page = paginator.paginate_queryset(jobs.upload_list(user=request.user), request, view=self)
        return paginator.get_paginated_response(UploadSerializer(page, many=True, context={"request": request}).data)


class TemplateView(APIView):
    permission_classes = [IsSecretariat]

    @extend_schema(summary=summary("下载名册模板（.xlsx）", "Download the roster template (.xlsx)"), tags=TAGS,
                   responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="模板 / The template")},
                   operation_id="get_roster_template")
    def get(self, request, kind):
        kind = _kind_or_404(kind)
        response = HttpResponse(template_workbook(kind), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{template_filename(kind)}"'
        return response


urlpatterns = [
    path("imports/", UploadListView.as_view(), name="api-imports"),
    path("imports/<uuid:token>/", UploadDetailView.as_view(), name="api-import"),
    path("imports/<uuid:token>/confirm/", UploadConfirmView.as_view(), name="api-import-confirm"),
    path("imports/<slug:kind>/", UploadView.as_view(), name="api-import-upload"),
    path("imports/<slug:kind>/template/", TemplateView.as_view(), name="api-import-template"),
]
