"""Who sees which cascades and trainers, and who may attach runs to a cascade: this app's own
decisions, on the network's role primitives (network.permissions). Tested with the
platform's other permissions as one matrix (tests/integration/test_permissions.py)."""

from __future__ import annotations

from network.models import Membership
from network.permissions import (
    coordinated_institutions,
    focal_countries,
    has_staff_role,
    is_active_user,
    runs_the_network,
)


def cascade_scope(user, root) -> dict | None:
    """What this user may see of the cascade below the ToT run `root`, or None (not at all).
    Organisers: everything, exact counts. Coordinators: cascades rooted in their institutions'
    runs, counts under 5 suppressed. Focal points: cascades that reach their country, only the
    runs held there, counts under 5 suppressed."""
    if not is_active_user(user):
        return None
    if runs_the_network(user):
        return {"suppress": False}
    if Membership.objects.filter(
        user=user, role=Membership.Role.COORDINATOR, institution_id=root.organiser_id
    ).exists():
        return {"suppress": True}
    countries = set(
        Membership.objects.filter(user=user, role=Membership.Role.FOCAL_POINT).values_list(
            "country_id", flat=True
        )
    )
    if countries:
        return {"suppress": True, "countries": countries}
    return None


def cascade_forest_scope(user) -> dict | None:
    """What this user may see of the cascades of a whole course or thematic area, or None.
    Organisers: all of them, exact. Coordinators: those rooted in their institutions' runs.
    Focal points: the runs held in their country. Both with counts under 5 suppressed."""
    if not is_active_user(user):
        return None
    if runs_the_network(user):
        return {"suppress": False}
    institutions = set(
        Membership.objects.filter(user=user, role=Membership.Role.COORDINATOR).values_list(
            "institution_id", flat=True
        )
    )
    if institutions:
        return {"suppress": True, "institutions": institutions}
    countries = focal_countries(user)
    if countries:
        return {"suppress": True, "countries": countries}
    return None


def external_cascade_scope(user) -> dict | None:
    """Cascades grown from a ToT held before the platform have no institution on it that owns
    them: organisers see them whole, focal points the runs held in their country."""
    if not is_active_user(user):
        return None
    if runs_the_network(user):
        return {"suppress": False}
    countries = focal_countries(user)
    if countries:
        return {"suppress": True, "countries": countries}
    return None


def can_view_external_cascades(user) -> bool:
    return external_cascade_scope(user) is not None


def cascade_roots_visible(user):
    """Institutions whose ToT runs this user may open as cascades (None: all of them)."""
    if (
        runs_the_network(user)
        or Membership.objects.filter(user=user, role=Membership.Role.FOCAL_POINT).exists()
    ):
        return None
    return coordinated_institutions(user).values_list("pk", flat=True)


def can_attach_cascade(user) -> bool:
    """Attach a run to a cascade by hand (also to a ToT held before the platform)."""
    return is_active_user(user) and runs_the_network(user)


def registry_scope(user) -> dict | None:
    """Whom this user sees in the trainer registry: organisers everyone; coordinators the
    trainers of their institutions, focal points those of their country; and every staff member
    the trainers who chose to be listed."""
    if not has_staff_role(user):
        return None
    if runs_the_network(user):
        return {"all": True}
    return {
        "institutions": set(
            Membership.objects.filter(user=user, role=Membership.Role.COORDINATOR).values_list(
                "institution_id", flat=True
            )
        ),
        "countries": focal_countries(user),
    }
