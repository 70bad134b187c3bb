"""Each person's progress in each lesson, derived from the statements the LRS receives; waivers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core import events
from core.public_url import public_base_url
from courses.models import LessonPage
from courses.selectors import lesson_activity_id
from xapi import services as xapi_services

from ..models import LessonProgress

# Lesson progress, from statements
# ---------------------------------------------------------------------------------------------

_STARTED_VERBS = {
    "http://adlnet.gov/expapi/verbs/launched",
    "http://adlnet.gov/expapi/verbs/initialized",
    "http://adlnet.gov/expapi/verbs/experienced",
    "http://adlnet.gov/expapi/verbs/attempted",
    "http://adlnet.gov/expapi/verbs/progressed",
    "http://adlnet.gov/expapi/verbs/resumed",
    "http://adlnet.gov/expapi/verbs/answered",
}
_WAIVED_VERB = "https://w3id.org/xapi/adl/verbs/waived"
_WAIVER_REASON = "https://w3id.org/xapi/cmi5/context/extensions/reason"
_VERB_STATUS = {
    "http://adlnet.gov/expapi/verbs/completed": "completed",
    "http://adlnet.gov/expapi/verbs/passed": "passed",
    "http://adlnet.gov/expapi/verbs/failed": "failed",
}


def _scaled(result: dict) -> float | None:
    score = result.get("score") or {}
    if "scaled" in score:
        return float(score["scaled"])
    if "raw" in score and score.get("max"):
        low = score.get("min", 0)
        return (score["raw"] - low) / (score["max"] - low)
    return None


def lesson_progress_start(*, user, lesson) -> LessonProgress:
    """The progress row of a first launch (its registration is reused by later launches, so
    that a package's saved state and bookmarks are found again)."""
    import uuid

    progress, _created = LessonProgress.objects.get_or_create(
        user=user,
        lesson=lesson,
        defaults={"registration": uuid.uuid4(), "status": LessonProgress.Status.VIEWED},
    )
    return progress


@transaction.atomic
def progress_record(
    *, user_id: int, lesson_id: int, activity_id: str, statements: list[dict]
) -> bool:
    """Move a learner's progress in a lesson on with the statements of one launch about the
    launched activity (statements about its parts, such as answered questions, do not count).
    Returns True when a cmi5 AU has just become satisfied by its moveOn criteria."""
    import uuid

    progress = (
        LessonProgress.objects.select_for_update()
        .filter(user_id=user_id, lesson_id=lesson_id)
        .first()
    )
    if progress is None:
        progress = LessonProgress(
            user_id=user_id,
            lesson_id=lesson_id,
            registration=uuid.uuid4(),
            status=LessonProgress.Status.VIEWED,
        )
    passed = progress.status == LessonProgress.Status.PASSED
    before = (progress.satisfied, progress.score)
    for statement in statements:
        if statement["object"].get("id") != activity_id:
            continue
        verb = statement["verb"]["id"]
        result = statement.get("result") or {}
        if verb == _WAIVED_VERB:
            reason = (statement.get("context") or {}).get("extensions", {}).get(_WAIVER_REASON)
            progress.status = LessonProgress.Status.WAIVED
            progress.waiver_reason = reason or LessonProgress.WaiverReason.ADMINISTRATIVE
            progress.completed = True
            continue
        status = _VERB_STATUS.get(verb)
        if status is None and verb not in _STARTED_VERBS and not result:
            continue
        if result.get("completion") is True or status == "completed":
            progress.completed = True
        if result.get("success") is True:
            status = status or "passed"
        scaled = _scaled(result)
        if scaled is not None and (progress.score is None or scaled > progress.score):
            progress.score = scaled
        if status in ("passed", "failed"):
            progress.attempts += 1
        if status and LessonProgress.RANK[status] >= LessonProgress.RANK[progress.status]:
            progress.status = status
        if progress.status == LessonProgress.Status.PASSED:
            passed = True
    if progress.completed and progress.status == LessonProgress.Status.VIEWED:
        progress.status = LessonProgress.Status.COMPLETED
    newly_satisfied = False
    if not progress.satisfied:
        lesson = LessonPage.objects.filter(pk=lesson_id).select_related("package").first()
        move_on = _move_on(lesson)
        waived = progress.status == LessonProgress.Status.WAIVED
        if waived or (move_on and _meets(move_on, completed=progress.completed, passed=passed)):
            progress.satisfied = True
            newly_satisfied = bool(lesson.package_id) and lesson.package.kind == "cmi5"
    progress.save()
    if (progress.satisfied, progress.score) != before:
        # A lesson met or a better score may earn a certificate in a run of the course.
        events.lesson_progress_changed.send(user_id=user_id, lesson_id=lesson_id)
    return newly_satisfied


@transaction.atomic
def lesson_waive(*, lesson, user, actor, reason: str) -> LessonProgress:
    """The academy waives a lesson for one trainee (they tested out or trained elsewhere): a
    cmi5 "waived" statement in the platform's LRS, which moves their progress like any other
    statement and counts as the lesson's requirement met. A lesson already met or waived is
    refused, so the statement is never made twice."""
    import uuid

    if reason not in LessonProgress.WaiverReason.values:
        raise ValidationError(
            {"reason": _("Choose one of the listed reasons for the waiver.")}, code="invalid"
        )
    progress = lesson_progress_start(user=user, lesson=lesson)
    progress = LessonProgress.objects.select_for_update().get(pk=progress.pk)
    if progress.satisfied:
        raise ValidationError(
            {
                "lesson": _("%(name)s has already met this lesson's requirement.")
                % {"name": user.get_full_name() or user.get_username()}
            },
            code="already_met",
        )
    # A waiver has a session of its own (cmi5 9.3.7), never reused by a launch.
    session = str(uuid.uuid5(uuid.NAMESPACE_URL, f"waived:{progress.registration}"))
    statement = xapi_services.cmi5_statement(
        xapi_services.learner_agent(user),
        "waived",
        lesson_activity_id(lesson),
        str(progress.registration),
        session,
        result={"success": True, "completion": True},
        reason=reason,
        moveon=True,
    )
    statement["id"] = str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"{public_base_url()}#waived:{progress.pk}")
    )
    xapi_services.statements_store(
        statements=[statement],
        credentials=xapi_services.lesson_credentials(
            user=user, lesson=lesson, registration=str(progress.registration), session=session
        ),
    )
    log(
        instance=lesson,
        action="pan.lesson_waive",
        user=actor,
        data={"trainee": user.pk, "reason": reason},
    )
    progress.refresh_from_db()
    return progress


def _move_on(lesson) -> str:
    if lesson is None:
        return ""
    if lesson.package_id and lesson.package.kind == "cmi5":
        activity = lesson.package_activity
        return activity.get("move_on", "NotApplicable") if activity else ""
    if lesson.package_id and lesson.package.is_scorm:
        # A SCO with a mastery score is met when passed; any other once completed or passed.
        activity = lesson.package_activity or {}
        return "Passed" if activity.get("mastery_score") is not None else "CompletedOrPassed"
    return "Passed" if lesson.has_quiz else "Completed"


def _meets(move_on: str, *, completed: bool, passed: bool) -> bool:
    return {
        "Passed": passed,
        "Completed": completed,
        "CompletedAndPassed": completed and passed,
        "CompletedOrPassed": completed or passed,
        "NotApplicable": True,
    }.get(move_on, False)


# ---------------------------------------------------------------------------------------------
