"""How allauth speaks and leads for the platform: its e-mails name the platform and link to its
public address, a person signed in goes where an app above says they must go first (a
trainee's profile), and sign-ins through an institution's identity provider are checked."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext

from core import hooks
from core.public_url import public_base_url, public_url


@dataclass(frozen=True)
class PlatformSite:
    """What allauth's e-mails call "the site": the platform's name and public address (not the
    host a request happened to reach, such as 127.0.0.1)."""

    name: str
    domain: str


def platform_site() -> PlatformSite:
    return PlatformSite(
        name=gettext("PAN Training Platform"), domain=urlsplit(public_base_url()).netloc
    )


def _public(url):
    """A link of the platform in an e-mail, on its public address (``PAN_PUBLIC_URL``)."""
    if not isinstance(url, str):
        return url
    parts = urlsplit(url)
    if not (parts.scheme and parts.netloc):
        return url
    return public_url(parts.path + (f"?{parts.query}" if parts.query else ""))


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        return f"{platform_site().name}: {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {key: _public(value) for key, value in context.items()}
        context.update(current_site=platform_site(), platform_url=public_base_url())
        super().send_mail(template_prefix, email, context)

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return _public(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return _public(super().get_reset_password_from_key_url(key))

    def post_login(self, request, user, **kwargs):
        """Once signed in (by password, code, confirmed address or an identity provider), a
        person first goes where an app above says they must (a trainee to complete their
        profile), then on to where they were going."""
        response = super().post_login(request, user, **kwargs)
        if isinstance(response, HttpResponseRedirect):
            first = hooks.sign_in_first_stop.collect(
                request=request, user=user, next_url=response.url
            )
            if first.get("url"):
                response["Location"] = first["url"]
        return response


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request, sociallogin):
        """Refuse a first sign-in whose e-mail address the provider has not verified.

        Such an answer could not be linked to an existing account (that needs a verified
        address) and would otherwise leave a half-made account waiting for a confirmation
        mail. Nothing is created; the person is told why. An identity already linked to an
        account (by the provider's subject id) signs in as before.
        """
        if sociallogin.is_existing:
            return
        if not any(address.verified for address in sociallogin.email_addresses):
            raise ImmediateHttpResponse(
                render(
                    request,
                    "socialaccount/unverified_email.html",
                    {"provider_name": sociallogin.provider.name},
                    status=403,
                )
            )
