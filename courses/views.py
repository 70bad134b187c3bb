"""Thin views for courses: the admin's "adapt a course" form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from courses import permissions as course_permissions

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
