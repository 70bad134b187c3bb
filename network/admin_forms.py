"""Forms of the network's admin views that need the models (network.forms is imported by
the models themselves)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import permissions, services
from .models import Institution, Membership, User


class MembershipForm(WagtailAdminModelForm):
    """Grant a role: the person by e-mail, then the role and where it is held. The roles and
    institutions offered are those the signed-in person may grant (network.permissions)."""

    email = forms.EmailField(
        label=_("Person's e-mail address"),
        help_text=_("The person must already have an account on the platform."),
    )

    class Meta:
        model = Membership
        fields = ["email", "role", "institution", "country"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        roles = permissions.grantable_roles(for_user) if for_user else []
        self.fields["role"].choices = [
            (value, label) for value, label in Membership.Role.choices if value in roles
        ]
        self.fields["institution"].queryset = (
            permissions.coordinated_institutions(for_user).order_by("name")
            if for_user
            else Institution.objects.none()
        )
        if set(roles) <= Membership.INSTITUTION_ROLES:
            del self.fields["country"]

    def clean(self):
        data = super().clean()
        email = data.get("email")
        if email:
            person = User.objects.filter(email__iexact=email, is_active=True).first()
            if person is None:
                self.add_error(
                    "email",
                    _("No active account uses this e-mail address; the person must sign up first."),
                )
            data["person"] = person
        role = data.get("role")
        if role is None:
            return data
        institution, country = data.get("institution"), data.get("country")
        try:
            services.membership_scope_validate(role=role, institution=institution, country=country)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
            return data
        if not permissions.can_grant_role(
            self.for_user, role=role, institution=institution, country=country
        ):
            self.add_error(
                "institution", _("You may grant roles only in the institutions you coordinate.")
            )
        elif (
            data.get("person")
            and Membership.objects.filter(
                user=data["person"], role=role, institution=institution, country=country
            ).exists()
        ):
            self.add_error("role", _("This person already holds this role there."))
        return data
