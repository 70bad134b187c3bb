"""The certificate template form: institutions limited to those the person coordinates; only the
network's organisers make network templates (of no institution)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from network import permissions


class CertificateTemplateForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        field = self.fields.get("institution")
        if for_user is None or field is None:
            return
        field.queryset = permissions.coordinated_institutions(for_user).order_by("name")
        if not permissions.runs_the_network(for_user):
            field.required = True
            # A coordinator has one or a few institutions: a plain list, not the network's.
            field.widget = forms.Select(choices=field.choices)
            field.help_text = _("The institution whose certificates this template makes.")
            field.error_messages["required"] = _(
                "Choose your institution: network templates are made by the network's organisers."
            )
