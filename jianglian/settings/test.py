import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "jianglian.sms.backends.locmem.SmsBackend"
SITE_URL = "https://jianglian.test"


def scratch_directory(prefix: str) -> Path:
    """A directory of this test process (search index, uploads), removed when that process exits.

    Every process that loads these settings (each pytest run, collect-only too) makes its own; a forked child
    inherits the exit hook but never removes its parent's directory."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    owner = os.getpid()

    def remove():
        if os.getpid() == owner:
            shutil.rmtree(path, ignore_errors=True)

    atexit.register(remove)
    return path


SEARCH_INDEX_DIR = scratch_directory("jianglian-test-index-")
# Each test's database holds its own skills: the dictionary changes only when a test reloads it.
SEARCH_TAXONOMY_CHECK_SECONDS = None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": None}  # in memory
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Tasks run in-process (eagerly) in tests even when CI points CELERY_BROKER_URL at Redis: nothing else consumes
# that broker during a test. The live tests (marker celery_live) turn eager off on their app and start a real
# worker on the broker themselves.
CELERY_TASK_ALWAYS_EAGER = True
# No anonymous API read cache across tests (tests/jianglian/test_anonymous_cache.py turns it on).
API_ANONYMOUS_CACHE_SECONDS = 0
# Uploaded files (event photos) of the test run go to a directory of its own.
MEDIA_ROOT = scratch_directory("jianglian-test-media-")
