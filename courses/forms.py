"""Admin and public forms for courses."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from pan_network.languages import LANGUAGE_CHOICES


def _choices(name: str):
    # Imported lazily: the page models import this module.
    from . import models

    return getattr(models, name).choices


class CoursePageForm(WagtailAdminPageForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    delivery_modes = forms.MultipleChoiceField(
        label=_("Delivery modes"),
        choices=lambda: _choices("DeliveryMode"),
        widget=forms.CheckboxSelectMultiple,
    )
    target_audience = forms.MultipleChoiceField(
        label=_("Target audience"),
        choices=lambda: _choices("Audience"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "thematic_areas" in self.fields:
            self.fields["thematic_areas"].widget = forms.CheckboxSelectMultiple(
                choices=self.fields["thematic_areas"].choices
            )


class AdaptCourseForm(forms.Form):
    destination = forms.ModelChoiceField(
        label=_("Curriculum to add the adapted course to"),
        queryset=None,
        empty_label=None,
    )

    def __init__(self, *args, destinations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].queryset = destinations
