"""Rosters out: a list as .xlsx or CSV in the columns of its roster kind, so that an exported roster imports back
as "unchanged" (the template's headers, labels rather than codes, lists joined with 、).

`export_response(kind, rows, fmt=..., filename=...)` streams `rows` (dicts of column key → cell text, produced
lazily by the app's `kind.export_row` from a chunked query) without holding them in memory: CSV row by row
(UTF-8 with a byte-order mark, which Excel needs to read Chinese), .xlsx as a zip written on the fly (`_xlsx`):
the worksheet's XML is deflated into the answer as the rows come, so the first bytes leave at once, memory stays
flat and nothing is written to disk, whatever the number of rows.

Why not openpyxl's write-only workbook (the first version): it writes the whole sheet to a temporary file and
zips it only at the end, so nothing is sent until every row is written, and it is 3–4 times slower per row
(bench/export.py prints the figures).
"""
from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterable, Iterator
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from django.http import StreamingHttpResponse
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from .importer import RosterKind

CSV = "csv"
XLSX = "xlsx"
FORMATS = (XLSX, CSV)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


_CSV_PIECE_CHARACTERS = 24 * 1024  # some 64 KB of UTF-8 Chinese


class _Line:
    """A file-like object csv.writer writes one line into; the generator takes it back."""

    def write(self, text):
        return text


def _csv(kind: RosterKind, rows: Iterable[dict]) -> Iterator[bytes]:
    """The header at once, then the rows in pieces of some 64 KB (one piece per line costs a write each)."""
    writer = csv.writer(_Line())
    yield "\ufeff".encode() + writer.writerow([c.header for c in kind.columns]).encode()
    lines, size = [], 0
    for row in rows:
        line = writer.writerow([row.get(c.key, "") for c in kind.columns])
        lines.append(line)
        size += len(line)
        if size >= _CSV_PIECE_CHARACTERS:
            yield "".join(lines).encode()
            lines, size = [], 0
    if lines:
        yield "".join(lines).encode()


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PARTS = {
    "[Content_Types].xml": _XML + (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": _XML + (
        f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" Target="xl/workbook.xml" '
        f'Type="{_REL}/officeDocument"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": _XML + (
        f'<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'),
    "xl/styles.xml": _XML + (
        f'<styleSheet xmlns="{_MAIN}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
        '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'),
}
_SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
_FLUSH_BYTES = 256 * 1024


class _Sink:
    """A write-only, unseekable file: zipfile writes the archive into it (with data descriptors, as it cannot
    seek back), and the generator takes the bytes written so far."""

    def __init__(self):
        self._chunks = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _text(value) -> str:
    """One cell as an inline string (never a formula, whatever it starts with); characters a worksheet cannot
    hold (control characters) are left out — the CSV keeps them."""
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f"<is><t{space}>{escape(text)}</t></is>"


def _row(number: int, letters: list[str], values, style: str = "") -> str:
    cells = "".join(f'<c r="{letter}{number}" t="inlineStr"{style}>{_text(value)}</c>'
                    for letter, value in zip(letters, values))
    return f'<row r="{number}">{cells}</row>'


def _xlsx(kind: RosterKind, rows: Iterable[dict]) -> Iterator[bytes]:
    """The .xlsx of `rows`, streamed: the package's small parts, then the worksheet deflated row by row, sent
    whenever some 256 KB are ready; the zip's central directory last."""
    sink = _Sink()
    letters = [get_column_letter(i) for i in range(1, len(kind.columns) + 1)]
    name = (str(kind.label).translate(_SHEET_NAME_FORBIDDEN).strip() or "Sheet1")[:31]
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for part, xml in _PARTS.items():
            archive.writestr(part, xml)
        archive.writestr("xl/workbook.xml", _XML + (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name={quoteattr(name)} sheetId="1" r:id="rId1"/></sheets></workbook>'))
        yield sink.take()
        # a sheet under 2 GiB (some 2 million roster rows): no zip64, which older readers refuse
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write((_XML + f'<worksheet xmlns="{_MAIN}"><sheetData>').encode())
            sheet.write(_row(1, letters, [c.header for c in kind.columns], ' s="1"').encode())
            buffered = []
            size = 0
            for number, row in enumerate(rows, start=2):
                line = _row(number, letters, [row.get(c.key, "") for c in kind.columns])
                buffered.append(line)
                size += len(line)
                if size >= _FLUSH_BYTES // 3:  # UTF-8 Chinese: about three bytes a character
                    sheet.write("".join(buffered).encode())
                    buffered, size = [], 0
                    yield sink.take()
            sheet.write(("".join(buffered) + "</sheetData></worksheet>").encode())
        yield sink.take()
    yield sink.take()  # the central directory, written when the archive closes


def disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "ignore").decode() or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def export_response(kind: RosterKind, rows: Iterable[dict], *, fmt: str, filename: str):
    """The download of `rows` as `fmt` ("xlsx" or "csv"), named `filename` plus the extension."""
    if fmt == CSV:
        response = StreamingHttpResponse(_csv(kind, rows), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(_xlsx(kind, rows), content_type=XLSX_TYPE)
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
