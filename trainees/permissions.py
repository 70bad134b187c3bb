"""Who may see an enrolment: this app's own decision, on the network's role primitives and the
runs' permissions (courses.permissions). Tested with the platform's other permissions as one
matrix (tests/integration/test_permissions.py)."""

from __future__ import annotations

from courses.permissions import can_keep_register
from network.permissions import can_nominate, is_active_user


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
