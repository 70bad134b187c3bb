"""The LRS in the Wagtail admin: credentials for tools and partners, and the forwarding
status page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic import models as model_views
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from network import permissions
from network.models import User

from . import selectors
from .forms import ClientForm
from .models import Client


class ClientPermissionPolicy(BasePermissionPolicy):
    """LRS credentials are managed by network organisers and superusers."""

    def __init__(self):
        super().__init__(Client)

    def user_has_permission(self, user, action):
        return action in {"add", "change", "view", "delete"} and (
            permissions.can_manage_institution_directory(user)
        )

    def users_with_any_permission(self, actions):
        return User.objects.filter(is_superuser=True)


register_permission_policy(Client, ClientPermissionPolicy())


class ClientCreateView(model_views.CreateView):
    def save_instance(self):
        import secrets

        client = self.form.save(commit=False)
        client.key = secrets.token_hex(10)
        secret = client.set_secret()
        client.save()
        messages.warning(
            self.request,
            _("Key %(key)s, secret %(secret)s. Copy the secret now: it is not shown again.")
            % {"key": client.key, "secret": secret},
        )
        return client


class ClientViewSet(ModelViewSet):
    model = Client
    icon = "key"
    menu_label = _("LRS clients")
    menu_order = 175
    add_to_settings_menu = True
    add_view_class = ClientCreateView
    list_display = ["name", "key", "scope", "institution", "is_active", "created_at"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("scope"),
            FieldPanel("institution"),
            FieldPanel("is_active"),
        ],
        base_form_class=ClientForm,
    )


@hooks.register("register_admin_viewset")
def register_client_viewset():
    return ClientViewSet("lrs_clients")


def forwarding_status_view(request):
    if not permissions.can_manage_institution_directory(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request, "xapi/admin/forwarding.html", {"status": selectors.forwarding_status()}
    )


@hooks.register("register_admin_urls")
def register_forwarding_urls():
    return [path("lrs/forwarding/", forwarding_status_view, name="xapi_forwarding")]


class OrganiserMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_manage_institution_directory(request.user)


@hooks.register("register_reports_menu_item")
def register_forwarding_menu_item():
    return OrganiserMenuItem(
        _("Statement forwarding"), reverse("xapi_forwarding"), icon_name="redirect", order=900
    )
