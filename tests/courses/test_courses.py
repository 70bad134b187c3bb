"""Course services: ownership, facets, adaptation by another institution."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from courses import services
from courses.models import CourseFacet, CoursePage, LessonPage, ModulePage

from ..auth_helpers import staff_login  # noqa: E402
from ..factories import CoursePageFactory, CurriculumPageFactory

pytestmark = pytest.mark.django_db


def test_course_belongs_to_the_institution_it_sits_in(academy, course):
    assert course.institution == academy


def test_facets_follow_the_live_course(course):
    facets = set(CourseFacet.objects.filter(page=course).values_list("facet", "value"))
    assert facets == {
        ("country", "RS"),
        ("institution", "serbia-pa"),
        ("language", "en"),
        ("language", "sr"),
        ("level", "intermediate"),
        ("mode", "residential"),
        ("audience", "police"),
        ("theme", "cybercrime"),
        ("tot", "yes"),
    }
    course.unpublish()
    assert not CourseFacet.objects.filter(page=course).exists()


def test_course_with_unknown_codes_is_refused(curriculum):
    course = CoursePage(
        title="Bad", summary="x", duration_hours=1, languages=["xx"], delivery_modes=["teleport"]
    )
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert "languages" in error.value.message_dict
    assert "delivery_modes" in error.value.message_dict


def test_moving_a_curriculum_to_another_institution_changes_its_courses_owner(
    course, other_academy
):
    from wagtail.actions.move_page import MovePageAction

    curriculum = course.get_parent().specific
    MovePageAction(curriculum, other_academy.page, pos="last-child").execute(
        skip_permission_checks=True
    )
    course.refresh_from_db()
    assert course.institution == other_academy
    assert CourseFacet.objects.get(page=course, facet="country").value == "GE"


def test_editor_adapts_another_institutions_course(course, other_academy, other_editor):
    destination = CurriculumPageFactory(parent=other_academy.page, title="Digital evidence")
    copy = services.course_adapt(source=course, destination=destination, user=other_editor)
    assert copy.institution == other_academy
    assert copy.adapted_from_id == course.pk
    assert copy.adapted_from_institution_id == course.institution_id
    assert not copy.live
    assert ModulePage.objects.descendant_of(copy).count() == 1
    assert LessonPage.objects.descendant_of(copy).count() == 2
    # The original is untouched.
    course.refresh_from_db()
    assert course.live and course.institution != other_academy


def test_adapting_into_a_curriculum_one_does_not_edit_is_refused(course, other_editor, curriculum):
    with pytest.raises(ValidationError) as error:
        services.course_adapt(source=course, destination=curriculum, user=other_editor)
    assert "destination" in error.value.message_dict


def test_editor_cannot_adapt_own_institutions_course(course, editor, curriculum):
    with pytest.raises(PermissionDenied):
        services.course_adapt(source=course, destination=curriculum, user=editor)


def test_adaptation_through_the_admin_and_its_attribution(client, course, other_academy,
                                                          other_editor):  # fmt: skip
    destination = CurriculumPageFactory(parent=other_academy.page, title="Digital evidence")
    staff_login(client, other_editor)
    page = client.get(course.url).content.decode()
    adapt_url = reverse("courses_adapt", args=[course.pk])
    assert adapt_url in page
    assert client.get(adapt_url).status_code == 200
    response = client.post(adapt_url, {"destination": destination.pk})
    assert response.status_code == 302
    copy = CoursePage.objects.get(adapted_from=course)
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[copy.pk])

    # Published by a moderator, the copy credits the original.
    copy.save_revision().publish()
    client.logout()
    content = client.get(copy.url).content.decode()
    assert "Adapted from" in content
    assert course.url in content
    assert "Police Academy of Serbia" in content


def test_adapt_view_refuses_own_course(client, course, editor):
    staff_login(client, editor)
    response = client.get(reverse("courses_adapt", args=[course.pk]))
    # Wagtail's admin turns a refusal into a redirect with a message.
    assert response.status_code in {302, 403}
    assert response.get("Location", "/admin/") == "/admin/"


def test_adapt_view_rejects_a_foreign_destination(client, course, other_editor, curriculum):
    staff_login(client, other_editor)
    response = client.post(
        reverse("courses_adapt", args=[course.pk]), {"destination": curriculum.pk}
    )
    assert response.status_code == 200
    assert "destination" in response.context["form"].errors
    assert not CoursePage.objects.filter(adapted_from=course).exists()


def test_catalogue_rebuild_recreates_every_facet(course, curriculum):
    CoursePageFactory(parent=curriculum, thematic_areas=["terrorism"])
    before = set(CourseFacet.objects.values_list("page_id", "facet", "value"))
    CourseFacet.objects.all().delete()
    assert services.catalogue_rebuild() == len(before)
    assert set(CourseFacet.objects.values_list("page_id", "facet", "value")) == before


def test_unfiltered_counts_follow_every_change(course, curriculum, other_academy):
    from courses.catalogue import CatalogueQuery
    from courses.models import FacetCount
    from courses.selectors import catalogue_search

    def stored():
        return {
            (c.facet, c.value): c.count for c in FacetCount.objects.filter(locale=course.locale)
        }

    def computed():
        # The filtered path counts on the fly; a filter every course passes gives the totals.
        result = catalogue_search(
            locale=course.locale_id, query=CatalogueQuery(filters={"tot": ["yes", "no"]})
        )
        return {(g.name, o.value): o.count for g in result.facets for o in g.options if o.count}

    second = CoursePageFactory(parent=curriculum, thematic_areas=["terrorism"], languages=["ru"])
    assert stored() == computed()
    assert stored()[("language", "en")] == 1 and stored()[("language", "ru")] == 1
    second.unpublish()
    assert stored() == computed()
    assert ("language", "ru") not in stored()
    from wagtail.actions.move_page import MovePageAction

    MovePageAction(curriculum.specific, other_academy.page, pos="last-child").execute(
        skip_permission_checks=True
    )
    assert stored() == computed()
    assert stored()[("country", "GE")] == 1
