"""E-learning's reads: where people stand in lessons, a trainee's path through a course
(outline, progress, where to resume), and the run register's lesson columns."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum

from courses import selectors as course_selectors
from trainees.models import Enrolment

from .models import LessonProgress, ScormAttempt


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


def lesson_progress_for(*, user_ids, lesson_ids) -> dict[tuple[int, int], LessonProgress]:
    """Progress rows keyed by (user id, lesson id) (one query, none without lessons)."""
    user_ids, lesson_ids = list(user_ids), list(lesson_ids)
    if not lesson_ids or not user_ids:
        return {}
    return {
        (p.user_id, p.lesson_id): p
        for p in LessonProgress.objects.filter(user_id__in=user_ids, lesson_id__in=lesson_ids)
    }


def lesson_progress_with_time(*, user_ids, lesson_ids) -> dict[tuple[int, int], LessonProgress]:
    """lesson_progress_for, each row with the time spent where the lesson's kind knows it
    (SCORM attempts' total time) as ``seconds_spent`` (two queries)."""
    progress = lesson_progress_for(user_ids=user_ids, lesson_ids=lesson_ids)
    spent = {
        (row["user_id"], row["lesson_id"]): row["seconds"]
        for row in ScormAttempt.objects.filter(
            user_id__in=list(user_ids), lesson_id__in=list(lesson_ids)
        )
        .values("user_id", "lesson_id")
        .annotate(seconds=Sum("total_seconds"))
    }
    for key, item in progress.items():
        item.seconds_spent = spent.get(key)
    return progress


def recent_lessons(*, user, limit: int = 50) -> list[LessonProgress]:
    """The lessons a person touched last, newest first, each with its state in words (one
    query)."""
    lessons = list(
        LessonProgress.objects.filter(user=user)
        .select_related("lesson")
        .order_by("-updated_at")[:limit]
    )
    for progress in lessons:
        progress.state_label = lesson_state_label(progress)
    return lessons
