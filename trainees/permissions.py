"""Who may see an enrolment: this app's own decision, on the network's role primitives and the
runs' permissions (courses.permissions). Tested with the platform's other permissions as one
matrix (tests/integration/test_permissions.py)."""

from __future__ import annotations

from courses.permissions import can_keep_register, can_manage_run, managed_runs
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


def can_view_nominator_note(user, enrolment) -> bool:
    """A focal point's note about a nomination is for the organiser: the run's managers (the
    organiser's coordinators, the network's organisers) and the note's author read it; the
    officer never does, nor the run's trainers."""
    if not is_active_user(user) or enrolment.user_id == user.pk:
        return False
    return enrolment.nominated_by_id == user.pk or can_manage_run(user, enrolment.run)


def nominator_notes_visible(user, enrolments) -> set[int]:
    """The enrolments among these whose nominator's note this user may read, by the rule of
    can_view_nominator_note, in one query whatever their number (for list pages)."""
    if not is_active_user(user):
        return set()
    with_notes = [e for e in enrolments if e.nominator_note and e.user_id != user.pk]
    run_ids = {e.run_id for e in with_notes if e.nominated_by_id != user.pk}
    managed = (
        set(managed_runs(user).filter(pk__in=run_ids).values_list("pk", flat=True))
        if run_ids
        else set()
    )
    return {e.pk for e in with_notes if e.nominated_by_id == user.pk or e.run_id in managed}


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
