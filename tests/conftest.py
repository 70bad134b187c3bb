"""Shared fixtures: a small network built in each test, never the demo data."""

import pytest
from django.core.cache import cache

from network import services
from network.models import Membership
from website import services as website_services

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
    # Runs whose tally refresh waited for a commit that a test rolled back.
    from reports import services as report_services

    report_services._pending.ids = set()
    # A request in another language leaves that language active in the thread.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def home(db):
    return website_services.site_ensure()


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


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real `celery worker` process on the configured broker, using the test database.

    Skipped where there is no broker or the database cannot be shared with another process
    (SQLite in memory); with PAN_REQUIRE_WORKER=1 (CI's PostgreSQL pass) that is a failure.
    """
    import os
    import subprocess
    import sys
    import time

    from django.conf import settings
    from django.db import connection

    from config.celery_app import app

    def unavailable(reason):
        if os.environ.get("PAN_REQUIRE_WORKER") == "1":
            pytest.fail(f"a real Celery worker is required here: {reason}")
        pytest.skip(reason)

    if not settings.CELERY_BROKER_URL:
        unavailable("no CELERY_BROKER_URL")
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        unavailable("the worker needs a database it can share (PostgreSQL)")

    database_url = "postgres://{user}@{host}:{port}/{name}".format(
        user=db["USER"] or "postgres",
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        name=db["NAME"],
    )
    # Files on disk that both processes see, as the web nodes and workers of a deployment share
    # one volume (the test switches its own storages to the same folders).
    import tempfile

    shared = tempfile.mkdtemp(prefix="pan-worker-files-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PAN_TEST_MEDIA_ROOT": shared,
    }
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "-Q", "celery,certificates",
         "--loglevel=WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1):
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the Celery worker did not start")
        previous = app.conf.task_always_eager
        app.conf.task_always_eager = False
        worker.shared_files = shared
        yield worker
        app.conf.task_always_eager = previous
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        import shutil

        shutil.rmtree(shared, ignore_errors=True)
