"""What an import did, or would do, row by row: the report the command line, the page and REST all show.

Every data row gets a status — new, update, unchanged or error — with its row number in the file (Excel's
number) and its messages per field. `as_dict()` is the one JSON shape (`manage.py import_* --json`, REST):

    {"rows": 120, "created": 100, "updated": 15, "unchanged": 3, "errors": [{"row": 7, "field": "phone",
     "column": "手机号", "message": "…"}], ...}

In a dry run `created` / `updated` / `unchanged` count the rows that are new, updates and unchanged; in an
import they count what was written: 0 each, with `"imported": false`, when errors stopped it (all or nothing).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

NEW = "new"
UPDATE = "update"
UNCHANGED = "unchanged"
ERROR = "error"


@dataclass
class Issue:
    """One message about one cell (row and field), one row (field None) or the file (row None)."""

    message: str
    row: int | None = None
    field: str | None = None
    column: str | None = None

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "column": self.column, "message": self.message}


@dataclass
class RowResult:
    row: int
    status: str = NEW
    key: str = ""  # the natural key as the user reads it: "手机 13800138000" / "张三 · 某化工公司"
    label: str = ""  # who or what the row is (a name)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # the column headers an update changes
    target_id: int | None = None  # the existing row it updates (or leaves unchanged), or the one created

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "row": self.row, "status": self.status, "key": self.key, "label": self.label,
            "changed": self.changed, "id": self.target_id,
            "errors": [e.as_dict() for e in self.errors], "warnings": [w.as_dict() for w in self.warnings],
        }


@dataclass
class Report:
    kind: str
    natural_key: str = ""
    dry_run: bool = True
    valid_rows_only: bool = False
    imported: bool = False
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # key → header as written in the file
    unrecognised_columns: list[str] = field(default_factory=list)
    sheet: str = ""  # the worksheet read
    ignored_sheets: list[str] = field(default_factory=list)  # the workbook's other visible worksheets, not read
    file_errors: list[Issue] = field(default_factory=list)
    results: list[RowResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def error_rows(self) -> int:
        return self.count(ERROR)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors or self.error_rows)

    @property
    def writes(self) -> bool:
        """Whether the rows were (or in a dry run would be) written."""
        return not self.file_errors and (self.valid_rows_only or not self.error_rows)

    def counts(self) -> dict[str, int]:
        """What the rows are (a dry run) or what was written (an import: all 0 when it wrote nothing)."""
        counted = self.dry_run or self.imported
        return {
            "rows": len(self.results),
            "created": self.count(NEW) if counted else 0,
            "updated": self.count(UPDATE) if counted else 0,
            "unchanged": self.count(UNCHANGED) if counted else 0,
            "error_rows": self.error_rows,
        }

    @property
    def ignored_sheets_notice(self) -> str:
        """What a workbook of several sheets had read: its first visible sheet only (the page and the command)."""
        if not self.ignored_sheets:
            return ""
        return _("只读取了第一个工作表“%(sheet)s”；其他工作表未读取：%(others)s。要导入它们，请各存为一个文件。") % {
            "sheet": self.sheet, "others": "、".join(f"“{name}”" for name in self.ignored_sheets)}

    def issues(self) -> list[Issue]:
        return [*self.file_errors, *(e for r in self.results for e in r.errors)]

    def as_dict(self, *, rows: bool = False) -> dict:
        data = {
            **self.counts(),
            "errors": [e.as_dict() for e in self.issues()],
            "warnings": [w.as_dict() for r in self.results for w in r.warnings],
            "kind": self.kind,
            "dry_run": self.dry_run,
            "valid_rows_only": self.valid_rows_only,
            "imported": self.imported,
            "natural_key": self.natural_key,
            "header_row": self.header_row,
            "unrecognised_columns": self.unrecognised_columns,
            "sheet": self.sheet,
            "ignored_sheets": self.ignored_sheets,
        }
        if rows:
            data["results"] = [r.as_dict() for r in self.results]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        """A stored report (the page keeps the dry run's as JSON)."""
        report = cls(kind=data["kind"], natural_key=data.get("natural_key", ""), dry_run=data.get("dry_run", True),
                     valid_rows_only=data.get("valid_rows_only", False), imported=data.get("imported", False),
                     header_row=data.get("header_row"), unrecognised_columns=data.get("unrecognised_columns", []),
                     sheet=data.get("sheet", ""), ignored_sheets=data.get("ignored_sheets", []))
        report.file_errors = [Issue(**e) for e in data.get("errors", []) if e.get("row") is None]
        for r in data.get("results", []):
            report.results.append(RowResult(
                row=r["row"], status=r["status"], key=r["key"], label=r["label"], changed=r["changed"],
                target_id=r.get("id"), errors=[Issue(**e) for e in r["errors"]],
                warnings=[Issue(**w) for w in r["warnings"]],
            ))
        return report
