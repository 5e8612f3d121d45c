"""Roster files for the import specifications: .xlsx workbooks and CSV files built in memory."""
import csv
import io
import re
import zipfile

from openpyxl import Workbook

HEADERS = ["姓名", "工作单位", "手机号", "省份", "城市", "技能专长", "荣誉称号"]


def person(n: int, **cells) -> dict:
    """One roster row (header → cell) of an expert numbered n; `cells` override or add columns."""
    row = {"姓名": f"专家{n:03d}", "工作单位": "四川天华化工集团有限公司", "手机号": f"139{n:08d}", "省份": "四川省",
           "城市": "泸州", "技能专长": "", "荣誉称号": ""}
    row.update(cells)
    return row


def table(rows: list[dict], headers: list[str] | None = None) -> list[list]:
    headers = headers or list(dict.fromkeys(h for row in rows for h in row)) or HEADERS
    return [headers, *([row.get(h, "") for h in headers] for row in rows)]


def xlsx(rows: list[list], *, above: list[list] = ()) -> bytes:
    """A workbook whose first sheet holds `above` (title rows), then `rows` (header first)."""
    workbook = Workbook()
    sheet = workbook.active
    for row in [*above, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_of_sheets(sheets: dict[str, list[list]], *, hidden: tuple[str, ...] = ()) -> bytes:
    """A workbook with a sheet of each name (in order) holding its rows; the `hidden` ones are hidden."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def with_formula(workbook: bytes, cell: str, formula: str, cached) -> bytes:
    """The workbook with `cell` of the first sheet turned into a formula whose cached value (what Excel
    computed and saved) is `cached` — openpyxl cannot write cached values itself."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text, found = re.subn(rf'<c r="{cell}"[^>]*?(/>|>.*?</c>)',
                                      f'<c r="{cell}" t="str"><f>{formula}</f><v>{cached}</v></c>', text)
                assert found == 1, f"no cell {cell} in the sheet"
                data = text.encode()
            target.writestr(item, data)
    return buffer.getvalue()


def zip_bomb(workbook: bytes, unpacked_bytes: int) -> bytes:
    """The workbook with one more member: `unpacked_bytes` of zeros, compressed about a thousandfold."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        with target.open("xl/media/padding.bin", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(unpacked_bytes // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()
