"""Run tallies follow every change the figures count (core.events). `tallies_changed` itself
waits for the commit and gathers a transaction's runs into one refresh, so these receivers run
in the sender's transaction: a rolled-back change queues nothing."""

from __future__ import annotations

from core import events

from . import services


def _run(*, run, **kwargs) -> None:
    # Its dates, organiser, host country or status are copied into its tallies.
    services.tallies_changed(run_ids=[run.pk])


def _profile_changed(*, user_id, fields, **kwargs) -> None:
    if "gender" in fields:
        from trainees import selectors as trainee_selectors

        services.tallies_changed(run_ids=trainee_selectors.run_ids_of_person(user_id=user_id))


def _enrolment_changed(*, run_id, role, **kwargs) -> None:
    if role == "trainee":  # trainers hold no place and are not counted as participants
        services.tallies_changed(run_ids=[run_id])


def _attendance_recorded(*, run_id, **kwargs) -> None:
    services.tallies_changed(run_ids=[run_id])


def _certificates_changed(*, certificates, **kwargs) -> None:
    services.tallies_changed(run_ids={c.run_id for c in certificates})


def connect() -> None:
    events.run_changed.connect(_run, atomic=True)
    events.run_cancelled.connect(_run, atomic=True)
    events.profile_changed.connect(_profile_changed, atomic=True)
    events.enrolment_changed.connect(_enrolment_changed, atomic=True)
    events.attendance_recorded.connect(_attendance_recorded, atomic=True)
    events.certificates_changed.connect(_certificates_changed, atomic=True)
