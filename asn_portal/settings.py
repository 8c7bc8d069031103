"""Settings for ASN Kinerja Portal, driven by the environment.

One module for every deployment (see docs/operations.md). With no environment at all it runs
the embedded default: a SQLite file in WAL mode, a filesystem broker for Celery and console
e-mail, so `make demo` needs no server. `ASN_ENV=production` refuses to start without the
variables a real deployment needs.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

ASN_ENV = env.str("ASN_ENV", default="development")
if ASN_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"ASN_ENV must be development, production or test, not {ASN_ENV!r}")
PRODUCTION = ASN_ENV == "production"

if PRODUCTION:
    _missing = [
        name
        for name in (
            "SECRET_KEY",
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "CACHE_URL",
            "ALLOWED_HOSTS",
        )
        if not env.str(name, default="")
    ]
    if _missing:
        raise ImproperlyConfigured(
            "Production needs these environment variables: " + ", ".join(_missing)
        )

# Runtime data of the embedded default (database, broker queues, uploads) lives here.
DATA_DIR = Path(env.str("ASN_DATA_DIR", default=str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

_DEV_SECRET_KEY = "dev-only-insecure-key-change-me-" + "x" * 20
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)
_WEAK_KEY_WORDS = ("insecure", "change", "secret", "example", "password", "dev-only", "contoh")


def secret_key_is_weak(key: str) -> bool:
    """Obviously weak: short, few distinct characters, a long run of one character, a word
    of the sample keys, or Django's and the portal's development keys."""
    lowered = key.lower()
    return (
        len(key) < 50
        or len(set(key)) < 20
        or key == _DEV_SECRET_KEY
        or lowered.startswith("django-insecure")
        or any(word in lowered for word in _WEAK_KEY_WORDS)
        or any(c * 8 in key for c in set(key))
    )


DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_htmx",
    "csp",
    "import_export",
    "agencies",
    "indicators",
    "appraisals",
    "feedback",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "asn_portal.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "agencies.middleware.RegionTimezoneMiddleware",
]

ROOT_URLCONF = "asn_portal.urls"
WSGI_APPLICATION = "asn_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agencies.context_processors.roles",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
_sqlite_path = DATA_DIR / "asn_portal.sqlite3"
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{_sqlite_path}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while one writes; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue (up to the timeout) instead of failing mid-transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not :memory:, so that a worker process started by a test sees the same data.
    # One file per test process, so two test runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(DATA_DIR / f"test_asn_portal_{os.getpid()}.sqlite3")
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits must hold across processes: Redis in production) ----------------
CACHES = {"default": env.cache_url("CACHE_URL", default=f"filecache://{DATA_DIR / 'cache'}")}

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "agencies.adapters.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# Never "remember me" while sessions must end with the browser (see SESSION_* below).
ACCOUNT_SESSION_REMEMBER = (
    False if env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True) else None
)
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ASN Kinerja] "
ACCOUNT_FORMS = {
    "login": "agencies.forms.NipLoginForm",
    "reset_password": "agencies.forms.ConfirmedAddressResetPasswordForm",
}
# A new e-mail of an account in use is confirmed from that address (a signed link, valid
# for this many days) before it replaces the old one.
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
# `make loadtest` logs 100 simulated users in from one address: more than allauth's 30 logins
# a minute per address, and more than 10 at once (allauth counts each login as failed until
# its password check ends); and every login of one address waits on one cache lock, which
# allauth gives up after a second as if the limit were reached. LOADTEST=true drops both
# per-address limits, never in production; the limit of 5 failures per login name stays.
if env.bool("LOADTEST", default=False) and not PRODUCTION:
    ACCOUNT_RATE_LIMITS["login"] = None
    ACCOUNT_RATE_LIMITS["login_failed"] = "5/5m/key"
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- I18N / time ----------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["asn_portal.formats"]

# --- Static and uploaded files ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
try:
    import xstatic.pkg.bootstrap as _xbootstrap

    STATICFILES_DIRS.append(("bootstrap", _xbootstrap.BASE_DIR))
except ImportError:  # pragma: no cover - the package is a hard dependency
    pass
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Evidence files and generated reports are private: never under STATIC/a public URL.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "private")))
MEDIA_URL = "/media-private/"
# In production nginx serves private files via X-Accel-Redirect once Django has checked access.
PRIVATE_FILES_ACCEL_PREFIX = env.str("PRIVATE_FILES_ACCEL_PREFIX", default="")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
# Evidence (bukti dukung): files per indicator and the total size per appraisal.
EVIDENCE_MAX_FILES_PER_INDICATOR = env.int("EVIDENCE_MAX_FILES_PER_INDICATOR", default=10)
EVIDENCE_MAX_BYTES_PER_APPRAISAL = env.int(
    "EVIDENCE_MAX_BYTES_PER_APPRAISAL", default=50 * 1024 * 1024
)
# The citizens' survey (docs/survey.md): responses per client address, per unit and hour.
SURVEY_MAX_PER_ADDRESS_PER_HOUR = env.int("SURVEY_MAX_PER_ADDRESS_PER_HOUR", default=60)

# Keberatan: filed until 23:59:59 on the release day + this many calendar days (region time).
OBJECTION_WINDOW_DAYS = env.int("OBJECTION_WINDOW_DAYS", default=14)
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
# Limits that keep one import file from exhausting a worker: data rows per file, the unpacked
# size of an .xlsx (checked from the zip directory before parsing), and the errors stored
# and shown (the total is always reported).
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024)
IMPORT_MAX_STORED_ERRORS = env.int("IMPORT_MAX_STORED_ERRORS", default=1000)
# An export of the import file kinds or of survey answers up to this many rows (a page) is
# written in the request; a larger one runs as a job (agencies/exporting.py).
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", default=50)

# --- E-mail -----------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="ASN Kinerja <noreply@asn-kinerja.local>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# --- Celery -----------------------------------------------------------------------------
_broker_dir = Path(env.str("ASN_BROKER_DIR", default=str(DATA_DIR / "broker")))
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# Two queues: "default" (e-mail, imports, cycle opening, the sweep) and "pdf" (the tasks named
# reports.tasks.render_*, for a worker that recycles its child processes).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"reports.tasks.render_*": {"queue": "pdf"}}
# A message that cannot reach the broker gives up quickly: the job row stays queued and the
# sweep sends it again (a request never waits long on a broker that is down).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3

# --- Background jobs (reports/jobs.py, docs/architecture.md) -----------------------------
# A running job or chunk holds a lease for this long; its worker renews it every
# JOBS_HEARTBEAT_SECONDS. Once it expired (the worker died) the sweep queues the work again.
JOBS_LEASE_SECONDS = env.int("JOBS_LEASE_SECONDS", default=120)
JOBS_HEARTBEAT_SECONDS = env.float("JOBS_HEARTBEAT_SECONDS", default=JOBS_LEASE_SECONDS / 4)
# Runs (claims) of one job or chunk before it is marked failed.
JOBS_MAX_ATTEMPTS = env.int("JOBS_MAX_ATTEMPTS", default=3)
# A queued job no worker took after this long is sent again, then after twice as long … (at
# most 32 times as long), up to JOBS_MAX_RESENDS times: with the defaults it fails after ~8 h.
JOBS_QUEUED_STALE_SECONDS = env.int("JOBS_QUEUED_STALE_SECONDS", default=300)
JOBS_MAX_RESENDS = env.int("JOBS_MAX_RESENDS", default=6)
# Per task: the soft limit raises inside the handler (the job fails, and is retried), the hard
# limit kills the worker's child process (the lease then expires).
JOBS_SOFT_TIME_LIMIT = env.int("JOBS_SOFT_TIME_LIMIT", default=30 * 60)
JOBS_TIME_LIMIT = env.int("JOBS_TIME_LIMIT", default=32 * 60)

# --- Security ---------------------------------------------------------------------------
# Content Security Policy on every response: scripts and styles only from the portal itself
# (an inline script needs the request's nonce), no framing (deploy/nginx.conf sends the same
# policy for what nginx serves itself).
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SESSION_COOKIE_HTTPONLY = True
# A session ends after this much inactivity (every request renews it) and when the browser
# closes; "remember me" is off so that a shared office computer never keeps a login.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading commits the whole registrable domain; opt in with SECURE_HSTS_PRELOAD=true.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if secret_key_is_weak(SECRET_KEY):
        raise ImproperlyConfigured(
            "SECRET_KEY must be at least 50 random characters (e.g. python -c "
            "'import secrets; print(secrets.token_urlsafe(60))'), not a sample or default key"
        )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every step of every PDF render at INFO.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# --- Exports (superuser admin) ------------------------------------------------------------
# Text that a spreadsheet would run as a formula is escaped in every export (the admin's
# export formats, agencies.export_formats, escape it like the portal's own writer).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# --- Portal ---------------------------------------------------------------------------
DEMO_PASSWORD = "KinerjaDemo#2026"
