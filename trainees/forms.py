"""Forms for trainees' own pages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from network.models import Country, Institution

from .models import TraineeProfile


class ProfileForm(forms.Form):
    # A name of one word goes in the family name (as in passports); the given name then stays
    # empty. trainees.services.profile_save checks the parts and names the field at fault.
    given_name = forms.CharField(
        label=_("Given name"),
        max_length=150,
        required=False,
        help_text=_(
            "As it must appear on certificates, in your own script. Leave it empty if your name "
            "is one word."
        ),
    )
    family_name = forms.CharField(
        label=_("Family name"),
        max_length=150,
        required=False,
        help_text=_("If your name is one word, write it here."),
    )
    given_name_latin = forms.CharField(
        label=_("Given name in Latin letters"),
        max_length=150,
        required=False,
        help_text=_("The transliteration used in your passport."),
    )
    family_name_latin = forms.CharField(
        label=_("Family name in Latin letters"), max_length=150, required=False
    )
    name_order = forms.ChoiceField(
        label=_("Order of your names"),
        choices=TraineeProfile.NameOrder.choices,
        initial=TraineeProfile.NameOrder.GIVEN_FIRST,
        required=False,  # one of the two is always checked; given name first if none is sent
        widget=forms.RadioSelect,
        help_text=_("How your names are printed on certificates, in both scripts."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=TraineeProfile.Gender.choices,
        help_text=_("Used only for gender-disaggregated statistics."),
    )
    country_code = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.order_by("name"), to_field_name="code"
    )
    institution = forms.ModelChoiceField(
        label=_("Institution or agency"),
        queryset=Institution.objects.order_by("name"),
        required=False,
    )
    institution_other = forms.CharField(
        label=_("…or, if it is not listed, its name"), max_length=200, required=False
    )
    rank_or_position = forms.CharField(label=_("Rank or position"), max_length=150, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES
    )

    def clean_name_order(self):
        return self.cleaned_data.get("name_order") or TraineeProfile.NameOrder.GIVEN_FIRST


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class QueueForm(forms.Form):
    """Approve or turn down several requests at once."""

    ACTIONS = [("approve", _("Approve")), ("reject", _("Turn down"))]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    enrolments = forms.TypedMultipleChoiceField(
        label=_("Requests"),
        coerce=int,
        error_messages={"required": _("Tick at least one request.")},
    )
    reason = forms.CharField(
        label=_("Reason (told to the trainee)"), max_length=500, required=False
    )

    def __init__(self, *args, queue=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].choices = [(e.pk, str(e.pk)) for e in queue]

    def clean(self):
        data = super().clean()
        if data.get("action") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for turning requests down."))
        return data


class NominationForm(forms.Form):
    run = forms.TypedChoiceField(label=_("Course run"), coerce=int)
    email = forms.EmailField(label=_("Officer's e-mail address"))
    note = forms.CharField(label=_("Note for the organiser"), max_length=500, required=False)

    def __init__(self, *args, runs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].choices = [("", "---------")] + [
            (run.pk, f"{run.display_title} · {run.organiser.name}") for run in runs
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_("First row “email” (optionally “email,note”), then one officer per row."),
    )
