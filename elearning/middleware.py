"""The package origin: SCORM content plays under a host name of its own (settings.
PAN_PACKAGE_HOST) that reaches this same server. Requests for that host see only the package
routes (elearning/package_urls.py): no page, session or form of the platform exists there, and
the platform's cookies, bound to its own host, are never sent to it."""

from django.conf import settings


class PackageHostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = (settings.PAN_PACKAGE_HOST or "").lower()
        if host and request.get_host().rsplit(":", 1)[0].lower() == host:
            request.urlconf = "elearning.package_urls"
            request.is_package_origin = True
            # No session or sign-in exists on this origin: whatever cookie a client sends is
            # ignored (browsers send the platform's to its own host only anyway).
            request.COOKIES = {}
            request.META.pop("HTTP_COOKIE", None)
        return self.get_response(request)
