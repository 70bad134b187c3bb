"""Courses in the Wagtail admin: the "adapt a network course" flow."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


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
