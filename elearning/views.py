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

    from courses.models import LessonPackage
    from pan_network.storage import private_storage

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
    return TemplateResponse(
        request,
        "elearning/lesson_launch.html",
        {"lesson": lesson, "launch": launch, "sandbox": PACKAGE_SANDBOX.removeprefix("sandbox ")},
    )


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
