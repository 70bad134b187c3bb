"""Admin forms of the LRS."""

from wagtail.admin.forms import WagtailAdminModelForm

from .models import Client


class ClientForm(WagtailAdminModelForm):
    class Meta:
        model = Client
        fields = ["name", "scope", "institution", "is_active"]
