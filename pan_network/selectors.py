"""Reads from the network directory, shaped so that a page costs a constant number of queries."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from wagtail.models import Locale, Page

from .models import Institution


def network_figures() -> dict[str, int]:
    """Institutions, the countries they are in, and live courses (two queries)."""
    from courses import selectors as course_selectors

    figures = Institution.objects.aggregate(
        institutions=Count("pk"), countries=Count("country", distinct=True)
    )
    figures["courses"] = course_selectors.live_courses(locale=Locale.get_default()).count()
    return figures


def institution_list_for_directory() -> QuerySet[Institution]:
    return (
        Institution.objects.select_related("country", "page")
        .filter(page__live=True)
        .order_by("country__name", "name")
    )


def institution_for_page(*, page: Page) -> Institution | None:
    return Institution.objects.select_related("country").filter(page_id=page.pk).first()


def institution_for_descendant(*, page: Page) -> Institution | None:
    """The institution whose space contains this page (the nearest InstitutionPage ancestor)."""
    ancestor_paths = [page.path[:i] for i in range(Page.steplen, len(page.path) + 1, Page.steplen)]
    return (
        Institution.objects.select_related("country")
        .filter(page__path__in=ancestor_paths)
        .order_by("-page__depth")
        .first()
    )
