"""Signed-in pages: what does not depend on the person is kept as fragments under the site
version; the personal parts stay fresh, and any content change shows at once."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import page_cache

from ..factories import CoursePageFactory, CurriculumPageFactory, course_run, trainee

pytestmark = pytest.mark.django_db

# The most a signed-in trainee's catalogue or course page may cost when its fragments are not
# cached (after a content change): the site, the page, its view restrictions, the session, the
# user, the staff role and permissions in the header, then the catalogue's counts and page of
# ids together and the page's courses, or the course page's runs, what the person may do and
# the course's details. With the fragments cached, the catalogue reads no course at all and the
# course page only its runs.
SIGNED_IN_CATALOGUE_MAX_QUERIES = 14
SIGNED_IN_COURSE_MAX_QUERIES = 17
CATALOGUE_URLS = [
    "/courses/",
    "/courses/?q=cybercrime&language=en&tot=yes",
    "/courses/?country=GE&theme=illicit-drugs&institution=georgia-mia&page=1",
    "/courses/?q=cybercrime&level=intermediate&language=en&sort=title&page=9",
]


@pytest.fixture
def caches_on(settings):
    settings.PAN_PAGE_CACHE_SECONDS = 60


@pytest.fixture
def officer(home):
    return trainee(first_name="Nino", last_name="Beridze")


def _content_changed() -> None:
    """What a commit of any content change does: the site version moves."""
    cache.set(page_cache.VERSION_KEY, time.time_ns(), timeout=None)


def _get(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


def _catalogue_network(other_academy):
    counter = CurriculumPageFactory(parent=other_academy.page, title="Counter-narcotics")
    CoursePageFactory(
        parent=counter,
        title="Counter-narcotics trainer course",
        is_training_of_trainers=True,
        languages=["ru", "ka"],
        thematic_areas=["illicit-drugs", "border-management"],
    )
    return counter


def _grow(curriculum, n: int = 12) -> None:
    for i in range(n):
        CoursePageFactory(
            parent=curriculum,
            title=f"Cybercrime extra {i}",
            thematic_areas=["cybercrime", "illicit-drugs"],
            languages=["en", "ka"],
            level="intermediate",
            is_training_of_trainers=True,
        )


@pytest.mark.parametrize("url", CATALOGUE_URLS)
def test_signed_in_catalogue_costs_a_constant_number_of_queries(
    client, caches_on, officer, course, other_academy, url
):
    curriculum = _catalogue_network(other_academy)
    client.force_login(officer)
    client.get(url)  # routing and site caches, as in a running server
    _content_changed()
    cold, _content = _get(client, url)
    warm, content = _get(client, url)
    assert cold <= SIGNED_IN_CATALOGUE_MAX_QUERIES
    assert warm < cold  # the results and filters came from the fragment cache
    assert "Sign out" in content
    _grow(curriculum)
    _content_changed()
    assert _get(client, url)[0] == cold
    assert _get(client, url)[0] == warm


def test_signed_in_catalogue_without_fragment_cache_costs_the_same(
    client, officer, course, other_academy
):
    curriculum = _catalogue_network(other_academy)
    client.force_login(officer)
    url = CATALOGUE_URLS[1]
    client.get(url)
    before, _content = _get(client, url)
    assert before <= SIGNED_IN_CATALOGUE_MAX_QUERIES
    _grow(curriculum)
    assert _get(client, url)[0] == before


def test_signed_in_course_page_costs_a_constant_number_of_queries(
    client, caches_on, officer, course, academy
):
    client.force_login(officer)
    client.get(course.url)
    _content_changed()
    cold, _content = _get(client, course.url)
    warm, content = _get(client, course.url)
    assert cold <= SIGNED_IN_COURSE_MAX_QUERIES
    assert warm < cold
    assert "Imaging a hard disk" in content  # the modules, from the fragment
    for n in range(3):
        course_run(course, academy, start_in_days=10 + n)
        CoursePageFactory(parent=course.get_parent(), thematic_areas=["cybercrime"])
    _content_changed()
    assert _get(client, course.url)[0] == cold
    assert _get(client, course.url)[0] == warm


def test_personal_parts_stay_personal_once_fragments_are_cached(
    client, caches_on, officer, other_editor, course
):
    # The editor of another academy fills the fragments first: they may adapt the course and
    # see the staff pages; the trainee sees neither, then the editor still does.
    client.force_login(other_editor)
    _n, content = _get(client, course.url)
    assert "Adapt for my institution" in content and 'href="/manage/"' in content
    _get(client, "/courses/")

    client.force_login(officer)
    _n, content = _get(client, course.url)
    assert "Adapt for my institution" not in content
    assert 'href="/manage/"' not in content
    assert "My learning" in content
    assert "Imaging a hard disk" in content
    _n, content = _get(client, "/courses/")
    assert 'href="/manage/"' not in content and course.title in content

    client.force_login(other_editor)
    _n, content = _get(client, course.url)
    assert "Adapt for my institution" in content and 'href="/manage/"' in content


def test_places_left_stay_fresh_on_a_cached_course_page(
    client, caches_on, officer, course, academy
):
    from trainees.models import Enrolment

    run = course_run(course, academy, capacity=3)
    client.force_login(officer)
    _n, content = _get(client, course.url)
    assert "3 places left" in content
    Enrolment.objects.create(
        run=run, user=trainee(), role=Enrolment.Role.TRAINEE, state=Enrolment.State.ENROLLED
    )
    _n, content = _get(client, course.url)
    assert "2 places left" in content


def test_publishing_a_course_changes_cached_cards_and_counts(
    client, caches_on, officer, course, curriculum, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    _n, content = _get(client, "/courses/?theme=cybercrime")
    assert "Countering violent extremism online" not in content
    with CaptureQueriesContext(connection) as ctx:
        client.get("/courses/?theme=cybercrime")
    result_queries = len(ctx.captured_queries)

    with django_capture_on_commit_callbacks(execute=True):
        CoursePageFactory(
            parent=curriculum,
            title="Countering violent extremism online",
            thematic_areas=["cybercrime", "terrorism"],
        )
    n, content = _get(client, "/courses/?theme=cybercrime")
    assert n > result_queries  # read again, not served from the old fragment
    assert "Countering violent extremism online" in content
    response = client.get("/courses/?theme=cybercrime")
    [theme] = [g for g in response.context["result"].facets if g.name == "theme"]
    assert {o.value: o.count for o in theme.options}["cybercrime"] == 2

    with django_capture_on_commit_callbacks(execute=True):
        course.title = "Digital forensics for trainers"
        course.save_revision().publish()
    _n, content = _get(client, "/courses/")
    assert "Digital forensics for trainers" in content  # the card was rendered again
    _n, content = _get(client, course.url)
    assert "Digital forensics for trainers" in content


def test_fragments_are_kept_per_language(client, caches_on, officer, course):
    client.force_login(officer)
    _n, english = _get(client, "/courses/")
    _n, russian = _get(client, "/ru/courses/")
    assert 'lang="ru"' in russian
    assert english.split('<main id="main"')[1] != russian.split('<main id="main"')[1]


def test_bad_input_still_answers_with_messages_from_the_cache(client, caches_on, officer, course):
    client.force_login(officer)
    for _ in range(2):
        _n, content = _get(client, "/courses/?level=expert&page=abc&country=XX")
        assert "Ignored filter level" in content
        assert "Ignored page" in content
