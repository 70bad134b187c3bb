"""Thin views for courses in the admin: "adapt a course", and "New course", which asks for the
curriculum when there are several."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from courses import permissions as course_permissions
from network import permissions as network_permissions

from . import selectors, services
from .forms import AdaptCourseForm
from .models import CoursePage


def course_adapt(request, page_id: int):
    source = get_object_or_404(CoursePage.objects.live(), pk=page_id)
    if not course_permissions.can_adapt_course(request.user, source):
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


def course_new(request):
    """Where a new course goes: straight to the editor when the person writes for one curriculum,
    otherwise a choice of their curricula (and, without any, of where to start one)."""
    curricula = list(selectors.adaptation_destinations(user=request.user))
    if len(curricula) == 1:
        return redirect(
            reverse("wagtailadmin_pages:add", args=["courses", "coursepage", curricula[0].pk])
        )
    institutions = {
        i.page.path: i
        for i in network_permissions.editable_institutions(request.user)
        .filter(page__isnull=False)
        .select_related("page")
    }
    choices = [
        {
            "curriculum": c,
            "institution": next(
                (i for path, i in institutions.items() if c.path.startswith(path)), None
            ),
        }
        for c in curricula
    ]
    return TemplateResponse(
        request,
        "courses/admin/course_new.html",
        {
            "choices": choices,
            "several_institutions": len(institutions) > 1,
            "institutions": sorted(institutions.values(), key=lambda i: i.name),
        },
    )
