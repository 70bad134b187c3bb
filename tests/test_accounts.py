"""Account pages: sign-in by password or by e-mailed code, sessions, in the site's layout."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from .factories import UserFactory

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
