"""Debian's Chromium driven by Playwright, for the browser tests and the screenshots.

`playwright install` downloads browsers from the internet; here the system's Chromium is used
instead (`apt-get install chromium` → /usr/bin/chromium, or set CHROMIUM_PATH).
"""
import os
import shutil

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
]


def chromium_path() -> str | None:
    """The Chromium executable to drive, or None when the machine has none."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.path.exists(configured) else None
    for candidate in CHROMIUM_CANDIDATES:
        if os.path.exists(candidate):
            return candidate
    return shutil.which("chromium")


def launch_chromium(playwright, **options):
    """A headless Chromium browser from a started `sync_playwright()`."""
    path = chromium_path()
    if path is None:
        raise RuntimeError("no Chromium found: apt-get install chromium, or set CHROMIUM_PATH")
    return playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS, **options)
