"""Attendance: a register saved in one statement, the QR check-in's short-lived codes."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events

from ..models import (
    Attendance,
    Enrolment,
)
from .enrolment import State

# ---------------------------------------------------------------------------------------------
# Attendance
# ---------------------------------------------------------------------------------------------

CHECK_IN_EARLY = timedelta(minutes=30)  # the code works from half an hour before a session


@transaction.atomic
def register_save(*, session, entries: dict[int, tuple[str, str]], actor) -> int:
    """Save a session's register in one go: {enrolment id: (status, note)}. Unknown statuses or
    people not enrolled in the run are refused, naming the line; nothing is saved then."""
    valid = dict(Attendance.Status.choices)
    # Two statements whatever the number of lines: one read, one INSERT ... ON CONFLICT.
    enrolled = set(
        Enrolment.objects.filter(
            run_id=session.run_id, role=Enrolment.Role.TRAINEE, state=State.ENROLLED
        ).values_list("pk", flat=True)
    )
    errors = []
    for enrolment_id, (status, _note) in entries.items():
        if status not in valid:
            errors.append(
                _("Line %(id)s: “%(status)s” is not one of present, late, absent, excused.")
                % {"id": enrolment_id, "status": status}
            )
        elif enrolment_id not in enrolled:
            errors.append(
                _("Line %(id)s: this person is not enrolled in the run.") % {"id": enrolment_id}
            )
    if errors:
        raise ValidationError({"register": errors})
    if session.cancelled:
        raise ValidationError({"register": [_("This session was cancelled.")]})
    now = timezone.now()
    attended = [i for i, (status, _note) in entries.items() if status in Attendance.ATTENDED]
    if attended:
        from .. import tasks

        transaction.on_commit(
            lambda: tasks.statements_attended.delay(session.pk, attended), robust=True
        )
    Attendance.objects.bulk_create(
        [
            Attendance(
                session_id=session.pk,
                enrolment_id=enrolment_id,
                status=status,
                note=note[:300],
                recorded_by=actor,
                recorded_at=now,
            )
            for enrolment_id, (status, note) in entries.items()
        ],
        update_conflicts=True,
        unique_fields=["session", "enrolment"],
        update_fields=["status", "note", "recorded_by", "recorded_at"],
    )
    events.attendance_recorded.send(run_id=session.run_id, user_id=None)
    return len(entries)


def _check_in_mac(session_id: int, window: int) -> str:
    from django.utils.crypto import salted_hmac

    return salted_hmac("pan.check-in", f"{session_id}:{window}").hexdigest()[:16]


def check_in_window(now=None) -> int:
    """The current minute: the code shown changes every minute."""
    return int((now or timezone.now()).timestamp() // 60)


def check_in_token(*, session, now=None) -> str:
    window = check_in_window(now)
    return f"{session.pk}-{window}-{_check_in_mac(session.pk, window)}"


@transaction.atomic
def check_in(*, session, user, token: str, now=None) -> Attendance:
    """Mark an enrolled trainee present from the code their trainer shows. The code is valid in
    the minute it was shown and the next one, for its own session, during the session (from
    half an hour before it starts to its end)."""
    now = now or timezone.now()
    try:
        session_id, window, mac = token.split("-")
        session_id, window = int(session_id), int(window)
    except ValueError:
        raise ValidationError({"token": _("This is not a check-in code.")}) from None
    from django.utils.crypto import constant_time_compare

    if not constant_time_compare(mac, _check_in_mac(session_id, window)):
        raise ValidationError({"token": _("This is not a check-in code.")})
    if session_id != session.pk:
        raise ValidationError({"token": _("This code belongs to another session.")})
    if window < check_in_window(now) - 1 or window > check_in_window(now):
        raise ValidationError({"token": _("This code has expired: scan the one shown now.")})
    if session.cancelled:
        raise ValidationError({"token": _("This session was cancelled.")})
    if not (session.starts_at - CHECK_IN_EARLY <= now <= session.ends_at):
        raise ValidationError({"token": _("Check-in is open only during the session.")})
    enrolment = Enrolment.objects.filter(
        run_id=session.run_id, user=user, role=Enrolment.Role.TRAINEE, state=State.ENROLLED
    ).first()
    if enrolment is None:
        raise ValidationError({"token": _("You are not enrolled in this run.")})
    attendance, _created = Attendance.objects.update_or_create(
        session=session,
        enrolment=enrolment,
        defaults={"status": Attendance.Status.PRESENT, "via_check_in": True, "recorded_by": user},
    )
    events.attendance_recorded.send(run_id=session.run_id, user_id=user.pk)
    return attendance
