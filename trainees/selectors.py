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
