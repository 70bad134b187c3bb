"""Production: everything from the environment, secure defaults, no fallbacks for secrets."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
if not REDIS_URL:  # noqa: F405
    # Login lockout, rate limits and the page cache must be shared by every process.
    raise ImproperlyConfigured("REDIS_URL must be set in production.")

if not PAN_PUBLIC_URL.startswith(("https://", "http://")):  # noqa: F405
    # Printed in certificates for ever: never guessed from a request in production.
    raise ImproperlyConfigured(
        "PAN_PUBLIC_URL must be set in production to the platform's public address, "
        "e.g. https://pan.example.org (it is printed in certificates and sent in e-mails)."
    )

DEBUG = False

# Breached passwords are checked against the Pwned Passwords API unless switched off.
PAN_BREACHED_PASSWORD_CHECK = env_bool("PAN_BREACHED_PASSWORD_CHECK", True)
_PWNED_VALIDATOR = {"NAME": "pwned_passwords_django.validators.PwnedPasswordsValidator"}
if PAN_BREACHED_PASSWORD_CHECK and _PWNED_VALIDATOR not in AUTH_PASSWORD_VALIDATORS:  # noqa: F405
    AUTH_PASSWORD_VALIDATORS.append(_PWNED_VALIDATOR)  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405 (media and private files as in base)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
