"""Importing enterprises from a roster (enterprises.roster, enterprises.services.enterprises_import): the natural
key is the 统一社会信用代码, imported enterprises are unverified and have no staff."""
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from enterprises.models import Enterprise
from enterprises.services import enterprises_import
from jianglian.errors import NotAllowed
from tests import factories
from tests.rosters import csv_bytes, table, xlsx

pytestmark = pytest.mark.django_db


def company(n: int, **cells) -> dict:
    row = {"企业名称": f"第{n}化工有限公司", "统一社会信用代码": factories.make_credit_code(9000 + n), "省份": "四川省",
           "城市": "成都", "规模": "中型"}
    row.update(cells)
    return row


def run(rows, *, user=None, **options):
    return enterprises_import(user=user, data=xlsx(rows), filename="企业.xlsx", **options)


def test_an_enterprise_roster_creates_unverified_enterprises_without_staff():
    report = run(table([company(1), company(2, 规模="小微企业", 行业="医药")]), dry_run=False)
    assert report.imported and [r.status for r in report.results] == ["new", "new"]
    second = Enterprise.objects.get(name="第2化工有限公司")
    assert (second.size, second.industry, second.province, second.verified) == ("small", "pharmaceutical",
                                                                                 "sichuan", False)
    assert not second.staff.exists()


def test_enterprises_are_matched_on_the_credit_code_written_in_any_case():
    existing = factories.make_enterprise(credit_code=factories.make_credit_code(9001), name="旧名称",
                                         province="sichuan", city="成都", size="medium")
    report = run(table([company(1, 统一社会信用代码=existing.credit_code.lower())]), dry_run=False)
    assert [r.status for r in report.results] == ["update"] and report.results[0].changed == ["企业名称"]
    existing.refresh_from_db()
    assert existing.name == "第1化工有限公司" and Enterprise.objects.count() == 1


@pytest.mark.parametrize("code, says", [
    ("91510100000090011", "18 位"), ("91510100000090O11X", "不允许的字符"), ("915101000000900110", "校验位"),
])
def test_a_bad_credit_code_is_an_error_on_its_cell(code, says):
    [error] = run(table([company(1, 统一社会信用代码=code)])).as_dict()["errors"]
    assert error["field"] == "credit_code" and says in error["message"]


def test_the_same_credit_code_twice_in_a_file_is_an_error():
    report = run(table([company(1), company(2, 统一社会信用代码=factories.make_credit_code(9001))]))
    assert [r.status for r in report.results] == ["error", "error"]


def test_a_renamed_enterprise_has_its_public_challenges_reindexed_after_the_commit(django_capture_on_commit_callbacks):
    enterprise = factories.make_enterprise(credit_code=factories.make_credit_code(9001))
    challenge = factories.make_challenge(enterprise=enterprise)
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        run(table([company(1)]), dry_run=False)
    [reindex] = [c for c in callbacks if getattr(c, "name", "") == "search:challenge"]
    assert reindex.items == {challenge.pk}


def test_only_the_secretariat_imports_enterprises(enterprise_user):
    with pytest.raises(NotAllowed):
        run(table([company(1)]), user=enterprise_user[0], dry_run=False)


def test_import_enterprises_command(tmp_path):
    path = tmp_path / "企业.csv"
    path.write_bytes(csv_bytes(table([company(1)]), encoding="utf-8-sig"))
    out = io.StringIO()
    call_command("import_enterprises", str(path), "--no-progress", stdout=out, stderr=io.StringIO())
    assert "新建 1" in out.getvalue() and Enterprise.objects.count() == 1
