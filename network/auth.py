"""Helpers for authentication that settings point to."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time


def login_identifier(request, credentials: dict | None) -> str:
    """The account a login attempt is for, the same on every login page: Django's and Wagtail's
    admin post `username`, allauth posts `login` and authenticates with `email`."""
    credentials = credentials or {}
    data = getattr(request, "POST", {}) or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or data.get("login")
        or data.get("username")
        or ""
    )
    return str(value).strip().lower()


def totp_code(secret: str, at: float | None = None) -> str:
    """The code an authenticator app shows for a base32 secret (RFC 6238: 30-second steps,
    6 digits, SHA-1). For the demo's `demo_totp_code` command and the tests' sign-ins."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"
