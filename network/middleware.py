"""Staff pages require multi-factor authentication.

Anyone who can reach a staff page (the Wagtail or Django admin) must have an authenticator, and
the current session must have been confirmed with it. Without one, they are sent to set it up;
signed in without it (a password alone, a sign-in code, the admin's own form), they are asked
for it before going on. Trainees are not affected: for them MFA is optional. Signed-in people
without a staff role get a page saying so.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import permissions

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
# The site's own staff pages: coordinators' queues, trainers' registers, focal points'
# nominations (in every interface language).
MANAGE_PATTERN = re.compile(r"^/(?:[a-z]{2}(?:-[a-z]+)?/)?manage/")
OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/django-admin/login/", "/django-admin/logout/")


def is_staff_user(user) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin"))
    )


def session_confirmed_with_mfa(request) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class StaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if MANAGE_PATTERN.match(path):
            if not request.user.is_authenticated:
                return self.get_response(request)  # the view sends them to sign in
            if not permissions.has_staff_role(request.user):
                return render(request, "403_staff.html", status=403)
            return self._second_factor(request) or self.get_response(request)
        if not path.startswith(ADMIN_PREFIXES) or path.startswith(OPEN_PATHS):
            return self.get_response(request)
        if request.user.is_authenticated and not is_staff_user(request.user):
            # Signed in without a staff role: say so. (Sending them to sign in again would loop,
            # since the sign-in page returns signed-in people to where they came from.)
            return render(request, "403_staff.html", status=403)
        if is_staff_user(request.user):
            return self._second_factor(request) or self.get_response(request)
        return self.get_response(request)

    def _second_factor(self, request):
        """A redirect to set up or confirm the second factor, or None when it is done."""
        next_query = urlencode({"next": request.get_full_path()})
        if not is_mfa_enabled(request.user):
            messages.info(
                request,
                _("Staff pages need two-factor authentication. Set up an authenticator app."),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?{next_query}")
        if not session_confirmed_with_mfa(request):
            return redirect(f"{reverse('mfa_reauthenticate')}?{next_query}")
        return None


class PermissionsPolicyMiddleware:
    """Turns off browser features the platform never uses, on every response."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.policy = getattr(settings, "PAN_PERMISSIONS_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response


class RememberedLanguageMiddleware:
    """A visitor who chose another language with the switcher (Django's language cookie) is
    taken to that language's address of a page they open without a language prefix, so the
    choice holds across visits and links; the pages that have one address in every language
    (sign-in, sign-up, two-factor, the admin's sign-in) are shown in it. After
    LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.http import HttpResponseRedirect
        from django.urls import translate_url
        from django.utils import translation
        from django.utils.translation import get_language_from_path

        if not get_language_from_path(request.path_info):
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            if chosen != settings.LANGUAGE_CODE and chosen in dict(settings.LANGUAGES):
                path = request.get_full_path()
                translated = translate_url(path, chosen)
                if translated == path:  # one address for every language
                    translation.activate(chosen)
                    request.LANGUAGE_CODE = chosen
                elif request.method in ("GET", "HEAD"):
                    response = HttpResponseRedirect(translated)
                    response["Vary"] = "Cookie"
                    return response
        return self.get_response(request)
