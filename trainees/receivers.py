"""What the trainees app does when an app below it tells of a change (core.events)."""

from __future__ import annotations

from django.db import transaction

from core import events
from courses.models import CourseRun

from . import services, tasks


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


def _statements_stored(*, statements, launch, **kwargs) -> None:
    """A launch's statements move the learner's progress in its lesson (one path for packages
    and authored lessons); a cmi5 AU whose moveOn criteria become true is then satisfied by a
    statement of the platform's own."""
    if launch is None or launch.lesson_id is None:
        return
    from xapi import services as xapi_services

    satisfied = services.progress_record(
        user_id=launch.user_id,
        lesson_id=launch.lesson_id,
        activity_id=launch.activity_id,
        statements=statements,
    )
    if satisfied:
        statement = xapi_services.cmi5_statement(
            xapi_services.learner_agent(launch.user),
            "satisfied",
            launch.activity_id,
            str(launch.registration),
            launch.key,
        )
        xapi_services.statements_store(
            statements=[statement], credentials=xapi_services.platform_credentials()
        )


def connect() -> None:
    # In the sender's transaction: enrolments and progress change with the fact, or not at all.
    events.run_trainers_changed.connect(_run_trainers_changed, atomic=True)
    events.run_changed.connect(_run_changed, atomic=True)
    events.run_cancelled.connect(_run_cancelled, atomic=True)
    events.statements_stored.connect(_statements_stored, atomic=True)
