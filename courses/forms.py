"""Admin and public forms for courses."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from core.languages import LANGUAGE_CHOICES


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


class LessonPageForm(WagtailAdminPageForm):
    """The lesson's package unit is chosen from the units of the packages on offer; the unit
    must belong to the package chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("package")
        if field is None or "package_unit" not in self.fields:
            return
        choices: list = [("", _("The package's first unit"))]
        for package in field.queryset.order_by("title", "pk").only("title", "kind", "manifest"):
            units = [(a["activity_id"], a["title"] or a["activity_id"]) for a in package.activities]
            if len(units) > 1:
                # Re-uploaded versions of a package share its title: the number tells them apart.
                label = _("%(package)s, no. %(id)s") % {"package": package, "id": package.pk}
                choices.append((label, units))
        current = self.initial.get("package_unit") or ""
        if current and not any(
            current == value for _group, units in choices[1:] for value, _label in units
        ):
            choices.append((current, current))
        self.fields["package_unit"].widget = forms.Select(choices=choices)

    def clean(self):
        data = super().clean()
        package, unit = data.get("package"), data.get("package_unit") or ""
        if package is None:
            data["package_unit"] = ""
        elif unit and package.unit(unit) is None:
            names = ", ".join(a["title"] or a["activity_id"] for a in package.activities)
            self.add_error(
                "package_unit",
                _("This is not a unit of the package “%(package)s”; its units are: %(units)s.")
                % {"package": package.title, "units": names},
            )
        return data
