from django import forms
from django.utils.translation import gettext_lazy as _

MAX_PDF_MB = 10


class VerifyFileForm(forms.Form):
    file = forms.FileField(
        label=_("Certificate PDF"),
        help_text=_(
            "The file is only compared with the files the platform issued; it is not kept."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PDF_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("A certificate PDF is at most %(mb)s MB; this file is larger.")
                % {"mb": MAX_PDF_MB}
            )
        return upload


class RevokeForm(forms.Form):
    certificate = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason (shown on the verification page)"), max_length=300)
