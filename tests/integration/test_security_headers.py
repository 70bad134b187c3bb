"""Security headers: a Content-Security-Policy without inline code on the site's pages (the
pages carry none), a Permissions-Policy, and the package files' own sandbox left alone."""

import re

import pytest

from ..factories import trainee

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"", re.I)


def _check(response):
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'self'" in policy
    assert response["Permissions-Policy"].startswith("camera=()")
    body = response.content.decode()
    assert not INLINE_SCRIPT.search(body), INLINE_SCRIPT.search(body).group(0)
    assert not INLINE_STYLE.search(body), body[INLINE_STYLE.search(body).start() :][:120]


def test_public_pages_carry_a_strict_policy_and_no_inline_code(client, course):
    lesson = course.get_descendants().live().specific().last()
    for url in ["/", "/courses/", course.url, lesson.url, "/verify/", "/accounts/login/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        _check(response)


def test_trainee_pages_carry_a_strict_policy_and_no_inline_code(client, course):
    person = trainee()
    client.force_login(person)
    for url in ["/my/", "/my/profile/", "/my/privacy/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        _check(response)


def test_sso_providers_may_receive_the_sign_in_form(settings):
    import importlib
    import json
    import os

    os.environ["PAN_OIDC_PROVIDERS"] = json.dumps(
        [{"provider_id": "mia", "name": "MIA", "client_id": "x", "secret": "y",
          "server_url": "https://id.police.example/realms/pan"}]
    )  # fmt: skip
    try:
        from config.settings import base

        importlib.reload(base)
        assert (
            "https://id.police.example" in base.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"]
        )
    finally:
        del os.environ["PAN_OIDC_PROVIDERS"]
        importlib.reload(base)
