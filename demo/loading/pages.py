"""Institutions (with their spaces), curricula with their courses, modules and lessons, and the
courses' translations."""

from __future__ import annotations

from django.core.management.base import CommandError
from wagtail.models import Locale

from courses.models import CoursePage, CurriculumPage, LessonPage, ModulePage
from demo.body import stream
from network import services
from network.models import Country, Institution

from .base import Loader


def load_institutions(loader: Loader) -> None:
    countries = {c.code: c for c in Country.objects.all()}
    for data in loader.data.institutions:
        institution = (
            Institution.objects.filter(slug=data["slug"]).first()
            or Institution.objects.filter(name=data["name"]).first()
        )
        if institution is not None:
            loader.existing["institution"] += 1
            if institution.page_id is None:
                services.institution_provision(institution=institution)
        else:
            code = data.get("country")
            if code and code not in countries:
                raise CommandError(f"Institution {data['slug']}: unknown country {code}.")
            institution = services.institution_create(
                name=data["name"],
                kind=data["kind"],
                country=countries[code] if code else None,
                slug=data["slug"],
                short_name=data["short_name"],
                city=data["city"],
                website=data["website"],
                working_languages=data["working_languages"],
                description=data["description"],
            )
            loader.created["institution"] += 1
        loader.institutions[data["slug"]] = institution


def load_curricula(loader: Loader) -> None:
    for data in loader.data.curricula:
        parent = loader.institutions[data["institution"]].page
        curriculum = loader.child(parent, data["slug"], "curriculum")
        if curriculum is None:
            area_slugs = list(
                dict.fromkeys(s for course in data["courses"] for s in course["thematic_areas"])
            )
            curriculum = loader.add(
                parent,
                CurriculumPage(
                    title=data["title"],
                    slug=data["slug"],
                    summary=data["summary"],
                    body=stream(data.get("body", [])),
                ),
                loader.thematic_areas(area_slugs),
            )
        for course in data["courses"]:
            _course(loader, curriculum, course)


def _course(loader: Loader, curriculum: CurriculumPage, data: dict) -> None:
    course = loader.child(curriculum, data["slug"], "course")
    if course is None:
        page = CoursePage(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            body=stream(data.get("body", [])),
            target_audience=data["target_audience"],
            level=data["level"],
            languages=data["languages"],
            duration_hours=data["duration_hours"],
            delivery_modes=data["delivery_modes"],
            is_training_of_trainers=data.get("is_training_of_trainers", False),
            prerequisites=data.get("prerequisites", ""),
            learning_outcomes=[("outcome", text) for text in data["learning_outcomes"]],
        )
        course = loader.add(curriculum, page, loader.thematic_areas(data["thematic_areas"]))
    for module in data["modules"]:
        _module(loader, course, module)


def _module(loader: Loader, course: CoursePage, data: dict) -> None:
    module = loader.child(course, data["slug"], "module")
    if module is None:
        module = loader.add(
            course,
            ModulePage(
                title=data["title"],
                slug=data["slug"],
                summary=data["summary"],
                body=stream(data.get("body", [])),
            ),
        )
    for lesson in data["lessons"]:
        if loader.child(module, lesson["slug"], "lesson") is None:
            loader.add(
                module,
                LessonPage(
                    title=lesson["title"],
                    slug=lesson["slug"],
                    summary=lesson["summary"],
                    estimated_minutes=lesson["minutes"],
                    body=stream(lesson["body"]),
                ),
            )


def load_submission(loader: Loader) -> None:
    """A course written by an academy editor, with a module and a lesson, never published and
    submitted once for moderation, as they would in the admin."""
    from network.models import User

    data = loader.data.submission
    parent = loader.institutions[data["institution"]].page
    curriculum = parent.get_children().filter(slug=data["curriculum"]).first()
    if curriculum is None:
        raise CommandError(f"The demo submission's curriculum {data['curriculum']} is missing.")
    fields = dict(data["course"])
    if loader.child(curriculum, fields["slug"], "course") is not None:
        return
    editor = User.objects.get(email__iexact=data["editor"])
    areas = loader.thematic_areas(fields.pop("thematic_areas"))
    course = curriculum.add_child(instance=CoursePage(**fields, owner=editor, live=False))
    course.thematic_areas.set(areas)
    course.save_revision(user=editor)
    module = course.add_child(instance=ModulePage(**data["module"], owner=editor, live=False))
    module.save_revision(user=editor)
    lesson = data["lesson"]
    module.add_child(
        instance=LessonPage(
            title=lesson["title"],
            slug=lesson["slug"],
            summary=lesson["summary"],
            estimated_minutes=lesson["minutes"],
            owner=editor,
            live=False,
        )
    ).save_revision(user=editor)
    loader.created["module"] += 1
    loader.created["lesson"] += 1
    course = CoursePage.objects.get(pk=course.pk)
    course.get_workflow().start(course, editor)


def load_translations(loader: Loader) -> None:
    """Courses translated as an editor would in the admin (Translate): a copy of the course
    page in the other locale, its fields rewritten, published; then its modules."""
    for code, slug, data in loader.data.translations():
        locale = Locale.objects.get(language_code=code)
        course = CoursePage.objects.get(locale=loader.locale, slug=slug)
        key = course.translation_key
        if CoursePage.objects.filter(locale=locale, translation_key=key).exists():
            loader.existing["translation"] += 1
            continue
        loader.created["translation"] += 1
        page = course.copy_for_translation(locale, copy_parents=True)
        page.title = data["title"]
        page.summary = data["summary"]
        page.learning_outcomes = [("outcome", text) for text in data["learning_outcomes"]]
        page.save_revision().publish()
        for module in ModulePage.objects.child_of(course):
            if module.slug not in data["modules"]:
                continue
            translated = module.copy_for_translation(locale)
            translated.title = data["modules"][module.slug]["title"]
            translated.summary = data["modules"][module.slug]["summary"]
            translated.save_revision().publish()
