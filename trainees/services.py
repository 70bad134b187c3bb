"""Writes for trainees. Keyword-only and atomic."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pan_network.models import Country, Institution

from .models import NameChange, TraineeProfile

NAME_FIELDS = ("given_name", "family_name", "given_name_latin", "family_name_latin")
LATIN_FIELDS = ("given_name_latin", "family_name_latin")
_NAME_PUNCTUATION = set(" -'’.")


def _is_latin(text: str) -> bool:
    return all(
        ch in _NAME_PUNCTUATION or ("LATIN" in unicodedata.name(ch, "") and ch.isalpha())
        for ch in text
    )


def _is_name(text: str) -> bool:
    return any(ch.isalpha() for ch in text) and all(
        ch.isalpha() or ch in _NAME_PUNCTUATION or unicodedata.category(ch).startswith("M")
        for ch in text
    )


@transaction.atomic
def profile_save(
    *,
    user,
    given_name: str,
    family_name: str,
    given_name_latin: str,
    family_name_latin: str,
    gender: str,
    country_code: str,
    institution: Institution | None = None,
    institution_other: str = "",
    rank_or_position: str = "",
    preferred_language: str = "en",
    actor=None,
) -> TraineeProfile:
    """Create or update a person's profile. Changes to names as they appear on certificates are
    recorded. Nothing is saved unless every field is valid."""
    values = {
        "given_name": " ".join(given_name.split()),
        "family_name": " ".join(family_name.split()),
        "given_name_latin": " ".join(given_name_latin.split()),
        "family_name_latin": " ".join(family_name_latin.split()),
    }
    errors: dict[str, list[str]] = {}
    for field, value in values.items():
        if not value:
            errors[field] = [_("This name may not be empty.")]
        elif not _is_name(value):
            errors[field] = [_("Use letters, spaces, hyphens and apostrophes only.")]
        elif field in LATIN_FIELDS and not _is_latin(value):
            errors[field] = [_("Use Latin letters (a–z, with accents if needed).")]
    country = Country.objects.filter(code=(country_code or "").upper()).first()
    if country is None:
        errors["country"] = [_("Unknown country “%(code)s”.") % {"code": country_code}]
    if institution is None and not institution_other.strip():
        errors["institution"] = [_("Choose your institution or agency, or type its name.")]
    if errors:
        raise ValidationError(errors)

    profile = TraineeProfile.objects.select_for_update().filter(user=user).first()
    if profile is not None:
        for field in NAME_FIELDS:
            old = getattr(profile, field)
            if old != values[field]:
                NameChange.objects.create(
                    profile=profile,
                    field=field,
                    old_value=old,
                    new_value=values[field],
                    changed_by=actor or user,
                )
    else:
        profile = TraineeProfile(user=user)
    for field, value in values.items():
        setattr(profile, field, value)
    profile.gender = gender
    profile.country = country
    profile.institution = institution
    profile.institution_other = "" if institution else institution_other.strip()
    profile.rank_or_position = rank_or_position.strip()
    profile.preferred_language = preferred_language
    profile.full_clean()
    profile.save()
    return profile


ERASED = "erased"


@transaction.atomic
def personal_data_erase(*, user) -> None:
    """Remove what identifies the person; keep gender, country and institution so that the
    network's aggregate figures do not change."""
    profile = TraineeProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        return
    profile.name_changes.all().delete()
    for field in NAME_FIELDS:
        setattr(profile, field, ERASED)
    profile.institution_other = ""
    profile.rank_or_position = ""
    profile.save()
