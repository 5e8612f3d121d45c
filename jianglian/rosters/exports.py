"""Rosters out: a list as .xlsx or CSV in the columns of its roster kind, so that an exported roster imports back
as "unchanged" (the template's headers, labels rather than codes, lists joined with 、).

`export_response(kind, rows, fmt=..., filename=...)` streams `rows` (dicts of column key → cell text, produced
lazily by the app's `kind.export_row`) without holding them in memory: CSV row by row (UTF-8 with a byte-order
mark, which Excel needs to read Chinese), .xlsx through openpyxl's write-only workbook into a temporary file
that spills to disk past a few megabytes, then sent in chunks.
"""
from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .importer import RosterKind

CSV = "csv"
XLSX = "xlsx"
FORMATS = (XLSX, CSV)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Line:
    """A file-like object csv.writer writes one line into; the generator takes it back."""

    def write(self, text):
        return text


def _csv(kind: RosterKind, rows: Iterable[dict]) -> Iterator[bytes]:
    writer = csv.writer(_Line())
    yield "\ufeff".encode() + writer.writerow([c.header for c in kind.columns]).encode()
    for row in rows:
        yield writer.writerow([row.get(c.key, "") for c in kind.columns]).encode()


def _xlsx(kind: RosterKind, rows: Iterable[dict]):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(kind.label)[:31])
    sheet.append([c.header for c in kind.columns])
    for row in rows:
        sheet.append([_cell(sheet, row.get(c.key, "")) for c in kind.columns])
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    workbook.save(spool)
    spool.seek(0)
    return spool


def _cell(sheet, text):
    """A cell of text. Control characters a worksheet cannot hold are left out (an .xlsx refuses them; the CSV
    keeps them); a text that starts with "=" stays text (openpyxl would write it as a formula)."""
    if isinstance(text, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if isinstance(text, str) and text.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell
    return text


def disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "ignore").decode() or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def export_response(kind: RosterKind, rows: Iterable[dict], *, fmt: str, filename: str):
    """The download of `rows` as `fmt` ("xlsx" or "csv"), named `filename` plus the extension."""
    if fmt == CSV:
        response = StreamingHttpResponse(_csv(kind, rows), content_type="text/csv; charset=utf-8")
    else:
        response = FileResponse(_xlsx(kind, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = disposition(f"{filename}.{fmt}")
    return response


class Sheet:
    """A list written as a file that no roster imports back (challenges, pairings, events): its columns (a header
    each) and `export_row(obj, *, contact) -> {column key: text}`. Roster kinds are sheets too."""

    name = ""
    label = ""
    columns: tuple = ()

    def export_row(self, obj, *, contact: bool) -> dict:
        raise NotImplementedError


def when(value) -> str:
    """A date or date-time as a file shows it: local time, to the minute."""
    if value is None:
        return ""
    if hasattr(value, "hour"):
        from django.utils import timezone

        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def number(value) -> str:
    return "" if value is None else str(value)
