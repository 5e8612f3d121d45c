"""The `import_<kind>` management commands: one base, one subclass per app (`manage.py import_experts FILE`).

    manage.py import_experts FILE [--dry-run] [--valid-rows-only] [--json] [--no-progress]
    manage.py import_experts --template FILE       # write the kind's .xlsx template

The command calls the app's import service (registered with the kind) as the command-line operator (user None:
whoever runs manage.py already has the server's rights). It shows a progress bar per phase on stderr, then the
report: a summary and every error with its row, or with `--json` one object on stdout
`{"rows", "created", "updated", "unchanged", "errors": [{"row", "field", "message"}], …}`.
Exit status 1 when the file was refused or errors stopped the import (or would, in a dry run).
"""
from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from .importer import get_kind, get_service
from .report import Report
from .workbook import template_workbook

PHASES = {"check": "检查", "write": "写入"}


class RosterImportCommand(BaseCommand):
    kind_name = ""  # the registered kind: "experts", "studios", "enterprises"

    @property
    def help(self):
        return (f"Import a roster of {self.kind_name} from an .xlsx or CSV file (UTF-8 or GB18030): a dry run "
                "reports every row as new / update / unchanged / error; without --dry-run the rows are written in "
                "one transaction, all or nothing unless --valid-rows-only.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the .xlsx or .csv file")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--valid-rows-only", action="store_true",
                            help="import the valid rows even when some rows have errors")
        parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
        parser.add_argument("--rows", action="store_true", help="with --json: include every row's outcome")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument("--template", metavar="FILE", help="write the .xlsx template of this roster to FILE")

    def handle(self, *args, file, dry_run, valid_rows_only, json: bool, rows, no_progress, template, **options):
        kind = get_kind(self.kind_name)
        if template:
            Path(template).write_bytes(template_workbook(kind))
            self.stderr.write(f"template written to {template}")
            return
        if not file:
            raise CommandError("a FILE to import is needed (or --template FILE)")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        bars = {}
        show = not no_progress and options.get("verbosity", 1) > 0

        def progress(phase, done, total):
            if not show:
                return
            bar = bars.get(phase)
            if bar is None:
                bar = bars[phase] = tqdm(total=total, desc=f"{self.kind_name}: {PHASES.get(phase, phase)}",
                                         unit="row", file=self.stderr._out, leave=True)
            bar.update(done - bar.n)

        try:
            report = get_service(self.kind_name)(user=None, data=path.read_bytes(), filename=path.name,
                                                 dry_run=dry_run, valid_rows_only=valid_rows_only,
                                                 progress=progress)
        finally:
            for bar in bars.values():
                bar.close()
        if json:
            self.stdout.write(_json(report.as_dict(rows=rows)))
        else:
            self.stdout.write(self.summary(report))
        if report.file_errors or not report.writes:
            raise CommandError(_("未导入任何数据。") if not report.dry_run else _("预检查发现错误。"), returncode=1)

    def summary(self, report: Report) -> str:
        counts = report.counts()
        lines = []
        for issue in report.file_errors:
            lines.append(_("文件错误：%(message)s") % {"message": issue.message})
        if report.file_errors:
            lines.append(_("未导入任何数据。"))
            return "\n".join(lines)
        lines.append(_("共 %(rows)s 行（表头在第 %(header)s 行；匹配规则：%(key)s）")
                     % {"rows": counts["rows"], "header": report.header_row, "key": report.natural_key})
        if report.unrecognised_columns:
            lines.append(_("无法识别的列（已忽略）：%(columns)s") % {"columns": "，".join(report.unrecognised_columns)})
        if report.ignored_sheets:
            lines.append(report.ignored_sheets_notice)
        verb = _("预检查") if report.dry_run else _("导入")
        lines.append(_("%(verb)s：新建 %(created)s，更新 %(updated)s，不变 %(unchanged)s，错误 %(errors)s 行")
                     % {"verb": verb, "created": report.count("new"), "updated": report.count("update"),
                        "unchanged": report.count("unchanged"), "errors": report.error_rows})
        for result in report.results:
            for issue in result.errors:
                where = _("第 %(row)s 行") % {"row": issue.row}
                if issue.column:
                    where += f" {issue.column}"
                lines.append(f"  ✗ {where}：{issue.message}")
            for issue in result.warnings:
                lines.append(f"  ! {_('第 %(row)s 行') % {'row': issue.row}} {issue.column or ''}：{issue.message}")
        if report.dry_run:
            lines.append(_("试运行：没有写入任何数据。"))
        elif report.imported:
            lines.append(_("已导入：新建 %(created)s，更新 %(updated)s。") % counts)
        else:
            lines.append(_("有错误，未导入任何数据（加 --valid-rows-only 只导入正确的行）。"))
        return "\n".join(lines)


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False)
