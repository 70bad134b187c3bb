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

    from network.models import Country

    with translation.override("ru"):
        assert str(Country.objects.get(code="GE")) == "Грузия"


def test_a_translated_course_shows_the_whole_course_in_its_language(
    client, course, translated, academy
):
    """The translator started with the course page and one module: the Russian page lists
    every module and lesson of the course, the translated module in Russian, the others as
    written, and the course's runs; it belongs to the same academy."""
    module = course.get_children().specific().first()
    russian_module = module.copy_for_translation(translated.locale)
    russian_module.title = "Компьютерная криминалистика"
    russian_module.save_revision().publish()
    assert translated.institution_id == academy.pk

    body = client.get(translated.url).content.decode()
    assert "Компьютерная криминалистика" in body and "Computer forensics" not in body
    assert "Киберпреступность" in body  # the thematic area, named in Russian
    lesson = module.get_children().first()
    assert lesson.title in body and lesson.url in body  # one lesson page, whichever language
    assert academy.name in body
    module_page = client.get(russian_module.url).content.decode()
    assert lesson.title in module_page


def test_the_academy_edits_its_translations_under_the_same_moderation(
    course, translated, editor, other_editor, moderator
):
    assert translated.permissions_for_user(editor).can_edit()
    assert not translated.permissions_for_user(other_editor).can_edit()
    assert translated.permissions_for_user(moderator).can_publish()
    assert not translated.permissions_for_user(editor).can_publish()
    workflow = translated.get_workflow()
    assert workflow is not None and workflow == course.get_workflow()


def test_an_institution_page_in_russian_lists_all_its_courses(client, course, translated, academy):
    from ..factories import CoursePageFactory

    untranslated = CoursePageFactory(parent=course.get_parent(), title="Open-source intelligence")
    russian_space = translated.get_parent().get_parent()  # made on the way, as an alias
    assert russian_space.url.startswith("/ru/")
    body = client.get(russian_space.url).content.decode()
    assert translated.title in body and untranslated.title in body
    assert course.title not in body
    curriculum = client.get(translated.get_parent().url).content.decode()
    assert translated.title in curriculum and untranslated.title in curriculum


def test_an_editor_translates_the_academys_pages_step_by_step_as_in_the_admin(
    client, course, academy, editor, other_editor
):
    """In the admin a page is translated once its parent is (Wagtail's simple translation):
    the academy's page, then the curriculum, then the course. Each copy stays the academy's."""
    from wagtail.actions.copy_for_translation import CopyPageForTranslationAction
    from wagtail.contrib.simple_translation.forms import SubmitTranslationForm

    russian = Locale.objects.get(language_code="ru")
    assert editor.has_perm("simple_translation.submit_translation")
    # The site's own pages exist in Russian already, so the academy's page can be translated.
    assert SubmitTranslationForm(academy.page).fields["locales"].queryset.filter(pk=russian.pk)
    copies = []
    for page in (academy.page, course.get_parent(), course):
        action = CopyPageForTranslationAction(page=page.specific, locale=russian, user=editor)
        copies.append(action.execute())
    from network.models import User

    editor, other_editor = (User.objects.get(pk=u.pk) for u in (editor, other_editor))  # anew
    for copy in copies:
        assert copy.permissions_for_user(editor).can_edit(), copy
        assert not copy.permissions_for_user(other_editor).can_edit(), copy
    with pytest.raises(Exception, match="permission"):
        CopyPageForTranslationAction(page=course, locale=russian, user=other_editor).execute()
    assert CoursePage.objects.get(pk=copies[-1].pk).institution_id == academy.pk


def test_the_russian_home_page_shows_the_network_and_its_thematic_areas(client, course):
    body = client.get("/ru/").content.decode()
    assert "Учебная платформа PAN" in body
    assert "Киберпреступность" in body and "?theme=cybercrime" in body
