"""Thin views for courses: the admin's "adapt a course" form, e-learning launches."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from pan_network import permissions

from . import selectors, services
from .forms import AdaptCourseForm
from .models import CoursePage


def course_adapt(request, page_id: int):
    source = get_object_or_404(CoursePage.objects.live(), pk=page_id)
    if not permissions.can_adapt_course(request.user, source):
        raise PermissionDenied
    destinations = selectors.adaptation_destinations(user=request.user)
    form = AdaptCourseForm(request.POST or None, destinations=destinations)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.course_adapt(
                source=source, destination=form.cleaned_data["destination"], user=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("destination", message)
        else:
            messages.success(
                request,
                _("“%(title)s” was copied as a draft. Adapt it, then submit it for moderation.")
                % {"title": copy.title},
            )
            return redirect(reverse("wagtailadmin_pages:edit", args=[copy.pk]))
    return TemplateResponse(
        request,
        "courses/admin/course_adapt.html",
        {"source": source, "form": form, "has_destinations": destinations.exists()},
    )


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

    from pan_network.storage import private_storage

    from .models import LessonPackage

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
    from .models import LessonPage

    return get_object_or_404(LessonPage.objects.live().select_related("package"), pk=lesson_id)


@login_required
def lesson_launch(request, lesson_id: int):
    from trainees import selectors as trainee_selectors

    lesson = _live_lesson(lesson_id)
    if not trainee_selectors.profile_is_complete(user=request.user):
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
        "courses/lesson_launch.html",
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
