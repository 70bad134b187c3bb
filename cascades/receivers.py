"""Cascade links follow the runs' trainers and dates and the trainers' certificates
(core.events); in the sender's transaction, since a link is derived data that must agree with
what it is derived from."""

from __future__ import annotations

from core import events

from . import services


def _run_trainers_changed(*, run_ids, **kwargs) -> None:
    services.links_sync(run_ids=run_ids)


def _run_changed(*, run, **kwargs) -> None:
    # Trainers, dates or a cancellation decide which ToT runs this run grew from.
    services.links_sync(run_ids=[run.pk])


def _certificates_changed(*, certificates, **kwargs) -> None:
    trainers = {c.user_id for c in certificates if c.kind == "trainer"}
    if trainers:
        services.trainers_changed(user_ids=trainers)


def connect() -> None:
    events.run_trainers_changed.connect(_run_trainers_changed, atomic=True)
    events.run_changed.connect(_run_changed, atomic=True)
    events.certificates_changed.connect(_certificates_changed, atomic=True)
