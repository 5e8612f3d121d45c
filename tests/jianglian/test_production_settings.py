"""Production settings pass Django's deployment checklist (manage.py check --deploy) at warning level."""
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="jianglian.settings.production",
        DJANGO_SECRET_KEY="a-long-random-production-secret-" + "x7Kq9vR2mZ4tW8yB3nC6pL1sD5fG0hJ" * 2,
        DJANGO_ALLOWED_HOSTS="jianglian.example.org",
        SITE_URL="https://jianglian.example.org",
        **extra,
    )
    return env


def run_manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_check_deploy_passes_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key_or_hosts(monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "jianglian.example.org")
    sys.modules.pop("jianglian.settings.production", None)
    try:
        with pytest.raises(KeyError, match="DJANGO_SECRET_KEY"):
            importlib.import_module("jianglian.settings.production")
        monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
        monkeypatch.delenv("DJANGO_ALLOWED_HOSTS")
        with pytest.raises(KeyError, match="DJANGO_ALLOWED_HOSTS"):
            importlib.import_module("jianglian.settings.production")
    finally:
        sys.modules.pop("jianglian.settings.production", None)


@pytest.mark.parametrize("site_url", [None, "jianglian.example.org", "ftp://jianglian.example.org", "https://"])
def test_production_refuses_to_start_without_the_sites_address(monkeypatch, site_url):
    """Links in e-mails and text messages are built on SITE_URL: production has no default for it."""
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "jianglian.example.org")
    if site_url is None:
        monkeypatch.delenv("SITE_URL", raising=False)
    else:
        monkeypatch.setenv("SITE_URL", site_url)
    sys.modules.pop("jianglian.settings.production", None)
    try:
        with pytest.raises((KeyError, ImproperlyConfigured), match="SITE_URL"):
            importlib.import_module("jianglian.settings.production")
        monkeypatch.setenv("SITE_URL", "https://jianglian.example.org/")
        assert importlib.import_module("jianglian.settings.production").SITE_URL == "https://jianglian.example.org"
    finally:
        sys.modules.pop("jianglian.settings.production", None)
