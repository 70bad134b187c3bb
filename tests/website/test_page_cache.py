"""The public page cache: served to visitors without a session, invalidated by any change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..factories import CoursePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAN_PAGE_CACHE_SECONDS = 60


def _queries(client, url, **kwargs) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_second_anonymous_visit_costs_no_query(client, page_cache, course):
    _queries(client, "/courses/")
    n, content = _queries(client, "/courses/")
    assert n == 0
    assert course.title in content


def test_publishing_invalidates_cached_pages(
    client, page_cache, course, curriculum, django_capture_on_commit_callbacks
):
    _queries(client, "/courses/")
    with django_capture_on_commit_callbacks(execute=True):
        CoursePageFactory(parent=curriculum, title="Countering violent extremism online")
    n, content = _queries(client, "/courses/")
    assert n > 0
    assert "Countering violent extremism online" in content

    with django_capture_on_commit_callbacks(execute=True):
        course.unpublish()
    _n, content = _queries(client, "/courses/")
    assert course.title not in content


def test_editing_an_institution_invalidates_cached_pages(
    client, page_cache, academy, course, django_capture_on_commit_callbacks
):
    _queries(client, course.url)
    with django_capture_on_commit_callbacks(execute=True):
        academy.name = "Police University of Serbia"
        academy.save()
    _n, content = _queries(client, course.url)
    assert "Police University of Serbia" in content


def test_signed_in_visitors_are_never_served_from_the_cache(
    client, page_cache, course, other_editor
):
    _queries(client, course.url)  # cached for anonymous visitors
    client.force_login(other_editor)
    n, content = _queries(client, course.url)
    assert n > 0
    assert "Adapt for my institution" in content


def test_queries_differ_by_url_and_language(client, page_cache, course):
    _n, everything = _queries(client, "/courses/")
    _n, nothing = _queries(client, "/courses/?q=nonexistentword")
    assert course.title in everything and course.title not in nothing.split("</form>")[-1]
    _n, russian = _queries(client, "/ru/courses/")
    assert 'lang="ru"' in russian


def test_off_when_the_cache_is_not_shared(client, settings, course):
    settings.PAN_PAGE_CACHE_SECONDS = 0
    _queries(client, "/courses/")
    n, _content = _queries(client, "/courses/")
    assert n > 0
