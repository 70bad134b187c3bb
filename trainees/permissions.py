"""Who may see an enrolment: this app's own decision, on the network's role primitives and the
runs' permissions (courses.permissions). Tested with the platform's other permissions as one
matrix (tests/integration/test_permissions.py)."""

from __future__ import annotations

from courses.permissions import can_keep_register
from network.models import Country, Membership
from network.permissions import (
    is_active_user,
    runs_the_network,
)


def can_view_enrolment(user, enrolment) -> bool:
    """The person themself, the run's managers and trainers, and the focal point of the
    person's country."""
    if not is_active_user(user):
        return False
    if enrolment.user_id == user.pk:
        return True
    return can_keep_register(user, enrolment.run) or can_nominate(user, country=enrolment.country)


# ---------------------------------------------------------------------------------------------
# Cascades and network figures
# ---------------------------------------------------------------------------------------------


def nominating_countries(user):
    """Countries whose officers this user may nominate (focal points; organisers: all)."""
    if not is_active_user(user):
        return Country.objects.none()
    if runs_the_network(user):
        return Country.objects.all()
    return Country.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.FOCAL_POINT
    ).distinct()


def can_nominate(user, *, country) -> bool:
    """Nominate an officer whose profile is in `country` to a run."""
    if not is_active_user(user) or country is None:
        return False
    return nominating_countries(user).filter(pk=country.pk).exists()
