"""Signing in as people do: password, then the authenticator app's code."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from network.auth import totp_code

PASSWORD = "correct-horse-battery"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_authenticator(user, secret: str = SECRET) -> None:
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    TOTP.activate(user, secret)


def staff_login(client, user, secret: str = SECRET) -> None:
    """Sign in through the site's form with the password and a TOTP code."""
    give_authenticator(user, secret)
    client.logout()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response
    assert response["Location"].startswith(reverse("mfa_authenticate")), response["Location"]
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302, response
    assert client.session.get("_auth_user_id") == str(user.pk)
