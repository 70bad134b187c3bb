"""The project's URLs plus a minimal view, the baseline the catalogue is measured against.

The project's patterns are appended rather than include()d: they use i18n_patterns, which Django
only accepts in the root URLconf.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def minimal(request: HttpRequest) -> HttpResponse:
    """A tiny response through the full middleware stack, touching neither database nor cache."""
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal, name="bench_minimal"), *project_urlpatterns]
