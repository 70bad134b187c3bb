"""What an enrolment's end or withdrawal means, waitlist positions, check-in counts. (The
course outline with the trainee's progress is e-learning's, added through core.hooks.)"""

from __future__ import annotations

from django.utils import timezone

from courses import selectors as course_selectors

from ..models import Attendance, Enrolment


def enrolment_is_over(enrolment: Enrolment) -> bool:
    """The run of an enrolled trainee has ended (its last day is past)."""
    return (
        enrolment.state == Enrolment.State.ENROLLED
        and enrolment.run.status != "cancelled"
        and enrolment.run.end_date < timezone.localdate()
    )


def waitlist_positions(enrolments) -> dict[int, int]:
    """Each waitlisted enrolment's place in its run's queue, in the order places are offered
    (one query, none without one)."""
    waiting = [e for e in enrolments if e.state == Enrolment.State.WAITLISTED]
    if not waiting:
        return {}
    queue = Enrolment.objects.filter(
        run_id__in={e.run_id for e in waiting},
        role=Enrolment.Role.TRAINEE,
        state=Enrolment.State.WAITLISTED,
    ).order_by("run_id", "waitlisted_at", "pk")
    positions: dict[int, int] = {}
    counts: dict[int, int] = {}
    for run_id, pk in queue.values_list("run_id", "pk"):
        counts[run_id] = counts.get(run_id, 0) + 1
        positions[pk] = counts[run_id]
    return positions


def withdrawal_consequence(*, enrolment: Enrolment) -> dict:
    """What withdrawing gives up, for the confirmation page (two queries): whether the
    enrolment holds a place, how many wait for one, and whether the run is full now."""
    from courses.models import CourseRun

    run = (
        course_selectors.with_places(CourseRun.objects.filter(pk=enrolment.run_id))
        .select_related("course")
        .get()
    )
    waiting = Enrolment.objects.filter(
        run_id=run.pk, role=Enrolment.Role.TRAINEE, state=Enrolment.State.WAITLISTED
    ).count()
    return {
        "run": run,
        "holds_place": enrolment.holds_place,
        "waiting": waiting,
        "full": run.places_left == 0,
    }


def check_in_count(*, session) -> dict:
    """How many of a session's participants are marked present or late so far, and how many
    there are, for the trainer's QR screen (two queries)."""
    expected = Enrolment.objects.filter(
        run_id=session.run_id, role=Enrolment.Role.TRAINEE, state=Enrolment.State.ENROLLED
    ).count()
    arrived = Attendance.objects.filter(
        session=session,
        status__in=Attendance.ATTENDED,
        enrolment__role=Enrolment.Role.TRAINEE,
        enrolment__state=Enrolment.State.ENROLLED,
    ).count()
    return {"checked_in": arrived, "expected": expected}
