"""Brute-force protection: the sixth wrong password for an account within five minutes is
refused on every login page, even when the password is finally right."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def person(db):
    user = UserFactory(email="officer@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _site_login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _admin_login(client, email, password):
    return client.post(reverse("wagtailadmin_login"), {"username": email, "password": password})


def test_right_password_logs_in(client, person):
    response = _site_login(client, person.email, PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize("page", [_site_login, _admin_login])
def test_five_failures_lock_the_account_on_every_login_page(client, person, page):
    for _ in range(4):
        response = page(client, person.email, "wrong-password-123")
        assert response.status_code == 200  # the form again, with an error
    # The fifth failure locks the account (the admin says so at once).
    assert page(client, person.email, "wrong-password-123").status_code in {200, 429}
    # The sixth attempt is refused, even with the right password, on both pages: the admin
    # answers 429, the site's form says why.
    response = _admin_login(client, person.email.upper(), PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    response = _site_login(client, person.email.upper(), PASSWORD)
    assert response.status_code in {200, 429}
    if response.status_code == 200:
        assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_on_one_account_do_not_lock_another(client, person):
    UserFactory(email="colleague@example.org")
    for _ in range(5):
        _admin_login(client, person.email, "wrong-password-123")
    response = _admin_login(client, "colleague@example.org", PASSWORD)
    assert response.status_code == 302


def test_failures_are_forgotten_after_five_minutes(client, person, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    for _ in range(5):
        _admin_login(client, person.email, "wrong-password-123")
    import time

    time.sleep(1.5)
    assert _admin_login(client, person.email, PASSWORD).status_code == 302


def test_passwords_are_hashed_with_argon2_and_older_hashes_are_upgraded(client, settings):
    from django.contrib.auth.hashers import make_password

    from config.settings import base

    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS  # the tests' own hasher is a fast one
    assert make_password(PASSWORD).startswith("argon2$")
    user = UserFactory(email="older@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")  # set before the change
    user.save(update_fields=["password"])
    assert _site_login(client, user.email, PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
