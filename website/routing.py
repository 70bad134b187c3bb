"""Serving pages in a fixed number of queries.

Wagtail finds a page by walking the tree one level at a time (two queries a level), so deep pages
such as lessons cost more than shallow ones. Here the page is found by its `url_path` in two
queries, whatever its depth, and handed to Wagtail's own `serve` view, which then runs its hooks
(view restrictions, preview, caching headers) exactly as usual. Anything this shortcut does not
recognise (pages with their own routing, drafts, unknown paths) falls through to Wagtail's
normal routing, so behaviour never differs, only the cost.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from core import page_cache


def _root_paths(site: Site) -> list[str]:
    """The site's roots to look under: the visitor's language first, then the default
    language's (a page nobody has translated is served as it is, in the visitor's interface
    language)."""
    from django.conf import settings

    language = translation.get_language()
    paths = [p for p in Site.get_site_root_paths() if p.site_id == site.pk]
    ordered = [p.root_path for p in paths if p.language_code == language]
    ordered += [p.root_path for p in paths if p.language_code == settings.LANGUAGE_CODE]
    ordered += [p.root_path for p in paths]
    return list(dict.fromkeys(ordered))


def fast_route(request: HttpRequest, path: str) -> RouteResult | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    roots = _root_paths(site)
    if not roots:
        return None
    slug = path.rstrip("/").rsplit("/", 1)[-1] or None
    candidates = [root + path for root in roots]
    found = {
        url_path: (pk, content_type_id)
        # The slug narrows the search through its index; the URL path decides.
        for url_path, pk, content_type_id in Page.objects.filter(
            url_path__in=candidates, live=True, **({"slug": slug} if slug else {})
        ).values_list("url_path", "pk", "content_type_id")
    }
    row = next((found[c] for c in candidates if c in found), None)
    if row is None:
        return None
    model = ContentType.objects.get_for_id(row[1]).model_class()  # cached after the first use
    if model is None or model.route is not Page.route:
        return None  # the page routes its own sub-paths; let Wagtail walk the tree
    return RouteResult(model.objects.get(pk=row[0]))


def serve(request: HttpRequest, path: str):
    cached, key = page_cache.cached_response(request)
    if cached is not None:
        return cached
    if not hasattr(request, "_wagtail_route_for_request"):
        route = fast_route(request, path)
        if route is not None:
            request._wagtail_route_for_request = route
    return page_cache.store(key, wagtail_views.serve(request, path))
