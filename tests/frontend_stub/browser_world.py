"""What the browser specifications share: Debian's Chromium through Playwright, a live server, demo people.

The tests skip, saying why, when Chromium or Playwright is missing (a fresh machine has neither);
CI installs Chromium (`apt-get install chromium`) and runs them.
"""
import contextlib
import re

import pytest

from frontend_stub.browser import chromium_path, launch_chromium

PASSWORD = "pass-word-123"  # tests.factories.make_user's password


@pytest.fixture
def browser(live_server):
    """browser() → a context manager yielding open_page(user=None, width=1280): a Playwright page in a
    browser context of its own (its own cookies), Chinese first, signed in through the form when `user`
    is given; JavaScript errors on any page fail the test.

    Start it only once the test's data exists and read the database again only after it closed: while
    Playwright's sync API runs its event loop in this thread, Django's connection handler (an asgiref
    Local) hands this thread other connections, which later tests would inherit.
    """
    if chromium_path() is None:
        pytest.skip("browser tests need Chromium: apt-get install chromium (looked for /usr/bin/chromium; "
                    "or set CHROMIUM_PATH)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need Playwright: pip install -e '.[test]' (never `playwright install`)")

    @contextlib.contextmanager
    def session():
        with sync_playwright() as playwright:
            chromium = launch_chromium(playwright)
            pages = []

            def open_page(user=None, width=1280):
                context = chromium.new_context(viewport={"width": width, "height": 900}, locale="zh-CN",
                                               base_url=live_server.url)
                context.set_default_timeout(15_000)
                page = context.new_page()
                page.js_errors = []
                page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
                pages.append(page)
                if user is not None:
                    sign_in(page, user.username)
                return page

            try:
                yield open_page
            finally:
                errors = [error for page in pages for error in page.js_errors]
                chromium.close()
            assert not errors, f"JavaScript errors: {errors}"

    return session


def sign_in(page, username, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("用户名|Username")).fill(username)
    page.get_by_label(re.compile("密码|Password")).fill(password)
    page.locator("main").get_by_role("button", name=re.compile("登录|Sign in")).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def matching_world(transactional_db, tmp_path, settings):
    """The curated taxonomy and a fresh embedded search index for this test; index() brings the
    engine's derived profiles and the index up to date with what the test created."""
    from experts.taxonomy.loader import load_taxonomy
    from matching.engine.profiles import refresh_all_areas
    from search import sync
    from search.backends import reset_backends

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    settings.SEARCH_BACKEND = "embedded"
    reset_backends()
    load_taxonomy()

    def index():
        refresh_all_areas()
        sync.rebuild(["expert", "studio"])

    yield index
    reset_backends()


@pytest.fixture(autouse=True)
def forget_cached_taxonomy():
    """A transactional test ends with a flush, which no signal reports: drop the engine's cached taxonomy
    (skill ids of the flushed rows) before and after each browser test."""
    from matching.engine.taxonomy import forget_taxonomy

    forget_taxonomy()
    yield
    forget_taxonomy()
