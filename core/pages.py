"""Behaviour shared by the site's page models."""

from django.db.models import Q
from wagtail.models import Page, PageViewRestriction


def view_restrictions_for(page: Page):
    """Page.get_view_restrictions() in one query: the ancestors' paths are read off the page's
    own path, and aliases are resolved to their source pages in a subquery."""
    steplen = Page.steplen
    paths = [page.path[:i] for i in range(steplen, len(page.path) + 1, steplen)]
    alias_sources = Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of")
    return PageViewRestriction.objects.filter(
        Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page__in=alias_sources)
    )


class ConstantCostPageMixin:
    """For page models: view restrictions checked in one query instead of two."""

    def get_view_restrictions(self):
        return view_restrictions_for(self)
