"""The GraphiQL console at /graphql/ works offline: every asset is vendored and served locally.

Fast specs (no browser): the page references only local static files that exist, and those files are
byte-for-byte the versions graphene-django pins. The browser spec drives Debian's Chromium through
Playwright against a live server with every non-local request blocked: the secretariat signs in,
opens /graphql/?query=…, runs the preloaded query and reads the answer.
"""
import base64
import contextlib
import hashlib
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from graphene_django.views import GraphQLView

from tests import factories

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
PASSWORD = "pass-word-123"  # tests.factories.make_user's password

VENDORED = {  # static path → graphene-django's SRI pin for the CDN copy of the same file
    "graphiql/graphiql-2.4.7/graphiql.min.js": GraphQLView.graphiql_sri,
    "graphiql/graphiql-2.4.7/graphiql.min.css": GraphQLView.graphiql_css_sri,
    "graphiql/react-17.0.2/react.production.min.js": GraphQLView.react_sri,
    "graphiql/react-dom-17.0.2/react-dom.production.min.js": GraphQLView.react_dom_sri,
}


class AssetCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


def console_page(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "secretariat"])
def test_the_console_page_loads_only_local_static_files(role):
    html = console_page(factories.make_secretariat() if role == "secretariat" else None)
    collector = AssetCollector()
    collector.feed(html)
    static_url = "/" + settings.STATIC_URL.lstrip("/")

    assert len(collector.urls) == 5, collector.urls  # css, react, react-dom, graphiql, console.js
    for url in collector.urls:
        assert not re.match(r"^(https?:)?//", url), f"remote asset: {url}"
        assert url.startswith(static_url), url
        assert finders.find(url[len(static_url):]), f"no static file behind {url}"
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html
    assert 'name="csrfmiddlewaretoken"' in html  # console.js falls back to it without a cookie
    assert {urlsplit(u).path[len(static_url):] for u in collector.urls} >= set(VENDORED)


def test_the_vendored_files_are_the_versions_graphene_django_pins():
    """Byte-identical to npm's graphiql@2.4.7, react@17.0.2 and react-dom@17.0.2 (graphene-django
    3.2.3's SRI pins). Failing after a graphene-django upgrade: re-vendor (static/graphiql/README.md)."""
    for path, pin in VENDORED.items():
        found = finders.find(path)
        assert found, path
        digest = "sha256-" + base64.b64encode(hashlib.sha256(Path(found).read_bytes()).digest()).decode()
        assert digest == pin, f"{path} is not the file graphene-django {GraphQLView.graphiql_version} pins"
    for directory in ("graphiql-2.4.7", "react-17.0.2", "react-dom-17.0.2"):
        assert "MIT License" in Path(finders.find(f"graphiql/{directory}/LICENSE")).read_text()


# --- in a real browser ---------------------------------------------------------------------------

QUERY = """# 待审核的企业 / enterprises awaiting verification
{
  enterprises(first: 5, verified: false) {
    edges { node { name city verified } }
  }
}
"""


@pytest.fixture
def chromium():
    """chromium() → a context manager yielding a headless Chromium browser (Debian's, via Playwright).

    Start it only once the test's data exists: while Playwright's sync API runs its event loop in this
    thread, Django's connection handler (an asgiref Local) hands the thread a fresh connection that is
    never closed, and PostgreSQL then refuses to drop the test database."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser test needs Chromium at {CHROMIUM}: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser test needs Playwright: pip install -e '.[test]' (never `playwright install`)")

    @contextlib.contextmanager
    def launch():
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()

    return launch


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_secretariat_runs_a_preloaded_query_in_the_console_offline(chromium, live_server, tmp_path):
    secretariat = factories.make_secretariat()
    factories.make_enterprise(name="待审核化工有限公司", verified=False)
    factories.make_enterprise(name="已认证化工有限公司", verified=True)

    with chromium() as browser:
        blocked, js_errors = run_the_console(browser, live_server.url, secretariat.username, tmp_path)
    assert blocked == [], f"the console asked the internet for {blocked}"
    assert js_errors == [], js_errors


def run_the_console(browser, local, username, tmp_path):
    """Sign in, open /graphql/?query=…, run it, check the answer; (blocked URLs, JavaScript errors)."""
    context = browser.new_context(base_url=local, locale="zh-CN", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(20_000)
    blocked = []

    def offline(route):  # the machine has no internet; prove the console needs none
        if route.request.url.startswith(local):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", offline)
    page = context.new_page()
    js_errors = []
    page.on("pageerror", lambda exc: js_errors.append(str(exc)))
    try:
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.press("input[name=password]", "Enter")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

        page.goto("/graphql/?query=" + quote(QUERY))
        page.wait_for_selector(".graphiql-container")
        editor = page.locator(".graphiql-query-editor")
        assert "enterprises" in editor.inner_text()  # preloaded from ?query=

        def the_query(response):
            return response.request.method == "POST" and "enterprises" in (response.request.post_data or "")

        with page.expect_response(the_query) as answer:
            page.locator(".graphiql-execute-button").click()
        response = answer.value
        request = response.request
        assert urlsplit(request.url).path == "/graphql/" and not urlsplit(request.url).query
        assert request.headers.get("x-csrftoken"), "console.js sends the CSRF token"
        assert response.status == 200
        body = response.json()
        assert "errors" not in body, body
        names = [e["node"]["name"] for e in body["data"]["enterprises"]["edges"]]
        assert names == ["待审核化工有限公司"]  # an unverified one: only the secretariat sees it

        result = page.locator(".graphiql-response")
        result.get_by_text("待审核化工有限公司").wait_for()

        # the schema came too (its introspection also posts to /graphql/): the docs explorer lists it
        page.locator("button[aria-label='Show Documentation Explorer']").click()
        docs = page.locator(".graphiql-doc-explorer")
        docs.locator(".graphiql-doc-explorer-type-name", has_text="Query").first.wait_for()
        page.screenshot(path=os.environ.get("GRAPHIQL_SCREENSHOT") or str(tmp_path / "graphiql.png"))
    finally:
        context.close()
    return blocked, js_errors
