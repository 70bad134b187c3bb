"""The network directory: countries, thematic areas, institutions, memberships."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from network import services
from network.models import Country, Institution, Membership, ThematicArea

from ..factories import UserFactory

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
