"""What the site does when the apps below it tell of a change (core.events)."""

from __future__ import annotations

from core import events

from . import services


def _institution_provisioned(*, institution, **kwargs) -> None:
    services.institution_page_ensure(institution=institution)


def connect() -> None:
    # In the provisioning's transaction: an institution is never left without its page.
    events.institution_provisioned.connect(_institution_provisioned, atomic=True)
