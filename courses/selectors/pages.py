"""Reads for the pages of the tree: an institution's curricula, a curriculum's courses, a
course, module or lesson in the visitor's language, where an editor may adapt a course."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db.models import Q, QuerySet
from wagtail.models import Locale, Page

from network.models import Institution

from ..models import (
    CoursePage,
    CurriculumPage,
    LessonPage,
    ModulePage,
)


def institution_of(*, page: Page) -> Institution | None:
    from network import selectors as network_selectors

    return network_selectors.institution_for_descendant(page=page)


def curriculum_list_for_institution_page(*, page: Page) -> list[dict]:
    """An institution's curricula and their courses. In another language's tree the
    institution's whole space is listed, each page in that language where it is translated."""
    source = _source(page, Page)
    curricula = list(CurriculumPage.objects.live().child_of(source).order_by("title"))
    courses = list(
        CoursePage.objects.live()
        .descendant_of(source)
        .filter(depth=source.depth + 2)
        .order_by("title")
        .only(
            "title", "path", "url_path", "depth", "summary", "level", "is_training_of_trainers",
            "locale_id", "translation_key",
        )
    )  # fmt: skip
    by_parent = defaultdict(list)
    for course in courses:
        by_parent[course.path[: -Page.steplen]].append(course)
    if source.pk != page.pk:
        swap = _translated(curricula + courses, locale_id=page.locale_id)
        return [
            {
                "curriculum": swap.get(c.translation_key, c),
                "courses": [swap.get(x.translation_key, x) for x in by_parent.get(c.path, [])],
            }
            for c in curricula
        ]
    return [{"curriculum": c, "courses": by_parent.get(c.path, [])} for c in curricula]


def course_list_for_curriculum(*, curriculum: CurriculumPage) -> list[CoursePage]:
    """A curriculum's courses; in another language's tree, all of the source curriculum's,
    each in that language where translated."""
    source = _source(curriculum, CurriculumPage)
    courses = list(CoursePage.objects.live().child_of(source).order_by("title"))
    if source.pk != curriculum.pk:
        swap = _translated(courses, locale_id=curriculum.locale_id)
        courses = [swap.get(c.translation_key, c) for c in courses]
    return courses


def _source(page: Page, model) -> Page:
    """The page a translation was made from: its version in the default language (one query,
    none for a page in the default language or one that has no such version)."""
    default = Locale.get_default()
    if page.locale_id == default.pk:
        return page
    return (
        model.objects.filter(translation_key=page.translation_key, locale=default).first() or page
    )


def _translated(pages: list, *, locale_id: int) -> dict:
    """Live translations of these pages into one locale, by translation key (one query)."""
    keys = [p.translation_key for p in pages if p.locale_id != locale_id]
    if not keys:
        return {}
    return {
        p.translation_key: p
        for model in {type(p) for p in pages if p.locale_id != locale_id}
        for p in model.objects.live().filter(locale_id=locale_id, translation_key__in=keys)
    }


def course_detail(*, course: CoursePage) -> dict:
    """What a course page shows to everyone (all but its runs), in a fixed number of queries.

    A translated course shows the modules and lessons of the course it was translated from,
    each in the course's language where an editor has translated it: a translator starts with
    the course page and need not copy the whole tree before the course is usable (and a
    trainee's progress stays on one lesson whichever language the course was opened in)."""
    # The course in each of its languages (one query): the default language's is the source.
    versions = list(
        CoursePage.objects.filter(translation_key=course.translation_key)
        .select_related("locale")
        .only("title", "url_path", "path", "depth", "live", "locale__language_code")
    )
    source = next((v for v in versions if v.locale.language_code == settings.LANGUAGE_CODE), course)
    modules = list(ModulePage.objects.live().child_of(source).order_by("path"))
    lessons = list(LessonPage.objects.live().descendant_of(source).order_by("path"))
    by_module = defaultdict(list)
    for lesson in lessons:
        by_module[lesson.path[: -Page.steplen]].append(lesson)
    if source.pk != course.pk:
        swap = _translated(modules + lessons, locale_id=course.locale_id)
        by_module = {
            path: [swap.get(lesson.translation_key, lesson) for lesson in items]
            for path, items in by_module.items()
        }
        modules = [(swap.get(m.translation_key, m), by_module.get(m.path, [])) for m in modules]
    else:
        modules = [(m, by_module.get(m.path, [])) for m in modules]
    institution = (
        Institution.objects.select_related("country", "page")
        .filter(pk=course.institution_id)
        .first()
    )
    adapted_from = None
    if course.adapted_from_institution_id:
        source = (
            CoursePage.objects.live()
            .filter(pk=course.adapted_from_id)
            .only("title", "url_path", "path", "depth")
            .first()
        )
        adapted_from = {
            "institution": Institution.objects.filter(pk=course.adapted_from_institution_id)
            .only("name", "page")
            .first(),
            "course": source,
        }
    return {
        "institution": institution,
        "curriculum": CurriculumPage.objects.filter(path=course.path[: -Page.steplen]).first(),
        "modules": [{"module": m, "lessons": items} for m, items in modules],
        "thematic_area_list": list(course.thematic_areas.order_by("sort_order", "name")),
        "adapted_from": adapted_from,
        "translations": [v for v in versions if v.live and v.pk != course.pk],
    }


def module_detail(*, module: ModulePage) -> dict:
    """A module's course and lessons; a translated module lists the lessons of the module it
    was translated from, each in the module's language where there is a translation."""
    course = CoursePage.objects.filter(path=module.path[: -Page.steplen]).first()
    lessons = list(LessonPage.objects.live().child_of(module).order_by("path"))
    source = _source(module, ModulePage) if not lessons else module
    if source.pk != module.pk:
        lessons = list(LessonPage.objects.live().child_of(source).order_by("path"))
        swap = _translated(lessons, locale_id=module.locale_id)
        lessons = [swap.get(lesson.translation_key, lesson) for lesson in lessons]
    return {"course": course, "lessons": lessons}


def course_lessons(*, course_id: int) -> list[LessonPage]:
    """A course's live lessons in their order in the page tree (two queries)."""
    course = CoursePage.objects.filter(pk=course_id).only("path", "depth").first()
    if course is None:
        return []
    return list(
        LessonPage.objects.live()
        .filter(path__startswith=course.path, depth__gt=course.depth)
        .order_by("path")
        .only("title", "path", "depth", "url_path", "package_id")
    )


def lesson_detail(*, lesson: LessonPage) -> dict:
    """A lesson's module and course, and the lessons before and after it in the whole course,
    across module boundaries (three queries)."""
    module_path = lesson.path[: -Page.steplen]
    course_path = module_path[: -Page.steplen]
    siblings = list(
        LessonPage.objects.live()
        .filter(path__startswith=course_path, depth=lesson.depth)
        .order_by("path")
        .only("title", "path", "url_path", "depth")
    )
    index = next((i for i, s in enumerate(siblings) if s.pk == lesson.pk), None)
    next_lesson = siblings[index + 1] if index is not None and index + 1 < len(siblings) else None
    return {
        "module": ModulePage.objects.filter(path=module_path).first(),
        "course": CoursePage.objects.filter(path=course_path).first(),
        "previous_lesson": siblings[index - 1] if index else None,
        "next_lesson": next_lesson,
        "next_in_new_module": bool(next_lesson)
        and next_lesson.path[: -Page.steplen] != module_path,
        "lesson_number": index + 1 if index is not None else None,
        "lesson_count": len(siblings),
    }


def adaptation_destinations(*, user) -> QuerySet[CurriculumPage]:
    """Curricula in the institutions this user edits: where they may put an adapted course."""
    from network import permissions

    paths = list(
        permissions.editable_institutions(user)
        .filter(page__isnull=False)
        .values_list("page__path", flat=True)
    )
    if not paths:
        return CurriculumPage.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return CurriculumPage.objects.filter(condition).order_by("title")
