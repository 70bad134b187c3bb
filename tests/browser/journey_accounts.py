"""Journey (g): the account pages as people meet them, in English and in Russian, on a desktop
and on a 360-pixel phone: sign-in, sign-up (with a mistake first), the page that asks to check
the e-mail, the confirmation page, the profile landed on once signed in (its messages styled as
successes), the addresses and sessions pages, and the password reset. Every control stays on the
screen."""

from __future__ import annotations

import re

from django.core import mail

from .conftest import assert_fits, submit

PASSWORD = "correct-horse-battery-staple"
WORDS = {
    "en": {"sign_in": "Sign in", "create": "Create your account", "check": "Check your e-mail",
           "confirm": "Confirm your e-mail address", "profile": "Your profile",
           "reset": "Reset your password", "mismatch": "You must type the same password"},
    "ru": {"sign_in": "Войти", "create": "Создайте учётную запись", "check": "Проверьте почту",
           "confirm": "Подтвердите адрес электронной почты", "profile": "Ваш профиль",
           "reset": "Сбросить пароль", "mismatch": "одинаковый пароль"},
}  # fmt: skip


def _heading(page) -> str:
    return page.locator("main h1").first.inner_text()


def account_pages_journey(journey, *, language: str, width: int):
    words = WORDS[language]
    me = journey(f"accounts-{language}-{width}px", width=width, height=800 if width < 600 else 900)
    page = me.go("/")
    if language != "en":
        submit(page, page.locator(f"button[name=language][value={language}]"))
    page = me.go("/accounts/login/")
    assert _heading(page) == words["sign_in"]
    me.shot("sign in")
    assert_fits(page, "sign in")

    # Sign up, with passwords that differ first: the error is shown by the field.
    with page.expect_navigation():
        page.locator("main a[href^='/accounts/signup/']").first.click()
    assert "/accounts/signup/" in page.url and _heading(page) == words["create"]
    me.shot("sign up")
    assert_fits(page, "sign up")
    email = f"new.{language}.{width}@example.org"
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD + "x")
    submit(page)
    assert words["mismatch"] in page.locator("main .errorlist").first.inner_text()
    me.shot("sign up with a mistake")
    assert_fits(page, "sign up with a mistake")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    submit(page)
    assert _heading(page) == words["check"]
    assert page.locator(".messages .message-info").count() == 1
    me.shot("check your e-mail")
    assert_fits(page, "check your e-mail")

    # The link from the e-mail, in the same browser: confirmed and signed in at once.
    message = [m for m in mail.outbox if email in m.to][-1]
    assert "127.0.0.1:8000" not in message.body and "Hello from" not in message.body
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)
    page = me.go(link)
    assert _heading(page) == words["confirm"]
    me.shot("confirm the address")
    assert_fits(page, "confirm the address")
    submit(page)
    assert "/my/profile/" in page.url and _heading(page) == words["profile"]
    assert page.locator(".messages .message-success").count() == 2
    me.shot("profile after confirming")
    assert_fits(page, "profile after confirming")

    # The account's own pages: addresses, sessions (a table that scrolls in its own box).
    own_pages = (("/accounts/email/", "e-mail addresses"), ("/accounts/sessions/", "sessions"))
    for path, label in own_pages:
        page = me.go(path)
        me.shot(label)
        assert_fits(page, label)

    # Signed out, the password reset page.
    page = me.go("/accounts/logout/")
    submit(page)
    assert page.locator(".messages .message-success").count() == 1
    me.shot("signed out")
    page = me.go("/accounts/password/reset/")
    assert _heading(page) == words["reset"]
    me.shot("password reset")
    assert_fits(page, "password reset")
