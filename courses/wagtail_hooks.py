"""Courses in the Wagtail admin: the "adapt a network course" flow and course runs."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import models as model_views
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from pan_network import permissions
from pan_network.models import Membership, User

from . import services, views
from .admin_forms import CourseRunForm, LessonPackageForm
from .models import CourseRun, LessonPackage


@hooks.register("register_admin_urls")
def register_course_admin_urls():
    return [path("courses/adapt/<int:page_id>/", views.course_adapt, name="courses_adapt")]


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
        return action in {"change", "view"} and permissions.can_manage_run(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if {"change", "view"} & set(actions):
            return permissions.managed_runs(user)
        return CourseRun.objects.none()

    def users_with_any_permission(self, actions):
        return User.objects.filter(
            Q(is_superuser=True)
            | Q(memberships__role__in=[Membership.Role.ORGANISER, Membership.Role.COORDINATOR])
        ).distinct()


register_permission_policy(CourseRun, CourseRunPermissionPolicy())


class CourseRunCreateView(model_views.CreateView):
    def form_valid(self, form):
        if not permissions.can_schedule_runs_for(self.request.user, form.cleaned_data["organiser"]):
            raise PermissionDenied
        return super().form_valid(form)

    def save_instance(self):
        run = super().save_instance()
        services.run_saved(run=run, before=None, actor=self.request.user)
        return run


class CourseRunEditView(model_views.EditView):
    def get_object(self, queryset=None):
        run = super().get_object(queryset)
        if not permissions.can_manage_run(self.request.user, run):
            raise PermissionDenied
        self.before = services.run_snapshot(run=run)
        return run

    def save_instance(self):
        run = super().save_instance()
        services.run_saved(run=run, before=self.before, actor=self.request.user)
        return run


class CourseRunIndexView(model_views.IndexView):
    def get_base_queryset(self):
        return permissions.managed_runs(self.request.user).select_related("course", "organiser")


class CourseRunInspectView(model_views.InspectView):
    def get_object(self, queryset=None):
        run = super().get_object(queryset)
        if not permissions.can_manage_run(self.request.user, run):
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
    actions.register_action("pan.lesson_waive", _("Waive lesson"), _("Lesson waived for a trainee"))


# ---------------------------------------------------------------------------------------------
# E-learning packages: uploaded by an institution's editors
# ---------------------------------------------------------------------------------------------


class LessonPackagePermissionPolicy(BasePermissionPolicy):
    def __init__(self):
        super().__init__(LessonPackage)

    def user_has_permission(self, user, action):
        return action in {"add", "view", "delete"} and (
            permissions.editable_institutions(user).exists()
        )

    def user_has_permission_for_instance(self, user, action, instance):
        return action in {"view", "delete"} and permissions.can_edit_institution(
            user, instance.institution
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return LessonPackage.objects.filter(institution__in=permissions.editable_institutions(user))

    def users_with_any_permission(self, actions):
        return User.objects.filter(
            Q(is_superuser=True) | Q(memberships__role=Membership.Role.EDITOR)
        ).distinct()


register_permission_policy(LessonPackage, LessonPackagePermissionPolicy())


class LessonPackageIndexView(model_views.IndexView):
    def get_base_queryset(self):
        return LessonPackage.objects.filter(
            institution__in=permissions.editable_institutions(self.request.user)
        ).select_related("institution")


class LessonPackageCreateView(model_views.CreateView):
    def save_instance(self):
        form = self.form
        return services.package_upload(
            content=form.content,
            filename=form.cleaned_data["upload"].name,
            institution=form.cleaned_data["institution"],
            title=form.cleaned_data.get("title") or "",
            actor=self.request.user,
        )


class LessonPackageDeleteView(model_views.DeleteView):
    def get_object(self, queryset=None):
        package = super().get_object(queryset)
        if not permissions.can_edit_institution(self.request.user, package.institution):
            raise PermissionDenied
        return package


class LessonPackageViewSet(ModelViewSet):
    model = LessonPackage
    icon = "media"
    menu_label = _("E-learning packages")
    menu_order = 165
    add_to_admin_menu = True
    index_view_class = LessonPackageIndexView
    add_view_class = LessonPackageCreateView
    delete_view_class = LessonPackageDeleteView
    list_display = ["title", "kind", "institution", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    ordering = ["-uploaded_at"]
    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("institution"), FieldPanel("upload")],
        base_form_class=LessonPackageForm,
    )


@hooks.register("register_admin_viewset")
def register_lesson_package_viewset():
    return LessonPackageViewSet("lesson_packages")
