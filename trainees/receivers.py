"""What the trainees app does when an app below it tells of a change (core.events)."""

from __future__ import annotations

from django.db import transaction

from core import events, hooks
from courses.models import CourseRun

from . import selectors, services, tasks


def _run_trainers_changed(*, run_ids, **kwargs) -> None:
    for run in CourseRun.objects.filter(pk__in=list(run_ids)):
        services.trainers_sync(run=run)


def _run_changed(*, run, before, changes, cancelled, more_places, actor=None, **kwargs) -> None:
    # The trainers' own enrolments follow the run's list of trainers.
    services.trainers_sync(run=run)
    if cancelled:
        services.run_cancelled(run=run, actor=actor)
    elif before is not None:
        services.sessions_changed(run=run, changes=changes)
        if more_places:
            run_id = run.pk
            transaction.on_commit(lambda: tasks.waitlist_promote.delay(run_id), robust=True)


def _run_cancelled(*, run, actor=None, **kwargs) -> None:
    services.run_cancelled(run=run, actor=actor)


def _language_chosen(*, user_id, language, **kwargs) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is not None:
        services.preferred_language_set(user=user, language=language)


def _invitations_claim(request, user) -> None:
    """A new account, or a newly confirmed address, may be one a focal point invited: the
    nominations waiting for it are made now."""
    from .views import claims_told

    made, problems = services.invitations_claim(user=user)
    if request is not None:
        claims_told(request, made, problems)


def _signed_up(sender, request=None, user=None, **kwargs) -> None:
    if user is not None:
        _invitations_claim(request, user)


def _email_confirmed(sender, request=None, email_address=None, **kwargs) -> None:
    if email_address is not None:
        _invitations_claim(request, email_address.user)


def connect() -> None:
    from allauth.account import signals as account_signals

    # Sign-up with an invited address (verified by the invitation's link, or later by the
    # confirmation mail): the focal point's nomination is made.
    account_signals.user_signed_up.connect(_signed_up, dispatch_uid="pan-invitations-signed-up")
    account_signals.email_confirmed.connect(
        _email_confirmed, dispatch_uid="pan-invitations-email-confirmed"
    )
    # In the sender's transaction: enrolments change with the fact, or not at all.
    events.run_trainers_changed.connect(_run_trainers_changed, atomic=True)
    events.run_changed.connect(_run_changed, atomic=True)
    events.run_cancelled.connect(_run_cancelled, atomic=True)
    events.language_chosen.connect(_language_chosen, atomic=True)
    # What the course pages show of a run's places comes from the enrolments kept here.
    hooks.run_annotations.register(_run_annotations)
    # A trainee signed in with their profile still to complete goes there first.
    hooks.sign_in_first_stop.register(_sign_in_first_stop)


def _run_annotations(**kwargs) -> dict:
    return selectors.places_left_annotations()


def _sign_in_first_stop(*, request, user, next_url, **kwargs) -> dict:
    """A trainee (no staff role) without a complete profile completes it first, then goes on
    to where they were going: the platform needs their names before anything else."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from network import permissions

    if permissions.has_staff_role(user) or selectors.profile_is_complete(user=user):
        return {}
    profile = reverse("trainees:profile")
    if not next_url or next_url.startswith(profile):
        return {"url": profile}
    return {"url": f"{profile}?{urlencode({'next': next_url})}"}
