"""The network directory in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import services
from .models import Country, Institution, Membership, ThematicArea


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


class CountryViewSet(SnippetViewSet):
    model = Country
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


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "group"
    menu_label = _("Roles")
    list_display = ["user", "role", "institution", "country", "granted_at"]
    list_filter = ["role"]

    def get_queryset(self, request):
        return Membership.objects.select_related("user", "institution", "country")


class NetworkViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Network")
    menu_icon = "globe"
    menu_order = 150
    items = (InstitutionViewSet, CountryViewSet, ThematicAreaViewSet, MembershipViewSet)


register_snippet(NetworkViewSetGroup)


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    actions.register_action(
        "pan.personal_data_export", _("Export personal data"), _("Personal data exported")
    )
    actions.register_action(
        "pan.personal_data_erase", _("Erase personal data"), _("Personal data erased")
    )
