"""Automatic certificate rules are checked again when what they ask for changes (core.events).
`services.changed` queues the check for after the commit, so these receivers run in the
sender's transaction: a rolled-back change checks nothing."""

from __future__ import annotations

from core import events

from . import services


def _run_changed(*, run, before, **kwargs) -> None:
    # New or changed certificate rules may already be met by someone.
    if before is not None and not run.is_cancelled:
        services.changed(run_id=run.pk)


def _attendance_recorded(*, run_id, user_id=None, **kwargs) -> None:
    services.changed(run_id=run_id, user_id=user_id)


def _lesson_progress_changed(*, user_id, lesson_id, **kwargs) -> None:
    from trainees import selectors as trainee_selectors

    for run_id in trainee_selectors.enrolled_runs_of_course_lesson(
        user_id=user_id, lesson_id=lesson_id
    ):
        services.changed(run_id=run_id, user_id=user_id)


def connect() -> None:
    events.run_changed.connect(_run_changed, atomic=True)
    events.attendance_recorded.connect(_attendance_recorded, atomic=True)
    events.lesson_progress_changed.connect(_lesson_progress_changed, atomic=True)
