"""Settings read from the environment, with defaults that need no services.

DATABASE_URL       default: a SQLite file under var/
CELERY_BROKER_URL  default: none, tasks run in-process (eager)
SEARCH_BACKEND     default: embedded (tantivy index under SEARCH_INDEX_DIR)
ELASTICSEARCH_URL  used when SEARCH_BACKEND=elasticsearch
"""
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("JIANGLIAN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",  # sign-in throttling (jianglian/signin.py)
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "jianglian",  # before graphene_django: its graphene/graphiql.html (offline GraphiQL console) wins
    "graphene_django",
    "experts",
    "alliance",
    "enterprises",
    "matching",
    "search",
    "frontend_stub",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that can answer 404: an unknown /api/ URL gets the JSON error shape in every mode.
    "jianglian.api.middleware.ApiErrorShapeMiddleware",
    # Anonymous GET /api/v1/… from the cache when API_ANONYMOUS_CACHE_SECONDS > 0 (jianglian/api/anonymous_cache.py)
    "jianglian.api.anonymous_cache.AnonymousReadCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # CommonMiddleware, with a write to a URL missing its trailing slash redirected as a write (308)
    "jianglian.api.middleware.SlashRedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a sign-in refused by axes into jianglian.signin.lockout_response (429, Retry-After).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jianglian.urls"
WSGI_APPLICATION = "jianglian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jianglian.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while the in-process worker writes. Memory-mapped reads (256 MiB of address
    # space, not of memory) halve the cost of the ranking's few hundred row lookups (bench/matching.py).
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA mmap_size=268435456;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 10: the site's own name ("jianglian", 9) and other short words are refused on length alone.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Sign-in throttling (django-axes; jianglian/signin.py) ----------------------------------------------
# Every way in calls authenticate() with the request; axes refuses it first when the account or the address
# is locked, then Django's model backend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SIGNIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGNIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # counted per account and, separately, per address
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "jianglian.signin.lockout_response"
AXES_USERNAME_CALLABLE = "jianglian.signin.attempted_username"
AXES_CLIENT_IP_CALLABLE = "jianglian.signin.client_ip"
# How many reverse proxies of our own stand in front (each appends to X-Forwarded-For); 0: REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "匠联 Jianglian <noreply@jianglian.local>")
# SMTP (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend) and the file backend's directory
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
if os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]

# --- Notifications: links, SMS, retries -------------------------------------------------------
# The site's address as messages carry it (deep links in e-mail and SMS, the short links /s/<code>/).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Text messages: console (default), jianglian.sms.backends.filebased.SmsBackend (SMS_FILE_PATH),
# jianglian.sms.backends.locmem.SmsBackend (tests), jianglian.sms.backends.aliyun.SmsBackend (Alibaba Cloud SMS).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "jianglian.sms.backends.console.SmsBackend")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", "")
SMS_TIMEOUT = float(os.environ.get("SMS_TIMEOUT", "10"))
SMS_ALIYUN_ACCESS_KEY_ID = os.environ.get("SMS_ALIYUN_ACCESS_KEY_ID", "")
SMS_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("SMS_ALIYUN_ACCESS_KEY_SECRET", "")
SMS_ALIYUN_SIGN_NAME = os.environ.get("SMS_ALIYUN_SIGN_NAME", "")
SMS_ALIYUN_TEMPLATE_CODE = os.environ.get("SMS_ALIYUN_TEMPLATE_CODE", "")
SMS_ALIYUN_TEMPLATE_PARAM = os.environ.get("SMS_ALIYUN_TEMPLATE_PARAM", "content")
SMS_ALIYUN_ENDPOINT = os.environ.get("SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
# A transient failure (SMTP down, the SMS provider throttling) is retried after 30 s, 60 s, 120 s … (capped at an
# hour); after NOTIFICATION_MAX_ATTEMPTS attempts the message is marked failed (the secretariat's dashboard).
NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", "6"))
NOTIFICATION_RETRY_BASE_SECONDS = float(os.environ.get("NOTIFICATION_RETRY_BASE_SECONDS", "30"))

# --- REST --------------------------------------------------------------------
API_PAGE_SIZE = 20
API_MAX_PAGE_SIZE = 100
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request then answers 401 with `WWW-Authenticate: Token`.
        "jianglian.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "jianglian.api.pagination.CappedPageNumberPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "jianglian.api.ordering.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "jianglian.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "jianglian.api.exceptions.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    # ASCII: client generators name their package after the title (openapi-python-client: jianglian-api-client).
    "TITLE": "Jianglian API",
    "DESCRIPTION": "匠联 — 劳模工匠创新工作室联盟 matching platform: studios, experts, enterprises, challenges, "
                   "matches, pairings. Errors have one shape: {detail, code, errors}.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Tags and operation ids from the path after /api/v1 (tag `challenges`, not `v1`).
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Swagger UI and ReDoc served from the drf-spectacular-sidecar package: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every choice set is one component under one name (properties and query parameters alike:
    # jianglian.api.schema.component_parameter_enums).
    "ENUM_NAME_OVERRIDES": {
        "ProvinceEnum": "jianglian.choices.Province",
        "HonourEnum": "jianglian.choices.Honour",
        "CategoryEnum": "jianglian.choices.Category",
        "IndustryEnum": "jianglian.choices.Industry",
        "RosterUploadStatusEnum": "jianglian.models.RosterUpload.Status",
        "StudioLevelEnum": "alliance.models.Studio.Level",
        "MembershipStatusEnum": "alliance.models.Studio.MembershipStatus",
        "MembershipApplicationStatusEnum": "alliance.models.MembershipApplication.Status",
        "ReviewDecisionEnum": "alliance.services.ReviewDecision.ALL",
        "EventFormatEnum": "alliance.models.OutreachEvent.Format",
        "EventStatusEnum": "alliance.models.OutreachEvent.Status",
        "ParticipationStatusEnum": "alliance.models.EventParticipation.Status",
        "EnterpriseSizeEnum": "enterprises.models.Enterprise.Size",
        "ChallengeStatusEnum": "enterprises.models.Challenge.Status",
        "RegionStrictnessEnum": "enterprises.models.Challenge.RegionStrictness",
        "ExpertRoleEnum": "experts.models.Expert.Role",
        "GenderEnum": "experts.models.Expert.Gender",
        "MatchKindEnum": "matching.models.Match.Kind",
        "PairingStatusEnum": "matching.models.PairingAgreement.Status",
        "PairingActionEnum": "matching.api.pairings.ACTIONS",
        "SearchTypeEnum": "search.api.search.TYPES",
        "LanguageEnum": ["zh-hans", "en"],
        "DocumentFormatEnum": ["html", "pdf"],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "jianglian.api.schema.component_parameter_enums",
        "jianglian.api.schema.strict_request_bodies",
        "jianglian.api.schema.portable_integer_bounds",
    ],
}

# --- GraphQL -----------------------------------------------------------------
GRAPHENE = {
    "SCHEMA": "jianglian.schema.schema",
    "RELAY_CONNECTION_MAX_LIMIT": API_MAX_PAGE_SIZE,
    "RELAY_CONNECTION_ENFORCE_FIRST_OR_LAST": False,
    # A NUL, a lone surrogate or an impossible date-time in any argument is BAD_USER_INPUT on the field.
    "MIDDLEWARE": ["jianglian.graphql.types.StorableInputMiddleware"],
}
GRAPHQL_MAX_DEPTH = 10
GRAPHQL_MAX_ALIASES = 30
GRAPHQL_MAX_TOKENS = 5000
# Cost (jianglian/graphql/limits.py): each field 1, times the page size (`first`, else the page cap) or the
# list size it sits in. The console's saved operations cost 243, 8 and 6, the README's queries 193 and 41.
GRAPHQL_MAX_COST = int(os.environ.get("GRAPHQL_MAX_COST", 50_000))
GRAPHQL_MAX_COST_ANONYMOUS = int(os.environ.get("GRAPHQL_MAX_COST_ANONYMOUS", 20_000))
GRAPHQL_MAX_RESPONSE_BYTES = int(os.environ.get("GRAPHQL_MAX_RESPONSE_BYTES", 5_000_000))
# Lists of objects without a page: the longest one expected (the default for any other: 20).
GRAPHQL_DEFAULT_LIST_SIZE = 20
GRAPHQL_LIST_SIZES = {
    "MembershipBatch.studios": 50,
    "Studio.members": 30,
    "OutreachEvent.participations": 30,
    "Expert.skills": 10, "Studio.skills": 10, "Challenge.skills": 10,
    "Expert.honours": 10, "Expert.outreachHistory": 10,
    "Match.reasons": 10, "Pairing.actions": 10, "Pairing.refusals": 10,
    # the campaign report: its metrics, the provinces, at most 10 years of months, the categories
    "CampaignReport.metrics": 20, "CampaignMetric.byProvince": 34, "CampaignMetric.byMonth": 120,
    "CampaignMetric.byCategory": 3,
}

# --- Celery ------------------------------------------------------------------
# --- Cache -------------------------------------------------------------------
# Redis when several processes serve (production): CACHE_URL=redis://127.0.0.1:6379/1. Without it, each process
# has its own memory cache and the anonymous API read cache is off.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}, "KEY_PREFIX": "jianglian",
    }}
# Seconds an anonymous GET /api/v1/… answer is kept (every committed write starts a new generation).
API_ANONYMOUS_CACHE_SECONDS = int(os.environ.get("API_ANONYMOUS_CACHE_SECONDS", "60" if CACHE_URL else "0"))

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", None)

CELERY_TASK_EAGER_PROPAGATES = True
# Redelivery of a killed worker's tasks. Every task is idempotent (it takes ids and reads the rows itself), so
# each is acknowledged late: a task whose worker dies (kill -9, OOM) before it finished goes back to the queue
# (task_reject_on_worker_lost when the pool notices; otherwise Redis redelivers the unacknowledged message once
# the visibility timeout has passed: 5 minutes here instead of Redis's default hour). Keep it above the
# longest task (a full rebuild runs from the management command, not as a task). RabbitMQ redelivers at once
# when the worker's connection drops.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
BROKER_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "300"))  # seconds
# kombu's Redis transport sweeps for unacknowledged messages every interval × throttle seconds (10 × 10 by
# default): every 10 s here, so a redelivery follows the visibility timeout closely.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT, "unacked_restore_throttle": 1}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {}
CELERY_BEAT_SCHEDULE["pairings-expire-proposals"] = {"task": "matching.pairings.expire_proposals", "schedule": 15 * 60}
CELERY_BEAT_SCHEDULE["pairings-expiry-reminders"] = {"task": "matching.pairings.send_expiry_reminders", "schedule": 60 * 60}
CELERY_BEAT_SCHEDULE["notifications-flush"] = {"task": "jianglian.flush_notifications", "schedule": 10 * 60}
CELERY_BEAT_SCHEDULE["events-report-reminders"] = {"task": "alliance.event_report_reminders", "schedule": 60 * 60}
CELERY_BEAT_SCHEDULE["search-reconcile"] = {"task": "search.tasks.reconcile", "schedule": 30 * 60}
# Rankings lost on the way (broker down at commit, worker killed) are redone without anyone asking.
CELERY_BEAT_SCHEDULE["matching-catch-up-rankings"] = {"task": "matching.catch_up_rankings", "schedule": 10 * 60}
# Roster checks and imports cut off by a restart or a killed worker are run again (ROSTER_UPLOAD_STALE_MINUTES).
CELERY_BEAT_SCHEDULE["roster-uploads-recover"] = {"task": "jianglian.recover_roster_uploads", "schedule": 5 * 60}
CELERY_BEAT_SCHEDULE["idempotency-keys-purge"] = {"task": "jianglian.purge_idempotency_keys", "schedule": 60 * 60}
# Files whose write was rolled back (event photos, paper scans: jianglian.files) are removed an hour on.
CELERY_BEAT_SCHEDULE["orphan-files-sweep"] = {"task": "jianglian.sweep_orphan_files", "schedule": 60 * 60}
# How long a create's Idempotency-Key / clientMutationId is remembered (jianglian.idempotency).
IDEMPOTENCY_KEY_KEEP_HOURS = int(os.environ.get("IDEMPOTENCY_KEY_KEEP_HOURS", "24"))

# --- Search ------------------------------------------------------------------
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "embedded")
SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR", VAR_DIR / "search-index"))
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "jianglian")
# How often each process rereads the skill taxonomy for the segmenter's dictionary (None: never by itself).
SEARCH_TAXONOMY_CHECK_SECONDS = float(os.environ.get("SEARCH_TAXONOMY_CHECK_SECONDS", "30"))

# --- Pairing proposals: expiry and reminders ---------------------------------
PAIRING_PROPOSAL_EXPIRY_DAYS = int(os.environ.get("PAIRING_PROPOSAL_EXPIRY_DAYS", "14"))
PAIRING_PROPOSAL_REMINDER_DAYS = int(os.environ.get("PAIRING_PROPOSAL_REMINDER_DAYS", "3"))

# --- Paper agreements (issue 12 §1): scans kept under MEDIA_ROOT (below), served only to the parties ------
# A scan of a paper agreement larger than this is refused (PDF, JPEG or PNG, read from its first bytes).
PAIRING_PAPER_MAX_BYTES = int(os.environ.get("PAIRING_PAPER_MAX_BYTES", 10 * 1024 * 1024))

# --- Rosters (imports of experts, studios, enterprises from .xlsx / CSV) ---------
# A file over these limits is refused with a message and changes nothing.
ROSTER_MAX_FILE_BYTES = int(os.environ.get("ROSTER_MAX_FILE_BYTES", 20 * 1024 * 1024))
ROSTER_MAX_ROWS = int(os.environ.get("ROSTER_MAX_ROWS", 20_000))
# A .xlsx is a zip archive: what it may unpack to (a zip bomb unpacks to gigabytes).
ROSTER_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
ROSTER_MAX_COMPRESSION_RATIO = 200
ROSTER_MAX_ZIP_ENTRIES = 1000
# Uploads from the page and REST (jianglian.rosters.jobs): a preview is confirmed within this many hours, and
# uploads are deleted after this many days.
ROSTER_UPLOAD_CONFIRM_HOURS = 24
ROSTER_UPLOAD_KEEP_DAYS = 7
# A check or import running (or waiting for its task) this long was cut off: run again, at most this many runs.
ROSTER_UPLOAD_STALE_MINUTES = 10
ROSTER_UPLOAD_MAX_ATTEMPTS = 3

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- Campaign activities (进校园 events, school requests, 助企行 service days) ------------------------------
# Uploaded files (event photos, paper agreement scans) live under MEDIA_ROOT; they are served by the site's own
# views, which check who
# may see them (never by a public static route).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
EVENT_PHOTO_MAX_BYTES = int(os.environ.get("EVENT_PHOTO_MAX_BYTES", 5 * 1024 * 1024))
# A school's request form: at most this many requests from one address (and for one phone number) per hour.
EVENT_REQUESTS_PER_HOUR = int(os.environ.get("EVENT_REQUESTS_PER_HOUR", "3"))
