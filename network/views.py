"""Thin views of the network app."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import events

from . import privacy as privacy_service
from .models import ErasureRequest


def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def privacy(request: HttpRequest):
    """What the platform holds about me: download it, or ask for it to be erased."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "erase":
            if request.POST.get("confirm", "").strip().upper() != "ERASE":
                messages.error(request, _("To confirm, type ERASE in the box."))
            else:
                erasure = privacy_service.erasure_request(user=request.user)
                messages.success(
                    request,
                    _("Your data will be erased on %(date)s unless you cancel before then.")
                    % {"date": date_format(erasure.due_at, "DATE_FORMAT")},
                )
        elif action == "cancel" and privacy_service.erasure_cancel(user=request.user):
            messages.success(request, _("Your erasure request was cancelled."))
        return redirect("privacy")
    pending = ErasureRequest.objects.filter(user=request.user, completed_at=None).first()
    return TemplateResponse(request, "network/privacy.html", {"pending": pending})


@login_required
def privacy_export(request: HttpRequest) -> HttpResponse:
    archive = privacy_service.personal_data_export(user=request.user, actor=request.user)
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="pan-personal-data.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


def staff_personal_data_export(request: HttpRequest):
    """Wagtail admin: export someone's personal data (data-protection staff). Logged."""
    from django import forms
    from django.core.exceptions import PermissionDenied

    from . import permissions
    from .models import User

    if not request.user.is_superuser:
        raise PermissionDenied

    class ExportForm(forms.Form):
        email = forms.EmailField(label=_("E-mail address of the person"))

    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subject = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if subject is None:
            form.add_error("email", _("No account uses this e-mail address."))
        elif not permissions.can_export_personal_data(request.user, subject):
            raise PermissionDenied
        else:
            archive = privacy_service.personal_data_export(user=subject, actor=request.user)
            response = HttpResponse(archive, content_type="application/zip")
            response["Content-Disposition"] = (
                f'attachment; filename="pan-personal-data-{subject.pk}.zip"'
            )
            response["Cache-Control"] = "private, no-store"
            return response
    return TemplateResponse(request, "network/admin/personal_data_export.html", {"form": form})


def language_set(request: HttpRequest):
    """The language switcher: remembers the choice (Django's language cookie), goes back to the
    same page in the chosen language and, for a signed-in trainee, makes it the language of
    their e-mails and certificates too."""
    from django.conf import settings
    from django.http import HttpResponseNotAllowed, HttpResponseRedirect
    from django.urls import translate_url
    from django.utils.http import url_has_allowed_host_and_scheme
    from django.utils.translation import get_language_from_path

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    language = request.POST.get("language", "")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    if language not in dict(settings.LANGUAGES):
        return HttpResponseRedirect(target)
    # The address without its language prefix, then in the chosen language.
    current = get_language_from_path(target)
    if current and current != settings.LANGUAGE_CODE:
        target = target.removeprefix(f"/{current}") or "/"
    target = translate_url(target, language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    if request.user.is_authenticated:
        # Their e-mails and certificates follow (the trainees app keeps that preference).
        events.language_chosen.send(user_id=request.user.pk, language=language)
    return response
