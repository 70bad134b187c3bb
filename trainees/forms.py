"""Forms for trainees' own pages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from network.models import Country, Institution, User

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
    """A focal point nominates several officers for one run: ticked from a search of their
    country's officers and/or given by e-mail address (an address without an account is
    invited to sign up). The addresses are checked one by one by the service: a bad one is
    reported and the others go ahead."""

    run = forms.TypedChoiceField(
        label=_("Course run"),
        coerce=int,
        error_messages={
            "required": _("Choose the course run."),
            "invalid_choice": _("This run is not open for nominations."),
        },
    )
    q = forms.CharField(
        label=_("Find officers of your country"),
        max_length=100,
        required=False,
        help_text=_("A name in either script, or part of an e-mail address."),
    )
    officers = forms.ModelMultipleChoiceField(
        label=_("Officers"),
        queryset=None,
        required=False,
        error_messages={
            "invalid_choice": _("One of the officers ticked is not one you may nominate."),
            "invalid_pk_value": _("One of the officers ticked is not one you may nominate."),
        },
    )
    emails = forms.CharField(
        label=_("E-mail addresses of officers"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line, or separated by commas. An officer without an account is sent an "
            "invitation to sign up; their nomination is made when they have."
        ),
    )
    country = forms.ModelChoiceField(
        label=_("Country of the officers you invite"),
        queryset=None,
        required=False,
        help_text=_("Needed only for addresses without an account: the country they serve in."),
    )
    note = forms.CharField(
        label=_("Note for the organiser"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Read only by the organiser's coordinators; it is never shown or sent to the officers."
        ),
    )

    def __init__(self, *args, runs=(), officers=None, countries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].choices = [("", "---------")] + [
            (run.pk, f"{run.display_title} · {run.organiser.name}") for run in runs
        ]
        self.fields["officers"].queryset = officers if officers is not None else User.objects.none()
        if countries is None:
            del self.fields["country"]
        else:
            self.fields["country"].queryset = countries

    def clean(self):
        from .services import NOMINATIONS_MAX, addresses_parse

        data = super().clean()
        addresses, malformed = addresses_parse(data.get("emails") or "")
        data["addresses"], data["malformed"] = addresses, malformed
        officers = data.get("officers") or []
        if "officers" in self.errors or "emails" in self.errors:
            return data
        if not officers and not addresses:
            if malformed:
                self.add_error(
                    "emails",
                    _("No e-mail address here: %(values)s.")
                    % {"values": ", ".join(f"“{value}”" for value in malformed[:10])},
                )
            else:
                self.add_error(
                    None, _("Tick at least one officer or give at least one e-mail address.")
                )
        elif len(officers) + len(addresses) > NOMINATIONS_MAX:
            self.add_error(
                "emails",
                _("Nominate at most %(n)s officers at once.") % {"n": NOMINATIONS_MAX},
            )
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_("First row “email” (optionally “email,note”), then one officer per row."),
    )
