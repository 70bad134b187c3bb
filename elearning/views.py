"""Thin views for e-learning: package files in their sandbox, launches, quiz answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from trainees.selectors import profile_is_complete

from . import services

# ---------------------------------------------------------------------------------------------
# E-learning: package files, launches, quizzes
# ---------------------------------------------------------------------------------------------

# Package files run in an opaque origin: even opened directly, their scripts cannot read the
# platform's cookies or pages (the launch page also frames them with the same sandbox).
PACKAGE_SANDBOX = "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads"


@xframe_options_sameorigin
def package_file(request, package_id: int, name: str):
    import mimetypes

    from django.http import FileResponse, Http404

    from elearning.models import LessonPackage
    from network.storage import private_storage

    if ".." in name.split("/") or name.startswith("/"):
        raise Http404
    package = get_object_or_404(LessonPackage, pk=package_id)
    path = package.file_path(name)
    if not private_storage.exists(path):
        raise Http404
    content_type, _encoding = mimetypes.guess_type(name)
    response = FileResponse(
        private_storage.open(path, "rb"), content_type=content_type or "application/octet-stream"
    )
    # Framed only by the platform's own launch page.
    response["Content-Security-Policy"] = f"{PACKAGE_SANDBOX}; frame-ancestors 'self'"
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _live_lesson(lesson_id: int):
    from courses.models import LessonPage

    return get_object_or_404(LessonPage.objects.live().select_related("package"), pk=lesson_id)


@login_required
def lesson_launch(request, lesson_id: int):
    lesson = _live_lesson(lesson_id)
    if not profile_is_complete(user=request.user):
        messages.info(request, _("Complete your trainee profile before starting a lesson."))
        return redirect(f"{reverse('trainees:profile')}?next={request.path}")
    try:
        launch = services.lesson_launch(
            user=request.user, lesson=lesson, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(lesson.url)
    sandbox = SCORM_SANDBOX if launch.get("scorm") else PACKAGE_SANDBOX
    response = TemplateResponse(
        request,
        "elearning/lesson_launch.html",
        {"lesson": lesson, "launch": launch, "sandbox": sandbox.removeprefix("sandbox ")},
    )
    if launch.get("origin"):
        response._csp_update = {"frame-src": [launch["origin"]]}
    return response


@login_required
@require_POST
def quiz_submit(request, lesson_id: int):
    lesson = _live_lesson(lesson_id)
    answers: dict[str, list[int]] = {}
    for key, values in request.POST.lists():
        if key.startswith("q-"):
            try:
                answers[key.removeprefix("q-")] = [int(v) for v in values]
            except ValueError:
                return JsonResponse({"error": _("Answers must be numbers.")}, status=400)
    try:
        result = services.quiz_submit(user=request.user, lesson=lesson, answers=answers)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse(result)


# ---------------------------------------------------------------------------------------------
# SCORM, on the package origin (elearning/package_urls.py)
# ---------------------------------------------------------------------------------------------

# On the package origin frames of one package share that origin (a SCO's pages script each
# other), and nothing of the platform's is there to reach.
SCORM_SANDBOX = (
    "sandbox allow-scripts allow-same-origin allow-forms allow-popups allow-modals allow-downloads"
)
SCORM_API_FILES = {
    "scorm12": "vendor/scorm-again-3.4.3/scorm12.min.js",
    "scorm2004": "vendor/scorm-again-3.4.3/scorm2004.min.js",
}


@login_required
@require_POST
def scorm_replay(request, lesson_id: int):
    """Commits the player kept in the browser while the connection was down (see
    static/elearning/scorm-lesson.js), sent again before the SCO opens."""
    import json

    lesson = _live_lesson(lesson_id)
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("attempt"), int):
        return JsonResponse(
            {"errors": {"attempt": [_("Send the attempt's number and its commits as JSON.")]}},
            status=400,
        )
    try:
        answer = services.scorm_replay(
            user=request.user,
            lesson=lesson,
            attempt_number=payload["attempt"],
            commits=payload.get("commits"),
        )
    except ValidationError as error:
        return JsonResponse({"errors": error.message_dict}, status=400)
    return JsonResponse(answer)


def _attempt_or_404(package_id: int, token: str):
    from django.http import Http404

    from .models import ScormAttempt

    attempt = (
        ScormAttempt.objects.filter(token=token, package_id=package_id)
        .select_related("package")
        .first()
    )
    if attempt is None:
        raise Http404
    return attempt


def _platform_origins(request) -> list[str]:
    """The platform's own origins (the pages that frame the SCO), same scheme and port."""
    from django.conf import settings

    scheme, port = request.scheme, request.get_port()
    default = {"http": "80", "https": "443"}.get(scheme)
    suffix = "" if port == default else f":{port}"
    hosts = [
        h
        for h in settings.ALLOWED_HOSTS
        if h and "*" not in h and not h.startswith(".") and h != settings.PAN_PACKAGE_HOST
    ]
    return [f"{scheme}://{host}{suffix}" for host in hosts]


def _frame_ancestors(request, *extra: str) -> str:
    """The CSP directive that lets only the platform's pages (and ``extra``) frame a response."""
    return "frame-ancestors " + (" ".join([*extra, *_platform_origins(request)]) or "'none'")


def _static_bytes(name: str) -> bytes:
    from django.contrib.staticfiles import finders

    path = finders.find(name)
    with open(path, "rb") as handle:
        return handle.read()


def scorm_file(request, package_id: int, token: str, name: str):
    """A file of the attempt's package, as it is."""
    import mimetypes

    from django.http import FileResponse, Http404

    from network.storage import private_storage

    if ".." in name.split("/") or name.startswith("/"):
        raise Http404
    attempt = _attempt_or_404(package_id, token)
    path = attempt.package.file_path(name)
    if not private_storage.exists(path):
        raise Http404
    content_type, _encoding = mimetypes.guess_type(name)
    response = FileResponse(
        private_storage.open(path, "rb"), content_type=content_type or "application/octet-stream"
    )
    # Every ancestor counts: the player on this origin, and the platform's page above it.
    response["Content-Security-Policy"] = f"{SCORM_SANDBOX}; " + _frame_ancestors(request, "'self'")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def scorm_player(request, package_id: int, token: str):
    """The LMS window of the package origin: it holds the run-time API and frames the SCO, which
    finds the API in its parent window (as SCOs look for it), on the same origin."""
    from django.http import HttpResponse
    from django.utils.html import format_html

    attempt = _attempt_or_404(package_id, token)
    activity = attempt.package.unit(attempt.activity_id) or {}
    launch = activity.get("launch", "") + (activity.get("launch_parameters") or "")
    base = f"/packages/{package_id}/a/{token}/"
    page = format_html(
        '<!doctype html><html><head><meta charset="utf-8"><title>{}</title>'
        "<style>html,body,iframe{{margin:0;border:0;width:100%;height:100%;display:block}}"
        '</style><script src="{}~/api.js"></script><script src="{}~/runtime.js"></script>'
        '</head><body><iframe src="{}{}" title="{}" allow="fullscreen; autoplay">'
        "</iframe></body></html>",
        attempt.package.title,
        base,
        base,
        base,
        launch,
        activity.get("title", attempt.package.title),
    )
    response = HttpResponse(page, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = (
        f"{SCORM_SANDBOX}; default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; "
        + _frame_ancestors(request)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def scorm_api_js(request, package_id: int, token: str):
    from django.http import HttpResponse

    attempt = _attempt_or_404(package_id, token)
    response = HttpResponse(
        _static_bytes(SCORM_API_FILES[attempt.package.kind]), content_type="text/javascript"
    )
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def scorm_runtime_js(request, package_id: int, token: str):
    """The attempt's data model and commit address, then the script that sets the API up."""
    import json

    from django.http import Http404, HttpResponse

    runtime = services.scorm_runtime(token=token, package_id=package_id)
    if runtime is None:
        raise Http404
    config = {
        "kind": runtime["kind"],
        "cmi": runtime["cmi"],
        "commitUrl": f"/packages/{package_id}/a/{token}/~/commit",
        # The platform's pages that frame the player: commits the player holds while the
        # connection is down are handed to them (scorm-runtime.js).
        "pageOrigins": _platform_origins(request),
    }
    # As a JavaScript literal: "</script>" or U+2028 in suspend data cannot end the script.
    literal = (
        json.dumps(config)
        .replace("<", "\\u003c")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    body = f"window.PAN_SCORM = {literal};\n".encode() + _static_bytes("elearning/scorm-runtime.js")
    response = HttpResponse(body, content_type="text/javascript")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@csrf_exempt  # the package origin has no session: the attempt's token is the credential
@require_POST
def scorm_commit(request, package_id: int, token: str):
    answer = services.scorm_commit(
        token=token,
        body=request.body,
        final=request.GET.get("final") == "true",
        package_id=package_id,
    )
    status = answer.pop("status")
    response = JsonResponse(
        {**answer, "result": "true" if answer["result"] else "false"}, status=status
    )
    response["Cache-Control"] = "no-store"
    return response


def package_origin_not_found(request, exception=None):
    from django.http import HttpResponseNotFound

    return HttpResponseNotFound("Not found.", content_type="text/plain; charset=utf-8")


def package_origin_error(request):
    from django.http import HttpResponseServerError

    return HttpResponseServerError("Server error.", content_type="text/plain; charset=utf-8")


def run_manage_part(*, request, run, table, can_manage, **kwargs) -> dict:
    """The lesson-waiver form on a run's Manage page (core.hooks.run_manage_page): a
    participant who tested out or did equivalent training has a lesson counted as met."""
    from .forms import WaiverForm

    if request.method != "POST" or "waiver-lesson" not in request.POST:
        return {"waiver": WaiverForm(rows=table["rows"], lessons=table["lessons"])}
    waiver = WaiverForm(request.POST, rows=table["rows"], lessons=table["lessons"])
    if not waiver.is_valid():
        return {"waiver": waiver, "claimed": True}
    enrolment = next(
        r["enrolment"]
        for r in table["rows"]
        if r["enrolment"].pk == waiver.cleaned_data["enrolment"]
    )
    lesson = next(x for x in table["lessons"] if x.pk == waiver.cleaned_data["lesson"])
    try:
        services.lesson_waive(
            lesson=lesson,
            user=enrolment.user,
            actor=request.user,
            reason=waiver.cleaned_data["reason"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return {"waiver": waiver, "claimed": True}
    messages.success(
        request,
        _("“%(lesson)s” waived for %(name)s.")
        % {"lesson": lesson.title, "name": enrolment.user.get_full_name() or enrolment.user.email},
    )
    return {"handled": True}
