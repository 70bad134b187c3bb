"""Staff need two-factor authentication before any staff page; trainees may turn it on."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from network.auth import totp_code

from ..auth_helpers import PASSWORD, SECRET, give_authenticator, staff_login
from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_without_an_authenticator_is_sent_to_set_one_up(client, editor):
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_staff_signed_in_without_the_second_factor_must_confirm_it(client, editor):
    give_authenticator(editor)
    client.force_login(editor)  # e.g. through a form that asked only for the password
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_staff_sign_in_with_password_and_code_reaches_the_admin(client, editor):
    staff_login(client, editor)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_wrong_code_is_refused(client, editor):
    give_authenticator(editor)
    client.post(reverse("account_login"), {"login": editor.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_a_used_code_cannot_be_used_again(client, editor):
    give_authenticator(editor)
    code = totp_code(SECRET)
    client.post(reverse("account_login"), {"login": editor.email, "password": PASSWORD})
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.logout()
    client.post(reverse("account_login"), {"login": editor.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


@pytest.mark.parametrize(("steps_ago", "accepted"), [(1, True), (-1, True), (2, False)])
def test_a_code_one_step_off_the_servers_clock_is_accepted(client, editor, steps_ago, accepted):
    import time

    give_authenticator(editor)
    code = totp_code(SECRET, at=time.time() - 30 * steps_ago)
    client.post(reverse("account_login"), {"login": editor.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert ("_auth_user_id" in client.session) is accepted


def test_admin_login_page_leads_to_the_sites_sign_in(client, home):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_trainees_do_not_need_mfa_but_may_turn_it_on(client, home):
    from allauth.account.models import EmailAddress

    trainee = UserFactory()
    EmailAddress.objects.create(user=trainee, email=trainee.email, verified=True, primary=True)
    client.post(reverse("account_login"), {"login": trainee.email, "password": PASSWORD})
    assert client.session.get("_auth_user_id") == str(trainee.pk)  # no second factor asked
    assert client.get(reverse("trainees:profile")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200  # where they may turn it on
    assert not Authenticator.objects.filter(user=trainee).exists()
