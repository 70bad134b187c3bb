"""Reads for curricula, courses and the catalogue, by concern (catalogue, pages, runs, and
moderation: what goes with a submitted course, the editors' and moderators' dashboards). Each
page's reads cost a fixed number of queries, whatever the number of courses; callers use the
names re-exported here."""

from .catalogue import (
    FACET_LINKS,
    CatalogueResult,
    Facet,
    FacetGroup,
    FacetOption,
    catalogue_search,
    in_language,
    live_courses,
    thematic_areas_with_course_counts,
)
from .moderation import (
    editor_dashboard,
    is_carrier,
    moderation_queue,
    submission_candidates,
    submission_carrying,
    submission_outline,
    type_counts,
)
from .pages import (
    adaptation_destinations,
    course_detail,
    course_lessons,
    course_list_for_curriculum,
    curriculum_list_for_institution_page,
    institution_of,
    lesson_detail,
    module_detail,
)
from .runs import (
    course_outlines,
    lesson_activity_id,
    upcoming_runs,
    with_places,
)

__all__ = [
    "CatalogueResult",
    "FACET_LINKS",
    "Facet",
    "FacetGroup",
    "FacetOption",
    "adaptation_destinations",
    "catalogue_search",
    "course_detail",
    "course_lessons",
    "course_list_for_curriculum",
    "course_outlines",
    "editor_dashboard",
    "curriculum_list_for_institution_page",
    "in_language",
    "is_carrier",
    "institution_of",
    "lesson_activity_id",
    "lesson_detail",
    "live_courses",
    "moderation_queue",
    "module_detail",
    "submission_candidates",
    "submission_carrying",
    "submission_outline",
    "thematic_areas_with_course_counts",
    "type_counts",
    "upcoming_runs",
    "with_places",
]
