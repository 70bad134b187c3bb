"""Reads for trainees."""

from __future__ import annotations

from .models import TraineeProfile


def profile_for(*, user) -> TraineeProfile | None:
    if not user.is_authenticated:
        return None
    return TraineeProfile.objects.select_related("country", "institution").filter(user=user).first()


def profile_is_complete(*, user) -> bool:
    """A profile exists only once every required field was valid, so existing means complete."""
    return user.is_authenticated and TraineeProfile.objects.filter(user=user).exists()


def personal_data(*, user) -> dict:
    profile = profile_for(user=user)
    if profile is None:
        return {"profile": None, "name_changes": []}
    return {
        "profile": {
            "given_name": profile.given_name,
            "family_name": profile.family_name,
            "given_name_latin": profile.given_name_latin,
            "family_name_latin": profile.family_name_latin,
            "gender": profile.get_gender_display(),
            "country": profile.country.name,
            "institution": profile.institution.name if profile.institution else None,
            "institution_other": profile.institution_other,
            "rank_or_position": profile.rank_or_position,
            "preferred_language": profile.preferred_language,
            "updated_at": profile.updated_at,
        },
        "name_changes": list(
            profile.name_changes.values("field", "old_value", "new_value", "changed_at")
        ),
    }
