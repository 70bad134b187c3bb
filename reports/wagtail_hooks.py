"""The network's figures in the Wagtail admin's Reports menu (they open on /manage/)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from reports import permissions as report_permissions


class FiguresMenuItem(MenuItem):
    def is_shown(self, request):
        return report_permissions.report_scope(request.user) is not None


@hooks.register("register_reports_menu_item")
def register_figures_menu_item():
    return FiguresMenuItem(_("Network figures"), "/manage/reports/", icon_name="table", order=690)


@hooks.register("register_reports_menu_item")
def register_registry_menu_item():
    return MenuItem(_("Trainer registry"), "/manage/trainers/", icon_name="group", order=710)
