"""Public verification (no login, rate-limited per client), holders' downloads, and the Open
Badges documents: issuer profiles, the public key, the revocation status list."""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from certificates import permissions as certificate_permissions
from courses import permissions as run_permissions
from network import permissions

from . import badges, selectors
from .forms import VerifyFileForm
from .models import Certificate
from .rendering import format_code


def _limited(request) -> HttpResponse | None:
    if getattr(request, "limited", False):
        response = TemplateResponse(request, "certificates/limited.html", status=429)
        response["Retry-After"] = "60"
        return response
    return None


def _status(certificate: Certificate) -> str:
    if certificate.status == Certificate.Status.REVOKED:
        if certificate.user_id is None and not certificate.snapshot.get("name"):
            return "withdrawn"
        return "revoked"
    if certificate.status == Certificate.Status.SUPERSEDED:
        return "superseded"
    if certificate.expires_at and certificate.expires_at <= timezone.now():
        return "expired"
    return "valid"


def _result(request, certificate: Certificate | None, *, code: str = "", file_check=None):
    context = {"code": code, "file_check": file_check, "form": VerifyFileForm()}
    if certificate is not None:
        context.update(
            certificate=certificate,
            status=_status(certificate),
            current=selectors.current_version(certificate)
            if certificate.status == Certificate.Status.SUPERSEDED
            else None,
            code_display=format_code(certificate.code),
            renewal=selectors.renewal_of(certificate),
        )
    response = TemplateResponse(
        request,
        "certificates/verify.html",
        context,
        status=200 if certificate is not None or file_check is not None else 404,
    )
    # Verification must reflect a revocation at once: nothing caches the answer.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@ratelimit(key="ip", rate=lambda group, request: settings.PAN_VERIFY_RATE, block=False)
@ratelimit(key="ip", rate=lambda group, request: settings.PAN_VERIFY_RATE_HOURLY, block=False)
def verify(request, code: str):
    limited = _limited(request)
    if limited:
        return limited
    normal = selectors.code_normalise(code)
    if normal != code and len(normal) == 13:
        return redirect("verify", code=normal)
    certificate = selectors.certificate_for_verification(code=normal)
    return _result(request, certificate, code=code)


@never_cache
@csrf_exempt  # anyone may check a file; nothing is changed by it
@ratelimit(key="ip", rate=lambda group, request: settings.PAN_VERIFY_RATE, block=False)
@ratelimit(key="ip", rate=lambda group, request: settings.PAN_VERIFY_RATE_HOURLY, block=False)
def verify_start(request):
    """The verification form: a code (GET ?code=) or the PDF itself (POST)."""
    limited = _limited(request)
    if limited:
        return limited
    if request.method == "POST":
        form = VerifyFileForm(request.POST, request.FILES)
        if not form.is_valid():
            response = TemplateResponse(
                request, "certificates/verify.html", {"form": form}, status=400
            )
            response["Cache-Control"] = "no-store"
            return response
        digest = hashlib.sha256()
        for chunk in form.cleaned_data["file"].chunks():
            digest.update(chunk)
        certificate = selectors.certificate_by_sha256(digest=digest.hexdigest())
        return _result(request, certificate, file_check=certificate is not None)
    code = request.GET.get("code", "")
    if code:
        normal = selectors.code_normalise(code)
        if len(normal) == 13:
            return redirect("verify", code=normal)
        response = TemplateResponse(
            request,
            "certificates/verify.html",
            {"form": VerifyFileForm(), "code": code, "bad_code": True},
            status=404,
        )
        response["Cache-Control"] = "no-store"
        return response
    return TemplateResponse(request, "certificates/verify.html", {"form": VerifyFileForm()})


def _own_or_managed(request, code: str) -> Certificate:
    certificate = (
        Certificate.objects.filter(code=selectors.code_normalise(code))
        .select_related("run__course", "run__organiser")
        .first()
    )
    if certificate is None or not certificate.pdf:
        raise Http404
    if certificate.user_id != request.user.pk and not run_permissions.can_manage_run(
        request.user, certificate.run
    ):
        raise PermissionDenied
    return certificate


@login_required
def certificate_pdf(request, code: str):
    certificate = _own_or_managed(request, code)
    response = FileResponse(
        certificate.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=request.GET.get("download") == "1",
        filename=f"certificate-{certificate.code}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def certificate_badge(request, code: str):
    certificate = _own_or_managed(request, code)
    token = badges.credential_jwt(selectors.badge_data(certificate))
    response = HttpResponse(token, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="badge-{certificate.code}.jwt"'
    response["Cache-Control"] = "private, no-store"
    return response


def linkedin_url(certificate: Certificate) -> str:
    """LinkedIn's "Add licence or certification" link, filled in."""
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.snapshot.get("title") or certificate.snapshot.get("course", ""),
        "organizationName": certificate.snapshot.get("institution", ""),
        "issueYear": certificate.issued_at.year,
        "issueMonth": certificate.issued_at.month,
        "certUrl": selectors.verify_url(certificate.code),
        "certId": format_code(certificate.code),
    }
    if certificate.expires_at:
        params["expirationYear"] = certificate.expires_at.year
        params["expirationMonth"] = certificate.expires_at.month
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


# ---------------------------------------------------------------------------------------------
# Open Badges 3.0 documents at stable URLs
# ---------------------------------------------------------------------------------------------


def _json(data: dict, *, max_age: int = 300) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Cache-Control"] = f"public, max-age={max_age}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def issuer_profile(request, institution_id: int):
    institution = selectors.institution(institution_id=institution_id)
    if institution is None:
        raise Http404
    return _json(selectors.issuer_profile(institution=institution))


@require_GET
def public_key(request, kid: str):
    if kid != badges.key_id():
        raise Http404
    return _json(badges.public_jwk(), max_age=3600)


@require_GET
def key_set(request):
    return _json(badges.jwks(), max_age=3600)


@require_GET
def status_list(request, institution_id: int):
    institution = selectors.institution(institution_id=institution_id)
    if institution is None:
        raise Http404
    token = badges.status_list_jwt(
        list_url=selectors.status_list_url(institution_id),
        issuer_id=selectors.issuer_id(institution_id),
        revoked=selectors.revoked_indexes(institution_id=institution_id),
        issued_at=timezone.now(),
        key_url=selectors.key_url(),
    )
    response = HttpResponse(token, content_type="application/vc+jwt")
    # Verifiers see a revocation within a minute.
    response["Cache-Control"] = "public, max-age=60"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def achievement(request, run_id: int, kind: str):
    data = selectors.achievement(run_id=run_id, kind=kind)
    if data is None:
        raise Http404
    return _json(data)


_WINDOWS = (30, 60, 90, 180, 365)


@login_required
def expiring(request):
    """Coordinators: certificates of their institutions expiring within a chosen window, and
    the holders enrolled in a refresher run in one step."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    from courses.models import CourseRun

    from . import services

    if not certificate_permissions.can_watch_certificate_expiry(request.user):
        raise PermissionDenied
    try:
        within = int(request.GET.get("within", 90))
    except ValueError:
        within = 90
    within = within if within in _WINDOWS else 90
    institutions = permissions.coordinated_institutions(request.user)
    refresher_runs = list(
        run_permissions.managed_runs(request.user)
        .filter(start_date__gte=timezone.localdate())
        .exclude(status=CourseRun.Status.CANCELLED)
        .select_related("course")
        .order_by("start_date", "pk")[:100]
    )
    if request.method == "POST":
        run = next((r for r in refresher_runs if str(r.pk) == request.POST.get("run")), None)
        if run is None:
            messages.error(request, _("Choose the refresher run to enrol the holders in."))
        else:
            ids = [int(i) for i in request.POST.getlist("certificate") if i.isdigit()]
            allowed = {
                c.pk
                for c in selectors.certificates_expiring(
                    institution_ids=institutions.values_list("pk", flat=True), within_days=365
                )
            }
            try:
                count = services.holders_enrol_in_refresher(
                    run=run, certificate_ids=[i for i in ids if i in allowed], actor=request.user
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(n)d holder enrolled in %(run)s.",
                        "%(n)d holders enrolled in %(run)s.",
                        count,
                    )
                    % {"n": count, "run": run.display_title},
                )
                return redirect(f"{request.path}?within={within}")
    certificates = selectors.certificates_expiring(
        institution_ids=institutions.values_list("pk", flat=True), within_days=within
    )
    return TemplateResponse(
        request,
        "certificates/expiring.html",
        {
            "certificates": certificates,
            "within": within,
            "windows": _WINDOWS,
            "refresher_runs": refresher_runs,
            "now": timezone.now(),
        },
    )


# ---------------------------------------------------------------------------------------------
# Parts of other apps' pages (core.hooks)
# ---------------------------------------------------------------------------------------------


def run_manage_part(*, request, run, can_manage, **kwargs) -> dict:
    """The certificates of a run's Manage page: each participant's standing against the run's
    rules, and the coordinator's actions (issue, issue anyway, revoke, correct)."""
    if request.method == "POST" and "certificate-action" in request.POST:
        _certificate_action(request, run)
        return {"handled": True}
    return {
        "standings": selectors.run_standings(run=run),
        "has_rules": run.certificate_rules.exists(),
    }


def my_learning_part(*, request, **kwargs) -> dict:
    """A person's certificates on My learning, with their share and LinkedIn links."""
    certificates = selectors.my_certificates(user=request.user)
    for certificate in certificates:
        certificate.share_url = selectors.verify_url(certificate.code)
        certificate.linkedin_url = linkedin_url(certificate)
    return {"certificates": certificates}


def _certificate_action(request, run) -> None:
    """Issue (one person or everyone owed), revoke or correct a certificate of the run."""
    from trainees.models import Enrolment

    from . import services as certificate_services

    action = request.POST["certificate-action"]
    try:
        if action == "issue-all":
            owed = certificate_services.run_certify(run=run, actor=request.user)
            messages.success(
                request,
                _("%(n)s certificates are being issued; refresh in a moment.") % {"n": owed}
                if owed
                else _("Nobody is owed a certificate right now."),
            )
        elif action == "issue":
            enrolment = get_object_or_404(
                Enrolment, pk=request.POST.get("enrolment"), run_id=run.pk
            )
            issued = certificate_services.certificates_issue(
                run=run,
                kind=request.POST.get("kind", ""),
                user_id=enrolment.user_id,
                actor=request.user,
                check_rules=False,
                reason=request.POST.get("reason", ""),
            )
            if issued:
                messages.success(
                    request, _("Certificate %(code)s issued.") % {"code": issued[0].code}
                )
            else:
                messages.info(request, _("This person already holds this certificate."))
        elif action in {"revoke", "correct"}:
            certificate = get_object_or_404(
                Certificate, code=request.POST.get("certificate"), run_id=run.pk
            )
            if action == "revoke":
                certificate_services.certificate_revoke(
                    certificate=certificate,
                    actor=request.user,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(
                    request, _("Certificate %(code)s revoked.") % {"code": certificate.code}
                )
            else:
                new = certificate_services.certificate_correct(
                    certificate=certificate, actor=request.user
                )
                messages.success(
                    request,
                    _("Corrected version %(code)s issued; %(old)s is superseded.")
                    % {"code": new.code, "old": certificate.code},
                )
        else:
            messages.error(request, _("Unknown certificate action."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)


@login_required
def certificate_confirm(request, run_id: int):
    """The question before an irreversible certificate action on a run's Manage page: issuing
    to someone below the rule ("Issue anyway") or revoking. It names the consequence, asks the
    reason the record keeps, and its form posts to the Manage page, which acts."""
    from courses.models import CourseRun
    from trainees.models import Enrolment

    run = get_object_or_404(CourseRun.objects.select_related("course"), pk=run_id)
    if not run_permissions.can_manage_run(request.user, run):
        raise PermissionDenied
    action = request.GET.get("action", "")
    context = {"run": run, "action": action}
    if action == "issue":
        enrolment = get_object_or_404(
            Enrolment.objects.select_related("user__trainee_profile"),
            pk=request.GET.get("enrolment"),
            run_id=run.pk,
        )
        kind = request.GET.get("kind", "")
        standing = next(
            (
                s
                for s in selectors.run_standings(run=run, user_id=enrolment.user_id)
                if s.rule.kind == kind
            ),
            None,
        )
        if standing is None:
            raise Http404
        context.update(enrolment=enrolment, kind=kind, standing=standing)
    elif action == "revoke":
        certificate = get_object_or_404(
            Certificate.objects.select_related("user__trainee_profile"),
            code=request.GET.get("certificate", ""),
            run_id=run.pk,
            status=Certificate.Status.VALID,
        )
        context["certificate"] = certificate
    else:
        raise Http404
    return TemplateResponse(request, "certificates/confirm.html", context)
