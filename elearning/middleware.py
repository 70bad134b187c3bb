"""The package origin: SCORM content plays under a host name of its own (settings.
PAN_PACKAGE_HOST) that reaches this same server. Requests for that host see only the package
routes (elearning/package_urls.py): no page, session or form of the platform exists there, and
the platform's cookies, bound to its own host, are never sent to it.

Those requests are answered here, without the middleware below this one: sessions, languages,
CSRF, sign-in, messages and the platform pages' security headers mean nothing on an origin
whose only credential is an attempt's token in the address, and whose views set their own
headers. What runs above (security headers, static files) still runs."""

from django.conf import settings
from django.urls import get_resolver, set_urlconf

PACKAGE_URLCONF = "elearning.package_urls"


class PackageHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = (settings.PAN_PACKAGE_HOST or "").lower()
        if not host or request.get_host().rsplit(":", 1)[0].lower() != host:
            return self.get_response(request)
        request.urlconf = PACKAGE_URLCONF
        # No session or sign-in exists on this origin: whatever cookie a client sends is
        # ignored (browsers send the platform's to its own host only anyway).
        request.COOKIES = {}
        request.META.pop("HTTP_COOKIE", None)
        # Not found (Resolver404) and errors are answered by the package routes' own plain
        # handlers: the exception leaves here and Django converts it with this urlconf.
        set_urlconf(PACKAGE_URLCONF)
        match = get_resolver(PACKAGE_URLCONF).resolve(request.path_info)
        request.resolver_match = match
        return match.func(request, *match.args, **match.kwargs)
