"""Course content in the visitor's language: an editor translates a course (Wagtail's
localisation), the catalogue then shows it in Russian to Russian visitors and in English to
the others, finds it by its Russian words, and each version links to the other."""

import pytest
from wagtail.models import Locale

from courses.models import CoursePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated(course):
    russian = course.copy_for_translation(Locale.objects.get(language_code="ru"), copy_parents=True)
    russian.title = "Расследование киберпреступлений для тренеров"
    russian.summary = "Трёхнедельный региональный курс по компьютерной криминалистике."
    russian.save_revision().publish()
    return CoursePage.objects.get(pk=russian.pk)


def _titles(response):
    return [c.title for c in response.context["result"].courses]


def test_the_catalogue_shows_each_course_in_the_visitors_language(client, course, translated):
    english = client.get("/courses/")
    assert _titles(english) == [course.title]
    russian = client.get("/ru/courses/")
    assert _titles(russian) == [translated.title]
    body = russian.content.decode()
    assert translated.url in body and "Средний" in body  # the level, in Russian too
    # Found by its Russian words, and still by its English ones.
    assert _titles(client.get("/ru/courses/", {"q": "криминалистике"})) == [translated.title]
    assert _titles(client.get("/ru/courses/", {"q": "forensics"})) == [translated.title]
    assert _titles(client.get("/courses/", {"q": "криминалистике"})) == []


def test_each_version_of_a_course_links_to_the_other(client, course, translated):
    english = client.get(course.url).content.decode()
    assert f'href="{translated.url}"' in english and 'hreflang="ru"' in english
    russian = client.get(translated.url).content.decode()
    assert f'href="{course.url}"' in russian and 'hreflang="en"' in russian


def test_reference_names_are_shown_in_the_visitors_language(client, course):
    russian = client.get("/ru/courses/").content.decode()
    assert "Киберпреступность" in russian and "Сербия" in russian  # area and country facets
    english = client.get("/courses/").content.decode()
    assert "Cybercrime" in english and "Serbia" in english and "Сербия" not in english
    from django.utils import translation

    from pan_network.models import Country

    with translation.override("ru"):
        assert str(Country.objects.get(code="GE")) == "Грузия"
