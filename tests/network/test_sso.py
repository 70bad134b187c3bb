"""Single sign-on through an institution's OpenID Connect provider, against a provider running
on loopback (tests/fake_oidc.py): discovery, redirects, PKCE and the token exchange are real."""

from urllib.parse import urlparse

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp

from network.models import User

from ..factories import UserFactory
from ..fake_oidc import CLIENT_ID, CLIENT_SECRET, FakeOIDCProvider, Identity

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    fake = FakeOIDCProvider().start()
    yield fake
    fake.stop()


@pytest.fixture
def configured(provider, settings):
    """The provider configured from settings, as PAN_OIDC_PROVIDERS does."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": [provider.app_settings()]}
    }
    return provider


def sign_in_through(client, provider, provider_id="academy-idp"):
    """Follow the whole dance: our login view, the provider's authorisation, our callback."""
    start = client.post(f"/accounts/oidc/{provider_id}/login/")
    assert start.status_code == 302, start.content
    assert start["Location"].startswith(provider.issuer)
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    callback = urlparse(at_provider.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def test_login_page_offers_the_provider(client, home, configured):
    page = client.get("/accounts/login/").content.decode()
    assert "Academy sign-in" in page


def test_new_person_with_verified_address_gets_an_account(client, home, configured):
    configured.identity = Identity(
        sub="u-1", email="new.officer@example.org", given_name="Nino", family_name="Beridze"
    )
    response = sign_in_through(client, configured)
    assert response.status_code == 302
    user = User.objects.get(email="new.officer@example.org")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert EmailAddress.objects.get(user=user).verified
    assert SocialAccount.objects.get(user=user).uid == "u-1"
    assert configured.token_requests == 1


def test_existing_account_is_linked_by_verified_address(client, home, configured):
    person = UserFactory(email="officer@example.org")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    configured.identity = Identity(sub="u-2", email="officer@example.org")
    response = sign_in_through(client, configured)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)
    assert SocialAccount.objects.get(uid="u-2").user == person
    assert User.objects.count() == 1
    # The second time, the provider's subject id finds the account directly.
    client.logout()
    sign_in_through(client, configured)
    assert client.session["_auth_user_id"] == str(person.pk)
    assert SocialAccount.objects.count() == 1


def test_unverified_address_is_refused_and_nothing_is_created(client, home, configured):
    person = UserFactory(email="officer@example.org")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    configured.identity = Identity(sub="u-3", email="officer@example.org", email_verified=False)
    response = sign_in_through(client, configured)
    assert response.status_code == 403
    assert "did not confirm that the e-mail address" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    configured.identity = Identity(sub="u-4", email="stranger@example.org", email_verified=False)
    sign_in_through(client, configured)
    assert not User.objects.filter(email="stranger@example.org").exists()


def test_provider_configured_in_the_admin(client, home, provider, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="border-police",
        name="Border Police sign-in",
        client_id=CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={"server_url": provider.issuer},
    )
    provider.identity = Identity(sub="b-1", email="guard@example.org")
    response = sign_in_through(client, provider, provider_id="border-police")
    assert response.status_code == 302
    assert User.objects.filter(email="guard@example.org").exists()


def test_staff_signing_in_through_the_provider_still_need_their_second_factor(
    client, home, configured, editor
):
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)
    configured.identity = Identity(sub="e-1", email=editor.email)
    sign_in_through(client, configured)
    assert client.session["_auth_user_id"] == str(editor.pk)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/2fa/" in response["Location"]
