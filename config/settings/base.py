"""Settings shared by every environment. Everything that differs is read from the environment."""

import json
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "network",
    "website",
    "demo",
    "ops",
    "courses",
    "trainees",
    "elearning",
    "certificates",
    "cascades",
    "reports",
    "csp",
    "xapi",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Without PAN_PUBLIC_URL (development), links made in a request use its own address.
    "core.public_url.PublicURLMiddleware",
    # SCORM content's own host name sees only the package routes (elearning/package_urls.py).
    "elearning.middleware.PackageHostMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "network.middleware.RememberedLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy (django-csp) and Permissions-Policy on every page.
    "csp.middleware.CSPMiddleware",
    "network.middleware.PermissionsPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # Staff pages only for people signed in with a second factor.
    "network.middleware.StaffMFAMiddleware",
    # Last, so that it sees every authentication attempt (Django admin, Wagtail admin, allauth).
    "axes.middleware.AxesMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite under the project unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves requests from several threads (a lesson page and its
    # statements at once): write-ahead logging lets readers go on while one writer writes, and
    # immediate transactions make writers queue (for up to 20 s) instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, process memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "pan_network.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any login to an account locked out by repeated failures.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2 (argon2-cffi) hashes new and changed passwords, as Django's documentation recommends;
# on this 2-core machine it verifies a password in a third of a CPU second where PBKDF2 with
# Django's million iterations takes half, which is what a cohort signing in at nine spends.
# Older hashes still verify and are rehashed with Argon2 at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Passwords known from breaches are refused: Django's list of 20,000 common passwords always;
# with PAN_BREACHED_PASSWORD_CHECK, also the Pwned Passwords range API (k-anonymity: only the
# first five characters of the password's SHA-1 leave the server; if the API cannot be reached
# the common-password list decides).
PAN_BREACHED_PASSWORD_CHECK = env_bool("PAN_BREACHED_PASSWORD_CHECK", False)
if PAN_BREACHED_PASSWORD_CHECK:
    AUTH_PASSWORD_VALIDATORS.append(
        {"NAME": "pwned_passwords_django.validators.PwnedPasswordsValidator"}
    )
PWNED_PASSWORDS = {"API_TIMEOUT": 2.0}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth: e-mail is the login.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True  # a one-time code by e-mail instead of the password
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# The platform's voice: e-mails that name it and link to its public address, and a first stop
# after signing in (a trainee's profile until it is complete); labels of its own on the forms.
ACCOUNT_ADAPTER = "network.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "network.account_forms.SignInForm",
    "signup": "network.account_forms.SignUpForm",
    "reset_password": "network.account_forms.ResetPasswordForm",
    "reset_password_from_key": "network.account_forms.ResetPasswordKeyForm",
    "request_login_code": "network.account_forms.RequestLoginCodeForm",
    "change_password": "network.account_forms.ChangePasswordForm",
    "set_password": "network.account_forms.SetPasswordForm",
    "add_email": "network.account_forms.AddEmailForm",
}
# Confirming the address signs the new account in (no second sign-in), when the link is opened
# in the browser that signed up: allauth keeps the pending sign-in in that session only, so a
# link that leaked elsewhere signs nobody in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Rate limits, counted in the cache (Redis in production, so every process shares them).
# Beyond a limit the page answers 429 and says to wait. "key" is the e-mail address typed in.
# Per-address limits are sized for an academy whose whole cohort signs in from behind one
# public address at nine (the load test signs 300 in within two minutes); each account keeps
# its own tight limit on failures.
ACCOUNT_RATE_LIMITS = {
    "login": "600/m/ip",
    "login_failed": "60/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}

# Single sign-on with an institution's identity provider (OpenID Connect). Providers come from
# PAN_OIDC_PROVIDERS (JSON, see the README) or are added as "Social applications" in the Django
# admin. A provider's user is linked to an existing account only through an e-mail address the
# provider says it has verified (and the account's own address is verified); an answer without
# a verified address is refused (network/adapters.py).
SOCIALACCOUNT_ADAPTER = "network.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "mandatory"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": provider["provider_id"],
                "name": provider.get("name", provider["provider_id"]),
                "client_id": provider["client_id"],
                "secret": provider.get("secret", ""),
                "settings": {"server_url": provider["server_url"]},
            }
            for provider in json.loads(os.environ.get("PAN_OIDC_PROVIDERS", "[]"))
        ],
    }
}
# Content-Security-Policy: scripts, styles, frames and connections from the platform itself
# only, nothing inline; forms may also go to the single sign-on providers (a sign-in form
# redirects there). Package files carry their own sandboxing policy (courses/views.py), which
# this does not replace. The Wagtail and Django admins keep their own inline scripts.
_SSO_ORIGINS = sorted(
    {
        "{0.scheme}://{0.netloc}".format(urlsplit(provider["server_url"]))
        for provider in json.loads(os.environ.get("PAN_OIDC_PROVIDERS", "[]"))
    }
)
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF, *_SSO_ORIGINS],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Features no page of the platform uses (trainees scan check-in codes with their own camera).
PAN_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Multi-factor authentication: authenticator apps (TOTP) with recovery codes; security keys and
# passkeys (WebAuthn) may be added too. Mandatory for staff (network/middleware.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "PAN Training Platform"
# A code is also accepted in the 30-second step before or after the server's (RFC 6238, 5.2): a
# phone's clock a few seconds off, or a code typed as it changes, still signs in. Each code
# works once either way.
MFA_TOTP_TOLERANCE = 1
# The admin signs in through the site's sign-in, where the second factor is asked for.
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"

# Each person can see where they are signed in and end their other sessions. The list shows
# where and when each session began; tracking every request's address and time as well would
# cost a write on every request (the load test's check-in burst measured it).
USERSESSIONS_TRACK_ACTIVITY = False

# Brute-force protection on every login page: the sixth wrong password for an account within
# five minutes is refused, whatever page it is typed on. Attempts are counted in the cache
# (Redis in production), each one forgotten after five minutes.
# Without Redis (the embedded default) attempts are kept in the database instead, so that every
# process sees them.
AXES_HANDLER = (
    "axes.handlers.cache.AxesCacheHandler"
    if REDIS_URL
    else "axes.handlers.database.AxesDatabaseHandler"
)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=5)
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "network.auth.login_identifier"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_RESET_ON_SUCCESS = True
# Lockout is per account, not per address: an academy's trainees often share one public IP,
# and locking the address would lock them all out. Per-address throttling is allauth's
# rate limiting (ACCOUNT_RATE_LIMITS) instead.
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    # Covering indexes (Index.include) are PostgreSQL's; SQLite builds the same index without
    # the included columns, which is all the embedded default needs.
    "models.W040",
]

# Internationalisation: interface and content languages.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded and generated files (network/storage.py): the public media tree, whose images
# the platform serves at MEDIA_URL, and the private one (e-learning packages, certificate PDFs),
# which has no URL and is read only by the views that check who asks. Every web process and
# worker must see the same two folders (a shared volume), or use an S3-compatible store.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT", BASE_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "network.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "PAN Training <noreply@localhost>")

# Celery: eager in-process unless a broker is configured.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "erasures": {"task": "network.tasks.erasures_run", "schedule": 3600.0},
    "offers-expire": {"task": "trainees.tasks.offers_expire", "schedule": 300.0},
    "reminders": {"task": "trainees.tasks.reminders_send", "schedule": 3600.0},
    "notifications-retry": {"task": "trainees.tasks.notifications_retry", "schedule": 600.0},
    "xapi-forward": {"task": "xapi.tasks.forward_drain", "schedule": 60.0},
    "launch-tokens-purge": {"task": "xapi.tasks.launch_tokens_purge", "schedule": 86400.0},
    "certificates-ended-runs": {
        "task": "certificates.tasks.ended_runs_check",
        "schedule": 600.0,
    },
    "certificates-expiry-reminders": {
        "task": "certificates.tasks.expiry_reminders_owe",
        "schedule": 86400.0,
    },
    "follow-ups": {"task": "reports.tasks.followups_send", "schedule": 86400.0},
    "tallies-rebuild": {"task": "reports.tasks.tallies_rebuild", "schedule": 86400.0},
}
# Certificates render PDFs: their own queue, so that a bulk issue never delays e-mails or the
# LRS (run a worker with `-Q celery,certificates`, or a dedicated one with `-Q certificates`).
CELERY_TASK_ROUTES = {"certificates.tasks.*": {"queue": "certificates"}}

# Certificate verification: guesses per client (IP address) per minute and per hour.
PAN_VERIFY_RATE = os.environ.get("PAN_VERIFY_RATE", "30/m")
PAN_VERIFY_RATE_HOURLY = os.environ.get("PAN_VERIFY_RATE_HOURLY", "200/h")
# Open Badges signing key: base64url of a 32-byte Ed25519 seed. Empty: derived from SECRET_KEY.
PAN_BADGE_SIGNING_KEY = os.environ.get("PAN_BADGE_SIGNING_KEY", "")

# SCORM content plays on a host name of its own that reaches this same server (same scheme and
# port as the platform), e.g. packages.pan.example.org: its frames script each other there,
# and nothing of the platform's (pages, session, cookies) exists on it. Empty: SCORM lessons
# refuse to launch and say so. It must also be in DJANGO_ALLOWED_HOSTS.
PAN_PACKAGE_HOST = os.environ.get("PAN_PACKAGE_HOST", "")

# Certificates with a validity: reminders this many days before they expire (holders and the
# issuing institution's coordinators, once for each lead time).
PAN_CERTIFICATE_EXPIRY_REMINDER_DAYS = sorted(
    {
        int(days)
        for days in os.environ.get("PAN_CERTIFICATE_EXPIRY_REMINDER_DAYS", "90,30").split(",")
        if days.strip()
    },
    reverse=True,
)

# Days between a person's request to erase their data and its execution.
PAN_ERASURE_COOL_OFF_DAYS = int(os.environ.get("PAN_ERASURE_COOL_OFF_DAYS", "14"))

# Statements forwarded to an external LRS (empty: no forwarding).
XAPI_FORWARD_ENDPOINT = os.environ.get("XAPI_FORWARD_ENDPOINT", "")
XAPI_FORWARD_KEY = os.environ.get("XAPI_FORWARD_KEY", "")
XAPI_FORWARD_SECRET = os.environ.get("XAPI_FORWARD_SECRET", "")

# Wagtail
WAGTAIL_SITE_NAME = "PAN Training Platform"
# The platform's public base URL (core/public_url.py), e.g. https://pan.example.org: the
# address in certificates' QR codes, e-mails, share links and xAPI ids. Required in production;
# where empty, each request's own address is used (runserver on any port links to itself).
PAN_PUBLIC_URL = os.environ.get("PAN_PUBLIC_URL", "").strip().rstrip("/")
# Wagtail's admin e-mails read this one; it follows PAN_PUBLIC_URL unless set apart.
WAGTAILADMIN_BASE_URL = os.environ.get(
    "WAGTAILADMIN_BASE_URL", PAN_PUBLIC_URL or "http://127.0.0.1:8000"
)
WAGTAILSEARCH_BACKENDS = {
    # Picks PostgreSQL full-text search on PostgreSQL and FTS5 on SQLite.
    "default": {"BACKEND": "wagtail.search.backends.database"}
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
# Documents always through Wagtail's view (it checks a private collection's restrictions; a
# redirect to a store's URL would not), and always as downloads: never shown on the
# platform's origin as a page.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "svg"]
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# No avatars fetched from a third party: staff e-mail hashes stay on the platform.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 20,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Background-task and page-creation chatter is not news in the console.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Each eagerly run task logs a line; kombu warns that there is no broker (eager mode).
        "celery.app.trace": {"level": "WARNING"},
        "kombu": {"level": "ERROR"},
    },
}

# The catalogue's page size.
CATALOGUE_PAGE_SIZE = 20

# Whole public pages cached for visitors without a session (core/page_cache.py); only
# with a shared cache (Redis), since every process must see the invalidations.
PAN_PAGE_CACHE_SECONDS = int(os.environ.get("PAN_PAGE_CACHE_SECONDS", "300")) if REDIS_URL else 0
