"""Account pages: sign-in by password or by e-mailed code, sessions, in the site's layout."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    user = UserFactory(email="officer@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_login_page_uses_the_site_layout(client, home):
    content = client.get(reverse("account_login")).content.decode()
    assert "PAN Training Platform" in content
    assert 'name="login"' in content


def test_login_by_emailed_code(client, person):
    response = client.post(reverse("account_request_login_code"), {"email": person.email})
    assert response.status_code == 302
    [message] = mail.outbox
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", message.body, re.M).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_wrong_login_code_is_refused(client, person):
    client.post(reverse("account_request_login_code"), {"email": person.email})
    response = client.post(reverse("account_confirm_login_code"), {"code": "ZZZZZZ"})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_sessions_page_lists_and_ends_other_sessions(client, person):
    other = type(client)()
    assert (
        client.post(
            reverse("account_login"), {"login": person.email, "password": "correct-horse-battery"}
        ).status_code
        == 302
    )
    assert (
        other.post(
            reverse("account_login"), {"login": person.email, "password": "correct-horse-battery"}
        ).status_code
        == 302
    )
    page = client.get(reverse("usersessions_list"))
    assert page.status_code == 200
    from allauth.usersessions.models import UserSession

    assert UserSession.objects.filter(user=person).count() == 2
    client.post(reverse("usersessions_list"))  # "sign out other sessions"
    assert UserSession.objects.filter(user=person).count() == 1
    assert other.get(reverse("usersessions_list")).status_code == 302  # signed out


def test_sign_up_needs_the_verification_mail(client, home):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.officer@example.org",
            "password1": "a-long-passphrase-2026",
            "password2": "a-long-passphrase-2026",
        },
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session  # not before the address is verified
    [message] = mail.outbox
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+)", message.body).group(1)
    client.post(link)
    assert EmailAddress.objects.get(email="new.officer@example.org").verified
    response = client.post(
        reverse("account_login"),
        {"login": "new.officer@example.org", "password": "a-long-passphrase-2026"},
    )
    assert client.session.get("_auth_user_id")


@pytest.mark.parametrize(
    ("password", "rule"),
    [("short-pw-1", "at least 12 characters"), ("password1234", "too common")],
)
def test_weak_passwords_are_refused_with_the_rule(client, home, password, rule):
    response = client.post(
        reverse("account_signup"),
        {"email": "x@example.org", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert rule in response.content.decode()


def test_duplicate_sign_up_creates_nothing_and_tells_nothing(client, person):
    from network.models import User

    response = client.post(
        reverse("account_signup"),
        {
            "email": person.email,
            "password1": "a-long-passphrase-2026",
            "password2": "a-long-passphrase-2026",
        },
    )
    # Enumeration protection: the same answer as a new sign-up; the owner is told by mail.
    assert response.status_code == 302
    assert User.objects.filter(email=person.email).count() == 1


PWNED = {"NAME": "pwned_passwords_django.validators.PwnedPasswordsValidator"}


@pytest.fixture
def breach_check(settings, monkeypatch):
    """The Pwned Passwords validator switched on, with the API faked at its boundary."""
    from pwned_passwords_django import api, exceptions

    settings.AUTH_PASSWORD_VALIDATORS = [*settings.AUTH_PASSWORD_VALIDATORS, PWNED]
    state = {"asked": [], "down": False}
    breached = {"correct-horse-staple-2019": 4212}

    def check_password(password):
        state["asked"].append(password)
        if state["down"]:
            raise exceptions.PwnedPasswordsError("down", exceptions.ErrorCode.REQUEST_ERROR, {})
        return breached.get(password, 0)

    monkeypatch.setattr(api.default_client, "check_password", check_password)
    return state


def _sign_up(client, password):
    return client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": password, "password2": password},
    )


def test_breached_password_is_refused(client, home, breach_check):
    from network.models import User

    response = _sign_up(client, "correct-horse-staple-2019")
    assert response.status_code == 200
    assert "This password is too common" in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()
    assert _sign_up(client, "an-unbreached-phrase-2026").status_code == 302
    assert breach_check["asked"] == ["correct-horse-staple-2019", "an-unbreached-phrase-2026"]


def test_unreachable_breach_api_falls_back_to_the_common_list(client, home, breach_check):
    breach_check["down"] = True
    # "correct-horse-staple-2019" is not on the offline list: accepted while the API is down.
    assert _sign_up(client, "correct-horse-staple-2019").status_code == 302
    client.logout()
    response = client.post(
        reverse("account_signup"),
        {"email": "other@example.org", "password1": "password1234", "password2": "password1234"},
    )
    assert "too common" in response.content.decode()


def test_password_reset_is_rate_limited_per_address(client, person):
    answers = [
        client.post(reverse("account_reset_password"), {"email": person.email}).status_code
        for _ in range(6)
    ]
    assert answers[:5] == [302] * 5
    assert answers[5] == 429
    assert len(mail.outbox) == 5


def test_sign_up_is_rate_limited_per_address(client, home, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "3/m/ip"}
    answers = [
        client.post(
            reverse("account_signup"),
            {
                "email": f"n{i}@example.org",
                "password1": "a-long-passphrase-2026",
                "password2": "a-long-passphrase-2026",
            },
        ).status_code
        for i in range(4)
    ]
    assert answers == [302, 302, 302, 429]
