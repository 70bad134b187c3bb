"""The way into the platform as a new trainee meets it: sign up, confirm the address from the
e-mail and be signed in at once, complete the profile first; messages styled by level on the
page one lands on; account pages and e-mails in the platform's words, in both languages."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

from trainees import services as trainee_services

from ..factories import UserFactory, trainee

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-passphrase-2026"
PUBLIC = "https://pan.example.org"


@pytest.fixture
def public_url(settings):
    settings.PAN_PUBLIC_URL = PUBLIC
    return PUBLIC


def sign_up(client, email="new.officer@example.org", **extra):
    response = client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        **extra,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def confirmation_link(message) -> str:
    return re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def message_items(page: str) -> list[tuple[str, str]]:
    """(level, text) of each message on a page."""
    return [
        (level, " ".join(text.split()))
        for level, text in re.findall(
            r'<p class="message message-(\w+)[^"]*" role="\w+">(.*?)</p>', page, re.S
        )
    ]


def test_confirming_the_address_signs_in_and_leads_to_the_profile(client, home):
    sign_up(client)
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("account_email_verification_sent")).content.decode()
    assert ("info", "We have sent a confirmation link to new.officer@example.org.") in (
        message_items(page)
    )
    [message] = mail.outbox
    link = path_of(confirmation_link(message))
    assert "Confirm my address" in client.get(link).content.decode()
    response = client.post(link)
    # Signed in without a second sign-in, and sent to complete the profile first.
    assert client.session.get("_auth_user_id")
    assert response.status_code == 302
    assert response["Location"] == "/my/profile/?next=%2F"
    landing = client.get(response["Location"]).content.decode()
    assert message_items(landing) == [
        ("success", "Your address new.officer@example.org is confirmed."),
        ("success", "Welcome, new.officer@example.org: you are signed in."),
    ]
    assert "Complete your profile before you enrol" in landing
    # The messages were shown once, on the page landed on.
    assert message_items(client.get("/my/profile/").content.decode()) == []


def test_a_link_opened_in_another_browser_confirms_and_asks_to_sign_in(client, home):
    sign_up(client)
    other = type(client)()
    link = path_of(confirmation_link(mail.outbox[0]))
    response = other.post(link)
    assert EmailAddress.objects.get(email="new.officer@example.org").verified
    assert "_auth_user_id" not in other.session  # the link alone signs nobody in
    assert response["Location"] == reverse("account_login")
    page = other.get(response["Location"]).content.decode()
    assert ("success", "Your address new.officer@example.org is confirmed.") in (
        message_items(page)
    )


def test_a_trainee_goes_to_the_profile_first_then_where_they_were_going(client, home):
    person = UserFactory(email="officer@example.org")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login") + "?next=/courses/",
        {"login": person.email, "password": "correct-horse-battery"},
    )
    assert response["Location"] == "/my/profile/?next=%2Fcourses%2F"
    client.logout()
    # With a complete profile, straight on.
    trainee_services.profile_save(
        user=person, given_name="Nikola", family_name="Petrović", given_name_latin="Nikola",
        family_name_latin="Petrović", gender="man", country_code="RS",
        institution_other="Ministry of Interior",
    )  # fmt: skip
    response = client.post(
        reverse("account_login") + "?next=/courses/",
        {"login": person.email, "password": "correct-horse-battery"},
    )
    assert response["Location"] == "/courses/"


def test_staff_are_not_sent_to_a_trainee_profile(client, academy):
    from network import services as network_services

    from ..auth_helpers import staff_login

    editor = UserFactory()
    network_services.membership_grant(user=editor, role="editor", institution=academy)
    staff_login(client, editor)
    response = client.post(
        reverse("account_login"), {"login": editor.email, "password": "correct-horse-battery"}
    )
    assert "/my/profile/" not in response.get("Location", "")


def test_messages_are_styled_by_level():
    html = render_to_string(
        "includes/messages.html",
        {
            "messages": [
                Message(constants.SUCCESS, "Saved."),
                Message(constants.ERROR, "Not saved."),
                Message(constants.WARNING, "Careful."),
                Message(constants.INFO, "By the way."),
            ]
        },
    )
    assert message_items(html) == [
        ("success", "Saved."),
        ("error", "Not saved."),
        ("warning", "Careful."),
        ("info", "By the way."),
    ]
    assert 'message-error" role="alert"' in html and 'message-success" role="status"' in html
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    for level in ("success", "error", "warning", "info"):
        assert f".message-{level}" in css


def test_signing_out_says_so_on_the_page_landed_on_even_with_the_page_cache(client, home, settings):
    settings.PAN_PAGE_CACHE_SECONDS = 60
    person = trainee()
    client.get("/")  # sets the CSRF cookie (a response setting a cookie is not cached)
    client.get("/")  # now the home page is cached for visitors without a session
    client.force_login(person)
    response = client.post(reverse("account_logout"))
    assert response["Location"] == "/"
    # The session cookie is expired by the response: a browser drops it (the test client keeps
    # it, empty), so the visitor comes back without a session and with the message's cookie.
    assert not client.cookies[settings.SESSION_COOKIE_NAME].value
    del client.cookies[settings.SESSION_COOKIE_NAME]
    page = client.get("/").content.decode()
    assert ("success", "You have signed out.") in message_items(page)
    assert message_items(client.get("/").content.decode()) == []


def test_confirmation_mail_names_the_platform_and_links_to_its_public_address(
    client, home, public_url
):
    sign_up(client)
    [message] = mail.outbox
    assert message.subject == (
        "PAN Training Platform: Confirm your e-mail address to finish signing up"
    )
    assert confirmation_link(message).startswith(f"{PUBLIC}/accounts/confirm-email/")
    assert "PAN Training Platform" in message.body and f"{PUBLIC}/" in message.body
    assert "testserver" not in message.body and "Hello from" not in message.body
    # The public link works on the platform.
    client.post(path_of(confirmation_link(message)))
    assert EmailAddress.objects.get(email="new.officer@example.org").verified


def test_mails_are_in_the_language_the_person_reads_the_platform_in(client, home, public_url):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    sign_up(client)
    [message] = mail.outbox
    assert message.subject == (
        "Учебная платформа PAN: Подтвердите адрес электронной почты, чтобы завершить регистрацию"
    )
    assert "Здравствуйте" in message.body and "Учебная платформа PAN" in message.body


def test_password_reset_mail_links_to_the_public_address(client, home, public_url):
    person = UserFactory(email="officer@example.org")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    client.post(reverse("account_reset_password"), {"email": person.email})
    [message] = mail.outbox
    assert message.subject == "PAN Training Platform: Choose a new password"
    assert re.search(rf"{PUBLIC}/accounts/password/reset/key/\S+", message.body)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["<h1>Sign in</h1>", "E-mail address", "Keep me signed in on this device",
                "Forgot your password?", "E-mail me a sign-in code"]),
        ("ru", ["<h1>Войти</h1>", "Адрес электронной почты", "Не выходить из системы",
                "Забыли пароль?", "Прислать код для входа на почту"]),
    ],
)  # fmt: skip
def test_sign_in_page_in_the_platforms_words(client, home, language, words):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("account_login")).content.decode()
    for word in words:
        assert word in page
    assert "placeholder=" not in page  # every field has a visible label instead
    assert re.search(r'<label class="inline-choice" for="id_remember">', page)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["<h1>Create your account</h1>", "Password again", "Create account"]),
        ("ru", ["<h1>Создайте учётную запись</h1>", "Пароль ещё раз", "Создать учётную запись"]),
    ],
)
def test_sign_up_page_in_the_platforms_words(client, home, language, words):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("account_signup")).content.decode()
    for word in words:
        assert word in page


def test_a_new_profile_starts_in_the_language_being_read(client, home):
    person = UserFactory(email="reader@example.org")
    client.force_login(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get("/ru/my/profile/").content.decode()
    assert re.search(r'<option value="ru" selected>', page)
