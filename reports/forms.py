"""The follow-up questionnaire as a form (the service decides what is valid)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FollowUp


class FollowUpForm(forms.ModelForm):
    trained_others = forms.TypedChoiceField(
        label=_("Have you trained colleagues in it since the course?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
    )

    class Meta:
        model = FollowUp
        fields = ["uses_learning", "trained_others", "people_trained", "comment"]
        widgets = {
            "uses_learning": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["uses_learning"].required = True
        self.fields["uses_learning"].choices = FollowUp.Use.choices
        self.fields["people_trained"].help_text = _("Only if you have trained others.")
        if self.instance.trained_others is not None and not self.is_bound:
            self.initial["trained_others"] = "yes" if self.instance.trained_others else "no"

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            "uses_learning": data["uses_learning"],
            "trained_others": data["trained_others"],
            "people_trained": data.get("people_trained"),
            "comment": data.get("comment", ""),
        }
