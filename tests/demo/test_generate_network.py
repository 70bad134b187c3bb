"""The synthetic network generator used by the benchmarks builds pages the site can serve."""

from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page

from courses.models import CourseFacet, CoursePage, FacetCount

pytestmark = pytest.mark.django_db


def test_generated_courses_are_live_searchable_and_counted(client, home):
    call_command("generate_network", courses=30, institutions=3, seed=7, stdout=StringIO())
    courses = CoursePage.objects.live()
    assert courses.count() == 30
    assert not any(Page.find_problems())  # the page tree is consistent
    course = courses.first()
    assert course.institution_id is not None
    assert CourseFacet.objects.filter(page=course, facet="theme").exists()
    assert (
        FacetCount.objects.get(facet="tot", value="yes").count
        + FacetCount.objects.get(facet="tot", value="no").count
        == 30
    )

    assert client.get(course.url).status_code == 200
    response = client.get("/courses/")
    assert response.context["result"].total == 30
    found = client.get(
        "/courses/", {"q": course.title, "institution": course.institution.slug}
    ).context["result"]
    assert course.pk in [c.pk for c in found.courses]

    # Running it again tops up nothing.
    call_command("generate_network", courses=30, institutions=3, seed=7, stdout=StringIO())
    assert CoursePage.objects.count() == 30
