"""Shared fixtures: a small network built in each test, never the demo data."""

import pytest
from django.core.cache import cache

from pan_network import services
from pan_network.models import Membership

from .factories import (
    CoursePageFactory,
    CurriculumPageFactory,
    InstitutionFactory,
    LessonPageFactory,
    ModulePageFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Wagtail caches site root paths; a rolled-back test must not leak them into the next one.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    return services.site_ensure()


@pytest.fixture
def academy(home):
    return InstitutionFactory(name="Police Academy of Serbia", short_name="serbia-pa")


@pytest.fixture
def other_academy(home):
    return InstitutionFactory(
        name="Academy of the Ministry of Internal Affairs of Georgia",
        short_name="georgia-mia",
        country_code="GE",
        city="Tbilisi",
    )


@pytest.fixture
def curriculum(academy):
    return CurriculumPageFactory(parent=academy.page, title="Cybercrime investigation")


@pytest.fixture
def course(curriculum):
    course = CoursePageFactory(
        parent=curriculum,
        title="Cybercrime investigation for trainers",
        summary="Three-week regional course on computer forensics and cybercrime.",
        is_training_of_trainers=True,
        languages=["en", "sr"],
        level="intermediate",
        duration_hours=120,
        thematic_areas=["cybercrime"],
    )
    module = ModulePageFactory(parent=course, title="Computer forensics")
    LessonPageFactory(parent=module, title="Seizing digital devices")
    LessonPageFactory(parent=module, title="Imaging a hard disk")
    return course


def _member(role, **scope):
    user = UserFactory()
    services.membership_grant(user=user, role=role, **scope)
    return user


@pytest.fixture
def editor(academy):
    return _member(Membership.Role.EDITOR, institution=academy)


@pytest.fixture
def other_editor(other_academy):
    return _member(Membership.Role.EDITOR, institution=other_academy)


@pytest.fixture
def moderator(home):
    return _member(Membership.Role.MODERATOR)
