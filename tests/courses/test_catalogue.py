"""The public catalogue at /courses/: search, filters with counts, pagination, bad input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..factories import CoursePageFactory, CurriculumPageFactory

pytestmark = pytest.mark.django_db

CATALOGUE_MAX_QUERIES = 10


@pytest.fixture
def network(academy, other_academy, course):
    counter = CurriculumPageFactory(parent=other_academy.page, title="Counter-narcotics")
    CoursePageFactory(
        parent=counter,
        title="Counter-narcotics trainer course",
        summary="Drug searches at borders and control of chemical precursors.",
        is_training_of_trainers=True,
        languages=["ru", "ka"],
        delivery_modes=["residential", "blended"],
        level="advanced",
        thematic_areas=["illicit-drugs", "border-management"],
    )
    CoursePageFactory(
        parent=counter,
        title="Community policing basics",
        summary="Police-public partnerships in neighbourhoods.",
        languages=["ka"],
        delivery_modes=["self_paced"],
        thematic_areas=["community-policing"],
    )
    CoursePageFactory(
        parent=counter, title="Draft course", live=False, thematic_areas=["cybercrime"]
    )
    return academy, other_academy


def titles(response) -> list[str]:
    return [course.title for course in response.context["result"].courses]


def facet(response, name) -> dict[str, int]:
    group = next(g for g in response.context["result"].facets if g.name == name)
    return {option.value: option.count for option in group.options}


def test_catalogue_lists_live_courses_only(client, network):
    response = client.get("/courses/")
    assert response.status_code == 200
    assert sorted(titles(response)) == [
        "Community policing basics",
        "Counter-narcotics trainer course",
        "Cybercrime investigation for trainers",
    ]
    assert "Draft course" not in response.content.decode()


def test_search_finds_cybercrime(client, network):
    response = client.get("/courses/", {"q": "cybercrime"})
    assert titles(response) == ["Cybercrime investigation for trainers"]
    assert "Cybercrime investigation for trainers" in response.content.decode()


def test_search_reaches_summary_words(client, network):
    assert titles(client.get("/courses/", {"q": "precursors"})) == [
        "Counter-narcotics trainer course"
    ]


def test_filters_and_counts(client, network):
    response = client.get("/courses/")
    assert facet(response, "country") == {"GE": 2, "RS": 1}
    assert facet(response, "tot") == {"yes": 2, "no": 1}
    assert facet(response, "language")["ka"] == 2

    response = client.get("/courses/", {"country": "GE", "tot": "yes"})
    assert titles(response) == ["Counter-narcotics trainer course"]
    assert facet(response, "theme") == {"illicit-drugs": 1, "border-management": 1}

    response = client.get("/courses/", {"theme": "community-policing"})
    assert titles(response) == ["Community policing basics"]
    response = client.get("/courses/", {"institution": network[0].slug})
    assert titles(response) == ["Cybercrime investigation for trainers"]
    response = client.get("/courses/", {"mode": "blended", "level": "advanced"})
    assert titles(response) == ["Counter-narcotics trainer course"]


def test_several_values_of_one_filter_are_alternatives(client, network):
    response = client.get("/courses/?language=sr&language=ru")
    assert sorted(titles(response)) == [
        "Counter-narcotics trainer course",
        "Cybercrime investigation for trainers",
    ]


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"country": "XX"}, "Ignored filter country=“XX”: no published course has this value."),
        ({"country": "Serbia!"}, "Ignored filter country=“SERBIA!”: malformed value."),
        ({"level": "expert"}, "Ignored filter level=“expert”: not a known value."),
        ({"colour": "blue"}, "Ignored unknown filter “colour”."),
        ({"page": "two"}, "Ignored page=“two”: the page must be a whole number from 1."),
        ({"page": "-1"}, "Ignored page=“-1”: the page must be a whole number from 1."),
        ({"sort": "price"}, "Ignored sort=“price”: choose one of relevance, title, newest."),
        ({"page": "999"}, "There are only 1 pages of results; showing the last."),
    ],
)
def test_bad_input_is_ignored_with_a_message(client, network, params, notice):
    response = client.get("/courses/", params)
    assert response.status_code == 200
    assert notice in response.context["query"].notices
    assert len(titles(response)) == 3


def test_huge_and_hostile_queries_do_not_fail(client, network):
    response = client.get("/courses/", {"q": "cybercrime " * 1000})
    assert response.status_code == 200
    assert "The search text was shortened to its first 200 characters." in (
        response.context["query"].notices
    )
    for q in ["\x00", "a\x00b", "'; DROP TABLE x; --", "(((", '"', "AND OR NOT", "*:*", "ü" * 300]:
        assert client.get("/courses/", {"q": q}).status_code == 200


def test_pagination(client, network, curriculum, settings):
    settings.CATALOGUE_PAGE_SIZE = 2
    first = client.get("/courses/")
    assert len(titles(first)) == 2
    assert first.context["result"].next_url == "?page=2"
    second = client.get("/courses/", {"page": "2"})
    assert len(titles(second)) == 1
    assert second.context["result"].previous_url == "?"


def test_unpublished_course_leaves_the_catalogue(client, network, course):
    course.unpublish()
    response = client.get("/courses/", {"q": "cybercrime"})
    assert titles(response) == []
    assert "RS" not in facet(client.get("/courses/"), "country")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/courses/",
        "/courses/?q=cybercrime&language=en&tot=yes",
        "/courses/?country=GE&theme=illicit-drugs&institution=georgia-mia&page=1",
    ],
)
def test_catalogue_costs_a_constant_number_of_queries(client, network, other_academy, url):
    client.get(url)  # warm Wagtail's site cache
    before = _queries(client, url)
    assert before <= CATALOGUE_MAX_QUERIES
    curriculum = CurriculumPageFactory(parent=other_academy.page)
    for n in range(12):
        CoursePageFactory(
            parent=curriculum,
            title=f"Cybercrime extra {n}",
            thematic_areas=["cybercrime", "illicit-drugs"],
            languages=["en", "ka"],
            is_training_of_trainers=True,
        )
    assert _queries(client, url) == before
