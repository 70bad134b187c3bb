"""A cache of whole public pages for visitors who are not signed in.

A page is cached when the request carries no session cookie (so nothing in it can depend on
the visitor), under a key made of the site version, the language and the full URL. Any change to
content (a page published, unpublished or moved; an institution, country or thematic area
edited) moves the site version on commit, so no stale page is served after a change.

Signed-in users get fresh pages, but the parts of a page that do not depend on the person
(a course card, the catalogue's results and filters, a course page's description and modules)
are kept as fragments under keys made of the same site version, the language and what the
fragment shows (`fragment_key`, `fragments_get`, `fragments_set`, used by the `{% fragment %}` and
`{% course_cards %}` template tags): the change that invalidates cached pages invalidates them
too. The personal parts (the header, what the person may do, places left) are rendered fresh.

Both are on only where the cache is shared by every process (Redis): a per-process cache could
not be invalidated everywhere. `PAN_PAGE_CACHE_SECONDS=0` turns both off; it is also how long
an entry is kept.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation

VERSION_KEY = "pan:site-version"


def enabled() -> bool:
    return settings.PAN_PAGE_CACHE_SECONDS > 0


def site_version_bump() -> None:
    """Move the site version once the current transaction commits."""
    transaction.on_commit(lambda: cache.set(VERSION_KEY, time.time_ns(), timeout=None), robust=True)


def site_version(request: HttpRequest | None = None):
    """The current site version (read once per request when the request is given)."""
    version = getattr(request, "_pan_site_version", None)
    if version is None:
        version = cache.get_or_set(VERSION_KEY, time.time_ns, timeout=None)
        if request is not None:
            request._pan_site_version = version
    return version


def fragment_key(request: HttpRequest | None, name: str, *vary) -> str:
    """The key of a fragment: the site version, the language, its name and what it varies on."""
    digest = hashlib.sha256(repr(vary).encode()).hexdigest()[:32]
    return f"pan:fragment:{site_version(request)}:{translation.get_language()}:{name}:{digest}"


def fragments_enabled(request: HttpRequest | None) -> bool:
    """Fragments are kept where pages are, never from a preview (its content is a draft)."""
    return enabled() and not getattr(request, "is_preview", False)


def fragments_get(request: HttpRequest | None, keys: list[str]) -> dict[str, str]:
    return cache.get_many(keys) if keys and fragments_enabled(request) else {}


def fragments_set(request: HttpRequest | None, values: dict[str, str]) -> None:
    if values and fragments_enabled(request):
        cache.set_many(values, timeout=settings.PAN_PAGE_CACHE_SECONDS)


def _cacheable(request: HttpRequest) -> bool:
    # A visitor with a message waiting (e.g. "You have signed out", kept in a cookie) sees it on
    # the page they land on: that page is theirs, not the cached one.
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not getattr(request, "is_preview", False)
    )


def _key(request: HttpRequest, version) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"pan:page:{version}:{translation.get_language()}:{digest}"


def cached_response(request: HttpRequest) -> tuple[HttpResponse | None, str | None]:
    """The cached page for this request (or None), and the key to store it under."""
    if not enabled() or not _cacheable(request):
        return None, None
    key = _key(request, site_version(request))
    return cache.get(key), key


def store(key: str | None, response: HttpResponse) -> HttpResponse:
    if key is None or response.status_code != 200 or response.streaming or response.cookies:
        return response
    if "private" in response.get("Cache-Control", "") or "no-cache" in response.get(
        "Cache-Control", ""
    ):
        return response
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    cache.set(key, response, timeout=settings.PAN_PAGE_CACHE_SECONDS)
    return response
