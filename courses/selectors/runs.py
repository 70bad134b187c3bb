"""Reads of course runs (places left, upcoming runs), lessons' activity ids, course outlines."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Locale, Page

from core import hooks
from core.public_url import public_base_url

from ..models import (
    CoursePage,
    CourseRun,
    LessonPage,
    ModulePage,
)
from .pages import _translated

# ---------------------------------------------------------------------------------------------
# Course runs
# ---------------------------------------------------------------------------------------------


def with_places(runs: QuerySet[CourseRun]) -> QuerySet[CourseRun]:
    """Runs with what the apps above keep about them (places left, from the enrolments that
    hold a place: core.hooks.run_annotations)."""
    return runs.annotate(**hooks.run_annotations.collect())


def upcoming_runs(*, course: CoursePage) -> list[CourseRun]:
    """Scheduled runs of a course (in any of its languages: runs hang on the page they were
    scheduled for) that have not ended, with places left (one query)."""
    today = timezone.localdate()
    runs = CourseRun.objects.filter(
        course__translation_key=course.translation_key,
        status=CourseRun.Status.SCHEDULED,
        end_date__gte=today,
    ).select_related("course", "organiser", "host_country")
    return list(with_places(runs).order_by("start_date", "pk"))


def lesson_activity_id(lesson) -> str:
    """The stable activity IRI of an authored lesson, derived from its page URL."""
    base = public_base_url()
    return f"{base}{lesson.url_path.removeprefix('/home')}" if lesson.url_path else base


def course_outlines(*, course_ids, language_code: str | None = None) -> dict[int, list[dict]]:
    """The live modules and lessons of several courses, in page-tree order, by course id
    (four queries whatever the number of courses): ``[{"module": m, "lessons": [...]}]``.

    Like a course page, a translated course lists the modules and lessons of the course it was
    translated from; each is shown in ``language_code`` where it has been translated, and every
    lesson keeps ``source_id``, the lesson in the default language, where progress is kept."""
    course_ids = list(set(course_ids))
    if not course_ids:
        return {}
    courses = list(
        CoursePage.objects.filter(pk__in=course_ids).only("translation_key", "locale_id", "path")
    )
    default = Locale.get_default()
    sources = {
        c.translation_key: c
        for c in CoursePage.objects.filter(
            translation_key__in=[c.translation_key for c in courses], locale=default
        ).only("translation_key", "path", "depth")
    }
    source_of = {c.pk: sources.get(c.translation_key, c) for c in courses}
    condition = Q()
    for source in source_of.values():
        condition |= Q(path__startswith=source.path, depth__gt=len(source.path) // Page.steplen)
    modules = list(ModulePage.objects.live().filter(condition).order_by("path"))
    lessons = list(LessonPage.objects.live().filter(condition).order_by("path").defer("body"))
    for lesson in lessons:
        lesson.source_id = lesson.pk
    locale = Locale.objects.filter(language_code=language_code).first() if language_code else None
    swap = _translated(modules + lessons, locale_id=locale.pk) if locale else {}
    by_module = defaultdict(list)
    for lesson in lessons:
        shown = swap.get(lesson.translation_key, lesson)
        shown.source_id = lesson.pk
        by_module[lesson.path[: -Page.steplen]].append(shown)
    outlines: dict[int, list[dict]] = {}
    for course_id, source in source_of.items():
        outlines[course_id] = [
            {"module": swap.get(m.translation_key, m), "lessons": by_module.get(m.path, [])}
            for m in modules
            if m.path[: -Page.steplen] == source.path
        ]
    return outlines
