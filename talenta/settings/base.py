"""Settings shared by every environment; each knob comes from the environment.

The embedded default (no environment at all) is SQLite with Celery tasks run inline, so that
`make run` works on a fresh machine. `DATABASE_URL` and `CELERY_BROKER_URL` switch to
PostgreSQL and Redis.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Trigram lookups for the name search (registered on every database, used only on PostgreSQL).
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_htmx",
    "csp",
    "asn",
    "decisions",
    "assessment",
    "succession",
    "api",
    "portal",
    "demo",
]

MIDDLEWARE = [
    # First: health probes are answered before host checks and redirects (see the class).
    "talenta.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A one-time password is replaced first; an ASN account sees its portal only (asn/middleware.py).
    "asn.middleware.AccountGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes must come last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "talenta.urls"
WSGI_APPLICATION = "talenta.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "talenta.context_processors.instansi_picker",
            ],
        },
    },
]


def database_config(config: dict) -> dict:
    """On PostgreSQL, every connection lowers pg_trgm's word-similarity threshold from 0.6 to 0.5.

    The pegawai name search matches a word with `%>` (indexable, compares with this threshold); at 0.6
    one wrong letter in a six-letter name ("Wijaja" for "Wijaya") is already missed.
    """
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})["options"] = "-c pg_trgm.word_similarity_threshold=0.5"
    return config


DATABASES = {"default": database_config(env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The nine-box map's covering index (INCLUDE) is a PostgreSQL feature; SQLite simply ignores it.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "asn.User"
AUTHENTICATION_BACKENDS = [
    # axes first, so a locked-out login never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's default first (every password set by its owner), then the one-time passwords of ASN
# accounts opened in bulk (asn/hashers.py says why they may be cheaper).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "asn.hashers.OneTimePasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
# One account from one address: the staff of a BKD office share one public IP, so five wrong
# passwords for one of them must not lock out the others.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Content-Security-Policy (django-csp 4): scripts, styles and everything else only from this site;
# no inline script, event handler or style attribute (templates use static/js/talenta.js instead).
# Bootstrap draws its icons (menu, select arrow) from data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
TIME_ZONE = "Asia/Pontianak"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
# Imports of 100,000 rows are uploaded as one file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# One import file holds at most this much: a larger one is refused before it is read.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)

# SIASN/SIMATA talent-mapping push (push_simata). Tokens come from the environment only: never
# stored in the database, never logged. Empty = not configured, the command says so and sends nothing.
SIMATA_BASE_URL = env("SIMATA_BASE_URL", default="")
SIMATA_TOKEN = env("SIMATA_TOKEN", default="")
SIMATA_SSO_TOKEN = env("SIMATA_SSO_TOKEN", default="")
SIMATA_TIMEOUT = env.float("SIMATA_TIMEOUT", default=10.0)
SIMATA_RETRIES = env.int("SIMATA_RETRIES", default=3)


def cache_config(url: str) -> dict:
    """The cache named by CACHE_URL; on Redis it degrades instead of failing (django-redis).

    With Redis unreachable a read is a miss and a write does nothing (IGNORE_EXCEPTIONS), so every
    page still serves: the dashboard is computed afresh, import and recompute progress shows as
    "tidak tersedia" (`talenta.progress`), and API throttling fails open (`api.throttling`). The
    short socket timeouts keep a page from hanging on a Redis that does not answer.
    """
    if not url.startswith(("redis://", "rediss://")):
        return env.cache_url_config(url)
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }


CACHES = {"default": cache_config(env("CACHE_URL", default="locmemcache://talenta"))}
# Each ignored cache error is logged, through a filter that lets one record pass per five minutes:
# an outage shows in the log without a traceback on every request.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "talenta.cache"
# A period export of more rows than this is written by a background job with a download when
# ready (talenta/exports.py); a smaller one is answered inside the request.
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", default=2000)

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://talenta")}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
# Without a real broker the tasks run inline, which is what the embedded default needs.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL.startswith("memory://"))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="talenta")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# The longest any task may run (the hard limit; the soft one a little earlier). Everything that
# judges a task lost derives from this one number: the broker's visibility timeout below, when a
# running recompute counts as stale (`pipeline.running_stale_after`), progress keys' lifetime and
# IMPORT_STALE_MINUTES. The heaviest task (an import of 100,000 rows) takes well under a minute.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=10 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT * 9 // 10
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task is acknowledged when it ends, not when it starts: a worker killed mid-task leaves its
# message unacknowledged and another worker runs it again (every task is idempotent). A pool
# process that dies (killed, out of memory) has its task requeued at once; a whole worker that
# dies, after the visibility timeout.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Longer than any task may run, or a task still running would be delivered a second time; short,
# so a killed worker's task comes back within minutes (Redis' default is one hour).
TASK_VISIBILITY_TIMEOUT = CELERY_TASK_TIME_LIMIT + max(2, CELERY_TASK_TIME_LIMIT // 10)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": TASK_VISIBILITY_TIMEOUT,
    # Workers look for messages past their visibility timeout every 10 s (kombu's default would
    # be every 100 s), or every quarter of a short timeout.
    "unacked_restore_interval": max(1, min(10, TASK_VISIBILITY_TIMEOUT // 4)),
    "unacked_restore_throttle": 1,
    # A broker that does not answer fails a publish in seconds instead of hanging the page.
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# With the broker down a page's enqueue fails fast (one retry), and the caller degrades: an upload
# is refused with a clear message, a recompute waits for the next change or the nightly run.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BEAT_SCHEDULE = {
    # Nightly safety net: derived data follows the inputs even if a queued refresh was lost.
    "refresh-open-periods": {
        "task": "talenta.pipeline.refresh_open_periods_task",
        "schedule": crontab(hour=1, minute=30),
    },
    # An import whose worker died is marked failed (and can be retried) instead of waiting forever.
    "fail-stale-imports": {
        "task": "asn.tasks.fail_stale_imports_task",
        "schedule": crontab(minute="*/5"),
    },
    # The decision log is recomputed hourly; a broken chain turns the dashboard's warning red.
    "verify-decision-log": {
        "task": "decisions.tasks.verify_chains_task",
        "schedule": crontab(minute=15),
    },
}
# A running import job whose status has not changed for this long has lost its worker. It must
# exceed the hard time limit, after which no task is still running.
IMPORT_STALE_MINUTES = env.int("IMPORT_STALE_MINUTES", default=CELERY_TASK_TIME_LIMIT // 60 + 5)

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a request without credentials then gets 401 (WWW-Authenticate: Token), not 403.
        "api.authentication.TokenAuthentication",
        # The browser; DRF enforces CSRF on its unsafe requests.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerUserThrottle", "api.throttling.AnonymousThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env("API_THROTTLE_USER", default="1200/minute"),
        "anon": env("API_THROTTLE_ANON", default="120/minute"),
    },
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Talenta API",
    "DESCRIPTION": "API integrasi manajemen talenta ASN Kalimantan Barat (v1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"once_per_outage": {"()": "talenta.log_filters.OncePerInterval", "seconds": 300}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "console_once": {"class": "logging.StreamHandler", "filters": ["once_per_outage"]},
    },
    "loggers": {"talenta.cache": {"handlers": ["console_once"], "propagate": False}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
