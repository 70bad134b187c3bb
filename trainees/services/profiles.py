"""Trainee profiles: names as people have them, erasure, the language they choose."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from core import events
from network.models import Country, Institution

from ..models import (
    Attendance,
    Enrolment,
    EnrolmentTransition,
    NameChange,
    NominationInvitation,
    Notification,
    TraineeProfile,
)
from .enrolment import State, _move

NAME_FIELDS = ("given_name", "family_name", "given_name_latin", "family_name_latin")
LATIN_FIELDS = ("given_name_latin", "family_name_latin")
_NAME_PUNCTUATION = set(" -'’.")
# Written inside native names: the zero-width non-joiner and joiner (Persian, Dari, Pashto:
# "نوری‌زاده"), the Hebrew maqaf ("בן־דוד") and the katakana middle dot ("ジョン・スミス").
_NATIVE_NAME_MARKS = set("\u200c\u200d\u05be\u30fb")


def _is_latin(text: str) -> bool:
    return all(
        ch in _NAME_PUNCTUATION or ("LATIN" in unicodedata.name(ch, "") and ch.isalpha())
        for ch in text
    )


def _is_name(text: str) -> bool:
    return any(ch.isalpha() for ch in text) and all(
        ch.isalpha()
        or ch in _NAME_PUNCTUATION
        or ch in _NATIVE_NAME_MARKS
        or unicodedata.category(ch).startswith("M")
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
    name_order: str = TraineeProfile.NameOrder.GIVEN_FIRST,
    actor=None,
) -> TraineeProfile:
    """Create or update a person's profile. Changes to names as they appear on certificates are
    recorded. Nothing is saved unless every field is valid.

    A name of one word is a family name alone (as in passports); either part may be empty, not
    both, and the Latin spelling has the same parts as the name in the person's script."""
    values = {
        "given_name": " ".join(given_name.split()),
        "family_name": " ".join(family_name.split()),
        "given_name_latin": " ".join(given_name_latin.split()),
        "family_name_latin": " ".join(family_name_latin.split()),
    }
    errors: dict[str, list[str]] = {}
    if not values["given_name"] and not values["family_name"]:
        errors["family_name"] = [
            _(
                "Enter your name: a given name, a family name or both. A name of one word goes "
                "in “Family name”."
            )
        ]
    for field, value in values.items():
        if not value:
            continue
        if not _is_name(value):
            errors[field] = [_("Use letters, spaces, hyphens and apostrophes only.")]
        elif field in LATIN_FIELDS and not _is_latin(value):
            errors[field] = [_("Use Latin letters (a–z, with accents if needed).")]
    for native, latin in (("given_name", "given_name_latin"), ("family_name", "family_name_latin")):
        if values[native] and not values[latin]:
            errors.setdefault(latin, []).append(
                _("Enter this name in Latin letters too, as in your passport.")
            )
        elif values[latin] and not values[native] and native not in errors:
            errors.setdefault(native, []).append(
                _("Enter this name in your own script too, or leave it empty in both scripts.")
            )
    if name_order not in TraineeProfile.NameOrder.values:
        errors["name_order"] = [_("Choose whether the given name or the family name comes first.")]
    country = Country.objects.filter(code=(country_code or "").upper()).first()
    if country is None:
        errors["country"] = [_("Unknown country “%(code)s”.") % {"code": country_code}]
    if institution is None and not institution_other.strip():
        errors["institution"] = [_("Choose your institution or agency, or type its name.")]
    if errors:
        raise ValidationError(errors)

    profile = TraineeProfile.objects.select_for_update().filter(user=user).first()
    values["name_order"] = name_order
    if profile is not None:
        for field in (*NAME_FIELDS, "name_order"):
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
    if profile.pk and profile.gender != gender:
        # Figures are disaggregated by gender: the runs this person counts in move with it.
        events.profile_changed.send(user_id=user.pk, fields={"gender"})
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
    # Enrolments and attendance stay (runs' figures count them); free text about the person
    # and the e-mails' contents go. Pending offers and requests are withdrawn.
    Attendance.objects.filter(enrolment__user=user).update(note="")
    EnrolmentTransition.objects.filter(enrolment__user=user).update(reason="")
    Notification.objects.filter(enrolment__user=user).update(context={})
    for enrolment in Enrolment.objects.filter(user=user, state__in=Enrolment.ACTIVE).exclude(
        state=State.ENROLLED
    ):
        _move(enrolment, State.WITHDRAWN, reason="")
    Enrolment.objects.filter(user=user).update(reason="", nominator_note="")
    # Invitations to the person's addresses name them (the address) and say what their
    # nominator thought of them.
    from allauth.account.models import EmailAddress

    addresses = {user.email.lower()} | {
        address.lower()
        for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    NominationInvitation.objects.filter(
        models.Q(email__in=addresses) | models.Q(enrolment__user=user)
    ).delete()
    profile = TraineeProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        return
    profile.name_changes.all().delete()
    for field in NAME_FIELDS:
        setattr(profile, field, ERASED)
    profile.institution_other = ""
    profile.rank_or_position = ""
    profile.save()


@transaction.atomic
def preferred_language_set(*, user, language: str) -> bool:
    """The language of a person's e-mails and certificates follows the one they choose for the
    interface. Returns whether their profile changed (no profile yet: nothing to change)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language “%(code)s”.") % {"code": language}})
    return bool(
        TraineeProfile.objects.filter(user=user)
        .exclude(preferred_language=language)
        .update(preferred_language=language)
    )
