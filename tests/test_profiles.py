"""Trainee profiles: names as on certificates, in the native script and in Latin letters."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pan_network.models import Country
from trainees import selectors, services
from trainees.models import NameChange, TraineeProfile

from .factories import UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "given_name": "ნინო",
    "family_name": "კაპანაძე",
    "given_name_latin": "Nino",
    "family_name_latin": "Kapanadze",
    "gender": "woman",
    "country_code": "GE",
    "institution_other": "Patrol Police Department",
    "rank_or_position": "Lieutenant",
    "preferred_language": "en",
}


def test_profile_in_native_script_and_latin(db):
    user = UserFactory()
    assert not selectors.profile_is_complete(user=user)
    profile = services.profile_save(user=user, **VALID)
    assert profile.country == Country.objects.get(code="GE")
    assert profile.latin_name == "Nino Kapanadze"
    assert selectors.profile_is_complete(user=user)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"given_name": "  "}, "given_name"),
        ({"family_name_latin": ""}, "family_name_latin"),
        ({"family_name_latin": "Капанадзе"}, "family_name_latin"),
        ({"given_name": "N1no"}, "given_name"),
        ({"country_code": "XX"}, "country"),
        ({"institution_other": ""}, "institution"),
    ],
)
def test_bad_profile_is_refused_and_nothing_saved(db, changes, field):
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.profile_save(user=user, **{**VALID, **changes})
    assert field in error.value.message_dict
    assert not TraineeProfile.objects.filter(user=user).exists()


def test_latin_names_may_carry_the_regions_diacritics(db):
    profile = services.profile_save(
        user=UserFactory(),
        **{**VALID, "given_name_latin": "Çağrı", "family_name_latin": "Šćepanović-O’Neill"},
    )
    assert profile.family_name_latin == "Šćepanović-O’Neill"


def test_name_changes_are_recorded(db):
    user = UserFactory()
    services.profile_save(user=user, **VALID)
    services.profile_save(user=user, **{**VALID, "family_name_latin": "Kapanadze-Beridze"})
    [change] = NameChange.objects.all()
    assert (change.field, change.old_value, change.new_value) == (
        "family_name_latin",
        "Kapanadze",
        "Kapanadze-Beridze",
    )
    assert change.changed_by == user
    services.profile_save(user=user, **{**VALID, "family_name_latin": "Kapanadze-Beridze"})
    assert NameChange.objects.count() == 1  # nothing changed, nothing recorded


def test_profile_page(client, home):
    url = reverse("trainees:profile")
    assert client.get(url).status_code == 302  # sign in first
    user = UserFactory()
    client.force_login(user)
    assert client.get(url).status_code == 200
    response = client.post(url, {**VALID, "family_name_latin": "Капанадзе"})
    assert response.status_code == 200
    assert "family_name_latin" in response.context["form"].errors
    assert not TraineeProfile.objects.filter(user=user).exists()
    response = client.post(url, VALID)
    assert response.status_code == 302
    assert TraineeProfile.objects.get(user=user).given_name == "ნინო"
    page = client.get(url).content.decode()
    assert "Kapanadze" in page and "Your profile was saved." in page
