"""What the courses app adds to the pages and the skeleton of the network's site (core.events,
core.hooks)."""

from __future__ import annotations

from wagtail.models import Locale

from core import events, hooks

from . import selectors, services


def _site_ensured(*, home, **kwargs) -> None:
    services.catalogue_index_ensure(home=home)


def _home_page_context(**kwargs) -> dict:
    # The catalogue's counts are kept for its one list of courses (the default language's),
    # whichever language the home page is shown in.
    default = Locale.get_default()
    return {
        "thematic_areas": selectors.thematic_areas_with_course_counts(locale=default),
        "network_counts": {"courses": selectors.live_courses(locale=default).count()},
    }


def _institution_page_context(*, page, **kwargs) -> dict:
    return {"curricula": selectors.curriculum_list_for_institution_page(page=page)}


def connect() -> None:
    # In the sender's transaction: the skeleton is whole, or not there at all.
    events.site_ensured.connect(_site_ensured, atomic=True)
    hooks.home_page_context.register(_home_page_context)
    hooks.institution_page_context.register(_institution_page_context)
