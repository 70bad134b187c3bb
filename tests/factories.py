"""factory_boy factories. Pages are created the way editors create them: added under their parent
and published through a revision, so that publishing signals run."""

from __future__ import annotations

import factory
from wagtail.models import Page

from courses.models import CoursePage, CurriculumPage, LessonPage, ModulePage
from network import services
from network.models import Country, Institution, ThematicArea, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class InstitutionFactory(factory.Factory):
    """Built through the service, so each institution gets its page, collection and group."""

    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Police Academy {n}")
    short_name = factory.Sequence(lambda n: f"pa-{n}")
    kind = Institution.Kind.ACADEMY
    country_code = "RS"
    city = "Belgrade"
    working_languages = ("en",)

    @classmethod
    def _create(cls, model_class, country_code=None, **kwargs):
        country = Country.objects.get(code=country_code) if country_code else None
        return services.institution_create(country=country, **kwargs)


class _PageFactory(factory.Factory):
    """Adds the page under `parent` and publishes it (unless live=False)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, parent: Page, live: bool = True, m2m=None, **kwargs):
        page = parent.add_child(instance=model_class(live=False, **kwargs))
        for name, values in (m2m or {}).items():
            getattr(page, name).set(values)
        revision = page.save_revision()
        if live:
            revision.publish()
        return model_class.objects.get(pk=page.pk)


class CurriculumPageFactory(_PageFactory):
    class Meta:
        model = CurriculumPage

    title = factory.Sequence(lambda n: f"Curriculum {n}")
    summary = "A programme of courses."


class CoursePageFactory(_PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Course {n}")
    summary = "A course for police officers."
    duration_hours = 40
    languages = factory.LazyFunction(lambda: ["en"])
    delivery_modes = factory.LazyFunction(lambda: ["residential"])
    target_audience = factory.LazyFunction(lambda: ["police"])
    level = "introductory"

    @classmethod
    def _create(cls, model_class, thematic_areas=(), **kwargs):
        areas = [
            area if isinstance(area, ThematicArea) else ThematicArea.objects.get(slug=area)
            for area in thematic_areas
        ]
        return super()._create(model_class, m2m={"thematic_areas": areas}, **kwargs)


class ModulePageFactory(_PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Module {n}")


class LessonPageFactory(_PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lesson {n}")
    estimated_minutes = 20


def trainee(country_code: str = "RS", **overrides):
    """A person with a complete trainee profile in `country_code`."""
    from trainees import services as trainee_services

    user = UserFactory(**overrides)
    trainee_services.profile_save(
        user=user,
        given_name=user.first_name or "Ana",
        family_name=user.last_name or "Officer",
        given_name_latin=user.first_name or "Ana",
        family_name_latin=user.last_name or "Officer",
        gender="woman",
        country_code=country_code,
        institution_other="Police",
        rank_or_position="Inspector",
        preferred_language="en",
    )
    return user


def course_run(course, organiser, *, sessions: int = 3, start_in_days: int = 10, **fields):
    """A scheduled run of `course` with `sessions` daily sessions from `start_in_days` ahead."""
    import datetime as dt

    from django.utils import timezone

    from courses import services as course_services

    start = timezone.localdate() + dt.timedelta(days=start_in_days)
    values = {
        "delivery_mode": "residential",
        "language": "en",
        "host_country": organiser.country,
        "venue": "Police Academy, Belgrade",
        "start_date": start,
        "end_date": start + dt.timedelta(days=max(sessions - 1, 0)),
        "capacity": 20,
        "enrolment_policy": "open",
        "time_zone": "Europe/Belgrade",
        "sessions": [
            {
                "date": start + dt.timedelta(days=i),
                "start_time": dt.time(9, 0),
                "duration_minutes": 180,
                "topic": f"Day {i + 1}",
            }
            for i in range(sessions)
        ],
    }
    values.update(fields)
    return course_services.run_create(course=course, organiser=organiser, **values)


def trainer_certificates(run, template, people) -> list:
    """Enrol `people` in `run`, mark them present at every session and issue them trainer
    certificates; the run's valid trainer certificates."""
    from certificates import services as certificate_services
    from certificates.models import Certificate, CertificateRule
    from trainees import services as trainee_services

    CertificateRule.objects.get_or_create(
        run=run, kind="trainer", defaults={"template": template, "min_attendance": 50}
    )
    enrolments = trainee_services.enrolments_import(
        run=run, rows=[{"email": p.email} for p in people], actor=None
    )
    for session in run.sessions.all():
        trainee_services.register_save(
            session=session, entries={e.pk: ("present", "") for e in enrolments}, actor=None
        )
    # Saving the registers already issued them (automatic rule, after commit); issuing again
    # is harmless and covers a rule that is not automatic.
    certificate_services.certificates_issue(run=run, kind="trainer")
    return list(Certificate.objects.filter(run=run, kind="trainer", status="valid"))


def academy_module(*, name: str, short_name: str, course: str, module: str = "Module"):
    """A new academy with one curriculum, course and module (the site made first): the place
    to hang lessons of a test's own. Returns (academy, module page)."""
    from website import services as website_services

    website_services.site_ensure()
    academy = InstitutionFactory(name=name, short_name=short_name)
    curriculum = CurriculumPageFactory(parent=academy.page, title=f"{course}: curriculum")
    course_page = CoursePageFactory(parent=curriculum, title=course)
    return academy, ModulePageFactory(parent=course_page, title=module)
