"""Exports of the studios: `GET /api/v1/studios/export/?format=xlsx|csv&<the list's filters>` in the import
template's columns, the lead's phone only where the caller may see the lead's contact details, and the round
trip: an exported studio roster imports back as unchanged."""
import csv
import io

import pytest

from alliance.models import Studio
from alliance.roster import COLUMNS
from alliance.services import studios_import
from matching.models import PairingAgreement
from tests import factories
from tests.rosters import table, xlsx

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in COLUMNS]


@pytest.fixture
def studios(secretariat):
    factories.make_skill(code="distillation", name="精馏与分离节能", synonyms=["精馏"])
    factories.make_expert(name="王建国", employer="四川天华化工集团有限公司", phone="13800000001")
    factories.make_expert(name="王建国", employer="别的公司", phone="13800000002")  # a namesake: the phone decides
    factories.make_expert(name="李卫东", employer="江苏某化工", phone="13800000003")
    rows = [{"工作室名称": "王建国精馏创新工作室", "级别": "国家级", "依托单位": "四川天华化工集团有限公司", "领衔人": "王建国",
             "领衔人手机号": "13800000001", "省份": "四川", "城市": "泸州", "成立年份": "2016", "研究方向": "精馏、节汽新工艺",
             "可同时结对数": "5", "简介": "以精馏节能为方向。"},
            {"工作室名称": "李卫东工作室", "级别": "省级", "依托单位": "江苏某化工", "领衔人": "李卫东", "省份": "江苏",
             "城市": "南京"}]
    report = studios_import(user=secretariat, data=xlsx(table(rows)), filename="s.xlsx", dry_run=False)
    assert report.imported, report.as_dict()["errors"]
    factories.make_studio(name="无领衔人工作室", lead=None, host_enterprise="某厂", province="sichuan", city="成都")
    return Studio.objects.all()


def read_csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_exported_studio_roster_imports_back_as_unchanged(client_for, secretariat, studios, fmt):
    response = client_for(secretariat).get(f"/api/v1/studios/export/?format={fmt}")
    assert response.status_code == 200
    report = studios_import(user=secretariat, data=b"".join(response.streaming_content), filename=f"s.{fmt}")
    assert report.as_dict()["errors"] == []
    assert [r.status for r in report.results] == ["unchanged"] * studios.count()


def test_the_columns_the_filters_and_the_leads_phone_by_visibility(client_for, secretariat, studios, enterprise_user):
    rows = read_csv(client_for(secretariat).get("/api/v1/studios/export/?format=csv&province=sichuan"))
    assert rows[0] == HEADERS
    by_name = {r[0]: dict(zip(HEADERS, r)) for r in rows[1:]}
    assert set(by_name) == {"王建国精馏创新工作室", "无领衔人工作室"}
    assert (by_name["王建国精馏创新工作室"]["领衔人手机号"], by_name["王建国精馏创新工作室"]["其他研究方向"]) == (
        "13800000001", "节汽新工艺")
    user, enterprise = enterprise_user
    lead = Studio.objects.get(name="李卫东工作室").lead
    factories.make_pairing(challenge=factories.make_challenge(enterprise=enterprise), expert=lead,
                           status=PairingAgreement.Status.ACCEPTED)
    for caller, phones in ((None, set()), (user, {"13800000003"})):
        rows = read_csv(client_for(caller).get("/api/v1/studios/export/?format=csv"))
        assert {r[HEADERS.index("领衔人手机号")] for r in rows[1:]} - {""} == phones
