"""A trainee's path through a course: outline, progress, where to resume, what an enrolment's
end or withdrawal means, check-in counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from courses import selectors as course_selectors

from ..models import Attendance, Enrolment, LessonProgress

# ---------------------------------------------------------------------------------------------
# A trainee's path through a course: outline, progress, where to resume
# ---------------------------------------------------------------------------------------------


@dataclass
class LessonStep:
    """One lesson of an enrolment's outline and where the trainee stands in it."""

    lesson: object
    progress: LessonProgress | None

    @property
    def met(self) -> bool:
        return bool(self.progress and self.progress.satisfied)

    @property
    def state(self) -> str:
        """not-started, in-progress, not-passed or met (the CSS class and the test's word)."""
        if self.progress is None:
            return "not-started"
        if self.met:
            return "met"
        if self.progress.status == LessonProgress.Status.FAILED:
            return "not-passed"
        return "in-progress"

    @property
    def label(self) -> str:
        return lesson_state_label(self.progress)


def lesson_state_label(progress: LessonProgress | None) -> str:
    """What is true of a lesson for the trainee, in one phrase: a lesson whose requirement is
    met says how (passed, completed, waived), never "failed" beside "requirements met"."""
    from django.utils.translation import gettext as _

    Status = LessonProgress.Status
    if progress is None:
        return _("Not started")
    if progress.status == Status.WAIVED:
        return _("Waived")
    if progress.satisfied:
        if progress.status == Status.PASSED:
            return _("Passed")
        return _("Completed")
    if progress.status == Status.FAILED:
        return _("Not passed yet: try again")
    if progress.completed:
        return _("Completed; a pass is still needed")
    return _("In progress")


@dataclass
class LearningPath:
    """An enrolment's course outline with the trainee's progress: modules and lessons in
    order, how many are met, and the lesson to go on with (the first not yet met)."""

    modules: list[dict]
    steps: list[LessonStep]

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def met_count(self) -> int:
        return sum(1 for step in self.steps if step.met)

    @property
    def percent(self) -> int:
        return round(100 * self.met_count / self.total) if self.total else 0

    @property
    def next_step(self) -> LessonStep | None:
        return next((step for step in self.steps if not step.met), None)

    @property
    def started(self) -> bool:
        return any(step.progress is not None for step in self.steps)

    @property
    def finished(self) -> bool:
        return bool(self.total) and self.met_count == self.total


def learning_paths(*, user, enrolments) -> dict[int, LearningPath]:
    """The outline and progress of each enrolled trainee's course (by enrolment id), in the
    active language (six queries whatever the number of enrolments; none without one)."""
    from django.utils.translation import get_language

    enrolled = [
        e
        for e in enrolments
        if e.state == Enrolment.State.ENROLLED and e.role == Enrolment.Role.TRAINEE
    ]
    if not enrolled:
        return {}
    outlines = course_selectors.course_outlines(
        course_ids=[e.run.course_id for e in enrolled], language_code=get_language()
    )
    lesson_ids = {
        lesson.source_id
        for modules in outlines.values()
        for part in modules
        for lesson in part["lessons"]
    }
    progress = {
        p.lesson_id: p
        for p in LessonProgress.objects.filter(user=user, lesson_id__in=list(lesson_ids))
    }
    paths = {}
    for enrolment in enrolled:
        modules = []
        steps = []
        for part in outlines.get(enrolment.run.course_id, []):
            part_steps = [
                LessonStep(lesson=lesson, progress=progress.get(lesson.source_id))
                for lesson in part["lessons"]
            ]
            steps.extend(part_steps)
            modules.append({"module": part["module"], "steps": part_steps})
        if steps:
            paths[enrolment.pk] = LearningPath(modules=modules, steps=steps)
    return paths


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
