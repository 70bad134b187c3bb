"""Domain events: how a lower app tells the apps above it that something happened, without
knowing them.

An app that owns a fact sends its event; the apps that care subscribe in their
``AppConfig.ready()``. A receiver is one of two kinds, chosen when it subscribes:

- ``atomic=True``: called at once, inside the sender's transaction, for what must be true
  together with the change or not at all (a trainer's enrolment follows the run's trainers).
  An exception rolls the sender's change back.
- otherwise (the default): called once the sender's transaction has committed, for what
  follows from the change (tallies refreshed, certificates checked, mail queued). An
  exception is logged and does not undo the committed change; such work is idempotent and
  the periodic tasks catch up what a failed receiver left.

Receivers take keyword arguments only, named as the event documents them, and should take
``**kwargs`` so that an event may grow.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass
class Event:
    name: str
    doc: str = ""
    _atomic: list[Callable] = field(default_factory=list, repr=False)
    _after_commit: list[Callable] = field(default_factory=list, repr=False)

    def connect(self, receiver: Callable, *, atomic: bool = False) -> Callable:
        receivers = self._atomic if atomic else self._after_commit
        if receiver not in receivers:
            receivers.append(receiver)
        return receiver

    def disconnect(self, receiver: Callable) -> None:
        for receivers in (self._atomic, self._after_commit):
            if receiver in receivers:
                receivers.remove(receiver)

    def send(self, **payload) -> None:
        for receiver in list(self._atomic):
            receiver(**payload)
        for receiver in list(self._after_commit):
            transaction.on_commit(_guarded(self.name, receiver, payload))


def _guarded(name: str, receiver: Callable, payload: dict) -> Callable[[], None]:
    def call() -> None:
        try:
            receiver(**payload)
        except Exception:  # a committed change stands; the receiver's work is caught up later
            logger.exception("%s: receiver %s failed", name, receiver.__qualname__)

    return call


# --- The events of the platform, by the app that sends them ---------------------------------

# network
institution_provisioned = Event(
    "institution_provisioned",
    "An institution has its media collection and editors group (institution); the site gives "
    "it its page, the root of its editors' space.",
)

language_chosen = Event(
    "language_chosen",
    "A signed-in person chose the interface's language with the switcher (user_id, language).",
)

# website (sent by the app at the top, for the apps below that add pages to the skeleton)
site_ensured = Event(
    "site_ensured",
    "The site's skeleton exists (home: the home page in the default language); apps add "
    "their own pages below it, e.g. the catalogue.",
)

# courses
run_changed = Event(
    "run_changed",
    "A run was saved (run; before: its snapshot before the edit, or None for a new run; "
    "changes: its sessions' changes to tell the enrolled; cancelled: whether this edit "
    "cancelled it; more_places: whether its capacity grew; actor).",
)
run_cancelled = Event("run_cancelled", "A run was cancelled (run, actor).")
run_trainers_changed = Event(
    "run_trainers_changed", "The trainers of these runs were set or changed (run_ids)."
)

# trainees
profile_changed = Event(
    "profile_changed",
    "A trainee's profile was saved (user_id; fields: the names of the fields that changed).",
)
enrolment_changed = Event(
    "enrolment_changed",
    "An enrolment moved to another state (enrolment; run_id; role: trainee or trainer).",
)
attendance_recorded = Event(
    "attendance_recorded",
    "Attendance was recorded for a session of a run (run_id; user_id: the one person who "
    "checked in, or None for a register).",
)
lesson_progress_changed = Event(
    "lesson_progress_changed",
    "A person's lesson was met or scored anew (user_id, lesson_id).",
)

# xapi
statements_stored = Event(
    "statements_stored", "Statements were stored in the LRS (statements: the new rows)."
)

# certificates
certificates_changed = Event(
    "certificates_changed",
    "Certificates were issued, revoked, corrected or withdrawn (certificates).",
)
