"""Reading a roster file (jianglian.rosters): formats, headers, and the bad files that are refused with a clear
message and change nothing. The experts' roster is the kind read here; its row rules are in
tests/experts/test_roster.py."""
import codecs

import pytest

from experts.models import Expert
from experts.services import experts_import
from jianglian.rosters.files import RosterFileError, read_rows
from tests import factories
from tests.rosters import csv_bytes, person, table, with_formula, workbook_of_sheets, xlsx, zip_bomb

pytestmark = pytest.mark.django_db


def check(data: bytes, filename: str, **options):
    return experts_import(user=None, data=data, filename=filename, **options)


def refused(data: bytes, filename: str) -> str:
    """The message of a file refused as a whole; and nothing was written, even when asked to import."""
    before = Expert.objects.count()
    report = check(data, filename, dry_run=False, valid_rows_only=True)
    assert not report.imported and not report.results
    assert Expert.objects.count() == before
    [issue] = report.file_errors
    assert report.as_dict()["errors"] == [{"row": None, "field": None, "column": None, "message": issue.message}]
    return issue.message


ROWS = table([person(1), person(2)])


# --- formats ----------------------------------------------------------------------------------------------------


def test_an_xlsx_workbook_is_read_with_excel_row_numbers():
    report = check(xlsx(ROWS), "名册.xlsx")
    assert [(r.row, r.status) for r in report.results] == [(2, "new"), (3, "new")]


def test_a_formula_gives_the_value_excel_computed_not_the_formula():
    workbook = with_formula(xlsx(table([person(1, 城市="")])), "E2", 'CONCATENATE("泸","州")', "泸州")
    report = check(workbook, "roster.xlsx", dry_run=False)
    assert report.imported
    assert Expert.objects.get().city == "泸州"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_in_utf8_with_or_without_bom_gb18030_and_utf16_reads_the_same(encoding):
    data = csv_bytes(table([person(1, 姓名="龑䶮堃"), person(2)]), encoding=encoding)
    if encoding == "utf-8-sig":
        assert data.startswith(codecs.BOM_UTF8)
    report = check(data, "roster.csv", dry_run=False)
    assert report.imported
    assert sorted(Expert.objects.values_list("name", flat=True)) == ["专家002", "龑䶮堃"]


def test_a_gb18030_csv_as_chinese_excel_saves_it_imports_every_character():
    rare = "𠀀𪚥"  # outside the BMP: four bytes each in GB18030, unknown to GBK
    data = csv_bytes(table([person(1, 姓名=f"王{rare}", 工作单位="泸州北方化学工业有限公司")]), encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = check(data, "名册.csv", dry_run=False)
    assert report.imported
    assert Expert.objects.get().name == f"王{rare}"


def test_tab_separated_text_is_read_too():
    report = check(csv_bytes(ROWS, delimiter="\t"), "roster.csv")
    assert [r.status for r in report.results] == ["new", "new"]


def test_a_quoted_cell_over_several_lines_keeps_the_row_numbers_excel_shows():
    rows = table([person(1, 简介="第一行\n第二行"), person(2, 手机号="12345")])
    report = check(csv_bytes(rows), "roster.csv")
    assert [(r.row, r.status) for r in report.results] == [(2, "new"), (3, "error")]


# --- headers ------------------------------------------------------------------------------------------------------


def test_a_title_row_above_the_header_is_skipped_and_rows_keep_their_numbers():
    report = check(xlsx(ROWS, above=[["2024年劳模工匠名册"], []]), "roster.xlsx")
    assert report.header_row == 3
    assert [r.row for r in report.results] == [4, 5]


def test_unrecognised_columns_are_reported_with_their_letter():
    rows = table([person(1, 备注="老师傅", 序号="1")])
    report = check(xlsx(rows), "roster.xlsx")
    assert report.unrecognised_columns == ["H: 备注", "I: 序号"]
    assert report.as_dict()["unrecognised_columns"] == ["H: 备注", "I: 序号"]


def test_a_workbook_of_several_sheets_says_which_one_was_read_and_which_were_not():
    """Was silent: the people on a roster's second sheet were simply not imported."""
    data = workbook_of_sheets({"一厂": table([person(1)]), "二厂": table([person(2)]), "下拉选项": [["是", "否"]],
                               "说明": [["请按模板填写"]]}, hidden=("下拉选项",))

    report = check(data, "名册.xlsx")

    assert [r.row for r in report.results] == [2]
    assert (report.sheet, report.ignored_sheets) == ("一厂", ["二厂", "说明"])  # hidden sheets are the template's
    assert report.as_dict()["ignored_sheets"] == ["二厂", "说明"]
    assert report.ignored_sheets_notice == ("只读取了第一个工作表“一厂”；其他工作表未读取：“二厂”、“说明”。"
                                            "要导入它们，请各存为一个文件。")


def test_a_workbook_of_one_sheet_or_a_csv_has_no_sheet_notice():
    for data, name in ((xlsx(ROWS), "a.xlsx"), (csv_bytes(ROWS), "a.csv")):
        report = check(data, name)
        assert report.ignored_sheets == [] and report.ignored_sheets_notice == ""


def test_headers_are_matched_through_spaces_required_marks_notes_and_full_width_forms():
    rows = [["姓 名*", "工作单位（全称）", "手机号：", "省份", "城市"], ["张三", "某公司", "13900000001", "四川", "成都"]]
    report = check(xlsx(rows), "roster.xlsx")
    assert report.columns == {"name": "姓 名*", "employer": "工作单位（全称）", "phone": "手机号：", "province": "省份",
                              "city": "城市"}
    assert [r.status for r in report.results] == ["new"]


def test_a_missing_required_column_is_named():
    rows = [["姓名", "手机号", "省份", "城市"], ["张三", "13900000001", "四川", "成都"]]
    assert "缺少必填列：工作单位" in refused(xlsx(rows), "roster.xlsx")


def test_two_columns_meaning_the_same_are_refused():
    rows = [["姓名", "单位", "工作单位", "省份", "城市"], ["张三", "甲", "乙", "四川", "成都"]]
    assert "重复的列" in refused(xlsx(rows), "roster.xlsx")


def test_a_sheet_without_a_recognisable_header_says_what_is_expected():
    message = refused(xlsx([["a", "b"], ["1", "2"]]), "roster.xlsx")
    assert "没有找到表头" in message and "姓名" in message


# --- bad files: a clear message, nothing changed -------------------------------------------------------------------


@pytest.mark.parametrize("data, filename, says", [
    (b"%PDF-1.7 ...", "roster.csv", ".pdf"),
    (b"%PDF-1.7 ...", "roster.pdf", "不支持的文件类型"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "roster.xlsx", "另存为"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "roster.xls", "另存为"),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), "roster.xlsx", ".png"),
    ("姓名,工作单位\n张三,某公司\n".encode(), "roster.xlsx", "扩展名与内容不符"),
    ("姓名,工作单位\n张三,某公司\n".encode(), "roster.txt", "不支持的文件类型"),
], ids=["pdf-renamed-csv", "pdf", "xls-renamed-xlsx", "xls", "png-renamed-xlsx", "csv-renamed-xlsx", "txt"])
def test_a_wrong_type_or_renamed_file_says_what_it_is(data, filename, says):
    assert says in refused(data, filename)


def test_a_workbook_renamed_to_csv_is_refused_and_told_to_rename_it_back():
    assert "请把扩展名改回 .xlsx" in refused(xlsx(ROWS), "roster.csv")


def test_a_word_document_renamed_to_xlsx_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert ".docx" in refused(buffer.getvalue(), "roster.xlsx")


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_truncated_workbook_is_corrupt(cut):
    data = xlsx(ROWS)
    message = refused(data[: int(len(data) * cut)], "roster.xlsx")
    assert "损坏" in message


def test_a_workbook_whose_sheet_is_not_xml_is_corrupt():
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx(ROWS)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, b"<worksheet><sheetData><row" if item.filename.endswith("sheet1.xml") else data)
    assert "损坏" in refused(buffer.getvalue(), "roster.xlsx")


def test_an_oversized_file_is_refused_before_it_is_read(settings):
    settings.ROSTER_MAX_FILE_BYTES = 4096
    message = refused(csv_bytes(table([person(n) for n in range(200)])), "roster.csv")
    assert "文件太大" in message and "4.0 KB" in message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(settings):
    settings.ROSTER_MAX_UNPACKED_BYTES = 2 * 1024 * 1024
    bomb = zip_bomb(xlsx(ROWS), unpacked_bytes=8 * 1024 * 1024)
    assert len(bomb) < 64 * 1024  # 8 MB of zeros, compressed about a thousandfold
    assert "压缩炸弹" in refused(bomb, "roster.xlsx")


def test_a_highly_compressed_member_is_refused_even_under_the_total_limit():
    bomb = zip_bomb(xlsx(ROWS), unpacked_bytes=4 * 1024 * 1024)
    assert "压缩炸弹" in refused(bomb, "roster.xlsx")


def test_more_rows_than_the_stated_cap_are_refused(settings):
    settings.ROSTER_MAX_ROWS = 5
    assert "超过上限 5 行" in refused(xlsx(table([person(n) for n in range(6)])), "roster.xlsx")
    assert check(xlsx(table([person(n) for n in range(5)])), "roster.xlsx").count("new") == 5


@pytest.mark.parametrize("data, filename", [
    (b"", "roster.csv"),
    (b"", "roster.xlsx"),
    (b"\n\n  \n", "roster.csv"),
    (codecs.BOM_UTF8, "roster.csv"),
    (xlsx([]), "roster.xlsx"),
], ids=["empty-csv", "empty-xlsx", "blank-lines", "bom-only", "empty-workbook"])
def test_an_empty_file_is_refused(data, filename):
    assert "空" in refused(data, filename)


@pytest.mark.parametrize("builder, filename", [(xlsx, "roster.xlsx"), (csv_bytes, "roster.csv")])
def test_a_header_row_only_is_refused(builder, filename):
    assert "只有表头" in refused(builder([table([person(1)])[0], ["", "", ""]]), filename)


def test_an_undecodable_csv_asks_for_utf8_or_gb18030():
    data = "姓名,工作单位\n".encode() + b"\x81\x30\xff\xfe,x\n"
    assert "UTF-8 或 GB18030" in refused(data, "roster.csv")


def test_a_broken_csv_quote_names_its_line(settings):
    import csv

    data = ('姓名,工作单位,手机号,省份,城市\n张三,"某公司,13900000001,四川,成都\n' + "x" * 200).encode()
    old = csv.field_size_limit(100)
    try:
        assert "第" in refused(data, "roster.csv")
    finally:
        csv.field_size_limit(old)


def test_the_reader_itself_raises_a_domain_error_with_a_code():
    with pytest.raises(RosterFileError) as raised:
        read_rows(b"", "x.csv")
    assert raised.value.code == "roster_empty"


def test_a_refused_file_changes_nothing_that_was_there():
    expert = factories.make_expert(name="原有专家", phone="13900000001")
    refused(b"%PDF", "roster.csv")
    assert Expert.objects.get().name == expert.name
