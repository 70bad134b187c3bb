"""The site's skeleton (home page, institution index, the catalogue, in every content language,
under one moderation workflow) and each institution's page with its editors' permissions."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Site, WorkflowPage

from network import services
from website import services as website_services
from website.models import HomePage

from ..factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_site_skeleton_is_created_once(home):
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    again = website_services.site_ensure()
    assert again.pk == home.pk
    assert HomePage.objects.filter(locale=home.locale).count() == 1
    assert WorkflowPage.objects.get(page=home).workflow.name == services.WORKFLOW_NAME
    assert home.get_children().filter(slug="courses").exists()
    assert home.get_children().filter(slug="institutions").exists()
    # The skeleton in Russian too, its titles in Russian, moderated by the same workflow.
    russian = HomePage.objects.get(locale__language_code="ru")
    assert russian.live and russian.translation_key == home.translation_key
    assert WorkflowPage.objects.get(page=russian).workflow.name == services.WORKFLOW_NAME
    titles = {p.slug: p.title for p in russian.get_children().live()}
    assert titles == {"institutions": "Учреждения", "courses": "Каталог курсов"}
    assert HomePage.objects.count() == 2


def test_creating_an_institution_gives_it_a_page_a_collection_and_an_editors_group(home):
    institution = InstitutionFactory(name="Kazakhstan Law Enforcement Academy", country_code="KZ")
    assert institution.page.live
    assert institution.page.get_parent().slug == "institutions"
    assert institution.collection.name == institution.name
    permissions = set(
        GroupPagePermission.objects.filter(group=institution.editors_group).values_list(
            "page_id", "permission__codename"
        )
    )
    assert permissions == {
        (institution.page.pk, "add_page"),
        (institution.page.pk, "change_page"),
        (institution.page.pk, "lock_page"),
        (institution.page.pk, "unlock_page"),
    }
    # Provisioning again changes nothing.
    services.institution_provision(institution=institution)
    assert GroupPagePermission.objects.filter(group=institution.editors_group).count() == 4
    assert Group.objects.filter(name=f"{institution.name} editors").count() == 1
