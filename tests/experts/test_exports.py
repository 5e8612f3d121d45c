"""Exports of the 劳模工匠库: `GET /api/v1/experts/export/?format=xlsx|csv&<the list's filters>` — the template's
columns, the list's filters and visibility (contact details only where the caller may see them), streamed; and
the round trip: an exported roster imports back as unchanged."""
import csv
import re
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from experts.models import Expert
from experts.roster import COLUMNS
from experts.services import experts_import
from jianglian.choices import Honour
from matching.models import PairingAgreement
from tests import factories
from tests.frontend_stub.conftest import catalog_index  # noqa: F401 — the catalog page reads its own index
from tests.rosters import person, table, xlsx

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in COLUMNS]


@pytest.fixture
def catalog(secretariat):
    """Experts as a roster brings them (honours with years, skills, a studio, self-filled skills), and one
    entered by hand."""
    factories.make_skill(code="distillation", name="精馏与分离节能", synonyms=["精馏"])
    factories.make_skill(code="pumps-seals", name="泵与机械密封", synonyms=["机封"])
    lead = factories.make_expert(name="领衔人", employer="泸州化工", phone="13700000000")
    factories.make_studio(name="精馏创新工作室", lead=lead)
    rows = [person(1, 技能专长="精馏、机封、量子纠缠", 荣誉称号="全国劳动模范（2015）、大国工匠", 所属工作室="精馏创新工作室"),
            person(2, 省份="江苏", 城市="南京", 性别="女", 出生年份="1980", 邮箱="b@example.com", 简介="主持精馏塔改造。\n第二行"),
            person(3, 接受结对="否", 可同时结对数="0", 类型="劳模")]
    report = experts_import(user=secretariat, data=xlsx(table(rows)), filename="r.xlsx", dry_run=False)
    assert report.imported, report.as_dict()["errors"]
    factories.make_expert(name="手工录入", employer="某厂", phone="", honours=[Honour.GREAT_CRAFTSMAN])
    return Expert.objects.order_by("name")


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def read_xlsx(response):
    data = b"".join(response.streaming_content)
    return [[c if c is not None else "" for c in row]
            for row in load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True)]


def test_the_secretariat_exports_every_column_as_csv_and_xlsx(client_for, secretariat, catalog):
    client = client_for(secretariat)
    as_csv = client.get("/api/v1/experts/export/?format=csv")
    assert as_csv.status_code == 200 and as_csv.streaming
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8" and "experts.csv" in as_csv["Content-Disposition"]
    rows = read_csv(as_csv)
    assert rows[0] == HEADERS and len(rows) == 1 + catalog.count()
    one = dict(zip(HEADERS, next(r for r in rows if r[0] == "专家001")))
    assert (one["荣誉称号"], one["技能专长"], one["其他技能"]) == ("全国劳动模范（2015）、大国工匠", "泵与机械密封、精馏与分离节能", "量子纠缠")
    assert (one["所属工作室"], one["手机号"], one["省份"]) == ("精馏创新工作室", "13900000001", "四川")
    as_xlsx = client.get("/api/v1/experts/export/")  # .xlsx by default
    assert as_xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [[str(c) for c in r] for r in read_xlsx(as_xlsx)] == rows


def test_the_lists_filters_apply(client_for, secretariat, catalog):
    rows = read_csv(client_for(secretariat).get("/api/v1/experts/export/?format=csv&province=jiangsu"))
    assert [r[0] for r in rows[1:]] == ["专家002"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_exported_roster_imports_back_as_unchanged(client_for, secretariat, catalog, fmt):
    response = client_for(secretariat).get(f"/api/v1/experts/export/?format={fmt}")
    data = b"".join(response.streaming_content)
    report = experts_import(user=secretariat, data=data, filename=f"export.{fmt}", dry_run=True)
    assert report.as_dict()["errors"] == []
    assert {r.status for r in report.results} == {"unchanged"} and len(report.results) == catalog.count() == 5


def test_contact_details_only_where_the_caller_may_see_them(client_for, catalog, enterprise_user):
    user, enterprise = enterprise_user
    paired = Expert.objects.get(name="专家002")
    challenge = factories.make_challenge(enterprise=enterprise)
    factories.make_pairing(challenge=challenge, expert=paired, status=PairingAgreement.Status.ACCEPTED)
    for caller, phones in ((None, set()), (user, {"13900000002"})):
        rows = read_csv(client_for(caller).get("/api/v1/experts/export/?format=csv"))
        column = HEADERS.index("手机号")
        assert {r[column] for r in rows[1:]} - {""} == phones
        assert {r[HEADERS.index("邮箱")] for r in rows[1:]} - {""} == ({"b@example.com"} if caller else set())


def test_an_export_without_contact_columns_still_imports_back_as_unchanged(client_for, secretariat, catalog):
    data = b"".join(client_for(None).get("/api/v1/experts/export/?format=csv").streaming_content)
    report = experts_import(user=secretariat, data=data, filename="public.csv", dry_run=True)
    assert {r.status for r in report.results} == {"unchanged"}  # matched on name + employer; empty cells keep


def test_a_bad_format_is_a_400_on_the_field(client_for, secretariat):
    response = client_for(secretariat).get("/api/v1/experts/export/?format=pdf")
    assert response.status_code == 400 and "format" in response.json()["errors"]


def test_the_export_reads_in_chunks_whatever_the_number_of_rows(client_for, secretariat, catalog):
    client = client_for(secretariat)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get("/api/v1/experts/export/?format=csv").streaming_content)
        return len(captured)

    few = queries()
    for n in range(40):
        factories.make_expert(name=f"新增{n}", skills=list(Expert.objects.get(name="专家001").skills.all()))
    assert queries() == few


def test_the_catalog_page_links_to_the_export_of_what_it_filters(client_for, catalog_index):
    from django.test import Client
    from django.urls import reverse

    distill = factories.make_skill(code="distill", name="精馏节能")
    factories.make_expert(name="甲", skills=[distill], province="jiangsu")
    factories.make_expert(name="乙", province="sichuan")
    catalog_index()
    page = Client().get(reverse("web:experts"), {"skill": "distill", "province": "jiangsu", "q": "精馏"})
    link = re.search(r'href="([^"]*format=csv[^"]*)"', page.content.decode()).group(1).replace("&amp;", "&")
    assert link.startswith("/api/v1/experts/export/?format=csv&") and "province=jiangsu" in link
    assert "不含搜索关键词" in page.content.decode()
    rows = read_csv(client_for(None).get(link))
    assert [r[0] for r in rows[1:]] == ["甲"]


def test_the_xlsx_leaves_in_pieces_while_the_rows_are_read(client_for, secretariat):
    """Streamed: the .xlsx is a zip written as the rows come (no temporary file, no whole sheet in memory), so a
    large export answers in many chunks, the first before the last row is read; it still opens as a workbook."""
    Expert.objects.bulk_create([
        Expert(name=f"专家{n:05d}", employer=f"化工有限公司{n}", province="sichuan", city="泸州", phone=f"139{n:08d}",
               bio="长期从事精馏塔节能改造，主持热泵精馏项目，" * 8) for n in range(3000)])
    response = client_for(secretariat).get("/api/v1/experts/export/?format=xlsx")
    assert response.streaming
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as before_first:
        first = next(chunks)
    assert first.startswith(b"PK")  # the zip's first part leaves before any row is read
    assert not any("experts_expert" in q["sql"] for q in before_first.captured_queries)
    rest = list(chunks)
    assert len(rest) > 4
    rows = list(load_workbook(io.BytesIO(first + b"".join(rest)), read_only=True).worksheets[0].iter_rows(
        values_only=True))
    assert len(rows) == 3001 and rows[0][0] == "姓名" and rows[-1][0] == "专家02999"


def test_the_csv_leaves_in_pieces_too(client_for, secretariat):
    Expert.objects.bulk_create([
        Expert(name=f"专家{n:05d}", employer=f"化工有限公司{n}", province="sichuan", city="泸州", phone=f"139{n:08d}",
               bio="长期从事精馏塔节能改造，主持热泵精馏项目，" * 8) for n in range(3000)])
    pieces = list(client_for(secretariat).get("/api/v1/experts/export/?format=csv").streaming_content)
    assert 4 < len(pieces) < 3000 / 10  # neither the whole file at once nor a write per line
    rows = list(csv.reader(io.StringIO(b"".join(pieces).decode("utf-8-sig"))))
    assert len(rows) == 3001 and rows[-1][0] == "专家02999"
