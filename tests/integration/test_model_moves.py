"""Models that moved between apps keep their rows: the migrations change only which app Django
files them under (the tables keep their names) and move the content types, so permissions and
pages that hang on them follow. Run from the last migration before the move, with rows in the
old apps' models, to the latest."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE_ELEARNING_MOVE = [
    ("courses", "0009_package_kinds_scorm"),
    ("trainees", "0008_notification_certificate_expiring"),
    ("elearning", "0002_commit_sequences_per_player"),
]


def _migrate(targets):
    """Migrate the moved apps to ``targets``, every other app staying at its latest, and return
    the models as they were at that point."""
    executor = MigrationExecutor(connection)
    moved = {app for app, _name in targets}
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in moved]
    executor.migrate(targets)
    executor.loader.build_graph()
    reached = [node for node in targets if node[1] is not None]
    return executor.loader.project_state(reached + others).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def test_packages_and_progress_keep_their_rows_when_elearning_takes_them():
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
        locale=old.get_model("wagtailcore", "Locale").objects.get_or_create(language_code="en")[0],
        package=package,
    )
    old.get_model("trainees", "LessonProgress").objects.create(
        user=user, lesson=lesson, registration=uuid.uuid4(), status="passed", satisfied=True
    )

    new = _migrate(_latest())

    moved_package = new.get_model("elearning", "LessonPackage").objects.get()
    assert moved_package.pk == package.pk and moved_package.title == "Digital evidence"
    assert new.get_model("courses", "LessonPage").objects.get().package_id == package.pk
    progress = new.get_model("elearning", "LessonProgress").objects.get()
    assert (progress.user_id, progress.lesson_id, progress.status) == (user.pk, lesson.pk, "passed")
    labels = set(
        new.get_model("contenttypes", "ContentType")
        .objects.filter(model__in=["lessonpackage", "lessonprogress"])
        .values_list("app_label", "model")
    )
    assert labels == {("elearning", "lessonpackage"), ("elearning", "lessonprogress")}


def test_site_pages_keep_their_rows_when_the_website_takes_them():
    old = _migrate([("pan_network", "0006_erasure_request"), ("website", None)])
    content_type = old.get_model("contenttypes", "ContentType")
    page_type = content_type.objects.get_or_create(
        app_label="pan_network", model="institutionpage"
    )[0]
    page = old.get_model("pan_network", "InstitutionPage").objects.create(
        title="Police Training Centre",
        slug="ptc",
        path="0001ZZZY",
        depth=2,
        content_type=page_type,
        locale=old.get_model("wagtailcore", "Locale").objects.get_or_create(language_code="en")[0],
        intro="<p>Basic and in-service training.</p>",
    )
    country = old.get_model("pan_network", "Country").objects.get(code="RS")
    institution = old.get_model("pan_network", "Institution").objects.create(
        name="Police Training Centre", slug="ptc", kind="academy", country=country, page=page
    )

    new = _migrate(_latest())

    moved = new.get_model("website", "InstitutionPage").objects.get()
    assert (moved.pk, moved.intro) == (page.pk, "<p>Basic and in-service training.</p>")
    assert new.get_model("pan_network", "Institution").objects.get().page_id == page.pk
    assert institution.pk == new.get_model("pan_network", "Institution").objects.get().pk
    page_row = new.get_model("wagtailcore", "Page").objects.get(pk=page.pk)
    assert page_row.content_type.app_label == "website"
