"""Screenshots of the main pages, written to docs/screenshots/*.png.

    ./dev serve                      # or: python manage.py seed_demo && python manage.py runserver
    python -m frontend_stub.screenshots --base-url http://127.0.0.1:8000

It signs in as the demo accounts of seed_demo (secretariat / enterprise / expert, password
$DEMO_PASSWORD or jianglian-demo) and needs Playwright (the `test` extra) and Chromium
(`apt-get install chromium`). It only reads pages, except the challenge form it submits empty
to show the field errors (nothing is saved).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .browser import launch_chromium

DESKTOP = {"width": 1280, "height": 1000}
PHONE = {"width": 390, "height": 844}


def sign_in(page, base_url, username, password):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def shoot(page, out: Path, name: str, *, full_page=False):
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(f"  {path}")


def take(base_url: str, out: Path, password: str) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)

        public = browser.new_page(viewport=DESKTOP, locale="zh-CN")
        public.goto(f"{base_url}/")
        shoot(public, out, "home")
        public.goto(f"{base_url}/experts/?q=精馏塔节能")
        shoot(public, out, "catalog-experts")
        public.click(".result h3 a >> nth=0")
        shoot(public, out, "expert-profile")
        public.goto(f"{base_url}/studios/?membership=member")
        shoot(public, out, "catalog-studios")
        public.goto(f"{base_url}/batches/")
        shoot(public, out, "batches")

        phone = browser.new_page(viewport=PHONE, locale="zh-CN")
        phone.goto(f"{base_url}/")
        shoot(phone, out, "home-phone")
        phone.click(".nav-toggle")
        shoot(phone, out, "menu-phone")

        enterprise = browser.new_page(viewport=DESKTOP, locale="zh-CN")
        sign_in(enterprise, base_url, "enterprise", password)
        enterprise.goto(f"{base_url}/me/challenges/")
        shoot(enterprise, out, "enterprise-my-challenges")
        enterprise.goto(f"{base_url}/me/challenges/?status=open")
        enterprise.click("table.list tbody a >> nth=0")
        shoot(enterprise, out, "enterprise-challenge-ranking")
        enterprise.goto(f"{base_url}/challenges/new/")
        enterprise.fill("#id_description", "夏季冷却水温度高时，反应釜温度波动 ±3℃。")
        enterprise.fill("#id_skills_search", "反应")
        enterprise.wait_for_selector("[role=option]")
        shoot(enterprise, out, "enterprise-challenge-form-autocomplete")
        enterprise.keyboard.press("Enter")
        enterprise.click("button[name=publish]")
        shoot(enterprise, out, "enterprise-challenge-form-errors", full_page=True)

        expert = browser.new_page(viewport=DESKTOP, locale="zh-CN")
        sign_in(expert, base_url, "expert", password)
        expert.goto(f"{base_url}/me/invitations/")
        shoot(expert, out, "expert-invitations")
        expert.goto(f"{base_url}/me/open-challenges/")
        shoot(expert, out, "expert-open-challenges")
        expert.goto(f"{base_url}/me/profile/")
        shoot(expert, out, "expert-profile-edit")
        expert.goto(f"{base_url}/me/agreements/")
        shoot(expert, out, "expert-agreements")

        secretariat = browser.new_page(viewport=DESKTOP, locale="zh-CN")
        sign_in(secretariat, base_url, "secretariat", password)
        secretariat.goto(f"{base_url}/secretariat/")
        shoot(secretariat, out, "secretariat-dashboard")
        secretariat.evaluate("document.getElementById('ent-title').scrollIntoView()")
        shoot(secretariat, out, "secretariat-charts")
        # an active agreement (the secretariat may open every one; the demo accounts may have none)
        for pk in range(1, 50):
            response = secretariat.goto(f"{base_url}/pairings/{pk}/")
            if response.ok and secretariat.locator("[data-status=active]").count():
                shoot(secretariat, out, "agreement")
                with secretariat.expect_popup() as popup:
                    secretariat.click("text=打印意向书")
                popup.value.wait_for_load_state()
                shoot(popup.value, out, "agreement-print")
                break

        english = browser.new_page(viewport=DESKTOP, locale="en-GB")
        english.goto(f"{base_url}/")
        english.select_option("#lang-select", "en")
        english.wait_for_load_state("networkidle")
        shoot(english, out, "home-english")
        browser.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "screenshots"))
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "jianglian-demo"))
    args = parser.parse_args(argv)
    take(args.base_url.rstrip("/"), Path(args.out), args.password)
    return 0


if __name__ == "__main__":
    sys.exit(main())
