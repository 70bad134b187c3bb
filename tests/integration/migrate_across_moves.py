"""Run by tests/integration/test_model_moves.py in a process of its own, on a database file of
its own (DATABASE_URL): migrations run backwards and forwards there, away from the test
database and whatever the other tests hold open on it. Prints what it found as JSON."""

import json
import os
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

BEFORE_ELEARNING_MOVE = [
    ("courses", "0009_package_kinds_scorm"),
    ("trainees", "0008_notification_certificate_expiring"),
    ("elearning", "0002_commit_sequences_per_player"),
]
BEFORE_WEBSITE_MOVE = [("pan_network", "0006_erasure_request"), ("website", None)]


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _migrate(targets):
    """Migrate the moved apps to ``targets``, every other app at its latest, and return the
    models as they were at that point."""
    executor = MigrationExecutor(connection)
    moved = {app for app, _name in targets}
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in moved]
    executor.migrate(others + targets)
    executor.loader.build_graph()
    reached = [node for node in targets if node[1] is not None]
    return executor.loader.project_state(reached + others).apps


def _locale(apps):
    return apps.get_model("wagtailcore", "Locale").objects.get_or_create(language_code="en")[0]


def elearning_move() -> dict:
    old = _migrate(BEFORE_ELEARNING_MOVE)
    content_type = old.get_model("contenttypes", "ContentType")
    for label, model in (("courses", "lessonpackage"), ("trainees", "lessonprogress")):
        content_type.objects.get_or_create(app_label=label, model=model)
    country = old.get_model("pan_network", "Country").objects.get(code="RS")  # seeded
    institution = old.get_model("pan_network", "Institution").objects.create(
        name="Police Training Centre", slug="ptc", kind="academy", country=country
    )
    user = old.get_model("pan_network", "User").objects.create(email="officer@example.org")
    package = old.get_model("courses", "LessonPackage").objects.create(
        title="Digital evidence", kind="tincan", institution=institution, course_id="urn:x"
    )
    page_type = content_type.objects.get_or_create(app_label="courses", model="lessonpage")[0]
    lesson = old.get_model("courses", "LessonPage").objects.create(
        title="Lesson",
        slug="lesson",
        path="0001ZZZZ",
        depth=2,
        content_type=page_type,
        locale=_locale(old),
        package=package,
    )
    old.get_model("trainees", "LessonProgress").objects.create(
        user=user, lesson=lesson, registration=uuid.uuid4(), status="passed", satisfied=True
    )

    new = _migrate(_latest())
    moved_package = new.get_model("elearning", "LessonPackage").objects.get()
    progress = new.get_model("elearning", "LessonProgress").objects.get()
    return {
        "package": [moved_package.pk, moved_package.title, package.pk],
        "lesson_package": [new.get_model("courses", "LessonPage").objects.get().package_id],
        "progress": [progress.user_id, progress.lesson_id, progress.status, user.pk, lesson.pk],
        "content_types": sorted(
            new.get_model("contenttypes", "ContentType")
            .objects.filter(model__in=["lessonpackage", "lessonprogress"])
            .values_list("app_label", "model")
        ),
    }


def website_move() -> dict:
    old = _migrate(BEFORE_WEBSITE_MOVE)
    content_type = old.get_model("contenttypes", "ContentType")
    page_type = content_type.objects.get_or_create(
        app_label="pan_network", model="institutionpage"
    )[0]
    page = old.get_model("pan_network", "InstitutionPage").objects.create(
        title="Police Training Centre",
        slug="ptc-page",
        path="0001ZZZY",
        depth=2,
        content_type=page_type,
        locale=_locale(old),
        intro="<p>Basic and in-service training.</p>",
    )
    country = old.get_model("pan_network", "Country").objects.get(code="RS")
    old.get_model("pan_network", "Institution").objects.create(
        name="Police Academy", slug="pa", kind="academy", country=country, page=page
    )

    new = _migrate(_latest())
    moved = new.get_model("website", "InstitutionPage").objects.get()
    institution = new.get_model("pan_network", "Institution").objects.get(slug="pa")
    page_row = new.get_model("wagtailcore", "Page").objects.get(pk=page.pk)
    return {
        "page": [moved.pk, moved.intro, page.pk],
        "institution_page": [institution.page_id],
        "content_type": [page_row.content_type.app_label, page_row.content_type.model],
    }


if __name__ == "__main__":
    print(json.dumps({"elearning": elearning_move(), "website": website_move()}))
