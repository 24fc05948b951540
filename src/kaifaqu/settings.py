"""Settings for kaifaqu, read from the environment (KAIFAQU_*).

Embedded mode (default, `KAIFAQU_MODE=demo`) runs on an SQLite file under var/ with no set-up.
Production mode refuses to start with the default secret key or audit key.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("KAIFAQU_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("KAIFAQU_VAR_DIR", PROJECT_DIR / "var"))

_DEFAULT_SECRET = "kaifaqu-demo-secret-not-for-production"  # noqa: S105
_DEFAULT_AUDIT_KEY = "kaifaqu-demo-audit-key-not-for-production"


def env(name, default=None):
    return os.environ.get(f"KAIFAQU_{name}", default)


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


MODE = env("MODE", "demo")
if MODE not in {"demo", "production"}:
    raise ImproperlyConfigured("KAIFAQU_MODE must be 'demo' or 'production'")
PRODUCTION = MODE == "production"

SECRET_KEY = env("SECRET_KEY", _DEFAULT_SECRET)
AUDIT_KEY = env("AUDIT_KEY", _DEFAULT_AUDIT_KEY)
if PRODUCTION:
    if SECRET_KEY == _DEFAULT_SECRET or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("生产模式必须设置 KAIFAQU_SECRET_KEY（至少 50 个字符）。")
    if AUDIT_KEY == _DEFAULT_AUDIT_KEY or len(AUDIT_KEY) < 32:
        raise ImproperlyConfigured("生产模式必须设置 KAIFAQU_AUDIT_KEY（至少 32 个字符）。")

# Signed audit checkpoints (seq, hash, time) written by `kaifaqu tick`, outside the database (docs/deploy.md).
AUDIT_ANCHOR_DIR = Path(env("AUDIT_ANCHOR_DIR", str(VAR_DIR / "audit-anchor")))

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
]
# Our modules, listed once: each registers its permissions, routes, pages, menu, jobs, importers and workbench
# entries from its AppConfig (kaifaqu.core.registry.ModuleConfig), so adding one here is the only wiring step.
KAIFAQU_APPS = [
    "kaifaqu.core",
    "kaifaqu.accounts",
    "kaifaqu.org",
    "kaifaqu.powers",
    "kaifaqu.whistle",
    "kaifaqu.approvals",
    "kaifaqu.invest",
    "kaifaqu.economy",
    "kaifaqu.meetings",
    "kaifaqu.cockpit",
    "kaifaqu.portal",
    "kaifaqu.demo",
]
INSTALLED_APPS += KAIFAQU_APPS
# Apps added by the environment, comma-separated: the test suite installs its test-only apps this way.
INSTALLED_APPS += [name.strip() for name in env("EXTRA_APPS", "").split(",") if name.strip()]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kaifaqu.core.web.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kaifaqu.core.web.middleware.RequestContextMiddleware",
    "kaifaqu.accounts.middleware.PasswordChangeRequiredMiddleware",
    "kaifaqu.accounts.middleware.TwoFactorEnrolmentMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kaifaqu.urls"
WSGI_APPLICATION = "kaifaqu.wsgi.application"

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
                "kaifaqu.core.web.context_processors.shell",
            ],
        },
    }
]

# Database: SQLite (WAL) by default; PostgreSQL via KAIFAQU_DATABASE_URL=postgres://…
_db_url = env("DATABASE_URL")
if _db_url:
    DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=int(env("DB_CONN_MAX_AGE", "60")))}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "kaifaqu.sqlite3",
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # IMMEDIATE transactions take the write lock at BEGIN, so concurrent writers queue
            # instead of failing with "database is locked" on lock upgrade.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )
    DATABASES["default"].setdefault("TEST", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# The tenant (开发区) and the organisation within it, named once for core (kaifaqu.core.tenancy).
KAIFAQU_TENANT_MODEL = "org.Zone"
KAIFAQU_ORG_MODEL = "org.Org"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("FAST_PASSWORD_HASHER", False):
    # Tests only: argon2 costs ~50 ms per hash; the suite creates hundreds of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "kaifaqu.accounts.validators.ComplexityValidator"},
    {"NAME": "kaifaqu.accounts.validators.CommonPasswordValidator"},
]
CSRF_FAILURE_VIEW = "kaifaqu.core.web.pages.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# 等保2.0: 30 minutes of inactivity ends the session.
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# django-axes: 5 failures lock the username for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# The lock ends 30 minutes after the 5th failure; attempts during the lock do not restart it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "kaifaqu.accounts.views.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
SILENCED_SYSTEM_CHECKS = ["axes.W006"]  # we lock by username (等保 identity control), not by IP
AXES_IPWARE_PROXY_COUNT = int(env("PROXY_COUNT", "0")) or None
# Second-factor codes are masked like passwords in axes' record of failed attempts.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "otp", "regen-code", "disable-code"]

# 双因素认证: TOTP with HMAC-SHA1 (what authenticator apps speak) or HMAC-SM3 (商用密码 deployments).
OTP_ALGORITHM = env("OTP_ALGORITHM", "sha1").strip().lower()
if OTP_ALGORITHM not in {"sha1", "sm3"}:
    raise ImproperlyConfigured("KAIFAQU_OTP_ALGORITHM must be 'sha1' or 'sm3'")
# Key sealing stored secrets (TOTP seeds, SM4); defaults to the secret key. Changing it invalidates enrolments.
FIELD_KEY = env("FIELD_KEY", SECRET_KEY)
# Dotted path of a kaifaqu.accounts.two_factor.SmsSender subclass; empty: no SMS codes offered.
SMS_SENDER = env("SMS_SENDER", "")

FILTERS_EMPTY_CHOICE_LABEL = "全部"
# No "empty" choice by default: a filter offers （空） only where the field may be empty (null_label on the filter).
FILTERS_NULL_CHOICE_LABEL = None
NULL_CHOICE_LABEL = "（空）"

API_TOKEN_TTL_HOURS = int(env("API_TOKEN_TTL_HOURS", "8"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
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
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# Email (used by notifications once configured).
EMAIL_HOST = env("EMAIL_HOST", "")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "kaifaqu@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kaifaqu.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "kaifaqu.core.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "kaifaqu.core.filtering.StrictFilterBackend",
        "kaifaqu.core.filtering.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "kaifaqu.core.api.CoreAutoSchema",
    "EXCEPTION_HANDLER": "kaifaqu.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # The API reads JSON; only the upload endpoints (attachments, imports) also read multipart forms. A form body
    # cannot say null or a list of one, so accepting it would answer 400 to values the schema allows.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# /api/schema/, /api/docs/ and /api/redoc/ need a login in production mode unless opened here.
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", not PRODUCTION)
SPECTACULAR_SETTINGS = {
    "TITLE": "开发区管理运行平台 API",
    "DESCRIPTION": "kaifaqu REST API v1。认证：POST /api/v1/auth/token 取得令牌，之后在请求头带 `Authorization: Token <令牌>`。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "kaifaqu.core.api.postprocess_text_limits"],
    "ENUM_NAME_OVERRIDES": {
        "OrgKindEnum": "kaifaqu.org.models.OrgKind",
        "ZoneKindEnum": "kaifaqu.org.models.ZoneKind",
        "PlaqueKindEnum": "kaifaqu.org.models.PlaqueKind",
        "ReorgEventKindEnum": "kaifaqu.org.models.ReorgKind",
        "PostKindEnum": "kaifaqu.org.models.PostKind",
        "RoleEnum": "kaifaqu.accounts.roles.Role",
        "ApprovalProjectKindEnum": "kaifaqu.approvals.models.ProjectKind",
        "MeetingKindEnum": "kaifaqu.meetings.models.MeetingKind",
        "AgendaSourceEnum": "kaifaqu.meetings.models.AgendaSource",
        "AttendanceCapacityEnum": "kaifaqu.meetings.models.AttendanceRole",
    },
}

UPLOAD_MAX_BYTES = int(env("UPLOAD_MAX_BYTES", str(50 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(env("IMPORT_MAX_ROWS", "200000"))  # spreadsheet imports: more rows answer 413
IMPORT_SYNC_ROWS = int(env("IMPORT_SYNC_ROWS", "2000"))  # larger files are validated/applied by `kaifaqu tick`
IMPORT_KEEP_UPLOADS_DAYS = int(env("IMPORT_KEEP_UPLOADS_DAYS", "30"))  # uploads of imports never applied are then removed
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Deadline clocks: how much remains when a clock enters the warning window (预警), per unit (docs/deadlines.md).
CLOCK_WARN_WORKDAYS = int(env("CLOCK_WARN_WORKDAYS", "2"))
CLOCK_WARN_DAYS = int(env("CLOCK_WARN_DAYS", "2"))
CLOCK_WARN_WORKHOURS = int(env("CLOCK_WARN_WORKHOURS", "16"))
CLOCK_WARN_HOURS = int(env("CLOCK_WARN_HOURS", "48"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
