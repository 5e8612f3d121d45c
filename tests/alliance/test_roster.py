"""Importing studios from a roster (alliance.roster, alliance.services.studios_import): the natural key is the name,
the lead must be in the 劳模工匠库, research directions go through the taxonomy."""
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from alliance.models import Studio
from alliance.services import studios_import
from jianglian.errors import NotAllowed
from matching.models import StudioArea
from tests import factories
from tests.rosters import csv_bytes, table, xlsx

pytestmark = pytest.mark.django_db


def studio(n: int, **cells) -> dict:
    row = {"工作室名称": f"第{n}创新工作室", "级别": "省级", "依托单位": "四川天华化工集团有限公司", "省份": "四川",
           "城市": "泸州"}
    row.update(cells)
    return row


def run(rows, *, user=None, **options):
    return studios_import(user=user, data=xlsx(rows), filename="工作室.xlsx", **options)


def statuses(report):
    return [(r.row, r.status) for r in report.results]


def test_a_studio_roster_creates_studios_that_are_not_members():
    report = run(table([studio(1), studio(2, 级别="国家级", 成立年份="2016年5月", 可同时结对数="5")]), dry_run=False)
    assert report.imported and statuses(report) == [(2, "new"), (3, "new")]
    second = Studio.objects.get(name="第2创新工作室")
    assert (second.level, second.established_year, second.capacity, second.province) == (
        "national", 2016, 5, "sichuan")
    assert {s.membership_status for s in Studio.objects.all()} == {"none"}


def test_studios_are_matched_on_their_name_and_updated():
    existing = factories.make_studio(name="第1创新工作室", host_enterprise="四川天华化工集团有限公司",
                                     province="sichuan", city="泸州", level="provincial")
    report = run(table([studio(1, 简介="新简介"), studio(2)]), dry_run=False)
    assert statuses(report) == [(2, "update"), (3, "new")] and report.results[0].changed == ["简介"]
    existing.refresh_from_db()
    assert existing.description == "新简介" and Studio.objects.count() == 2
    assert [r.status for r in run(table([studio(1, 简介="新简介"), studio(2)])).results] == ["unchanged"] * 2


def test_the_lead_is_found_by_phone_else_by_name_at_the_host_else_by_a_unique_name():
    by_phone = factories.make_expert(name="王建国", phone="13800000001", employer="别的公司")
    factories.make_expert(name="王建国", phone="13800000002", employer="又一家公司")
    at_host = factories.make_expert(name="李卫东", employer="四川天华化工集团有限公司")
    factories.make_expert(name="李卫东", employer="别的公司")
    unique = factories.make_expert(name="赵秀英", employer="无关公司")
    rows = table([studio(1, 领衔人="王建国", 领衔人手机号="138-0000-0001"), studio(2, 领衔人="李卫东"),
                  studio(3, 领衔人="赵秀英")])
    run(rows, dry_run=False)
    assert [s.lead for s in Studio.objects.order_by("name")] == [by_phone, at_host, unique]


@pytest.mark.parametrize("cells, says", [
    ({"领衔人": "不存在"}, "没有领衔人"),
    ({"领衔人": "王建国"}, "请填写领衔人手机号"),
    ({"领衔人": "王建国", "领衔人手机号": "13900000009"}, "属于另一位专家"),
    ({"领衔人手机号": "13800000001"}, "请同时填写领衔人姓名"),
])
def test_a_lead_not_in_the_roster_or_ambiguous_is_an_error(cells, says):
    factories.make_expert(name="王建国", phone="13800000001", employer="甲")
    factories.make_expert(name="王建国", phone="13800000002", employer="乙")
    factories.make_expert(name="赵秀英", phone="13900000009", employer="丙")
    report = run(table([studio(1, **cells)]), dry_run=False, valid_rows_only=True)
    [error] = report.as_dict()["errors"]
    assert error["field"] in ("lead", "lead_phone") and says in error["message"]
    assert Studio.objects.count() == 0


def test_research_directions_go_through_the_taxonomy_and_unknown_ones_are_kept_and_reported():
    skill = factories.make_skill(name="精馏与分离节能", synonyms=["精馏"])
    report = run(table([studio(1, 研究方向="精馏、中药炮制")]), dry_run=False)
    assert [w["field"] for w in report.as_dict()["warnings"]] == ["skills"]
    created = Studio.objects.get()
    assert list(created.skills.all()) == [skill] and created.focus == ["中药炮制"]


def test_a_repeated_name_an_unknown_level_and_an_empty_host_are_errors():
    report = run(table([studio(1), studio(1), studio(2, 级别="世界级"), studio(3, 依托单位="")]))
    assert statuses(report) == [(2, "new"), (3, "error"), (4, "error"), (5, "error")]
    assert [e["field"] for e in report.as_dict()["errors"]] == [None, "level", "host_enterprise"]


def test_the_index_and_the_studio_areas_are_refreshed_once_after_the_commit(django_capture_on_commit_callbacks):
    factories.make_skill(name="精馏与分离节能", synonyms=["精馏"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        run(table([studio(n, 简介="主持精馏塔节能改造。") for n in range(1, 6)]), dry_run=False)
    names = sorted(c.name for c in callbacks if hasattr(c, "name"))
    # once each: the studios' areas, the rankings their host enterprises and leads touch, the search index
    assert names == ["matching.refresh_studio", "matching.rerank_after_conflicts_change", "search:studio"]
    assert StudioArea.objects.filter(studio__in=Studio.objects.all()).count() == 5


def test_only_the_secretariat_imports_studios(enterprise_user):
    with pytest.raises(NotAllowed):
        run(table([studio(1)]), user=enterprise_user[0], dry_run=False)
    assert Studio.objects.count() == 0


def test_import_studios_command(tmp_path):
    path = tmp_path / "工作室.csv"
    path.write_bytes(csv_bytes(table([studio(1)]), encoding="gb18030"))
    out = io.StringIO()
    call_command("import_studios", str(path), "--no-progress", stdout=out, stderr=io.StringIO())
    assert "新建 1" in out.getvalue() and Studio.objects.count() == 1


@pytest.mark.parametrize("level, stored", [("全国", "national"), ("全国级", "national"), ("国家级", "national"),
                                           ("省部级", "provincial"), ("地市级", "municipal"), ("企业级", "enterprise")])
def test_a_level_is_read_as_rosters_write_it(level, stored):
    """全国 (as in 全国示范性劳模和工匠人才创新工作室) was refused as an unknown level."""
    run(table([studio(1, 级别=level)]), dry_run=False)
    assert Studio.objects.get().level == stored


def test_a_studio_name_and_host_padded_between_chinese_characters_are_stored_without_the_padding():
    run(table([studio(1, 工作室名称="李明\u3000精馏节能创新工作室", 依托单位="江苏扬农化工集团 有限公司")]), dry_run=False)
    assert Studio.objects.values_list("name", "host_enterprise").get() == ("李明精馏节能创新工作室", "江苏扬农化工集团有限公司")
