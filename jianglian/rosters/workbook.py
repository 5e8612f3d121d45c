"""The downloadable .xlsx template of a roster kind.

Sheet 1 (the one imports read): the headers, required ones in bold red with a comment saying so, one example
row, drop-down lists on every column with choices (province, honours, category …; columns holding several
values accept typed lists too). The lists live on a hidden sheet; a third sheet explains the rules: the
natural key, the empty-cell rule, the limits.
"""
from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .files import limit
from .importer import RosterKind

LISTS_SHEET = "lists"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def template_filename(kind: RosterKind) -> str:
    return f"{kind.name}-template.xlsx"


def template_workbook(kind: RosterKind) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(kind.label)[:31]
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    last_row = limit("ROSTER_MAX_ROWS") + 1
    examples = kind.template_rows()
    list_column = 0
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        notes = []
        if column.required:
            cell.font = Font(bold=True, color="C00000")
            notes.append(_("必填"))
        else:
            cell.font = Font(bold=True)
        if column.note:
            notes.append(str(column.note))
        if notes:
            cell.comment = Comment("；".join(notes), "Jianglian")
        for number, example in enumerate(examples, start=2):
            sheet.cell(row=number, column=index, value=example.get(column.key, ""))
        sheet.column_dimensions[letter].width = max(10, min(40, 2.2 * len(column.header) + 4,
                                                            *(1.8 * len(str(e.get(column.key, ""))) + 2 for e in examples)))
        choices = list(column.choices()) if column.choices else []
        if not choices:
            continue
        list_column += 1
        list_letter = get_column_letter(list_column)
        lists.cell(row=1, column=list_column, value=column.header)
        for offset, choice in enumerate(choices, start=2):
            lists.cell(row=offset, column=list_column, value=choice)
        source = f"{quote_sheetname(LISTS_SHEET)}!${list_letter}$2:${list_letter}${len(choices) + 1}"
        validation = DataValidation(type="list", formula1=source, allow_blank=True)
        # A column of several values (荣誉称号: 全国劳动模范、大国工匠) offers the list but accepts what is typed.
        validation.showErrorMessage = not column.multiple
        validation.error = _("请从下拉列表中选择。")
        validation.errorTitle = column.header
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 28
    _instructions(workbook.create_sheet(_("填写说明")), kind)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _instructions(sheet, kind: RosterKind) -> None:
    lines = [
        _("%(label)s名册模板") % {"label": kind.label},
        "",
        _("1. 在第一个工作表中逐行填写，第 2 行是示例，导入前请删除或改写。"),
        _("2. 红色表头为必填列。表头也可以用常见的写法（如“名字”“单位”“联系电话”），无法识别的列会在预检查时列出。"),
        _("3. 匹配规则：%(key)s。匹配到的记录会被更新，否则新建；同一文件中不能重复。") % {"key": kind.natural_key},
        _("4. 空单元格不会清空已有信息；多个值用“、”分隔。"),
        _("5. 每个文件最多 %(rows)s 行数据，不超过 %(size)s MB；也可以保存为 CSV（UTF-8 或 GB18030）。")
        % {"rows": f"{limit('ROSTER_MAX_ROWS'):,}", "size": limit("ROSTER_MAX_FILE_BYTES") // (1024 * 1024)},
        _("6. 导入前会先预检查：每一行显示新建、更新、不变或错误。默认有错误时整个文件都不导入，也可以选择只导入正确的行。"),
        "",
        _("列说明"),
    ]
    for column in kind.columns:
        parts = [column.header]
        if column.required:
            parts.append(_("必填"))
        if column.aliases:
            parts.append(_("也可写作：%(names)s") % {"names": "、".join(a for a in column.aliases if not a.isascii())
                                                  or "、".join(column.aliases)})
        if column.note:
            parts.append(str(column.note))
        lines.append(" · ".join(parts))
    for number, line in enumerate(lines, start=1):
        sheet.cell(row=number, column=1, value=line)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 120
