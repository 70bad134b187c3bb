"""factory_boy factories. Pages are created the way editors create them: added under their parent
and published through a revision, so that publishing signals run."""

from __future__ import annotations

import factory
from wagtail.models import Page

from courses.models import CoursePage, CurriculumPage, LessonPage, ModulePage
from pan_network import services
from pan_network.models import Country, Institution, ThematicArea, User


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
