"""Forms for trainees' own pages."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pan_network.models import Country, Institution

from .models import TraineeProfile


class ProfileForm(forms.Form):
    given_name = forms.CharField(
        label=_("Given name"),
        max_length=150,
        help_text=_("As it must appear on certificates, in your own script."),
    )
    family_name = forms.CharField(label=_("Family name"), max_length=150)
    given_name_latin = forms.CharField(
        label=_("Given name in Latin letters"),
        max_length=150,
        help_text=_("The transliteration used in your passport."),
    )
    family_name_latin = forms.CharField(label=_("Family name in Latin letters"), max_length=150)
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
