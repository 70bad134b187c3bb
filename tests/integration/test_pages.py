"""Public pages: home, institutions, curricula, courses, modules, lessons, and the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..factories import CoursePageFactory, LessonPageFactory, ModulePageFactory

pytestmark = pytest.mark.django_db

PAGE_MAX_QUERIES = 11  # the course page: its translations are one more


def _get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _get(client, url)
    return len(ctx.captured_queries)


def test_home_page_shows_figures_and_thematic_areas(client, course):
    response = _get(client, "/")
    content = response.content.decode()
    assert response.context["network_figures"] == {"institutions": 1, "countries": 1, "courses": 1}
    assert "Cybercrime" in content
    assert "?theme=cybercrime" in content


def test_institution_pages(client, academy, course):
    directory = _get(client, "/institutions/").content.decode()
    assert academy.name in directory
    page = _get(client, academy.page.url).content.decode()
    assert "Cybercrime investigation" in page
    assert course.title in page
    assert "Belgrade" in page


def test_course_page_shows_metadata_modules_and_lessons(client, course):
    content = _get(client, course.url).content.decode()
    for text in [
        "Cybercrime investigation for trainers",
        "Police Academy of Serbia",
        "Intermediate",
        "120 hours",
        "English, Serbian",
        "Residential",
        "Training of trainers",
        "Computer forensics",
        "Seizing digital devices",
        "Imaging a hard disk",
    ]:
        assert text in content, text


def test_lesson_page_links_to_its_neighbours(client, course):
    module = course.get_children().specific().first()
    first, second = module.get_children().specific()
    content = _get(client, first.url).content.decode()
    assert second.url in content
    assert course.title in content


def test_unpublished_pages_are_not_served(client, curriculum):
    draft = CoursePageFactory(parent=curriculum, live=False)
    _get(client, draft.url or f"{curriculum.url}{draft.slug}/", status=404)


@pytest.mark.parametrize("which", ["home", "directory", "institution", "curriculum", "course",
                                   "module", "lesson"])  # fmt: skip
def test_every_page_costs_a_constant_number_of_queries(client, academy, course, which):
    module = course.get_children().specific().first()
    urls = {
        "home": "/",
        "directory": "/institutions/",
        "institution": academy.page.url,
        "curriculum": course.get_parent().url,
        "course": course.url,
        "module": module.url,
        "lesson": module.get_children().first().url,
    }
    url = urls[which]
    _get(client, url)
    before = _queries(client, url)
    assert before <= PAGE_MAX_QUERIES
    # Grow the network around the page: more courses, modules and lessons.
    for n in range(4):
        extra = CoursePageFactory(parent=course.get_parent(), thematic_areas=["cybercrime"])
        ModulePageFactory(parent=extra)
        new_module = ModulePageFactory(parent=course)
        LessonPageFactory(parent=new_module)
        LessonPageFactory(parent=module, title=f"Extra lesson {n}")
    assert _queries(client, url) == before


def test_api_exposes_courses_with_their_metadata(client, course):
    response = _get(
        client,
        "/api/v2/pages/?type=courses.CoursePage&fields=summary,level,languages,"
        "duration_hours,delivery_modes,is_training_of_trainers,institution_name,country,"
        "thematic_areas",
    )
    [item] = response.json()["items"]
    assert item["title"] == course.title
    assert item["languages"] == ["en", "sr"]
    assert item["is_training_of_trainers"] is True
    assert item["institution_name"] == "Police Academy of Serbia"
    assert item["country"] == "RS"
    assert item["thematic_areas"] == ["cybercrime"]


def test_api_hides_drafts(client, curriculum):
    CoursePageFactory(parent=curriculum, title="Secret draft", live=False)
    response = _get(client, "/api/v2/pages/?type=courses.CoursePage")
    assert all(item["title"] != "Secret draft" for item in response.json()["items"])


def test_health(client, db):
    assert _get(client, "/healthz").json() == {"status": "ok"}


def test_unknown_address_gets_the_site_404(client, home):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_sitemap_lists_live_courses(client, course, curriculum):
    draft = CoursePageFactory(parent=curriculum, title="Draft", live=False)
    content = _get(client, "/sitemap.xml").content.decode()
    assert course.url in content
    assert f"/{draft.slug}/" not in content
