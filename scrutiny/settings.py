"""The one settings module. Everything that differs between machines comes from the environment.

Running and testing need no configuration: with no DATABASE_URL the app uses a SQLite file in the
project folder. Production sets DJANGO_DEBUG=0 (the default), DJANGO_SECRET_KEY,
DJANGO_ALLOWED_HOSTS and usually DATABASE_URL.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from scrutiny.env import (
    client_address_settings,
    env_bool,
    env_list,
    parse_domain_organisations,
    parse_group_roles,
    parse_issuer,
)

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DJANGO_DEBUG")
# With debug on (development, tests) a missing key falls back to an obviously insecure one; with
# debug off the application refuses to start without a key of its own.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG off the application needs a secret "
            "key of its own: set DJANGO_SECRET_KEY to 50 or more random characters "
            "(see docs/operations.md), or DJANGO_DEBUG=1 for development."
        )
    SECRET_KEY = "django-insecure-development-key-do-not-deploy"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Uploaded tracker files wait between preview and confirm in the "tracker_uploads" storage
# (STORAGES below): a folder shared between app servers, or any Django storage backend.
TRACKER_UPLOAD_DIR = os.environ.get("TRACKER_UPLOAD_DIR") or str(
    Path(tempfile.gettempdir()) / "scrutiny-tracker-uploads"
)

# The largest tracker file the upload page takes, in MB (the import_tracker command has no size
# limit of its own: a tracker the product exported always imports back). Larger uploads than
# TRACKER_BACKGROUND_ROWS rows are applied by the worker, with a progress page.
TRACKER_MAX_UPLOAD_MB = int(os.environ.get("TRACKER_MAX_UPLOAD_MB") or 50)
TRACKER_BACKGROUND_ROWS = int(os.environ.get("TRACKER_BACKGROUND_ROWS") or 2000)

# PDFs of the appendix made by the worker, named by the fingerprint of their content, wait in the
# "pdf_cache" storage (STORAGES below) so a repeated download is a file read. Safe to empty.
PDF_CACHE_DIR = os.environ.get("PDF_CACHE_DIR") or str(
    Path(tempfile.gettempdir()) / "scrutiny-pdf-cache"
)
# An officer's progress update is submitted, and counts only once the scrutiny officer accepts it
# (docs/domain.md, "Acceptance"). Off (UPDATES_NEED_ACCEPTANCE=0): every update is accepted as it
# is submitted, and the pages for checking updates are not shown.
UPDATES_NEED_ACCEPTANCE = env_bool("UPDATES_NEED_ACCEPTANCE", True)
# How long the dashboard's figures and the register's counts are kept in the cache; they are
# keyed by the register's version, so a change shows at once (see docs/architecture.md). 0: never.
REGISTER_CACHE_SECONDS = int(os.environ.get("REGISTER_CACHE_SECONDS", "3600"))

# Evidence files on progress updates, in the "default" storage (STORAGES below): a private folder,
# never served as media (downloads go through a view that checks the reader). Several app servers
# share it, or use a django-storages backend instead (README, "Evidence files").
UPLOADED_FILES_DIR = os.environ.get("UPLOADED_FILES_DIR") or str(BASE_DIR / "uploaded-files")

SITE_NAME = os.environ.get("SITE_NAME", "Scrutiny recommendations tracker")
ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Durham County Council")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django.contrib.postgres",  # text search fields and lookups; inert on SQLite
    "simple_history",
    "axes",
    # The second factor for password sign-ins: authenticator apps (TOTP) and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "reviews",
    "recommendations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before whitenoise, so static files carry it too.
    "scrutiny.middleware.CrossOriginResourcePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second-factor device, if any, verified this session (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "scrutiny.middleware.NoStoreWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A password session that must have the second factor and has not: back to its set-up.
    "reviews.sign_in.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "scrutiny.urls"
FORM_RENDERER = "scrutiny.forms.GovUKFormRenderer"
WSGI_APPLICATION = "scrutiny.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "scrutiny.context_processors.site",
            ],
            # Template tags that live with their capability rather than in a templatetags folder.
            "libraries": {
                "dashboard_tags": "recommendations.dashboard.tags",
                "my_recommendations_tags": "recommendations.pages.my_recommendations_tags",
                "register_tags": "recommendations.register.tags",
                "review_tags": "recommendations.pages.review_tags",
            },
        },
    },
]

# Databases: DATABASE_URL when set (postgres://… or sqlite:///path), else a SQLite file here.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the dashboard's counts are many small index lookups whose estimated
    # cost passes the JIT threshold, and compiling them took longer (seconds) than running them.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "reviews.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Answers only the provider's callback, and only when OIDC_ISSUER is set.
    "reviews.sign_in.oidc.ProviderBackend",
]
# Argon2id, the memory-hard hash Django and OWASP recommend first: about 0.3 s of CPU and 100 MiB
# per sign-in at Django's defaults, where PBKDF2 at Django's iterations took about 1 s, so a morning's
# burst of sign-ins no longer starves the pages on two cores (README, "Measured"). Passwords
# stored with PBKDF2 still sign in, and are stored again with Argon2id when they do.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Signing in with the council's accounts through OpenID Connect (reviews/sign_in/oidc.py, README
# "Signing in with the council's accounts"): off unless OIDC_ISSUER is set. Endpoints come from the
# issuer's discovery document. Role groups are those of the roles migration
# (recommendations/migrations/0003_create_roles.py).
ROLE_GROUPS = ("Councillor", "Officer", "Scrutiny officer")


OIDC_ISSUER = parse_issuer(os.environ.get("OIDC_ISSUER", "").strip())
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
if OIDC_ISSUER and not (OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "OIDC_ISSUER is set, so OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set too (the "
        "application's registration with the provider)"
    )
# The button reads "Sign in with <name>".
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "").strip() or "your council account"
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "").strip() or "groups"
# Empty: roles are given in the admin and signing in leaves them alone.
OIDC_GROUP_ROLES = parse_group_roles(os.environ.get("OIDC_GROUP_ROLES", ""), ROLE_GROUPS)
OIDC_EMAIL_DOMAIN_ORGANISATIONS = parse_domain_organisations(
    os.environ.get("OIDC_EMAIL_DOMAIN_ORGANISATIONS", "")
)
# Whom someone signed in without a role should ask for access: an email address, shown on the
# "no access yet" page. Unset: "your council's scrutiny officer".
ACCESS_REQUEST_CONTACT = os.environ.get("ACCESS_REQUEST_CONTACT", "").strip()
# mozilla-django-oidc's own settings: the authorisation-code flow with PKCE, state and nonce,
# RS256 tokens checked against the provider's published keys (JWKS).
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True  # for the provider's sign-out (id_token_hint)
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "sign_in:finish_provider_sign_in"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# django-axes: five failures lock that username from that address for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Masked in django-axes's logs and records: its own defaults, and the code of the second step
# (reviews/sign_in/), whose wrong answers are failed sign-ins too.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

# The second factor (reviews/sign_in/): the name authenticator apps show beside the account, and
# secrets kept out of the admin (an administrator resets a lost authenticator by deleting it).
OTP_TOTP_ISSUER = SITE_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True


globals().update(client_address_settings(int(os.environ.get("DJANGO_PROXY_COUNT", "0"))))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# The date formats `date_format` and the `date` filter use: scrutiny/formats/en_GB/formats.py.
FORMAT_MODULE_PATH = ["scrutiny.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": UPLOADED_FILES_DIR,
            "base_url": None,
            "directory_permissions_mode": 0o700,
            "file_permissions_mode": 0o600,
        },
    },
    # PDFs of the appendix by the fingerprint of their content (private: served through views).
    "pdf_cache": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": PDF_CACHE_DIR,
            "base_url": None,
            "directory_permissions_mode": 0o700,
            "file_permissions_mode": 0o600,
        },
    },
    # Uploaded tracker files between preview and confirm (private: never served).
    "tracker_uploads": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": TRACKER_UPLOAD_DIR,
            "base_url": None,
            # Uploaded files may hold anything: readable by this service's user alone.
            "directory_permissions_mode": 0o700,
            "file_permissions_mode": 0o600,
        },
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security. The Content Security Policy starts from nothing and allows only what the pages use:
# the app's own scripts, stylesheets and images (no inline script or style anywhere), requests
# back to itself (the admin's autocomplete) and forms posting to itself.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("DJANGO_BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Slow work (sending email now, PDFs later) runs in workers, never in a page: `manage.py db_worker`
# takes tasks from a queue kept in the database, so several workers on several machines can share
# it. The tests run each task at once (tests/conftest.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Mail: configured from the environment under Django's classic names (EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS), given to Django 6.1's MAILERS. With no
# EMAIL_HOST (development) emails are printed to the console of the process that sends them (the
# worker). A slow mail server holds up one worker for at most EMAIL_TIMEOUT seconds, never a page.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "scrutiny@localhost")
# Links in emails are absolute, built from this address of the site.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Asking for updates: the deadline's default distance before the meeting, and when reminders go
# (this many days before the deadline, and the day after it).
UPDATE_REQUEST_DAYS_BEFORE_MEETING = int(os.environ.get("UPDATE_REQUEST_DAYS_BEFORE_MEETING", "14"))
REMINDER_DAYS_BEFORE_DEADLINE = int(os.environ.get("REMINDER_DAYS_BEFORE_DEADLINE", "5"))
# A failed email is tried again by send_reminders until it has been tried this many times.
EMAIL_MAX_ATTEMPTS = int(os.environ.get("EMAIL_MAX_ATTEMPTS", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every step of every render at INFO; only its warnings are worth keeping.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        # pikepdf announces at INFO that it is loaded, in every process that renders a PDF.
        "pikepdf": {"level": "WARNING"},
    },
}

# The public JSON API (recommendations/public/api): anonymous and read-only. Each view sets its own
# authentication (none), permission (anyone) and throttle; these are the defaults besides.
PUBLIC_API_RATE = os.environ.get("PUBLIC_API_RATE", "60/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{ORGANISATION_NAME}: scrutiny recommendations, open data",
    "DESCRIPTION": (
        "The council's public record of its scrutiny recommendations: public reviews, their "
        "recommendations with the executive's responses and accepted progress updates, and "
        "published appendices. Read-only and anonymous; rate-limited per address."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# The API's throttle counts live in the default cache: this process's memory unless REDIS_URL is
# set, then Redis (shared by every app server, so the rate holds across them).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
