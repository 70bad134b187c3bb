"""Cascades in the Wagtail admin: trainings of trainers held before the platform (organisers),
and the audit log's cascade actions."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ExternalTraining


class ExternalTrainingViewSet(SnippetViewSet):
    model = ExternalTraining
    icon = "history"
    menu_label = _("Earlier ToT courses")
    add_to_admin_menu = False
    list_display = ["title", "organiser", "country", "year"]
    search_fields = ["title", "organiser"]


register_snippet(ExternalTrainingViewSet)


@hooks.register("register_log_actions")
def register_cascade_log_actions(actions):
    actions.register_action("pan.cascade_attach", _("Attach to cascade"), _("Run attached"))


@hooks.register("register_reports_menu_item")
def register_cascade_menu_item():
    return MenuItem(
        _("Cascades"),
        "/manage/cascades/",
        icon_name="site",
        order=700,
    )
