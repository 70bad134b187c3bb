"""Certificates in the Wagtail admin: each institution's templates (with a PDF preview), and
the audit log's certificate actions. Rules are edited with the course run; issuing and revoking
happen on the run's Manage page."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser as snippet_choosers
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from network import permissions
from network.models import Membership, User

from .admin_forms import CertificateTemplateForm
from .models import CertificateTemplate


class CertificateTemplatePermissionPolicy(BasePermissionPolicy):
    """Coordinators keep their institutions' templates; organisers keep everyone's and the
    network's, which every coordinator may see and use."""

    def __init__(self):
        super().__init__(CertificateTemplate)

    def user_has_permission(self, user, action):
        return action in {"add", "change", "delete", "view"} and (
            permissions.coordinated_institutions(user).exists()
        )

    def user_has_permission_for_instance(self, user, action, instance):
        if not permissions.is_active_user(user):
            return False
        if instance.institution_id is None:
            if action == "view":
                return permissions.coordinated_institutions(user).exists()
            return action in {"change", "delete"} and permissions.runs_the_network(user)
        return action in {"change", "delete", "view"} and (
            permissions.coordinated_institutions(user).filter(pk=instance.institution_id).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        own = CertificateTemplate.objects.filter(
            institution__in=permissions.coordinated_institutions(user)
        )
        if permissions.runs_the_network(user) or (
            "view" in actions and permissions.coordinated_institutions(user).exists()
        ):
            return own | CertificateTemplate.objects.filter(institution__isnull=True)
        return own

    def users_with_any_permission(self, actions):
        return User.objects.filter(
            Q(is_superuser=True)
            | Q(memberships__role__in=[Membership.Role.COORDINATOR, Membership.Role.ORGANISER])
        ).distinct()


def usable_templates(user):
    """The templates a person may put on a run's certificate rules: their institutions' and
    the network's (none for people who schedule no runs)."""
    institutions = permissions.coordinated_institutions(user)
    if not institutions.exists():
        return CertificateTemplate.objects.none()
    return CertificateTemplate.objects.filter(
        Q(institution__in=institutions) | Q(institution__isnull=True)
    )


register_permission_policy(CertificateTemplate, CertificateTemplatePermissionPolicy())


class _OwnTemplateOnly:
    """Wagtail's edit, delete, history and usage views check the model-level permission only:
    each object is checked against the policy here, so that a coordinator cannot open another
    institution's template by its URL."""

    instance_action = "change"

    def get_object(self, *args, **kwargs):
        template = super().get_object(*args, **kwargs)
        policy = CertificateTemplatePermissionPolicy()
        if not policy.user_has_permission_for_instance(
            self.request.user, self.instance_action, template
        ):
            raise PermissionDenied
        return template


class TemplateEditView(_OwnTemplateOnly, snippet_views.EditView):
    pass


class TemplateDeleteView(_OwnTemplateOnly, snippet_views.DeleteView):
    instance_action = "delete"


class TemplateHistoryView(_OwnTemplateOnly, snippet_views.HistoryView):
    pass


class TemplateUsageView(_OwnTemplateOnly, snippet_views.UsageView):
    pass


class TemplateInspectView(_OwnTemplateOnly, snippet_views.InspectView):
    instance_action = "view"


class TemplateChooseView(snippet_choosers.ChooseView):
    """The chooser of a run's certificate rules offers only what the person may use."""

    def get_object_list(self):
        return usable_templates(self.request.user).select_related("institution")


class TemplateChooseResultsView(snippet_choosers.ChooseResultsView):
    def get_object_list(self):
        return usable_templates(self.request.user).select_related("institution")


class TemplateChosenView(snippet_choosers.SnippetChosenView):
    def get_object(self, pk):
        return get_object_or_404(usable_templates(self.request.user), pk=pk)


class TemplateChooserViewSet(snippet_choosers.SnippetChooserViewSet):
    choose_view_class = TemplateChooseView
    choose_results_view_class = TemplateChooseResultsView
    chosen_view_class = TemplateChosenView


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    chooser_viewset_class = TemplateChooserViewSet
    icon = "doc-full"
    menu_label = _("Certificate templates")
    menu_order = 170
    add_to_admin_menu = True
    list_display = ["name", "institution", "orientation", "updated_at"]
    search_fields = ["name"]
    # The form that limits the institution to the person's (a viewset's own base_form_class
    # attribute is not read by Wagtail: the edit handler carries it).
    edit_handler = ObjectList(CertificateTemplate.panels, base_form_class=CertificateTemplateForm)
    edit_view_class = TemplateEditView
    delete_view_class = TemplateDeleteView
    history_view_class = TemplateHistoryView
    usage_view_class = TemplateUsageView
    inspect_view_class = TemplateInspectView

    def get_queryset(self, request):
        return usable_templates(request.user).select_related("institution")


register_snippet(CertificateTemplateViewSet)


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    actions.register_action(
        "pan.certificate_issue", _("Issue certificate"), _("Certificate issued")
    )
    actions.register_action(
        "pan.certificate_issue_anyway",
        _("Issue certificate although the rule is not met"),
        _("Certificate issued although the rule was not met"),
    )
    actions.register_action(
        "pan.certificate_revoke", _("Revoke certificate"), _("Certificate revoked")
    )
    actions.register_action(
        "pan.certificate_correct",
        _("Correct certificate"),
        _("Corrected certificate issued"),
    )
