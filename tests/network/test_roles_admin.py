"""Granting and revoking roles in the Wagtail admin: coordinators for their own institution,
organisers for the whole network; every change in the audit log."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import ModelLogEntry

from network import services
from network.models import Membership

from ..auth_helpers import staff_login
from ..factories import UserFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/snippets/pan_network/membership/add/"
INDEX = "/admin/snippets/pan_network/membership/"


def delete_url(membership):
    return f"/admin/snippets/pan_network/membership/delete/{membership.pk}/"


@pytest.fixture
def coordinator(academy):
    user = UserFactory(email="coordinator@example.org")
    services.membership_grant(user=user, role="coordinator", institution=academy)
    return user


@pytest.fixture
def organiser(home):
    user = UserFactory(email="organiser@example.org")
    services.membership_grant(user=user, role="organiser")
    return user


@pytest.fixture
def officer(db):
    return UserFactory(email="officer@example.org")


def test_coordinator_reaches_the_admin_only_with_a_second_factor(client, coordinator):
    client.force_login(coordinator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate" in response["Location"]
    staff_login(client, coordinator)
    assert client.get("/admin/").status_code == 200


def test_coordinator_grants_a_trainer_role_in_own_institution(
    client, coordinator, officer, academy
):
    staff_login(client, coordinator)
    form = client.get(ADD).content.decode()
    assert academy.name in form
    response = client.post(
        ADD, {"email": "OFFICER@example.org", "role": "trainer", "institution": academy.pk}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=officer, role="trainer")
    assert membership.institution == academy
    entry = ModelLogEntry.objects.get(action="pan.role_grant", object_id=str(membership.pk))
    assert entry.user == coordinator
    assert entry.data["role"] == "trainer"
    assert entry.data["user_id"] == officer.pk


def test_coordinator_is_offered_only_their_institutions_and_roles(
    client, coordinator, academy, other_academy
):
    staff_login(client, coordinator)
    form = client.get(ADD).content.decode()
    assert other_academy.name not in form
    assert 'value="organiser"' not in form
    assert 'value="focal_point"' not in form


def test_coordinator_cannot_grant_in_another_institution(
    client, coordinator, officer, other_academy
):
    staff_login(client, coordinator)
    response = client.post(
        ADD, {"email": officer.email, "role": "editor", "institution": other_academy.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(user=officer).exists()


def test_coordinator_cannot_grant_a_network_role(client, coordinator, officer):
    staff_login(client, coordinator)
    response = client.post(ADD, {"email": officer.email, "role": "organiser"})
    assert response.status_code == 200
    assert not Membership.objects.filter(user=officer).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "nobody@example.org", "role": "trainer"}, "No active account uses"),
        ({"email": "officer@example.org", "role": "trainer"}, "This role is held in an"),
        ({"email": "not-an-address", "role": "trainer"}, "Enter a valid email address"),
    ],
)
def test_bad_grants_say_what_is_wrong(client, coordinator, officer, academy, data, message):
    staff_login(client, coordinator)
    if data.get("role") == "trainer" and data["email"] == "nobody@example.org":
        data = {**data, "institution": academy.pk}
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Membership.objects.filter(role="trainer").exists()


def test_granting_the_same_role_twice_is_refused(client, coordinator, officer, academy):
    services.membership_grant(user=officer, role="trainer", institution=academy)
    staff_login(client, coordinator)
    response = client.post(
        ADD, {"email": officer.email, "role": "trainer", "institution": academy.pk}
    )
    assert response.status_code == 200
    assert "already holds this role" in response.content.decode()
    assert Membership.objects.filter(user=officer, role="trainer").count() == 1


def test_coordinator_sees_and_revokes_only_their_institutions_roles(
    client, coordinator, officer, academy, other_academy
):
    own = services.membership_grant(user=officer, role="editor", institution=academy)
    other = services.membership_grant(user=officer, role="editor", institution=other_academy)
    staff_login(client, coordinator)
    listing = client.get(INDEX).content.decode()
    assert academy.name in listing
    assert other_academy.name not in listing
    assert client.post(delete_url(other)).status_code in {302, 403, 404}
    assert Membership.objects.filter(pk=other.pk).exists()
    assert client.post(delete_url(own)).status_code == 302
    assert not Membership.objects.filter(pk=own.pk).exists()
    # The editors group of the academy goes with the role; the other one stays.
    assert not officer.groups.filter(pk=academy.editors_group_id).exists()
    assert officer.groups.filter(pk=other_academy.editors_group_id).exists()
    entry = ModelLogEntry.objects.get(action="pan.role_revoke")
    assert entry.user == coordinator


def test_organiser_grants_network_and_country_roles(client, organiser, officer, academy):
    staff_login(client, organiser)
    response = client.post(
        ADD, {"email": officer.email, "role": "focal_point", "country": academy.country_id}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(ADD, {"email": officer.email, "role": "moderator"})
    assert response.status_code == 302
    assert set(Membership.objects.filter(user=officer).values_list("role", flat=True)) == {
        "focal_point",
        "moderator",
    }
    assert officer.groups.filter(name=services.MODERATORS_GROUP).exists()
    assert ModelLogEntry.objects.filter(action="pan.role_grant", user=organiser).count() == 2


def test_trainee_and_editor_cannot_open_the_roles_admin(client, editor, officer):
    staff_login(client, editor)
    assert client.get(ADD).status_code in {302, 403}
    assert client.get(INDEX).status_code in {302, 403}


def test_role_groups_follow_the_roles(officer, academy):
    membership = services.membership_grant(user=officer, role="coordinator", institution=academy)
    assert officer.groups.filter(name=services.COORDINATORS_GROUP).exists()
    assert officer.has_perm("wagtailadmin.access_admin")
    services.membership_revoke(membership=membership)
    assert not Group.objects.filter(user=officer).exists()
