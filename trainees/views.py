"""Thin views for a trainee's own pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import selectors, services
from .forms import ProfileForm


@login_required
def profile_edit(request):
    profile = selectors.profile_for(user=request.user)
    initial = {}
    if profile is not None:
        initial = {
            field: getattr(profile, field)
            for field in (
                "given_name",
                "family_name",
                "given_name_latin",
                "family_name_latin",
                "gender",
                "institution",
                "institution_other",
                "rank_or_position",
                "preferred_language",
            )
        }
        initial["country_code"] = profile.country.code
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["country_code"] = data["country_code"].code
        try:
            services.profile_save(user=request.user, **data)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("trainees:profile")
    return TemplateResponse(
        request, "trainees/profile_edit.html", {"form": form, "profile": profile}
    )
