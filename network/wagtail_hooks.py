"""The network directory in the Wagtail admin."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Q, Value, When
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser as snippet_choosers
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import permissions, services, views
from .admin_forms import MembershipForm
from .models import Country, Institution, Membership, ThematicArea, User
from .names import translated


class InstitutionCreateView(CreateView):
    def save_instance(self):
        institution = super().save_instance()
        # A new institution gets its page, media collection and editors group at once.
        return services.institution_provision(institution=institution)


class InstitutionViewSet(SnippetViewSet):
    model = Institution
    icon = "site"
    menu_label = _("Institutions")
    add_view_class = InstitutionCreateView
    list_display = ["name", "kind", "country", "city", Column("page", label=_("Page"))]
    list_filter = ["kind", "country"]
    search_fields = ["name", "short_name", "city"]
    ordering = ["name"]

    def get_queryset(self, request):
        return Institution.objects.select_related("country", "page")


class CountrySearchForm(BaseFilterForm):
    """The country chooser's search: by name, in English or in the interface's language, or
    by ISO code. Countries are few (the network's 68) and their names in other languages come
    from the interface's catalogue, not from a search index, so they are matched here."""

    q = forms.CharField(
        label=_("Search term"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Country name or ISO code")}),
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        self.is_searching = True
        self.search_query = query
        folded = query.casefold()
        # Best first: the country whose code it is, then names that start with it, then names
        # that contain it.
        ranks = {}
        for pk, code, iso3, name in objects.values_list("pk", "code", "iso3", "name"):
            names = [name.casefold(), translated(name).casefold()]
            if folded in {code.casefold(), iso3.casefold()}:
                ranks[pk] = 0
            elif any(n.startswith(folded) for n in names):
                ranks[pk] = 1
            elif any(folded in n for n in names):
                ranks[pk] = 2
        rank = Case(*(When(pk=pk, then=Value(r)) for pk, r in ranks.items()), default=Value(3))
        return objects.filter(pk__in=ranks).order_by(rank, "name")


class CountryChooseView(snippet_choosers.ChooseView):
    filter_form_class = CountrySearchForm


class CountryChooseResultsView(snippet_choosers.ChooseResultsView):
    filter_form_class = CountrySearchForm


class CountryChooserViewSet(snippet_choosers.SnippetChooserViewSet):
    choose_view_class = CountryChooseView
    choose_results_view_class = CountryChooseResultsView


class CountryViewSet(SnippetViewSet):
    model = Country
    chooser_viewset_class = CountryChooserViewSet
    chooser_per_page = 20
    icon = "globe"
    menu_label = _("Countries")
    list_display = ["name", "code", "status", "region"]
    list_filter = ["status", "region"]
    search_fields = ["name", "code"]
    ordering = ["name"]


class ThematicAreaViewSet(SnippetViewSet):
    model = ThematicArea
    icon = "tag"
    menu_label = _("Thematic areas")
    list_display = ["name", "slug", "kind", "parent"]
    list_filter = ["kind"]
    ordering = ["sort_order", "name"]


class MembershipPermissionPolicy(BasePermissionPolicy):
    """Roles in the admin follow network.permissions: organisers grant and revoke any role,
    coordinators the editor, coordinator and trainer roles of the institutions they coordinate.
    A role is never edited in place: it is revoked and another granted, both logged."""

    def __init__(self):
        super().__init__(Membership)

    def user_has_permission(self, user, action):
        return action in {"add", "view", "delete"} and bool(permissions.grantable_roles(user))

    def user_has_permission_for_instance(self, user, action, instance):
        return action in {"view", "delete"} and permissions.can_revoke_membership(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if {"view", "delete"} & set(actions):
            return permissions.manageable_memberships(user)
        return Membership.objects.none()

    def users_with_any_permission(self, actions):
        return (
            User.objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True)
                | Q(memberships__role__in=[Membership.Role.ORGANISER, Membership.Role.COORDINATOR])
            )
            .distinct()
        )


register_permission_policy(Membership, MembershipPermissionPolicy())


class MembershipCreateView(snippet_views.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.membership_grant(
            user=data["person"],
            role=data["role"],
            institution=data.get("institution"),
            country=data.get("country"),
            actor=self.request.user,
        )


class MembershipDeleteView(snippet_views.DeleteView):
    def get_object(self, queryset=None):
        membership = super().get_object(queryset)
        if not permissions.can_revoke_membership(self.request.user, membership):
            raise PermissionDenied
        return membership

    def delete_action(self):
        services.membership_revoke(membership=self.object, actor=self.request.user)


class MembershipInspectView(snippet_views.InspectView):
    def get_object(self, queryset=None):
        membership = super().get_object(queryset)
        if not permissions.can_revoke_membership(self.request.user, membership):
            raise PermissionDenied
        return membership


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "group"
    menu_label = _("Roles")
    add_view_class = MembershipCreateView
    delete_view_class = MembershipDeleteView
    inspect_view_class = MembershipInspectView
    inspect_view_enabled = True
    list_display = ["user", "role", "institution", "country", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__email"]
    ordering = ["institution__name", "role", "user__email"]

    edit_handler = ObjectList(
        [FieldPanel("email"), FieldPanel("role"), FieldPanel("institution"), FieldPanel("country")],
        base_form_class=MembershipForm,
    )

    def get_queryset(self, request):
        return permissions.manageable_memberships(request.user).select_related(
            "user", "institution", "country"
        )


class NetworkViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Network")
    menu_icon = "globe"
    menu_order = 150
    items = (InstitutionViewSet, CountryViewSet, ThematicAreaViewSet, MembershipViewSet)


register_snippet(NetworkViewSetGroup)


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    actions.register_action("pan.role_grant", _("Grant role"), _("Role granted"))
    actions.register_action("pan.role_revoke", _("Revoke role"), _("Role revoked"))
    actions.register_action(
        "pan.personal_data_export", _("Export personal data"), _("Personal data exported")
    )
    actions.register_action(
        "pan.personal_data_erase", _("Erase personal data"), _("Personal data erased")
    )


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return [
        path(
            "personal-data/",
            views.staff_personal_data_export,
            name="pan_personal_data_export",
        )
    ]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_personal_data_menu_item():
    return SuperuserMenuItem(
        _("Personal data export"),
        reverse("pan_personal_data_export"),
        icon_name="download",
        order=900,
    )
