"""allauth's account forms with the platform's labels (ACCOUNT_FORMS): every field has a visible
label, so the placeholders that repeated it are gone, and the words are the platform's ("e-mail
address", "keep me signed in on this device")."""

from allauth.account import forms as allauth_forms
from django.utils.translation import gettext_lazy as _

LABELS = {
    "login": _("E-mail address"),
    "email": _("E-mail address"),
    "oldpassword": _("Current password"),
    "password": _("Password"),
    "password1": _("Password"),
    "password2": _("Password again"),
    "remember": _("Keep me signed in on this device"),
}


class PlatformLabels:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in LABELS:
                field.label = LABELS[name]
            field.widget.attrs.pop("placeholder", None)
        if "password" in self.fields and "login" in self.fields:
            # The sign-in page links to the password reset itself.
            self.fields["password"].help_text = ""


class SignInForm(PlatformLabels, allauth_forms.LoginForm):
    pass


class SignUpForm(PlatformLabels, allauth_forms.SignupForm):
    pass


class ResetPasswordForm(PlatformLabels, allauth_forms.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(PlatformLabels, allauth_forms.ResetPasswordKeyForm):
    pass


class RequestLoginCodeForm(PlatformLabels, allauth_forms.RequestLoginCodeForm):
    pass


class ChangePasswordForm(PlatformLabels, allauth_forms.ChangePasswordForm):
    pass


class SetPasswordForm(PlatformLabels, allauth_forms.SetPasswordForm):
    pass


class AddEmailForm(PlatformLabels, allauth_forms.AddEmailForm):
    pass
