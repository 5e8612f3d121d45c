"""REST exports of the lists: `GET /api/v1/<list>/export/?format=xlsx|csv&<the list's filters>`.

`RosterExportMixin` turns a list's viewset into its export: the same selector (what the caller may see), the same
filters, list parameters and ordering, written in the columns of the list's roster kind — or of a plain Sheet for
lists no roster imports (challenges, pairings, events) — streamed (jianglian.rosters.exports). The app's export
viewset says which (`export_kind` / `export_sheet`) and which rows' private columns the caller may see
(`export_contact`). The `format` parameter names the file format here, not DRF's renderer.
"""
from django.utils.translation import gettext as _
from django.utils.translation import override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer

from jianglian.rosters.exports import CSV, FORMATS, XLSX, XLSX_TYPE, export_response
from jianglian.rosters.importer import get_kind

from .schema import summary


class FileNegotiation(BaseContentNegotiation):
    """Errors answer JSON; the file itself is the view's own response, whatever `format` says."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def export_schema(what_zh: str, what_en: str, parameters=()):
    """The OpenAPI of an export: its list's filters (`filters=True`) or `parameters` (a list's parameter
    serializers), `format`, and the two file types."""
    return extend_schema(
        summary=summary(f"导出{what_zh}（.xlsx / CSV）", f"Export {what_en} (.xlsx / CSV)"),
        description=("与列表相同的筛选和可见范围；列与导入模板相同，导出的文件可直接再导入（结果为“不变”）。/ "
                     "The list's filters and visibility; the import template's columns, so the file imports back "
                     "as unchanged."),
        filters=True,
        parameters=[*parameters, OpenApiParameter("format", str, enum=list(FORMATS), default=XLSX,
                                                  description="文件格式 / file format")],
        responses={(200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description=".xlsx"),
                   (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV, UTF-8")},
    )


class RosterExportMixin:
    export_kind = ""  # the registered roster kind whose columns the file has (or override export_sheet)
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FileNegotiation
    pagination_class = None

    def export_sheet(self):
        """What writes the rows: the roster kind `export_kind`, or a Sheet of a list no roster imports."""
        return get_kind(self.export_kind)

    def export_contact(self):
        """A function telling, for one row, whether the caller may see its private columns."""
        return lambda obj: False

    def export(self, request, *args, **kwargs):
        fmt = request.query_params.get("format") or XLSX
        if fmt not in FORMATS:
            raise exceptions.ValidationError({"format": [_("应为 xlsx 或 csv。")]})
        sheet = self.export_sheet()
        visible = self.export_contact()
        queryset = self.filter_queryset(self.get_queryset())

        def rows():
            for obj in queryset.iterator(chunk_size=1000):
                with override("zh-hans"):  # a file's labels are Chinese, as the rosters and templates
                    row = sheet.export_row(obj, contact=visible(obj))
                yield row

        return export_response(sheet, rows(), fmt=fmt, filename=sheet.name)


__all__ = ["CSV", "XLSX", "RosterExportMixin", "export_schema"]
