"""Production settings: everything secret or site-specific comes from the environment."""
import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]  # required: no default in production
# Required too: the host names the site answers to (comma-separated), e.g. jianglian.example.org
ALLOWED_HOSTS = [h.strip() for h in os.environ["DJANGO_ALLOWED_HOSTS"].split(",") if h.strip()]
# Required: the address e-mails and text messages link to (https://jianglian.example.org); the development
# default (127.0.0.1) would send every recipient a link to their own machine.
SITE_URL = os.environ["SITE_URL"].rstrip("/")
if urlsplit(SITE_URL).scheme not in ("http", "https") or not urlsplit(SITE_URL).hostname:
    raise ImproperlyConfigured(f"SITE_URL must be the site's absolute address, like https://jianglian.example.org "
                               f"(got {SITE_URL!r})")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)  # noqa: F405
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Persistent database connections (seconds) unless DATABASE_CONN_MAX_AGE says otherwise.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
# Probes talk to the process directly over HTTP (jianglian/health.py): no HTTPS redirect for them.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Static files (admin, GraphiQL, pages' CSS) from the web process itself: `collectstatic` into STATIC_ROOT,
# WhiteNoise serves them compressed (the vendored GraphiQL refers to source maps it does not ship, so no manifest).
MIDDLEWARE = [  # noqa: F405
    MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:],  # noqa: F405
]
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT", str(STATIC_ROOT))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
