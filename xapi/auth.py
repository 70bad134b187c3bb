"""Who is calling the LRS: HTTP Basic with an LRS client's key and secret, or with a launch
token handed to one lesson launch."""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.utils import timezone

from core.public_url import public_base_url

from .errors import XAPIError
from .models import Client, LaunchToken
from .services import Credentials


def _basic(authorization: str) -> tuple[str, str]:
    scheme, _space, value = authorization.partition(" ")
    if scheme.lower() != "basic" or not value:
        raise XAPIError(401, "Authorization: use HTTP Basic with an LRS key and secret")
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise XAPIError(401, "Authorization: not valid Basic credentials") from None
    key, _colon, secret = decoded.partition(":")
    return key, secret


def client_authority(client: Client) -> dict:
    return {
        "objectType": "Agent",
        "name": client.name,
        "account": {"homePage": public_base_url(), "name": client.key},
    }


def authenticate(authorization: str | None) -> Credentials:
    if not authorization:
        raise XAPIError(401, "Authorization: credentials are required")
    key, secret = _basic(authorization)
    client = Client.objects.filter(key=key, is_active=True).first()
    if client is not None and client.check_secret(secret):
        return Credentials(
            authority=client_authority(client),
            can_read=client.can_read,
            can_write=client.can_write,
            own_only=client.scope == Client.Scope.MINE,
            client_id=client.pk,
        )
    token = (
        LaunchToken.objects.select_related("user")
        .filter(key=key, expires_at__gt=timezone.now())
        .first()
    )
    if token is not None and Client.digest(secret) == token.secret_digest:
        return Credentials(
            authority={
                "objectType": "Agent",
                "name": settings.WAGTAIL_SITE_NAME,
                "account": {"homePage": public_base_url(), "name": "pan-launch"},
            },
            own_only=True,
            user_id=token.user_id,
            launch=token,
        )
    raise XAPIError(401, "Authorization: unknown or expired credentials")
