"""Editing in the Wagtail admin: each academy's editors edit only their own subtree, and nothing
goes live without a network moderator's approval."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CoursePage

from ..auth_helpers import staff_login  # noqa: E402

pytestmark = pytest.mark.django_db


def course_form(course: CoursePage, **overrides) -> dict:
    data = nested_form_data(
        {
            "title": course.title,
            "slug": course.slug,
            "summary": course.summary,
            "level": course.level,
            "duration_hours": course.duration_hours,
            "learning_outcomes": streamfield([("outcome", "Seize digital evidence lawfully")]),
            "prerequisites": rich_text(""),
            "body": streamfield([]),
        }
    )
    # Multiple-choice fields are posted as repeated keys.
    data["thematic_areas"] = [area.pk for area in course.thematic_areas.all()]
    data["target_audience"] = course.target_audience
    data["languages"] = course.languages
    data["delivery_modes"] = course.delivery_modes
    if course.is_training_of_trainers:
        data["is_training_of_trainers"] = "on"
    data.update(overrides)
    return data


def test_editor_can_open_the_admin_and_edit_own_course(client, editor, course):
    staff_login(client, editor)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    response = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))
    assert response.status_code == 200


def test_editor_cannot_edit_another_institutions_course(client, other_editor, course):
    staff_login(client, other_editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))
    assert response.status_code in {302, 403}
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[course.pk]), course_form(course, title="Hijacked")
    )
    assert response.status_code in {302, 403}
    course.refresh_from_db()
    assert course.title != "Hijacked"
    assert course.get_latest_revision().content["title"] != "Hijacked"


def test_editor_cannot_add_pages_under_another_institution(client, other_editor, curriculum):
    staff_login(client, other_editor)
    url = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", curriculum.pk])
    assert client.get(url).status_code in {302, 403}


def test_editor_can_add_a_course_under_own_curriculum(client, editor, curriculum):
    staff_login(client, editor)
    url = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", curriculum.pk])
    assert client.get(url).status_code == 200


def test_editor_publish_is_refused_and_submission_goes_to_the_moderators(
    client, editor, moderator, course
):
    staff_login(client, editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[course.pk])

    client.post(
        edit_url, course_form(course, title="Cybercrime ToT (2027)", **{"action-publish": "1"})
    )
    course.refresh_from_db()
    assert course.title == "Cybercrime investigation for trainers"  # not published

    response = client.post(
        edit_url, course_form(course, title="Cybercrime ToT (2027)", **{"action-submit": "1"})
    )
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(course.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    course.refresh_from_db()
    assert course.title == "Cybercrime investigation for trainers"  # still the live version

    staff_login(client, moderator)
    task_state = state.current_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[course.pk, "approve", task_state.pk]
    )
    response = client.post(approve, {"comment": ""})
    assert response.status_code in {200, 302}
    course.refresh_from_db()
    assert course.title == "Cybercrime ToT (2027)"
    assert course.live


def test_moderator_sees_every_institution(client, moderator, course):
    staff_login(client, moderator)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))
    assert response.status_code == 200


def test_trainee_cannot_enter_the_admin(client, db, home):
    from ..factories import UserFactory

    client.force_login(UserFactory())  # a trainee
    for url in (reverse("wagtailadmin_home"), "/django-admin/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "No access to staff pages" in response.content.decode()


def test_institution_created_in_the_admin_is_provisioned(client, home):
    from django.contrib.auth.models import Group

    from network.models import Country, Institution

    from ..factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    staff_login(client, admin)
    response = client.post(
        reverse("wagtailsnippets_pan_network_institution:add"),
        {
            "name": "Border Police Training Centre",
            "short_name": "BPTC",
            "slug": "bptc",
            "kind": "academy",
            "country": Country.objects.get(code="MD").pk,
            "city": "Chișinău",
            "website": "",
            "working_languages": ["ro", "ru"],
            "description": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    institution = Institution.objects.get(slug="bptc")
    assert institution.working_languages == ["ro", "ru"]
    assert institution.page.live and institution.page.url == "/institutions/bptc/"
    assert institution.collection is not None
    assert Group.objects.filter(pk=institution.editors_group_id).exists()


def test_institution_form_names_the_bad_field(client, home):
    from network.models import Institution

    from ..factories import UserFactory

    staff_login(client, UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("wagtailsnippets_pan_network_institution:add"),
        {"name": "", "slug": "x", "kind": "academy", "working_languages": ["zz"]},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "name" in errors and "working_languages" in errors
    assert not Institution.objects.filter(slug="x").exists()
