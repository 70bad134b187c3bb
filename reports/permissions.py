"""Whose figures a dashboard counts: this app's own decision, on the network's role
primitives (network.permissions). Tested with the platform's other permissions as one matrix
(tests/integration/test_permissions.py)."""

from __future__ import annotations

from network.models import Membership
from network.permissions import (
    focal_countries,
    is_active_user,
    runs_the_network,
)


def report_scope(user, *, institution=None, country=None) -> dict | None:
    """What this user's dashboard counts, or None (no dashboard at all).

    Organisers: the network; any institution or country they pick narrows it; exact counts.
    Coordinators: the runs of the institutions they coordinate (an institution picked must be
    one of them; a country picked narrows to its trainees). Focal points: the trainees of their
    country (a country picked must be theirs; an institution picked narrows to its runs). Both
    with counts under 5 suppressed. Raises PermissionDenied for another institution's or
    country's figures."""
    from django.core.exceptions import PermissionDenied

    if not is_active_user(user):
        return None
    if runs_the_network(user):
        return {"suppress": False, "institutions": None, "countries": None, "kind": "network"}
    coordinated = set(
        Membership.objects.filter(user=user, role=Membership.Role.COORDINATOR).values_list(
            "institution_id", flat=True
        )
    )
    focal = focal_countries(user)
    as_focal = focal and (country is None or country.pk in focal)
    as_coordinator = coordinated and (institution is None or institution.pk in coordinated)
    if as_coordinator and not (as_focal and country is not None):
        return {"suppress": True, "institutions": coordinated, "countries": None,
                "kind": "institution"}  # fmt: skip
    if as_focal:
        return {"suppress": True, "institutions": None, "countries": focal,
                "kind": "country"}  # fmt: skip
    if coordinated or focal:
        raise PermissionDenied
    return None
