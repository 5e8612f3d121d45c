"""Reading an uploaded roster (.xlsx or CSV) into rows of cells, with the guards a file from outside needs.

The content decides what a file is, and its name must agree: a workbook renamed to .csv, a Word document or an
old .xls renamed to .xlsx, a PDF renamed to .csv are refused with a message that says what the file really is.

- .xlsx: openpyxl in read-only mode with cached values (a formula gives the value Excel computed, never the
  formula). Before openpyxl sees it, the zip archive is checked: at most `ROSTER_MAX_ZIP_ENTRIES` members,
  at most `ROSTER_MAX_UNPACKED_BYTES` once unpacked, and no member compressed more than
  `ROSTER_MAX_COMPRESSION_RATIO` times (a zip bomb). Python's zipfile never inflates a member past the size
  its header declares, so checking the declared sizes is enough.
- CSV: UTF-8 with or without a byte-order mark, GB18030 (what Chinese Excel writes; it includes GBK and
  GB2312) and UTF-16 with a byte-order mark (Excel's "Unicode text"); comma, tab or semicolon separated.

Every refusal is a `RosterFileError` (a DomainError: HTTP 400, BAD_REQUEST) whose message the user can act on.
"""
from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from jianglian.errors import DomainError

XLSX = "xlsx"
CSV = "csv"
ACCEPTED_EXTENSIONS = {".xlsx": XLSX, ".csv": CSV}
MAX_COLUMNS = 200  # no roster is wider; a sheet claiming 16,384 columns is not read cell by cell

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc, .et: Office 97-2003 compound files
_BINARY_SIGNATURES = (
    (b"%PDF", ".pdf"),
    (b"\x89PNG", ".png"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"GIF8", ".gif"),
    (b"Rar!", ".rar"),
    (b"7z\xbc\xaf", ".7z"),
    (b"\x1f\x8b", ".gz"),
)


class RosterFileError(DomainError):
    """The file cannot be read as a roster; nothing was changed."""

    code = "roster_file"


def limit(name: str):
    """A roster limit from the settings (jianglian/settings/base.py states the defaults)."""
    return getattr(settings, name)


@dataclass
class RawSheet:
    """Rows of cells as read, each with its row number in the file (Excel's number for a workbook)."""

    format: str
    rows: Iterator[tuple[int, list]]
    sheet: str = ""  # the worksheet read (a workbook's first visible one)
    other_sheets: tuple[str, ...] = ()  # the workbook's other visible worksheets: not read


def read_rows(data: bytes, filename: str) -> RawSheet:
    """The rows of the roster in `data` (the whole uploaded file), after every guard."""
    if not data:
        raise RosterFileError(_("文件是空的。"), code="roster_empty")
    check_size(len(data))
    declared = ACCEPTED_EXTENSIONS.get(PurePath(filename or "").suffix.lower())
    actual = sniff(data)
    if declared is None:
        raise RosterFileError(
            _("不支持的文件类型“%(name)s”：请上传 .xlsx 工作簿或 .csv 文件。") % {"name": filename or "?"}
            + what_it_is(actual),
            code="roster_file_type",
        )
    if actual != declared:
        raise RosterFileError(
            _("文件“%(name)s”的扩展名与内容不符。") % {"name": filename} + what_it_is(actual),
            code="roster_file_type",
        )
    if actual == XLSX:
        return _xlsx_sheet(data)
    return RawSheet(CSV, _csv_rows(data))


def check_size(size: int) -> None:
    """Refuse a file larger than ROSTER_MAX_FILE_BYTES (the upload views ask before reading it)."""
    max_bytes = limit("ROSTER_MAX_FILE_BYTES")
    if size > max_bytes:
        raise RosterFileError(
            _("文件太大（%(size)s），上限为 %(limit)s。请分成几个文件导入。")
            % {"size": human_size(size), "limit": human_size(max_bytes)},
            code="roster_too_large",
        )


def sniff(data: bytes) -> str:
    """What the content is: XLSX, CSV, or a short description of another kind of file."""
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return "corrupt-zip"
        if "xl/workbook.xml" in names:
            return XLSX
        if "word/document.xml" in names:
            return ".docx"
        if "ppt/presentation.xml" in names:
            return ".pptx"
        if "content.xml" in names:
            return ".ods"
        return ".zip"
    if data.startswith(_OLE2_MAGIC):
        return ".xls"
    for magic, kind in _BINARY_SIGNATURES:
        if data.startswith(magic):
            return kind
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return CSV
    if b"\x00" in data[:65536]:
        return "binary"
    return CSV


def what_it_is(actual: str) -> str:
    """A sentence saying what a refused file really contains (empty when it is a roster format)."""
    if actual == XLSX:
        return _("它的内容是 .xlsx 工作簿，请把扩展名改回 .xlsx。")
    if actual == CSV:
        return _("它的内容是文本（CSV），请把扩展名改为 .csv。")
    if actual == ".xls":
        return _("它是 Excel 97-2003 格式（.xls）或其他旧版 Office 文件：请在 Excel 中“另存为” .xlsx 后再导入。")
    if actual == "corrupt-zip":
        return _("它像是压缩文件，但已损坏。")
    if actual == "binary":
        return _("它不是文本文件。")
    return _("它实际上是 %(kind)s 文件。") % {"kind": actual}


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} MB"


# --- .xlsx -------------------------------------------------------------------------------------------------


def _corrupt() -> RosterFileError:
    return RosterFileError(_("Excel 文件已损坏或不完整，无法读取：请在 Excel 中打开后重新保存为 .xlsx。"),
                           code="roster_corrupt")


def check_zip(data: bytes) -> None:
    """Refuse a workbook whose archive would unpack to more than the limits allow (a zip bomb)."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _corrupt() from None
    if len(members) > limit("ROSTER_MAX_ZIP_ENTRIES"):
        raise RosterFileError(_("Excel 文件结构异常（内部文件过多），拒绝读取。"), code="roster_zip_bomb")
    unpacked = sum(m.file_size for m in members)
    ratio = limit("ROSTER_MAX_COMPRESSION_RATIO")
    if unpacked > limit("ROSTER_MAX_UNPACKED_BYTES") or any(
        m.file_size > 1_000_000 and m.file_size > ratio * max(m.compress_size, 1) for m in members
    ):
        raise RosterFileError(
            _("Excel 文件解压后过大（%(size)s），疑似压缩炸弹，拒绝读取。") % {"size": human_size(unpacked)},
            code="roster_zip_bomb",
        )


def _xlsx_sheet(data: bytes) -> RawSheet:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    check_zip(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, SyntaxError):
        raise _corrupt() from None
    # The first visible sheet holds the roster (the template keeps its drop-down lists on a hidden sheet).
    sheets = [ws for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    if not sheets:
        workbook.close()
        raise RosterFileError(_("工作簿里没有可见的工作表。"), code="roster_empty")
    sheet = sheets[0]
    # Some writers store a wrong dimension; read-only mode would cut the sheet to it.
    sheet.reset_dimensions()

    def rows():
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values[:MAX_COLUMNS])
        except (KeyError, ValueError, TypeError, zipfile.BadZipFile, OSError, SyntaxError, EOFError):
            raise _corrupt() from None
        except Exception as error:  # XML parse errors of a damaged sheet (ParseError is a SyntaxError subclass)
            if type(error).__name__ in ("ParseError", "XMLSyntaxError"):
                raise _corrupt() from None
            raise
        finally:
            workbook.close()

    return RawSheet(XLSX, rows(), sheet=sheet.title, other_sheets=tuple(ws.title for ws in sheets[1:]))


# --- CSV ---------------------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (BOM or not), UTF-16 with a BOM, else GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterFileError(
        _("无法识别 CSV 文件的编码：请保存为 UTF-8 或 GB18030（Excel 的“CSV（逗号分隔）”）。"), code="roster_encoding"
    )


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_rows(data: bytes) -> Iterator[tuple[int, list]]:
    text = decode_text(data)
    if "\x00" in text:
        raise RosterFileError(_("CSV 文件中含有空字符（NUL），它不是文本文件。"), code="roster_file_type")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))

    def rows():
        try:
            # Excel numbers records, not lines: a quoted cell spanning lines stays in its row.
            for number, cells in enumerate(reader, start=1):
                yield number, cells[:MAX_COLUMNS]
        except csv.Error as error:
            raise RosterFileError(
                _("CSV 文件第 %(line)s 行格式有误：%(error)s") % {"line": reader.line_num, "error": error},
                code="roster_csv",
            ) from None

    return rows()
