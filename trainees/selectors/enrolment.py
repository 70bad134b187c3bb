"""Reads of enrolments and attendance: My learning, registers, the coordinator's queue and run
pages, nominations, the attendance export, what other apps ask of enrolments."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from core import hooks
from courses import permissions as run_permissions
from courses import selectors as course_selectors

from ..models import Attendance, Enrolment
from .learning import enrolment_is_over, waitlist_positions

# ---------------------------------------------------------------------------------------------
# Enrolment and attendance
# ---------------------------------------------------------------------------------------------


@dataclass
class AttendanceSummary:
    attended: int = 0
    recorded: int = 0
    held: int = 0  # sessions of the run that have started (and were not cancelled)
    total: int = 0  # sessions of the run that are not cancelled
    threshold: int = 0

    @property
    def rate(self) -> int | None:
        """Share of the sessions held so far that the person attended, in %."""
        return round(100 * self.attended / self.held) if self.held else None

    @property
    def meets_threshold(self) -> bool:
        """Attended enough of all the run's sessions to meet the run's threshold."""
        return bool(self.total) and 100 * self.attended >= self.threshold * self.total


def _session_counts(run_ids, now) -> dict[int, tuple[int, int]]:
    from courses.models import Session

    rows = (
        Session.objects.filter(run_id__in=run_ids, cancelled=False)
        .values("run_id")
        .annotate(total=Count("pk"), held=Count("pk", filter=Q(starts_at__lte=now)))
    )
    return {row["run_id"]: (row["total"], row["held"]) for row in rows}


def _attendance_counts(enrolment_ids) -> dict[int, tuple[int, int]]:
    rows = (
        Attendance.objects.filter(enrolment_id__in=enrolment_ids, session__cancelled=False)
        .values("enrolment_id")
        .annotate(
            recorded=Count("pk"),
            attended=Count("pk", filter=Q(status__in=Attendance.ATTENDED)),
        )
    )
    return {row["enrolment_id"]: (row["attended"], row["recorded"]) for row in rows}


def attendance_summaries(enrolments: list[Enrolment]) -> dict[int, AttendanceSummary]:
    """Per enrolment: attended, held so far, rate and whether the threshold is met (2 queries)."""
    now = timezone.now()
    sessions = _session_counts({e.run_id for e in enrolments}, now)
    counts = _attendance_counts([e.pk for e in enrolments])
    summaries = {}
    for enrolment in enrolments:
        total, held = sessions.get(enrolment.run_id, (0, 0))
        attended, recorded = counts.get(enrolment.pk, (0, 0))
        summaries[enrolment.pk] = AttendanceSummary(
            attended=attended,
            recorded=recorded,
            held=held,
            total=total,
            threshold=enrolment.run.attendance_threshold,
        )
    return summaries


def my_learning(*, user) -> dict:
    """The trainee's enrolments with status and attendance, and their upcoming sessions
    (four queries)."""
    from courses.models import Session

    enrolments = list(
        Enrolment.objects.filter(user=user)
        .select_related("run__course", "run__organiser", "run__host_country")
        .order_by("-run__start_date", "-pk")
    )
    summaries = attendance_summaries(enrolments)
    for enrolment in enrolments:
        enrolment.summary = summaries[enrolment.pk]
    enrolled_runs = [e.run_id for e in enrolments if e.state == Enrolment.State.ENROLLED]
    upcoming = list(
        Session.objects.filter(run_id__in=enrolled_runs, ends_at__gte=timezone.now())
        .select_related("run__course")
        .order_by("starts_at")[:20]
    )
    # The course outline with the trainee's progress: e-learning's, when it is installed.
    paths = hooks.learning_paths.collect(user=user, enrolments=enrolments)
    positions = waitlist_positions(enrolments)
    for enrolment in enrolments:
        enrolment.path = paths.get(enrolment.pk)
        enrolment.run_over = enrolment_is_over(enrolment)
        enrolment.waitlist_position = positions.get(enrolment.pk)
    return {"enrolments": enrolments, "upcoming_sessions": upcoming}


def my_sessions(*, user) -> list:
    """Every session of the runs the person is enrolled in (trainee or trainer), for the
    calendar feed (one query)."""
    from courses.models import Session

    return list(
        Session.objects.filter(
            run__enrolments__user=user, run__enrolments__state=Enrolment.State.ENROLLED
        )
        .select_related("run__course")
        .order_by("starts_at")
    )


def enrolment_for(*, run, user) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(run_id=run.pk, user=user).first()


def register(*, session) -> list[dict]:
    """A session's register: every enrolled trainee with their names and the line recorded so
    far (two queries)."""
    enrolments = list(
        Enrolment.objects.filter(
            run_id=session.run_id, role=Enrolment.Role.TRAINEE, state=Enrolment.State.ENROLLED
        )
        .select_related("user__trainee_profile__country")
        .order_by("user__trainee_profile__family_name_latin", "user__email")
    )
    lines = {a.enrolment_id: a for a in Attendance.objects.filter(session_id=session.pk)}
    return [{"enrolment": e, "attendance": lines.get(e.pk)} for e in enrolments]


def attendance_table(*, run) -> dict:
    """The run's whole register: sessions as columns, enrolled trainees as rows, with each
    person's rate and whether they meet the threshold, and their progress in each of the
    course's lessons with the time spent where it is known (eight queries)."""
    from courses.models import Session

    sessions = list(Session.objects.filter(run_id=run.pk).order_by("starts_at", "pk"))
    enrolments = list(
        Enrolment.objects.filter(
            run_id=run.pk, role=Enrolment.Role.TRAINEE, state=Enrolment.State.ENROLLED
        )
        .select_related("user__trainee_profile__country", "run")
        .order_by("user__trainee_profile__family_name_latin", "user__email")
    )
    lines = {
        (a.enrolment_id, a.session_id): a for a in Attendance.objects.filter(session__run_id=run.pk)
    }
    summaries = attendance_summaries(enrolments)
    lessons = course_selectors.course_lessons(course_id=run.course_id)
    # Where each trainee stands in each lesson, with the time spent: e-learning adds it.
    progress = hooks.lesson_progress.collect(
        user_ids=[e.user_id for e in enrolments], lesson_ids=[x.pk for x in lessons]
    )
    rows = [
        {
            "enrolment": e,
            "profile": getattr(e.user, "trainee_profile", None),
            "cells": [lines.get((e.pk, s.pk)) for s in sessions],
            "summary": summaries[e.pk],
            "lessons": [progress.get((e.user_id, x.pk)) for x in lessons],
        }
        for e in enrolments
    ]
    return {"sessions": sessions, "rows": rows, "lessons": lessons}


def with_visible_notes(user, enrolments: list[Enrolment]) -> list[Enrolment]:
    """Give each enrolment `visible_note`: its nominator's note where this user may read it
    (trainees.permissions), else "". Pages show that, never the field itself (one query)."""
    from .. import permissions

    visible = permissions.nominator_notes_visible(user, enrolments)
    for enrolment in enrolments:
        enrolment.visible_note = enrolment.nominator_note if enrolment.pk in visible else ""
    return enrolments


def _queue(user):
    return Enrolment.objects.filter(
        run__in=run_permissions.managed_runs(user),
        role=Enrolment.Role.TRAINEE,
        state__in=[Enrolment.State.REQUESTED, Enrolment.State.WAITLISTED],
        run__status="scheduled",
    )


def enrolment_queue_counts(*, user) -> dict[str, int]:
    """How many requests await this user's decision (the queue's badge) and how many people
    wait on their runs' waitlists (one query)."""
    counts = _queue(user).aggregate(
        awaiting=Count("pk", filter=Q(state=Enrolment.State.REQUESTED)),
        waitlisted=Count("pk", filter=Q(state=Enrolment.State.WAITLISTED)),
    )
    return {key: value or 0 for key, value in counts.items()}


def enrolment_queue(*, user) -> list[Enrolment]:
    """Requests awaiting a decision and waitlisted people across the runs this user manages,
    with the nominators' notes they may read (two queries)."""
    return with_visible_notes(
        user,
        list(
            _queue(user)
            .select_related(
                "run__course", "user__trainee_profile__country", "nominated_by", "country"
            )
            .order_by("run__start_date", "run_id", "state", "created_at")
        ),
    )


def places_left_annotations() -> dict:
    """Places held by trainees' enrolments and places left, as annotations of a queryset of
    runs (core.hooks.run_annotations: the course page's runs show them)."""
    from django.db.models import Count, F, Q
    from django.db.models.functions import Greatest

    held = Count(
        "enrolments",
        filter=Q(
            enrolments__role=Enrolment.Role.TRAINEE,
            enrolments__state__in=Enrolment.HOLDS_PLACE,
        ),
    )
    return {"places_held": held, "places_left": Greatest(F("capacity") - held, 0)}


def run_detail(*, run_id: int):
    """A run with its course, organiser, places left, sessions, quotas, trainers and the
    length of its waitlist (five queries)."""
    from courses import selectors as course_selectors
    from courses.models import CourseRun

    run = (
        course_selectors.with_places(CourseRun.objects.filter(pk=run_id))
        .select_related("course", "organiser", "host_country")
        .first()
    )
    if run is None:
        return None
    run.session_list = list(run.sessions.select_related("module").order_by("starts_at", "pk"))
    run.quota_list = list(run.quotas.select_related("country").order_by("country__name"))
    run.trainer_list = list(run.trainers.order_by("last_name", "first_name"))
    run.waitlist_length = Enrolment.objects.filter(
        run_id=run.pk, role=Enrolment.Role.TRAINEE, state=Enrolment.State.WAITLISTED
    ).count()
    return run


def managed_run_list(*, user) -> list:
    from courses import selectors as course_selectors

    return list(
        course_selectors.with_places(run_permissions.managed_runs(user))
        .select_related("course", "organiser")
        .order_by("-start_date", "pk")[:100]
    )


def trainer_runs(*, user) -> list:
    from courses.models import CourseRun

    return list(
        CourseRun.objects.filter(trainers=user)
        .select_related("course", "organiser")
        .prefetch_related("sessions")
        .order_by("-start_date", "pk")
    )


def nominations(*, user) -> list[Enrolment]:
    """Enrolments of officers from the countries this user is focal point for, with the notes
    they wrote (two queries)."""
    from trainees import permissions as trainee_permissions

    return with_visible_notes(
        user,
        list(
            Enrolment.objects.filter(
                country__in=trainee_permissions.nominating_countries(user),
                role=Enrolment.Role.TRAINEE,
            )
            .select_related("run__course", "user__trainee_profile", "nominated_by")
            .order_by("-created_at")[:200]
        ),
    )


def open_runs_for_nomination() -> list:
    from courses import selectors as course_selectors
    from courses.models import CourseRun

    return list(
        course_selectors.with_places(
            CourseRun.objects.filter(status="scheduled", end_date__gte=timezone.localdate())
        )
        .select_related("course", "organiser")
        .order_by("start_date", "pk")
    )


def attendance_export(*, run) -> tuple[list[str], list[list]]:
    """The run's register as a table for CSV and XLSX: one row per enrolled trainee."""
    table = attendance_table(run=run)
    header = [
        "family_name_latin",
        "given_name_latin",
        "family_name",
        "given_name",
        "email",
        "country",
        "gender",
        "name_latin",  # the whole name, in the person's order (family name first for some)
        "name",
    ]
    header += [
        f"{timezone.localtime(s.starts_at, run.tz):%Y-%m-%d %H:%M}"
        + (" (cancelled)" if s.cancelled else "")
        for s in table["sessions"]
    ]
    header += ["attended", "sessions_held", "rate_percent", "meets_threshold"]
    for lesson in table["lessons"]:
        header += [f"{lesson.title}: status", f"{lesson.title}: score", f"{lesson.title}: minutes"]
    rows = []
    for row in table["rows"]:
        profile = row["profile"]
        summary = row["summary"]
        rows.append(
            [
                profile.family_name_latin if profile else "",
                profile.given_name_latin if profile else "",
                profile.family_name if profile else "",
                profile.given_name if profile else "",
                row["enrolment"].user.email,
                profile.country.code if profile else "",
                profile.gender if profile else "",
                profile.latin_name if profile else "",
                profile.full_name if profile else "",
                *[cell.status if cell else "" for cell in row["cells"]],
                summary.attended,
                summary.held,
                "" if summary.rate is None else summary.rate,
                "yes" if summary.meets_threshold else "no",
                *[
                    value
                    for item in row["lessons"]
                    for value in (
                        (item.status if item else ""),
                        ("" if not item or item.score is None else round(item.score * 100)),
                        (
                            ""
                            if not item or getattr(item, "seconds_spent", None) is None
                            else round(item.seconds_spent / 60, 1)
                        ),
                    )
                ],
            ]
        )
    return header, rows


def certifiable_enrolments(*, run, enrolment_ids=None, user_id=None) -> list[Enrolment]:
    """A run's enrolled participants (not its trainers) with their profiles, for certificate
    rules (one query)."""
    enrolments = Enrolment.objects.filter(
        run_id=run.pk, role=Enrolment.Role.TRAINEE, state=Enrolment.State.ENROLLED
    )
    if enrolment_ids is not None:
        enrolments = enrolments.filter(pk__in=list(enrolment_ids))
    if user_id is not None:
        enrolments = enrolments.filter(user_id=user_id)
    enrolments = enrolments.select_related("user__trainee_profile__country", "run")
    return list(enrolments.order_by("user__trainee_profile__family_name_latin", "pk"))


def enrolled_runs_of_course_lesson(*, user_id: int, lesson_id: int) -> list[int]:
    """Runs of the course a lesson belongs to in which the person is an enrolled participant
    (two queries): where a change in their lesson progress may earn a certificate."""
    from courses.models import CoursePage, LessonPage

    lesson = LessonPage.objects.filter(pk=lesson_id).only("path").first()
    if lesson is None:
        return []
    step = CoursePage.steplen
    ancestors = [lesson.path[:n] for n in range(step, len(lesson.path), step)]
    course_ids = CoursePage.objects.filter(path__in=ancestors).values("pk")
    return list(
        Enrolment.objects.filter(
            user_id=user_id,
            run__course_id__in=course_ids,
            role=Enrolment.Role.TRAINEE,
            state=Enrolment.State.ENROLLED,
        ).values_list("run_id", flat=True)
    )


def run_ids_of_person(*, user_id: int) -> list[int]:
    """The runs a person is (or was) enrolled in, in any role or state."""
    return list(Enrolment.objects.filter(user_id=user_id).values_list("run_id", flat=True))
