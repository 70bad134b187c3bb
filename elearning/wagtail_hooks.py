"""E-learning in the Wagtail admin: packages uploaded by an institution's editors."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import models as model_views
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from network import permissions
from network.models import Membership, User

from . import services
from .forms import LessonPackageForm
from .models import LessonPackage


@hooks.register("register_log_actions")
def register_elearning_log_actions(actions):
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
