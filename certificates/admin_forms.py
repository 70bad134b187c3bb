"""The certificate template form: institutions limited to those the person coordinates."""

from wagtail.admin.forms import WagtailAdminModelForm

from network import permissions


class CertificateTemplateForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and "institution" in self.fields:
            self.fields["institution"].queryset = permissions.coordinated_institutions(
                for_user
            ).order_by("name")
