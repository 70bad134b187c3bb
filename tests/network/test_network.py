"""The network directory: countries, thematic areas, institutions and their provisioning."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from wagtail.models import GroupPagePermission, Site, WorkflowPage

from network import services
from network.models import Country, Institution, Membership, ThematicArea
from website import services as website_services
from website.models import HomePage

from ..factories import InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_countries_are_the_57_participating_states_and_11_partners():
    assert Country.objects.filter(status="participating").count() == 57
    assert Country.objects.filter(status="mediterranean_partner").count() == 6
    assert Country.objects.filter(status="asian_partner").count() == 5
    assert Country.objects.get(code="RS").iso3 == "SRB"
    assert set(Country.objects.filter(status="asian_partner").values_list("code", flat=True)) == {
        "AF",
        "AU",
        "JP",
        "KR",
        "TH",
    }


def test_thematic_areas_cover_the_strategic_framework_priorities():
    priorities = set(ThematicArea.objects.filter(kind="priority").values_list("slug", flat=True))
    assert {
        "police-development-reform",
        "organized-crime",
        "terrorism",
        "illicit-drugs",
        "trafficking-human-beings",
        "cybercrime",
    } <= priorities
    cross_cutting = ThematicArea.objects.filter(kind="cross_cutting").values_list("slug", flat=True)
    assert {"intelligence-led-policing", "gender-based-violence", "border-management"} <= set(
        cross_cutting
    )
    community = ThematicArea.objects.get(slug="community-policing")
    assert community.parent.slug == "police-development-reform"


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


def test_institution_with_unknown_language_is_refused_and_nothing_is_created(home):
    with pytest.raises(ValidationError) as error:
        services.institution_create(name="Academy X", kind="academy", working_languages=["xx"])
    assert "working_languages" in error.value.message_dict
    assert not Institution.objects.filter(name="Academy X").exists()


def test_editor_membership_puts_the_user_in_the_editors_group(academy):
    user = UserFactory()
    membership = services.membership_grant(user=user, role="editor", institution=academy)
    user.refresh_from_db()
    assert academy.editors_group in user.groups.all()
    assert user.has_perm("wagtailadmin.access_admin")
    services.membership_revoke(membership=membership)
    assert academy.editors_group not in user.groups.all()


@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [("editor", {}, "institution"), ("focal_point", {}, "country"), ("chief", {}, "role")],
)
def test_membership_without_its_scope_is_refused(home, role, scope, field):
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.membership_grant(user=user, role=role, **scope)
    assert field in error.value.message_dict
    assert not Membership.objects.filter(user=user).exists()


def test_database_refuses_a_membership_whose_scope_does_not_match_its_role(academy):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role="organiser", institution=academy)


@pytest.mark.parametrize("scope", ["institution", "country", "network"])
def test_database_refuses_a_duplicate_membership(academy, scope):
    user = UserFactory()
    fields = {
        "institution": {"role": "editor", "institution": academy},
        "country": {"role": "focal_point", "country": academy.country},
        "network": {"role": "organiser"},
    }[scope]
    Membership.objects.create(user=user, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, **fields)
    # Granting again through the service is harmless.
    services.membership_grant(user=user, **fields)
    assert Membership.objects.filter(user=user).count() == 1
