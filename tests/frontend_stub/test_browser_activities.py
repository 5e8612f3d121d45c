"""The campaign's activities in a real Chromium against a live server:

(1) the secretariat creates a 进校园 event and invites two experts with the picker; one confirms in the site; the
    report with a photo is filed; the public page shows it with the photo;
(2) a 助企行 service day: an expert of the day logs an enterprise's question not solved on the spot and turns it
    into a challenge draft, which the enterprise publishes.
"""
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from alliance import services
from alliance.models import OutreachEvent, ServiceDay
from enterprises.models import Challenge
from tests import factories
from tests.images import PNG

from .browser_world import browser  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_event_from_creation_to_its_public_report(browser, tmp_path):
    secretariat = factories.make_secretariat()
    wang_user, wang = factories.make_expert_user(name="王强")
    li_user, li = factories.make_expert_user(name="李明")
    factories.make_expert_user(name="赵刚")
    starts = timezone.localtime(timezone.now() + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")

    with browser() as open_page:
        page = open_page(secretariat)
        page.goto("/secretariat/activities/")
        page.get_by_role("link", name="新建进校园活动").click()
        page.get_by_label("名称").fill("走进泸州职院：精馏节能")
        page.get_by_label("学校").fill("泸州职业技术学院")
        page.get_by_label("省份").select_option("sichuan")
        page.get_by_label("城市").fill("泸州")
        page.get_by_label("开始时间").fill(starts)
        page.get_by_label("主题").fill("精馏塔节能操作")
        page.get_by_role("button", name="保存").click()
        page.wait_for_url(re.compile(r"/secretariat/events/\d+/$"))
        assert page.locator("[data-status=planned]").is_visible()

        # the picker: search by name, tick, invite; twice
        for name in ("王强", "李明"):
            page.get_by_label("按姓名或技能查找").fill(name)
            page.get_by_role("button", name="查找").click()
            page.get_by_label(name).check()
            page.get_by_label("角色").fill("主讲")
            page.get_by_role("button", name="邀请所选").click()
            assert page.locator("[data-answers=invited]").get_by_text(name).is_visible()

        expert = open_page(wang_user)
        expert.goto("/me/events/")
        expert.get_by_role("button", name="确认参加").click()
        assert expert.get_by_text("已确认参加。").is_visible()

        page.reload()
        assert page.locator("[data-answers=confirmed]").get_by_text("王强").is_visible()
        assert page.locator("[data-answers=invited]").get_by_text("李明").is_visible()
        page.get_by_role("button", name="确认活动（公开）").click()
        assert page.locator("[data-status=confirmed]").is_visible()

    event = OutreachEvent.objects.get()
    OutreachEvent.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(hours=2))  # the day came
    photo = tmp_path / "合影.png"
    photo.write_bytes(PNG)

    with browser() as open_page:
        page = open_page(secretariat)
        page.goto(f"/secretariat/events/{event.pk}/")
        page.get_by_label("实到人数").fill("186")
        page.get_by_role("textbox", name="活动总结").fill("王强讲授精馏塔节能操作，学生提问踊跃。")
        page.get_by_label("照片（JPEG 或 PNG，可多选）").set_input_files(str(photo))
        page.get_by_role("button", name="提交总结").click()
        page.wait_for_url(re.compile(rf"/events/{event.pk}/$"))

        public = open_page()
        public.goto("/events/")
        public.get_by_role("link", name="走进泸州职院：精馏节能").click()
        assert public.locator("[data-figure=audience]").inner_text() == "186"
        assert public.get_by_text("学生提问踊跃").is_visible()
        image = public.locator(".photos img").first
        assert image.evaluate("img => img.complete && img.naturalWidth") == 4  # the PNG was served and decoded
        assert public.locator("[data-list=speakers]").get_by_text("王强").is_visible()


def test_a_service_day_question_becomes_a_challenge_the_enterprise_publishes(browser):
    secretariat = factories.make_secretariat()
    expert_user, expert = factories.make_expert_user(name="王强")
    staff, enterprise = factories.make_enterprise_user(name="泸州天华化工有限公司")
    day = services.service_day_create(user=secretariat, title="泸州化工园区助企行", venue="泸州化工园区",
                                      province="sichuan", city="泸州", starts_at=timezone.now() + timedelta(days=1),
                                      experts=[expert], enterprises=[enterprise])
    ServiceDay.objects.filter(pk=day.pk).update(starts_at=timezone.now() - timedelta(hours=1))  # the day came

    with browser() as open_page:
        page = open_page(expert_user)
        page.goto(f"/service-days/{day.pk}/")
        page.get_by_label("企业", exact=True).select_option(str(enterprise.pk))
        page.get_by_label("问题", exact=True).fill("循环水换热器结垢严重")
        page.get_by_label("详细情况").fill("三个月结垢一次，清洗停车损失大，现场给出了加药建议但需要进一步攻关。")
        page.get_by_label("类别", exact=True).select_option("technology")
        page.get_by_label("现场培训职工人数").fill("12")
        page.get_by_role("button", name="记录", exact=True).click()
        row = page.locator("[data-list=questions] tr", has_text="循环水换热器结垢严重")
        row.get_by_role("button", name="转成企业需求").click()
        assert page.get_by_text("需求草稿").first.is_visible()

        company = open_page(staff)
        company.goto("/me/challenges/")
        company.get_by_role("link", name="循环水换热器结垢严重").first.click()
        company.get_by_role("button", name="发布").click()
        assert company.locator("[data-status=open]").is_visible()

    challenge = Challenge.objects.get()
    assert (challenge.status, challenge.enterprise, challenge.service_day_question.service_day) == ("open", enterprise,
                                                                                                  day)
