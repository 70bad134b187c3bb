"""Helpers for authentication that settings point to."""

from __future__ import annotations


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
