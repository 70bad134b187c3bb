"""Courses in the Wagtail admin: the "adapt a network course" flow, "New course", the academy
editors' and network moderators' dashboard panels, the history of pages published or sent back
with their course, and course runs."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic import models as model_views
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from network import permissions
from network.models import Membership, User

from . import dashboard, services, views
from . import permissions as run_permissions
from .admin_forms import CourseRunForm
from .models import CourseRun


@hooks.register("register_admin_urls")
def register_course_admin_urls():
    return [
        path("courses/adapt/<int:page_id>/", views.course_adapt, name="courses_adapt"),
        path("courses/new/", views.course_new, name="courses_new"),
    ]


@hooks.register("register_admin_menu_item")
def register_catalogue_menu_item():
    # Editors find courses of other institutions to adapt through the public catalogue.
    return MenuItem(
        _("Network catalogue"),
        reverse("wagtail_serve", args=["courses/"]),
        icon_name="search",
        order=160,
    )


# ---------------------------------------------------------------------------------------------
# Course runs: scheduled by the coordinators of the organiser institution (and organisers)
# ---------------------------------------------------------------------------------------------


class CourseRunPermissionPolicy(BasePermissionPolicy):
    def __init__(self):
        super().__init__(CourseRun)

    def user_has_permission(self, user, action):
        if action in {"add", "change", "view", "delete"}:
            return permissions.coordinated_institutions(user).exists()
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete":
            return False  # runs are cancelled, never deleted: people's records hang on them
        return action in {"change", "view"} and run_permissions.can_manage_run(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if {"change", "view"} & set(actions):
            return run_permissions.managed_runs(user)
        return CourseRun.objects.none()

    def users_with_any_permission(self, actions):
        return User.objects.filter(
            Q(is_superuser=True)
            | Q(memberships__role__in=[Membership.Role.ORGANISER, Membership.Role.COORDINATOR])
        ).distinct()


register_permission_policy(CourseRun, CourseRunPermissionPolicy())


class CourseRunCreateView(model_views.CreateView):
    def form_valid(self, form):
        if not run_permissions.can_schedule_runs_for(
            self.request.user, form.cleaned_data["organiser"]
        ):
            raise PermissionDenied
        return super().form_valid(form)

    def save_instance(self):
        run = super().save_instance()
        services.run_saved(run=run, before=None, actor=self.request.user)
        return run


class CourseRunEditView(model_views.EditView):
    def get_object(self, queryset=None):
        run = super().get_object(queryset)
        if not run_permissions.can_manage_run(self.request.user, run):
            raise PermissionDenied
        self.before = services.run_snapshot(run=run)
        return run

    def save_instance(self):
        run = super().save_instance()
        services.run_saved(run=run, before=self.before, actor=self.request.user)
        return run


class CourseRunIndexView(model_views.IndexView):
    def get_base_queryset(self):
        return run_permissions.managed_runs(self.request.user).select_related("course", "organiser")


class CourseRunInspectView(model_views.InspectView):
    def get_object(self, queryset=None):
        run = super().get_object(queryset)
        if not run_permissions.can_manage_run(self.request.user, run):
            raise PermissionDenied
        return run


class CourseRunViewSet(ModelViewSet):
    model = CourseRun
    icon = "date"
    menu_label = _("Course runs")
    menu_order = 170
    add_to_admin_menu = True
    index_view_class = CourseRunIndexView
    add_view_class = CourseRunCreateView
    edit_view_class = CourseRunEditView
    inspect_view_class = CourseRunInspectView
    list_display = ["__str__", "organiser", "start_date", "capacity", "enrolment_policy", "status"]
    list_filter = ["status", "enrolment_policy", "delivery_mode"]
    search_fields = ["title", "course__title", "venue"]
    ordering = ["-start_date"]
    inspect_view_enabled = True
    edit_handler = ObjectList(CourseRun.panels, base_form_class=CourseRunForm)


@hooks.register("register_admin_viewset")
def register_course_run_viewset():
    return CourseRunViewSet("course_runs")


@hooks.register("register_log_actions")
def register_run_log_actions(actions):
    actions.register_action("pan.run_cancel", _("Cancel course run"), _("Course run cancelled"))

    @actions.register_action("pan.submission_approve")
    class SubmissionApproved(LogFormatter):
        label = _("Published with a course's approval")

        def format_message(self, log_entry):
            return _("Published with “%(title)s”, which the moderators approved") % {
                "title": (log_entry.data.get("submitted_page") or {}).get("title", "")
            }

    @actions.register_action("pan.submission_reject")
    class SubmissionChangesRequested(LogFormatter):
        label = _("Changes requested with a course")

        def format_message(self, log_entry):
            return _("Changes requested to “%(title)s”, with which this page was submitted") % {
                "title": (log_entry.data.get("submitted_page") or {}).get("title", "")
            }

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")


# ---------------------------------------------------------------------------------------------
# Editing and moderation: the dashboard for academy editors and network moderators, and "New
# course", which asks for the curriculum when there are several
# ---------------------------------------------------------------------------------------------


@hooks.register("construct_homepage_panels")
def dashboard_panels(request, panels):
    dashboard.panels_for(request, panels)
