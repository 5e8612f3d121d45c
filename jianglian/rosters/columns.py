"""A roster's columns: tolerant header matching and the cell readers every kind shares.

A column is known by its template header and the variants real rosters use (姓名 / 名字, 工作单位 / 单位 …).
Headers are compared after normalising what people add to them: spaces, full-width forms, a required-marker
`*`, a note in brackets (`手机号（必填）`), a trailing colon; English headers ignore case. The header row is
the first of the first few rows that names at least two known columns, so a title row above it
(`2024年劳模工匠名册`) is skipped. A column that matches nothing is reported, never guessed at.

Cell readers return the value or raise `CellError` with a message for the row's report.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from .files import RosterFileError

HEADER_SCAN_ROWS = 10
LIST_SEPARATORS = re.compile(r"[、，,；;／/|\n\r]+")
_BRACKETED = re.compile(r"[（(\[【].*?[）)\]】]")


class CellError(ValueError):
    """A cell's value cannot be used; the message goes into the row's report."""


@dataclass(frozen=True)
class Column:
    """One column of a roster kind.

    `key` is the field the kind reads (and the `field` of a reported error), `header` the template's header,
    `aliases` the other headers it is known by. `choices` are the values offered as a drop-down list in the
    template; `multiple` columns hold a list separated by 、 (or , ; / and line breaks); a `proper_name` column
    drops the padding between Chinese characters (`read_name`) before the kind's reader sees it.
    """

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    max_length: int | None = None
    choices: Sequence[str] | None = None
    multiple: bool = False
    proper_name: bool = False  # a person's or an organisation's name: read through read_name
    example: str = ""
    note: str = ""

    def names(self) -> set[str]:
        return {normalize_header(h) for h in (self.header, *self.aliases)}


def normalize_header(text) -> str:
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = _BRACKETED.sub("", text)
    text = re.sub(r"[\s*＊:：]+", "", text)
    return text.lower()


@dataclass
class Header:
    """Where each known column sits in the file, and what was not recognised."""

    row: int
    positions: dict[str, int]
    titles: dict[str, str]  # key → the header as written in the file
    unrecognised: list[str] = field(default_factory=list)  # "D: 备注"

    def cells(self, values: list) -> dict[str, object]:
        return {key: values[i] if i < len(values) else None for key, i in self.positions.items()}


def find_header(rows: Iterator[tuple[int, list]], columns: Sequence[Column]) -> Header:
    """Read up to HEADER_SCAN_ROWS rows of `rows` to find the header row; `rows` then yields the data rows."""
    by_name = {}
    for column in columns:
        for name in column.names():
            by_name.setdefault(name, column)
    seen_any = False
    for _scanned, (number, values) in zip(range(HEADER_SCAN_ROWS), rows):
        texts = [cell_text(v) for v in values]
        if any(texts):
            seen_any = True
        known = [by_name.get(normalize_header(t)) for t in texts]
        if sum(1 for c in known if c is not None) < 2:
            continue
        positions, titles, unrecognised, doubled = {}, {}, [], []
        for index, (text, column) in enumerate(zip(texts, known)):
            if not text:
                continue
            letter = get_column_letter(index + 1)
            if column is None:
                unrecognised.append(f"{letter}: {text}")
            elif column.key in positions:
                doubled.append(_("“%(a)s”和“%(b)s”都是“%(header)s”")
                               % {"a": titles[column.key], "b": text, "header": column.header})
            else:
                positions[column.key] = index
                titles[column.key] = text
        if doubled:
            raise RosterFileError(_("表头第 %(row)s 行有重复的列：%(columns)s。")
                                  % {"row": number, "columns": "；".join(doubled)}, code="roster_header")
        missing = [c.header for c in columns if c.required and c.key not in positions]
        if missing:
            raise RosterFileError(
                _("表头第 %(row)s 行缺少必填列：%(columns)s。") % {"row": number, "columns": "、".join(missing)},
                code="roster_header",
            )
        return Header(row=number, positions=positions, titles=titles, unrecognised=unrecognised)
    if not seen_any:
        raise RosterFileError(_("文件是空的。"), code="roster_empty")
    raise RosterFileError(
        _("在前 %(n)s 行中没有找到表头：表头应包含 %(columns)s 等列（可下载模板对照）。")
        % {"n": HEADER_SCAN_ROWS, "columns": "、".join(c.header for c in columns if c.required)},
        code="roster_header",
    )


# --- cells ---------------------------------------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell as text: numbers without a spurious `.0`, dates as YYYY-MM-DD, whitespace trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).replace("\u3000", " ").replace("\xa0", " ")
    return text.strip()


def split_list(text: str) -> list[str]:
    """The items of a list cell, in order, without blanks or repeats."""
    items = []
    for item in LIST_SEPARATORS.split(text or ""):
        item = item.strip()
        if item and item not in items:
            items.append(item)
    return items


_PADDING_BETWEEN_HAN = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff])\s+(?=[\u3400-\u9fff\uf900-\ufaff])")


def read_name(text: str) -> str:
    """A person's or an organisation's name as it is stored: spaces between two Chinese characters are padding
    (rosters align 李　明 with 王建国 by a full-width space), not part of the name; other runs of spaces are one.
    `Zhang San` keeps its space."""
    return re.sub(r"\s+", " ", _PADDING_BETWEEN_HAN.sub("", text)).strip()


def check_length(text: str, max_length: int | None) -> str:
    if max_length is not None and len(text) > max_length:
        raise CellError(_("内容过长：%(n)s 个字符，最多 %(max)s 个。") % {"n": len(text), "max": max_length})
    return text


def lookup_key(text: str) -> str:
    """How names are compared: NFKC (full-width letters and digits), no spaces, ignoring case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).lower()


class Choices:
    """Reads a choice by its Chinese label, its English label, its value or an alias.

    Built once (labels are lazy translations: resolving them per cell dominated a 10,000-row check), in both
    languages, so a roster in Chinese reads the same whatever the language of the page that imports it.
    With `prefix`, a label followed by more text is accepted (四川省 → 四川).
    """

    def __init__(self, choices, *, what, aliases: dict[str, str] | None = None, prefix: bool = False):
        from django.utils.translation import override

        self.what = what
        self.prefix = prefix
        self.by_key = {}
        with override("zh-hans"):
            self.labels = [(value, str(label)) for value, label in choices]
        with override("en"):
            english = [(value, str(label)) for value, label in choices]
        for value, label in [*self.labels, *english, *((v, v) for v, _l in self.labels)]:
            self.by_key.setdefault(lookup_key(label), value)
        for alias, value in (aliases or {}).items():
            self.by_key.setdefault(lookup_key(alias), value)

    def __call__(self, text: str) -> str:
        key = lookup_key(text)
        value = self.by_key.get(key)
        if value is not None:
            return value
        if self.prefix:
            for value, label in self.labels:
                if key.startswith(label):
                    return value
        raise CellError(_("未知的%(what)s“%(text)s”，可选：%(options)s。")
                        % {"what": self.what, "text": text, "options": "、".join(label for _v, label in self.labels)})


TRUE_WORDS = {"是", "y", "yes", "true", "1", "接受", "√", "✓", "可以", "愿意"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "不接受", "×", "✗", "不", "不可以", "不愿意"}


def read_bool(text: str) -> bool:
    key = lookup_key(text)
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    raise CellError(_("应填“是”或“否”，而不是“%(text)s”。") % {"text": text})


def read_int(text: str, *, low: int, high: int) -> int:
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        raise CellError(_("应为整数，而不是“%(text)s”。") % {"text": text}) from None
    if not number.is_integer():
        raise CellError(_("应为整数，而不是“%(text)s”。") % {"text": text})
    number = int(number)
    if not low <= number <= high:
        raise CellError(_("应在 %(low)s 到 %(high)s 之间，而不是 %(n)s。") % {"low": low, "high": high, "n": number})
    return number


_YEAR = re.compile(r"(1[89]\d\d|20\d\d)")
_EXCEL_SERIAL = re.compile(r"\d{5}(\.\d+)?")  # days since 1899-12-30: 10000 is 1927-05-18, 99999 in 2173


def read_year(text: str) -> int:
    """A year from `1975`, `1975.06`, `1975年6月`, `1975-06-01`, `197506`, `19750601`, or from a date Excel
    wrote as its serial number: `27546` is 1975-06-01 (a date column whose format was lost, a date copied as
    a value), and `19068` is 1952-03-15, never the year 1906."""
    text = text.strip()
    if _EXCEL_SERIAL.fullmatch(text):
        match = _YEAR.fullmatch(str(from_excel(float(text)).year))
    else:
        match = _YEAR.match(text)
    if match is None:
        raise CellError(_("应为年份（如 1975），而不是“%(text)s”。") % {"text": text})
    year = int(match.group(1))
    if year > datetime.date.today().year:
        raise CellError(_("年份 %(year)s 在未来。") % {"year": year})
    return year


_MOBILE = re.compile(r"1[3-9]\d{9}")


_SCIENTIFIC = re.compile(r"\d(\.\d+)?e\+?\d+", re.IGNORECASE)


def read_mobile(text: str) -> str:
    """A mainland mobile number as its 11 digits (`+86 138-0013-8000` → 13800138000; `13800138000.0`, a number
    cell a CSV export wrote with its decimal, too)."""
    text = unicodedata.normalize("NFKC", text).strip()
    if _SCIENTIFIC.fullmatch(text):
        raise CellError(_("“%(text)s”是 Excel 按科学计数法显示的号码，后几位已经丢失：请把这一列设为“文本”，"
                          "重新填写号码后再导出。") % {"text": text})
    text = re.sub(r"^(\d{11})\.0+$", r"\1", text)
    digits = re.sub(r"[\s\-－—()（）.]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not _MOBILE.fullmatch(digits):
        raise CellError(_("“%(text)s”不是手机号：应为 11 位、以 1 开头的中国大陆手机号。") % {"text": text})
    return digits


def phone_key(text: str) -> str:
    """A stored phone as the natural key compares it: its mobile digits, or "" when it is none."""
    try:
        return read_mobile(text or "")
    except CellError:
        return ""
