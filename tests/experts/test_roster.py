"""Importing the 劳模工匠库 from a roster (experts.roster, experts.services.experts_import): the rules of a row,
the natural key, all or nothing, and what happens after the commit. The command line's cases sit at the end."""
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from experts.models import Expert, ExpertHonour
from experts.roster import roster
from experts.services import expert_claim, expert_claim_token, experts_import
from jianglian.errors import NotAllowed
from jianglian.rosters.workbook import template_workbook
from matching.models import ExpertArea
from tests import factories
from tests.rosters import csv_bytes, person, table, workbook_of_sheets, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def skills(db):
    """Two taxonomy skills with synonyms, as load_taxonomy stores them."""
    return {
        "distillation": factories.make_skill(code="distillation", name="精馏与分离节能", synonyms=["精馏", "萃取精馏"]),
        "seals": factories.make_skill(code="pumps-seals", name="泵与机械密封", synonyms=["机械密封", "机封"]),
    }


def run(rows, *, user=None, filename="名册.xlsx", **options):
    data = xlsx(rows) if filename.endswith(".xlsx") else csv_bytes(rows)
    return experts_import(user=user, data=data, filename=filename, **options)


def statuses(report):
    return [(r.row, r.status) for r in report.results]


def errors(report):
    return [(e["row"], e["field"], e["message"]) for e in report.as_dict()["errors"]]


# --- headers: the template's and the usual variants of real rosters -------------------------------------------------


@pytest.mark.parametrize("headers", [
    ["姓名", "工作单位", "手机号", "省份", "城市", "荣誉称号", "技能专长", "所属工作室"],
    ["名字", "单位", "联系电话", "省", "市", "荣誉", "专业领域", "工作室"],
    ["姓名", "所在单位", "手机", "所在省份", "所在城市", "主要荣誉", "技能", "所在工作室"],
])
def test_the_template_headers_and_the_usual_variants_name_the_same_columns(headers, skills):
    factories.make_studio(name="王建国精馏创新工作室")
    cells = ["王建国", "四川天华化工集团有限公司", "13800138000", "四川", "泸州", "全国劳动模范", "精馏", "王建国精馏创新工作室"]
    report = run([headers, cells], dry_run=False)
    assert report.imported and not report.unrecognised_columns
    expert = Expert.objects.get()
    assert (expert.name, expert.employer, expert.phone, expert.province, expert.city) == (
        "王建国", "四川天华化工集团有限公司", "13800138000", "sichuan", "泸州")
    assert list(expert.honours.values_list("honour", flat=True)) == ["national_model_worker"]
    assert list(expert.skills.all()) == [skills["distillation"]]
    assert expert.studio.name == "王建国精馏创新工作室"


def test_every_template_column_is_read():
    headers = [c.header for c in roster.columns]
    report = run([headers, [roster.example[c.key] for c in roster.columns]], dry_run=False)
    assert report.imported and report.columns == {c.key: c.header for c in roster.columns}
    expert = Expert.objects.get()
    assert (expert.gender, expert.birth_year, expert.role, expert.position, expert.professional_title,
            expert.industry, expert.capacity, expert.accepting_pairings, expert.accepts_remote, expert.email) == (
        "male", 1972, "both", "首席技师", "高级技师", "chemical", 2, True, True, "wangjianguo@example.com")
    assert expert.bio.startswith("长期从事") and expert.achievements.startswith("主持的")


# --- the dry run: a status per row, field messages, Excel's row numbers ----------------------------------------------


def test_a_dry_run_states_new_update_unchanged_and_error_per_row_and_writes_nothing():
    factories.make_expert(name="专家001", phone="13900000001", employer="四川天华化工集团有限公司", province="sichuan",
                          city="泸州")
    factories.make_expert(name="专家002", phone="13900000002", employer="四川天华化工集团有限公司", province="sichuan",
                          city="成都")
    rows = table([person(1), person(2), person(3), person(4, 手机号="010-62345678")])

    report = run(rows, dry_run=True)

    assert statuses(report) == [(2, "unchanged"), (3, "update"), (4, "new"), (5, "error")]
    assert report.results[1].changed == ["城市"]
    assert errors(report) == [(5, "phone", "“010-62345678”不是手机号：应为 11 位、以 1 开头的中国大陆手机号。")]
    assert report.as_dict()["errors"][0]["column"] == "手机号"
    assert Expert.objects.count() == 2
    assert report.counts() == {"rows": 4, "created": 1, "updated": 1, "unchanged": 1, "error_rows": 1}


def test_field_messages_name_each_bad_cell():
    rows = table([person(1, 省份="火星", 荣誉称号="优秀员工", 性别="未知", 出生年份="七十年代", 可同时结对数="99",
                         接受结对="也许", 邮箱="not-an-email")])
    fields = {field for _row, field, _message in errors(run(rows))}
    assert fields == {"province", "honours", "gender", "birth_year", "capacity", "accepting_pairings", "email"}


def test_a_required_cell_left_empty_is_an_error():
    report = run(table([person(1, 工作单位="")]))
    assert errors(report) == [(2, "employer", "必填，不能为空。")]


def test_values_too_long_are_errors():
    report = run(table([person(1, 姓名="长" * 65), person(2, 简介="字" * 5001)]))
    assert [(row, field) for row, field, _ in errors(report)] == [(2, "name"), (3, "bio")]
    assert "最多 64 个" in errors(report)[0][2]


@pytest.mark.parametrize("phone, stored", [
    ("13800138000", "13800138000"), ("+86 138-0013-8000", "13800138000"), ("008613800138000", "13800138000"),
    (13800138000, "13800138000"),  # a number cell in Excel
])
def test_a_mobile_phone_is_read_in_its_usual_spellings(phone, stored):
    assert run([["姓名", "工作单位", "手机号", "省份", "城市"], ["张三", "甲公司", phone, "四川", "成都"]],
               dry_run=False).imported
    assert Expert.objects.get().phone == stored


@pytest.mark.parametrize("phone", ["028-85123456", "12800138000", "1380013800", "1.38E+10", "138001380001"])
def test_a_phone_that_is_not_a_mobile_number_is_an_error(phone):
    report = run(table([person(1, 手机号=phone)]))
    assert [(row, field) for row, field, _ in errors(report)] == [(2, "phone")]


# --- the natural key: phone, else name + employer; never duplicated -----------------------------------------------------


def test_a_row_is_matched_on_the_phone_first_even_when_the_name_is_written_differently():
    expert = factories.make_expert(name="王建國", phone="138-0013-8000", employer="甲公司")
    report = run(table([person(1, 姓名="王建国", 手机号="13800138000", 工作单位="甲公司")]), dry_run=False)
    assert statuses(report) == [(2, "update")] and report.results[0].changed == ["姓名", "城市"]
    assert list(Expert.objects.values_list("pk", "name")) == [(expert.pk, "王建国")]


def test_without_a_phone_a_row_is_matched_on_name_and_employer():
    expert = factories.make_expert(name="李师傅", phone="", employer="乙公司", province="sichuan", city="泸州")
    report = run(table([person(1, 姓名="李师傅", 工作单位="乙公司", 手机号="")]), dry_run=False)
    assert statuses(report) == [(2, "unchanged")] and report.results[0].target_id == expert.pk
    assert report.results[0].key == "李师傅 · 乙公司"
    assert Expert.objects.count() == 1


def test_a_row_whose_phone_is_new_but_name_and_employer_are_known_updates_that_expert():
    expert = factories.make_expert(name="李师傅", phone="13900000009", employer="乙公司", province="sichuan", city="泸州")
    report = run(table([person(1, 姓名="李师傅", 工作单位="乙公司", 手机号="13700000000")]), dry_run=False)
    assert statuses(report) == [(2, "update")] and report.results[0].changed == ["手机号"]
    assert Expert.objects.get().pk == expert.pk


def test_importing_the_same_roster_twice_creates_nobody_twice():
    rows = table([person(n, 技能专长="火箭科学", 荣誉称号="大国工匠") for n in range(1, 4)])
    assert run(rows, dry_run=False).count("new") == 3
    again = run(rows, dry_run=False)
    assert [r.status for r in again.results] == ["unchanged"] * 3
    assert Expert.objects.count() == 3 and ExpertHonour.objects.count() == 3


def test_two_stored_experts_a_row_could_mean_are_an_error_not_a_guess():
    factories.make_expert(name="张伟", employer="中国石化", phone="")
    factories.make_expert(name="张伟", employer="中国石化", phone="")
    report = run(table([person(1, 姓名="张伟", 工作单位="中国石化", 手机号="")]), dry_run=False, valid_rows_only=True)
    assert statuses(report) == [(2, "error")] and "2 位专家" in errors(report)[0][2]
    assert Expert.objects.count() == 2


# --- duplicates inside the file --------------------------------------------------------------------------------------


def test_a_row_repeated_in_the_file_is_an_error_naming_the_first():
    report = run(table([person(1), person(2), person(1)]))
    assert statuses(report) == [(2, "new"), (3, "new"), (4, "error")]
    assert errors(report) == [(4, None, "与第 2 行完全相同（重复行）。")]


def test_two_different_rows_with_one_phone_are_both_errors():
    report = run(table([person(1), person(2, 手机号="13900000001")]))
    assert statuses(report) == [(2, "error"), (3, "error")]


def test_a_row_without_phone_repeating_a_name_and_employer_is_an_error():
    report = run(table([person(1), person(1, 手机号="")]))
    assert statuses(report) == [(2, "new"), (3, "error")]
    assert "与第 2 行姓名、工作单位相同" in errors(report)[0][2]


def test_two_rows_reaching_one_stored_expert_are_an_error():
    factories.make_expert(name="李师傅", phone="", employer="乙公司")
    rows = table([person(1, 姓名="李师傅", 工作单位="乙公司", 手机号="13700000001"),
                  person(2, 姓名="李师傅", 工作单位="乙公司", 手机号="13700000002")])
    report = run(rows)
    assert statuses(report) == [(2, "update"), (3, "error")]
    assert errors(report) == [(3, None, "与第 2 行对应同一条记录。")]


# --- skills, honours, studios ----------------------------------------------------------------------------------------


def test_skills_are_matched_through_names_synonyms_and_codes(skills):
    run(table([person(1, 技能专长="精馏；机封"), person(2, 技能专长="泵与机械密封, distillation")]), dry_run=False)
    for expert in Expert.objects.all():
        assert set(expert.skills.all()) == {skills["distillation"], skills["seals"]}


def test_an_unknown_skill_is_reported_and_kept_as_a_self_filled_skill(skills):
    report = run(table([person(1, 技能专长="精馏、火箭科学")]), dry_run=False)
    assert report.imported
    [warning] = report.as_dict()["warnings"]
    assert (warning["row"], warning["field"]) == (2, "skills") and "火箭科学" in warning["message"]
    expert = Expert.objects.get()
    assert list(expert.skills.all()) == [skills["distillation"]] and expert.skill_tags == ["火箭科学"]


def test_honours_are_read_by_their_chinese_names_with_an_optional_year():
    run(table([person(1, 荣誉称号="全国劳动模范（2015）、2019年大国工匠、四川省五一劳动奖章、全国技术能手称号")]),
        dry_run=False)
    assert set(ExpertHonour.objects.values_list("honour", "year")) == {
        ("national_model_worker", 2015), ("great_craftsman", 2019), ("provincial_may_day_medal", None),
        ("national_technical_expert", None)}


def test_an_unknown_honour_is_an_error_listing_the_known_ones():
    report = run(table([person(1, 荣誉称号="优秀共产党员")]))
    [(row, field, message)] = errors(report)
    assert (row, field) == (2, "honours") and "全国劳动模范" in message


def test_a_listed_honour_set_replaces_the_stored_one_and_a_missing_year_keeps_the_stored_year():
    expert = factories.make_expert(phone="13900000001", honours=["great_craftsman"], city="泸州",
                                   employer="四川天华化工集团有限公司")
    expert.honours.update(year=2018)
    report = run(table([person(1, 姓名=expert.name, 荣誉称号="大国工匠、全国劳动模范")]), dry_run=False)
    assert report.results[0].changed == ["荣誉称号"]
    assert set(expert.honours.values_list("honour", "year")) == {("great_craftsman", 2018),
                                                                  ("national_model_worker", None)}


def test_the_studio_is_found_by_name_and_an_unknown_one_is_an_error():
    studio = factories.make_studio(name="王建国精馏创新工作室")
    report = run(table([person(1, 所属工作室="王建国精馏创新工作室"), person(2, 所属工作室="不存在的工作室")]))
    assert statuses(report) == [(2, "new"), (3, "error")]
    assert errors(report)[0][1] == "studio"
    run(table([person(1, 所属工作室="王建国精馏创新工作室")]), dry_run=False)
    assert Expert.objects.get().studio == studio


def test_an_empty_cell_leaves_the_stored_value_as_it_is():
    expert = factories.make_expert(phone="13900000001", bio="原有简介", email="old@example.com", province="sichuan",
                                   city="泸州", employer="四川天华化工集团有限公司")
    report = run(table([person(1, 姓名=expert.name, 简介="", 邮箱="")]), dry_run=False)
    assert statuses(report) == [(2, "unchanged")]
    expert.refresh_from_db()
    assert (expert.bio, expert.email) == ("原有简介", "old@example.com")


# --- all or nothing -------------------------------------------------------------------------------------------------------


ONE_BAD = table([person(1), person(2, 手机号="12345"), person(3)])


def test_a_file_with_errors_imports_nothing_by_default():
    report = run(ONE_BAD, dry_run=False)
    assert not report.imported and Expert.objects.count() == 0
    assert report.counts() == {"rows": 3, "created": 0, "updated": 0, "unchanged": 0, "error_rows": 1}


def test_valid_rows_only_imports_the_valid_rows():
    report = run(ONE_BAD, dry_run=False, valid_rows_only=True)
    assert report.imported and report.counts()["created"] == 2
    assert sorted(Expert.objects.values_list("name", flat=True)) == ["专家001", "专家003"]
    assert [r.target_id is not None for r in report.results] == [True, False, True]


def test_a_failure_half_way_leaves_nothing_half_written():
    rows = table([person(n, 荣誉称号="大国工匠") for n in range(1, 602)])  # two write batches

    def interrupted(phase, done, total):
        if phase == "write" and done >= 500:
            raise KeyboardInterrupt  # the operator pressing Ctrl-C, or the worker killed, after the first batch

    with pytest.raises(KeyboardInterrupt):
        run(rows, filename="roster.csv", dry_run=False, progress=interrupted)
    assert Expert.objects.count() == 0 and ExpertHonour.objects.count() == 0


def test_only_the_secretariat_imports(enterprise_user, expert_user):
    for user in (enterprise_user[0], expert_user[0]):
        with pytest.raises(NotAllowed):
            run(table([person(1)]), user=user, dry_run=False)
    assert Expert.objects.count() == 1  # the expert_user's own entry
    assert run(table([person(1)]), user=factories.make_secretariat(), dry_run=False).imported


# --- after the commit: accounts, search, matching -------------------------------------------------------------------------


def test_imported_experts_have_no_account_and_can_claim_their_entry_later():
    secretariat = factories.make_secretariat()
    run(table([person(1)]), user=secretariat, dry_run=False)
    expert = Expert.objects.get()
    assert expert.user is None
    newcomer = factories.make_user()
    assert expert_claim(user=newcomer, token=expert_claim_token(user=secretariat, expert=expert)).user == newcomer


def test_search_and_matching_are_told_once_after_the_commit_in_bulk(django_capture_on_commit_callbacks, skills):
    factories.make_expert(phone="13900000001")  # updated by the roster
    rows = table([person(n, 技能专长="精馏", 简介="主持精馏塔节能改造。") for n in range(1, 41)])
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        report = run(rows, dry_run=False)
    names = [c.name for c in callbacks if hasattr(c, "name")]
    assert report.counts()["created"] == 39 and report.counts()["updated"] == 1
    # once each: the experts' areas, the rankings their conflicts of interest touch, the search index
    assert sorted(names) == ["matching.refresh_expert", "matching.rerank_after_conflicts_change", "search:expert"]
    assert len(callbacks[names.index("search:expert")].items) == 40


def test_after_the_commit_the_new_experts_are_searchable_and_have_derived_areas(tmp_path, settings, skills,
                                                                                django_capture_on_commit_callbacks):
    from search.backends import reset_backends
    from search.selectors import search_visible

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    reset_backends()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run(table([person(1, 姓名="欧阳精馏", 技能专长="精馏", 简介="主持精馏塔节能改造。")]), dry_run=False)
        expert = Expert.objects.get()
        assert ExpertArea.objects.filter(expert=expert, skill=skills["distillation"]).exists()
        found = search_visible(user=None, type="expert", q="欧阳精馏", filters={}, page=1, page_size=10)
        assert [row for _hit, row in found.hits] == [expert]
    finally:
        reset_backends()


# --- the template ----------------------------------------------------------------------------------------------------------


def test_the_template_has_the_headers_an_example_row_and_drop_down_lists():
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(template_workbook(roster)))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == [c.header for c in roster.columns]
    assert sheet.cell(row=2, column=1).value == "王建国"
    assert workbook["lists"].sheet_state == "hidden"
    lists = {next(iter(dv.sqref.ranges)).coord.split(":")[0][:-1]: dv for dv in sheet.data_validations.dataValidation}
    letter = {c.key: chr(ord("A") + i) for i, c in enumerate(roster.columns)}
    assert {letter["province"], letter["honours"], letter["role"], letter["industry"], letter["gender"]} <= lists.keys()
    provinces = lists[letter["province"]].formula1
    column = provinces.split("!")[1].split(":")[0].replace("$", "")[0]
    assert [workbook["lists"][f"{column}{n}"].value for n in (2, 24)] == ["北京", "四川"]
    assert lists[letter["honours"]].showErrorMessage is False  # several honours may be typed in one cell


def test_the_template_imports_as_one_new_expert():
    report = experts_import(user=None, data=template_workbook(roster), filename="experts-template.xlsx", dry_run=False)
    assert report.imported and statuses(report) == [(2, "new")]


# --- the command line --------------------------------------------------------------------------------------------------------


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_experts", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue()


@pytest.fixture
def roster_file(tmp_path):
    def write(rows, name="名册.xlsx"):
        path = tmp_path / name
        path.write_bytes(xlsx(rows) if name.endswith(".xlsx") else csv_bytes(rows, encoding="gb18030"))
        return str(path)

    return write


def test_the_command_dry_run_prints_the_summary_and_writes_nothing(roster_file):
    out = command(roster_file(table([person(1), person(2)])), "--dry-run")
    assert "新建 2，更新 0，不变 0，错误 0 行" in out and "试运行" in out
    assert Expert.objects.count() == 0


def test_the_command_says_which_sheets_of_a_workbook_it_did_not_read(tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(workbook_of_sheets({"一厂": table([person(1)]), "二厂": table([person(2)])}))
    assert "其他工作表未读取：“二厂”" in command(str(path), "--dry-run")


def test_the_command_json_is_one_object_with_the_counts_and_the_errors(roster_file):
    with pytest.raises(CommandError):
        call_command("import_experts", roster_file(ONE_BAD, "名册.csv"), "--json", "--no-progress",
                     stdout=(out := io.StringIO()), stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert {k: data[k] for k in ("rows", "created", "updated", "unchanged")} == {
        "rows": 3, "created": 0, "updated": 0, "unchanged": 0}
    assert [(e["row"], e["field"]) for e in data["errors"]] == [(3, "phone")]
    assert set(data["errors"][0]) >= {"row", "field", "message"}
    assert Expert.objects.count() == 0


def test_the_command_imports_the_valid_rows_when_asked(roster_file):
    data = json.loads(command(roster_file(ONE_BAD), "--valid-rows-only", "--json"))
    assert (data["created"], data["imported"]) == (2, True)
    assert Expert.objects.count() == 2


def test_the_command_reports_a_bad_file_and_exits_non_zero(roster_file, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError):
        call_command("import_experts", str(path), "--no-progress", stdout=(out := io.StringIO()),
                     stderr=io.StringIO())
    assert "文件错误" in out.getvalue() and ".pdf" in out.getvalue()


def test_the_command_writes_the_template(tmp_path):
    path = tmp_path / "t.xlsx"
    call_command("import_experts", "--template", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    from openpyxl import load_workbook

    assert [c.value for c in load_workbook(path).worksheets[0][1]][:3] == ["姓名", "性别", "出生年份"]


# --- rosters as they arrive: padded names, dates and phones Excel wrote as numbers ------------------------------------


def test_a_name_padded_with_a_full_width_space_is_stored_without_it():
    """Rosters align two-character names with three-character ones: 李　明 above 王建国. Was stored as "李 明"."""
    rows = table([person(1, 姓名="李\u3000明", 工作单位="江苏扬农化工集团\u3000有限公司"),
                  person(2, 姓名="Zhang  San", 工作单位="BASF 中国")])
    run(rows, dry_run=False)
    assert sorted(Expert.objects.values_list("name", "employer")) == [
        ("Zhang San", "BASF 中国"), ("李明", "江苏扬农化工集团有限公司")]


def test_a_row_repeated_with_padding_or_another_spelling_of_the_phone_is_a_repeated_row():
    """Was "the same record with different content: merge them" for two rows that only looked different."""
    report = run(table([person(1, 姓名="李明", 手机号="13912345678"),
                        person(1, 姓名="李\u3000明", 手机号="139 1234 5678")]))
    assert statuses(report) == [(2, "new"), (3, "error")]
    assert errors(report) == [(3, None, "与第 2 行完全相同（重复行）。")]


@pytest.mark.parametrize("cell, year", [
    (27546, 1975),  # 1975-06-01 as Excel's serial number: a date column whose format was lost
    (19068, 1952),  # 1952-03-15: was read as the year 1906
    ("197506", 1975), ("1975.06", 1975), ("19750601", 1975),
])
def test_a_birth_date_excel_wrote_as_its_serial_number_is_read_as_its_year(cell, year):
    rows = [["姓名", "工作单位", "手机号", "省份", "城市", "出生日期"], ["张三", "甲公司", "13800138000", "四川", "成都", cell]]
    assert run(rows, dry_run=False).imported
    assert Expert.objects.get().birth_year == year


def test_a_phone_a_csv_export_wrote_with_its_decimal_is_the_number():
    rows = [["姓名", "工作单位", "手机号", "省份", "城市"], ["张三", "甲公司", "13800138000.0", "四川", "成都"]]
    assert run(rows, filename="名册.csv", dry_run=False).imported
    assert Expert.objects.get().phone == "13800138000"


def test_a_phone_excel_showed_in_scientific_notation_says_its_digits_are_lost():
    report = run(table([person(1, 手机号="1.38001E+10")]))
    [(row, field, message)] = errors(report)
    assert (row, field) == (2, "phone") and "科学计数法" in message and "设为“文本”" in message
