"""The platform's public base URL: where people and other systems reach it.

Everything that leaves the request it was made in carries it: certificate QR codes and
"Verify at" lines (printed for ever), share and LinkedIn links, e-mail links, xAPI activity ids
and account home pages, Open Badges identifiers. It is one setting, ``PAN_PUBLIC_URL``,
required in production (the settings refuse to start without it). Where it is not set
(development), it is derived from the request being served, and between requests from the
last one the process served, so ``runserver`` on any port links to itself."""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost

_current: ContextVar[str | None] = ContextVar("pan_public_url", default=None)
_last_seen: dict[str, str] = {}


def public_base_url() -> str:
    """The base URL without a trailing slash, e.g. ``https://pan.example.org``."""
    configured = getattr(settings, "PAN_PUBLIC_URL", "")
    if configured:
        return configured.rstrip("/")
    derived = _current.get() or _last_seen.get("base")
    return (derived or settings.WAGTAILADMIN_BASE_URL).rstrip("/")


def public_url(path: str) -> str:
    """An absolute public URL for a path of the platform."""
    return public_base_url() + "/" + path.lstrip("/")


class PublicURLMiddleware:
    """Without ``PAN_PUBLIC_URL``, the request's own scheme, host and port are the public base
    URL while it is served (never the package host's, which is no address of the platform)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "PAN_PUBLIC_URL", ""):
            return self.get_response(request)
        try:
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)
        package_host = getattr(settings, "PAN_PACKAGE_HOST", "")
        if package_host and host.split(":")[0] == package_host:
            return self.get_response(request)
        base = f"{request.scheme}://{host}"
        _last_seen["base"] = base
        token = _current.set(base)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
