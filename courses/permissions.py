"""Who may manage course runs, schedule them and keep their registers: this app's own
decisions, on the network's role primitives (network.permissions). Tested with the rest of
the platform's permissions as one matrix (tests/integration/test_permissions.py)."""

from __future__ import annotations

from network.models import Membership
from network.permissions import (
    can_grant_role,
    editable_institutions,
    is_active_user,
    runs_the_network,
)

from .models import CourseRun


def managed_runs(user):
    """Runs this user manages: those organised by institutions they coordinate."""
    if not is_active_user(user):
        return CourseRun.objects.none()
    if runs_the_network(user):
        return CourseRun.objects.all()
    return CourseRun.objects.filter(
        organiser__memberships__user=user,
        organiser__memberships__role=Membership.Role.COORDINATOR,
    ).distinct()


def can_manage_run(user, run) -> bool:
    """Schedule, change and cancel a run; approve, reject and bulk-enrol its trainees; see and
    export its registers."""
    if not is_active_user(user):
        return False
    if runs_the_network(user):
        return True
    return Membership.objects.filter(
        user=user, role=Membership.Role.COORDINATOR, institution_id=run.organiser_id
    ).exists()


def can_schedule_runs_for(user, institution) -> bool:
    return can_grant_role(user, role=Membership.Role.COORDINATOR, institution=institution)


def can_keep_register(user, run) -> bool:
    """Record attendance and show the check-in code: the run's trainers and its managers."""
    if not is_active_user(user):
        return False
    return run.trainers.filter(pk=user.pk).exists() or can_manage_run(user, run)


def can_adapt_course(user, course) -> bool:
    """Copy another institution's published course into one's own institution's space."""
    if not is_active_user(user) or not course.live:
        return False
    return editable_institutions(user).exclude(pk=course.institution_id).exists()


# ---------------------------------------------------------------------------------------------
# Editing and moderation in the admin
# ---------------------------------------------------------------------------------------------


def dashboard_institutions(user):
    """Institutions whose curricula, drafts and submissions this user's admin dashboard shows:
    those where they hold the editor role (superusers and organisers keep Wagtail's own
    dashboard)."""
    from network.models import Institution

    if not is_active_user(user):
        return Institution.objects.none()
    return Institution.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.EDITOR
    ).distinct()


def sees_moderation_queue(user) -> bool:
    """Network moderators see the submissions waiting for them, grouped by course."""
    if not is_active_user(user):
        return False
    return Membership.objects.filter(user=user, role=Membership.Role.MODERATOR).exists()


def can_publish_with_submission(user, page) -> bool:
    """Publish a module or lesson that went to moderation with its course, on approving the
    course: whoever may publish that page (the network moderators, superusers)."""
    if not is_active_user(user):
        return False
    return page.permissions_for_user(user).can_publish()


def can_send_with_submission(user, page) -> bool:
    """Send a module or lesson to moderation with its course: whoever may edit it (the
    institution's editors, within its space)."""
    if not is_active_user(user):
        return False
    return page.permissions_for_user(user).can_edit()
