"""Settings for lddh, driven by environment variables (see .env.example and README)."""

from pathlib import Path

from csp.constants import NONE, SELF

from lddh.env import (
    ConfigError,
    env_bool,
    env_cache,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_networks,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LDDH_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)

_DEV_SECRET = "django-insecure-lddh-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else None)
if not DEBUG and (
    SECRET_KEY is None or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50
):
    raise ConfigError("SECRET_KEY: production (DEBUG=false) needs a random key of 50+ characters")
# Earlier keys after a rotation (comma separated): links already mailed and signed with
# them (a donor's opt-out link, which never expires) keep working.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

# Signs the fund ledger's daily chain heads (HMAC-SHA256). It lives only in the
# environment: whoever can rewrite the database cannot sign a rewritten chain.
_DEV_LEDGER_KEY = "development-only-ledger-signing-key-never-use-in-production"
LEDGER_SIGNING_KEY = env_str("LEDGER_SIGNING_KEY", _DEV_LEDGER_KEY if DEBUG else None)
if not DEBUG and (
    LEDGER_SIGNING_KEY is None
    or LEDGER_SIGNING_KEY in (_DEV_LEDGER_KEY, SECRET_KEY)
    or len(LEDGER_SIGNING_KEY) < 32
):
    raise ConfigError(
        "LEDGER_SIGNING_KEY: production (DEBUG=false) needs a random key of 32+ characters, "
        "different from SECRET_KEY"
    )
# Optional directory of an append-only copy of every signed chain head (best on another
# disk or host, with `chattr +a`); unset: the signed heads are kept in the database only.
_anchor_dir = env_str("LEDGER_ANCHOR_DIR")
LEDGER_ANCHOR_DIR = Path(_anchor_dir) if _anchor_dir else None

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_otp",
    "lddh.ward.apps.TwoFactorDevicesConfig",  # django_otp.plugins.otp_totp, in Vietnamese
    "django_tasks",
    "django_tasks_db",
    # Core, then the apps in import order (docs/architecture.md), then the pages on top.
    "lddh.ward",
    "campaigns",
    "donations",
    "households",
    "lddh.dashboard",
    "lddh.reports",
    "lddh.supervision",
    "lddh.public",
    "lddh.demo",  # demo and scale data: may import every app, nothing imports it
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Outside everything that answers, so it has the last word on Cache-Control.
    "lddh.ward.caching.PrivatePagesMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "lddh.ward.twofactor.TwoFactorMiddleware",
    # After the CSRF check (which parses the body): every typed value NFC, no controls.
    "lddh.ward.input.CleanInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lddh.ward.downloads.DownloadStartedMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "lddh.urls"
WSGI_APPLICATION = "lddh.wsgi.application"

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
                "lddh.ward.context_processors.navigation",
            ],
            "builtins": ["lddh.ward.templatetags.lddh"],
        },
    }
]

DATABASES = {"default": env_database("DATABASE_URL", str(VAR_DIR / "lddh.sqlite3"))}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 0 if DEBUG else 600, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql") and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Values bound on the server, so that the reads whose plan does not depend on their
    # values can be prepared (lddh/ward/prepared.py): PostgreSQL then stops parsing and
    # planning them. Off behind a pooler in transaction mode that does not keep prepared
    # statements (PgBouncer before 1.21).
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
    }
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Concurrent writers wait instead of failing at once with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # Readers do not wait for a writer (a long statement import holds the write lock).
        "init_command": "PRAGMA journal_mode=WAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# An index's INCLUDE columns serve PostgreSQL's index-only counts of the bank-line queue;
# SQLite builds the same index without them, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

CACHES = {"default": env_cache("CACHE_URL")}

# Background work (statement imports): a task enqueued in a request is stored in the
# database, in the request's transaction, and run by `manage.py db_worker` (`make run`
# starts one; production runs it under systemd). "immediate" runs it inside the request
# (the tests do), "dummy" only stores it.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
TASKS = {"default": {"BACKEND": env_choice("TASKS_BACKEND", TASK_BACKENDS, "database")}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
SESSION_SAVE_EVERY_REQUEST = True  # idle sessions expire; active ones stay alive
# The same, but an unchanged session is written at most once a minute (lddh/ward/sessions.py).
SESSION_ENGINE = "lddh.ward.sessions"
# Two-factor sign-in (TOTP app) required for the standing committee and the treasurer.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)
# Sign-in throttling (lddh/ward/signin.py), counted in the database across every worker.
# One address is locked out for one username after LOGIN_FAILURES_PER_USER failures with
# it, and for every username after LOGIN_FAILURES_PER_ADDRESS failures, within the last
# LOGIN_LOCKOUT_MINUTES. A username that failed LOGIN_SLOWDOWN_AFTER times from anywhere
# makes each address that failed with it wait a doubling delay, at most
# LOGIN_SLOWDOWN_MAX_SECONDS; an address that never failed with it is not slowed down.
LOGIN_FAILURES_PER_USER = env_int("LOGIN_FAILURES_PER_USER", 5, minimum=1)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
LOGIN_SLOWDOWN_AFTER = env_int("LOGIN_SLOWDOWN_AFTER", 5, minimum=1)
LOGIN_SLOWDOWN_MAX_SECONDS = env_int("LOGIN_SLOWDOWN_MAX_SECONDS", 60, minimum=0)
OTP_TOTP_ISSUER = "Quỹ VNN Lê Đại Hành"

LANGUAGE_CODE = "vi"
# Vietnamese only: a browser asking for English must not switch date parsing and messages.
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# Vietnamese for the strings of Django's admin that its own catalogue leaves in English.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
USE_THOUSAND_SEPARATOR = False  # money goes through the |dong filter, ids stay plain
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
FORMAT_MODULE_PATH = ["lddh.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A collection round's grid posts a few fields per line; 1000 (Django's default) would
# refuse a round of more than about 160 lines entered without JavaScript.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "lddh@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# E-receipts to donors who agreed to be contacted (donations.messaging): an email with the
# receipt PDF, and a text message through SMS_PROVIDER ("none": no text messages;
# "console": written to the log, for the demo; "esms": eSMS.vn's HTTP API with the key,
# secret and registered brand name below). A failed send is tried again after
# MESSAGE_RETRY_SECONDS, doubling each time, at most MESSAGE_MAX_ATTEMPTS times.
SMS_PROVIDER = env_choice(
    "SMS_PROVIDER", {"none": "none", "console": "console", "esms": "esms"}, "none"
)
SMS_API_URL = env_str(
    "SMS_API_URL", "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"
)
SMS_API_KEY = env_str("SMS_API_KEY", "")
SMS_SECRET_KEY = env_str("SMS_SECRET_KEY", "")
SMS_BRANDNAME = env_str("SMS_BRANDNAME", "")
SMS_ASCII = env_bool("SMS_ASCII", True)
SMS_SANDBOX = env_bool("SMS_SANDBOX", False)
SMS_TIMEOUT = env_int("SMS_TIMEOUT", 10, minimum=1)
MESSAGE_MAX_ATTEMPTS = env_int("MESSAGE_MAX_ATTEMPTS", 5, minimum=1)
MESSAGE_RETRY_SECONDS = env_int("MESSAGE_RETRY_SECONDS", 60, minimum=1)

# Days after a campaign's last day during which staff may still enter its late paper
# receipts; afterwards only the standing committee, with a reason.
CAMPAIGN_LATE_ENTRY_DAYS = env_int("CAMPAIGN_LATE_ENTRY_DAYS", 30, minimum=0)

# Households that left the register more than this many years ago are anonymised by
# `manage.py anonymise_households` (names, CCCD, phone, address, health notes); the
# fund's records about them stay as they are.
HOUSEHOLD_ANONYMISE_AFTER_YEARS = env_int("HOUSEHOLD_ANONYMISE_AFTER_YEARS", 5, minimum=1)

# Days a review meeting's list stays posted for objections (niêm yết), counting the
# first day; a support of a household on the list waits until the window has closed.
POSTING_DAYS = env_int("POSTING_DAYS", 7, minimum=1)

# Days after a support handover by which a scan of its signed handover record (biên bản
# bàn giao) must be uploaded; afterwards the supervision check warns about it.
SUPERVISION_HANDOVER_DAYS = env_int("SUPERVISION_HANDOVER_DAYS", 30, minimum=1)
# Days the inspection team has to answer a resident's feedback (phản ánh, kiến nghị).
FEEDBACK_DUE_DAYS = env_int("FEEDBACK_DUE_DAYS", 15, minimum=1)

# Public site address, used in the QR codes printed on paper.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Content-Security-Policy: scripts only from our own static files (no inline scripts,
# no eval), nothing from other sites: every asset is vendored under static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Inline style attributes (progress bar widths, htmx indicators) are allowed.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Security: secure cookies and HSTS whenever not in development.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
BEHIND_PROXY = env_bool("BEHIND_PROXY", not DEBUG)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxies whose X-Forwarded-For is believed (lddh/ward/throttle.py): the
# client's address keys the sign-in and receipt-check limits. Behind the proxy of the
# README (same host, gunicorn on 127.0.0.1) that is the loopback address.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", ["127.0.0.1", "::1"] if BEHIND_PROXY else [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
