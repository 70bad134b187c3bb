"""How allauth treats sign-ins through an institution's identity provider."""

from __future__ import annotations

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.shortcuts import render


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
