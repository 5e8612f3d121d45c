"""The secretariat imports a messy roster in a real Chromium: upload, the preview with the two bad rows,
import of the valid rows, the new experts found in the catalog — on a desktop and on a phone."""
import re

import pytest

from experts.models import Expert
from jianglian.models import RosterUpload
from tests import factories
from tests.rosters import xlsx

from .browser_world import browser, forget_cached_taxonomy, matching_world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# As rosters arrive: a title row above the header, the headers as people write them, a note column nobody
# knows, an unknown skill (kept and reported), a phone that is no mobile number and an honour nobody has.
MESSY_ROSTER = [
    ["2024年泸州市劳模工匠名册（第二批）"],
    ["序号", "名字", "所在单位", "手机号码（必填）", "所在省份", "地市", "专业领域", "荣誉", "备注"],
    [1, "林海涛", "泸州北方化学工业有限公司", "139-0830-1234", "四川省", "泸州", "精馏、机封", "全国劳动模范（2015）", ""],
    [2, "周晓峰", "四川天华化工集团有限公司", "0830-2345678", "四川", "泸州", "精馏", "", "座机"],
    [3, "唐秀英", "泸天化股份有限公司", "13508301111", "四川", "泸州", "量子精馏仿真", "大国工匠", ""],
    [4, "马卫东", "川维化工有限公司", "13608302222", "重庆", "重庆", "精馏", "宇宙劳模", ""],
]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_secretariat_previews_a_messy_roster_imports_the_valid_rows_and_finds_them_in_the_catalog(
        browser, matching_world, tmp_path, width):
    secretariat = factories.make_secretariat()
    roster = tmp_path / "泸州名册.xlsx"
    roster.write_bytes(xlsx(MESSY_ROSTER))

    with browser() as open_page:
        page = open_page(secretariat, width=width)
        page.goto("/secretariat/")
        page.get_by_role("link", name="导入名册").first.click()
        page.get_by_label("名册类型").select_option("experts")
        page.get_by_label("名册文件", exact=True).set_input_files(str(roster))
        page.get_by_role("button", name="上传并预检查").click()
        page.wait_for_url(re.compile(r"/secretariat/imports/[0-9a-f-]{36}/$"))

        # the preview: every row with its Excel row number, the two bad rows with their field messages
        rows = page.locator("tr[data-row]")
        assert rows.count() == 4
        statuses = {rows.nth(i).get_attribute("data-row"): rows.nth(i).get_attribute("data-status") for i in range(4)}
        assert statuses == {"3": "new", "4": "error", "5": "new", "6": "error"}
        bad_phone = page.locator('tr[data-row="4"]')
        assert "手机号码（必填）" in bad_phone.inner_text() and "不是手机号" in bad_phone.inner_text()
        assert "荣誉" in page.locator('tr[data-row="6"]').inner_text()
        assert "量子精馏仿真" in page.locator('tr[data-row="5"]').inner_text()  # reported, not dropped
        assert "I: 备注" in page.locator("[data-unrecognised]").inner_text()
        assert page.locator('[data-count="error"] strong').inner_text() == "2"
        if width < 800:
            assert page.evaluate("document.documentElement.scrollWidth") <= width  # the table scrolls in its box

        # only the errors, then the import of the valid rows
        page.get_by_role("link", name="错误", exact=True).click()
        page.wait_for_url(re.compile(r"status=error"))
        assert page.locator("tr[data-row]").count() == 2
        page.get_by_role("button", name="只导入正确的 2 行").click()
        page.get_by_text("已导入：新建 2 行，更新 0 行。").wait_for()
        assert page.locator("[data-upload-status]").get_attribute("data-upload-status") == "imported"

        # the new experts are in the catalog (indexed after the commit)
        page.get_by_role("link", name="到劳模工匠库查看").click()
        page.get_by_role("searchbox").fill("林海涛")
        page.get_by_role("searchbox").press("Enter")
        page.wait_for_url(re.compile(r"q="))
        page.get_by_role("link", name="林海涛").first.wait_for()
        assert page.get_by_role("link", name="周晓峰").count() == 0

    assert sorted(Expert.objects.values_list("name", flat=True)) == ["唐秀英", "林海涛"]
    tang = Expert.objects.get(name="唐秀英")
    assert tang.skill_tags == ["量子精馏仿真"] and RosterUpload.objects.get().status == "imported"
