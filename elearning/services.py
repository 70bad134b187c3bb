"""E-learning: packages uploaded and stored, lessons launched (TinCan, cmi5 and the authored
lesson player), quizzes graded on the server, and each person's progress in each lesson derived
from the statements the learning record store receives.

It sits above the course pages (courses), the LRS (xapi) and enrolment (trainees): it uses
them, and they learn of e-learning only through the events it subscribes to
(`receivers.py`)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core import events
from courses.models import LessonPackage, LessonPage
from courses.selectors import lesson_activity_id
from pan_network.models import Institution
from pan_network.storage import private_storage
from trainees.models import LessonProgress
from xapi import services as xapi_services
from xapi import validation as xapi_validation
from xapi.models import LaunchToken
from xapi.models import Statement as XStatement

from .packages import PackageError, package_extract, package_inspect

# ---------------------------------------------------------------------------------------------
# E-learning packages
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def package_upload(
    *, content: bytes, filename: str, institution: Institution, title: str = "", actor=None
) -> LessonPackage:
    """Validate an xAPI or cmi5 zip completely, then store its files under packages/<id>/ in
    the private storage (served only by the sandboxed package view).
    A refused package changes nothing; its errors name each bad entry and the rule."""
    import hashlib
    from dataclasses import asdict

    try:
        manifest = package_inspect(content=content, filename=filename)
    except PackageError as error:
        raise ValidationError({"upload": error.messages}) from None
    if manifest.kind in (LessonPackage.Kind.SCORM12, LessonPackage.Kind.SCORM2004):
        manifest = _scorm_iris(manifest)
    package = LessonPackage.objects.create(
        title=(title or manifest.title)[:255],
        kind=manifest.kind,
        institution=institution,
        course_id=manifest.course_id,
        manifest={
            "root": manifest.root,
            "activities": [asdict(activity) for activity in manifest.activities],
            "files": len(manifest.files),
        },
        sha256=hashlib.sha256(content).hexdigest(),
        size=manifest.total_size,
        uploaded_by=actor,
    )
    written: list[str] = []

    def destination(name: str, data: bytes) -> None:
        path = package.file_path(name)
        private_storage.save(path, ContentFile(data))
        written.append(path)

    try:
        package_extract(content=content, destination=destination)
    except Exception:
        for path in written:
            private_storage.delete(path)
        raise
    log(instance=package, action="wagtail.create", user=actor)
    return package


def _scorm_iris(manifest):
    """SCORM names its course and SCOs with plain identifiers; xAPI needs IRIs. They are made
    on the platform's own address from the manifest's identifiers, so that a new version of
    the same package keeps its activities (and the trainees' progress)."""
    from dataclasses import replace
    from urllib.parse import quote

    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    course = f"{base}/scorm/{quote(manifest.course_id, safe='')}"
    return replace(
        manifest,
        course_id=course,
        activities=tuple(
            replace(activity, activity_id=f"{course}/{quote(activity.identifier, safe='')}")
            for activity in manifest.activities
        ),
    )


# ---------------------------------------------------------------------------------------------
# Launching lessons
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def lesson_launch(*, user, lesson, base_url: str) -> dict:
    """Everything a launch needs: the URL to open in the sandboxed frame (with the TinCan or
    cmi5 launch parameters), the registration and the activity id. For cmi5, the LMS.LaunchData
    state is written and the `launched` statement stored first, and an earlier session left
    without `terminated` is recorded as `abandoned`."""
    import base64
    import json as json_module
    from urllib.parse import urlencode

    package = lesson.package
    activity = lesson.package_activity
    if activity is None:
        raise ValidationError({"lesson": _("This lesson has no e-learning package to launch.")})
    if package.is_scorm:
        return scorm_launch(user=user, lesson=lesson, base_url=base_url)
    progress = lesson_progress_start(user=user, lesson=lesson)
    registration = str(progress.registration)
    actor = xapi_services.learner_agent(user)
    endpoint = base_url.rstrip("/") + "/xapi/"
    launch = activity["launch"]
    package_base = f"{base_url.rstrip('/')}/packages/{package.pk}/"
    target = launch if "://" in launch else package_base + launch
    separator = "&" if "?" in target else "?"
    if package.kind == LessonPackage.Kind.TINCAN:
        token, secret, _code = xapi_services.launch_token_issue(
            user=user, lesson=lesson, activity_id=activity["activity_id"], registration=registration
        )
        auth = "Basic " + base64.b64encode(f"{token.key}:{secret}".encode()).decode()
        query = urlencode(
            {
                "endpoint": endpoint,
                "auth": auth,
                "actor": json_module.dumps(actor),
                "registration": registration,
                "activity_id": activity["activity_id"],
            }
        )
        return {"url": f"{target}{separator}{query}", "registration": registration}

    previous = (
        LaunchToken.objects.filter(user=user, lesson=lesson, fetched_at__isnull=False)
        .order_by("-created_at")
        .first()
    )
    if previous is not None:
        ended = XStatement.objects.filter(
            registration=registration,
            verb_id=xapi_services.VERBS["terminated"],
            stored__gte=previous.created_at,
        ).exists()
        if not ended:
            xapi_services.statements_store(
                statements=[
                    xapi_services.cmi5_statement(
                        actor, "abandoned", activity["activity_id"], registration, previous.key
                    )
                ],
                credentials=xapi_services.platform_credentials(),
            )
    token, _secret, fetch_code = xapi_services.launch_token_issue(
        user=user,
        lesson=lesson,
        activity_id=activity["activity_id"],
        registration=registration,
        with_secret=False,
    )
    session_id = token.key
    launch_data = {
        "contextTemplate": {
            "contextActivities": {"grouping": [{"id": package.course_id}]},
            "extensions": {xapi_services.CMI5_SESSION: session_id},
        },
        "launchMode": "Normal",
        "moveOn": activity.get("move_on") or "NotApplicable",
        "returnURL": base_url.rstrip("/") + "/my/",
    }
    if activity.get("mastery_score") is not None:
        launch_data["masteryScore"] = activity["mastery_score"]
    if activity.get("launch_parameters"):
        launch_data["launchParameters"] = activity["launch_parameters"]
    xapi_services.document_save(
        scope={
            "kind": "state",
            "document_id": "LMS.LaunchData",
            "activity_id": activity["activity_id"],
            "agent_ifi": xapi_validation.ifi_key(actor),
            "registration": registration,
        },
        content=json_module.dumps(launch_data).encode(),
        content_type="application/json",
        merge=False,
    )
    launched = xapi_services.cmi5_statement(
        actor, "launched", activity["activity_id"], registration, session_id
    )
    launched["context"]["extensions"].update(
        {
            "https://w3id.org/xapi/cmi5/context/extensions/launchmode": "Normal",
            "https://w3id.org/xapi/cmi5/context/extensions/launchurl": target,
            "https://w3id.org/xapi/cmi5/context/extensions/moveon": launch_data["moveOn"],
            "https://w3id.org/xapi/cmi5/context/extensions/launchparameters": activity.get(
                "launch_parameters", ""
            ),
        }
    )
    xapi_services.statements_store(
        statements=[launched], credentials=xapi_services.launch_credentials(token)
    )
    fetch = f"{base_url.rstrip('/')}/xapi/cmi5/fetch/{token.key}/{fetch_code}"
    query = urlencode(
        {
            "endpoint": endpoint,
            "fetch": fetch,
            "actor": json_module.dumps(actor),
            "registration": registration,
            "activityId": activity["activity_id"],
        }
    )
    return {"url": f"{target}{separator}{query}", "registration": registration}


def _quiz_questions(lesson) -> list[dict]:
    questions = []
    for block in lesson.body:
        if block.block_type == "quiz":
            for index, question in enumerate(block.value["questions"]):
                questions.append(
                    {
                        "key": f"{block.id}-{index}",
                        "kind": question["kind"],
                        "prompt": question["prompt"],
                        "answers": [
                            {
                                "text": a["text"],
                                "correct": a["correct"],
                                "feedback": a["feedback"],
                            }
                            for a in question["answers"]
                        ],
                    }
                )
    return questions


@transaction.atomic
def quiz_submit(*, user, lesson, answers: dict[str, list[int]]) -> dict:
    """Grade a lesson's quizzes on the server: feedback per chosen answer, the score, passed or
    failed against the lesson's pass mark. Statements (`answered` per question, then `passed`
    or `failed` with the score) go through the LRS and move the lesson's progress."""
    import uuid

    questions = _quiz_questions(lesson)
    if not questions:
        raise ValidationError({"quiz": _("This lesson has no quiz.")})
    progress = lesson_progress_start(user=user, lesson=lesson)
    progress = LessonProgress.objects.select_for_update().get(pk=progress.pk)
    if lesson.attempts_allowed and progress.attempts >= lesson.attempts_allowed:
        raise ValidationError(
            {"quiz": _("You have used all %(n)s attempts.") % {"n": lesson.attempts_allowed}}
        )
    feedback, correct_count = {}, 0
    for question in questions:
        chosen = sorted(
            {i for i in answers.get(question["key"], []) if 0 <= i < len(question["answers"])}
        )
        if not chosen:
            raise ValidationError({"quiz": _("Answer every question before submitting.")})
        if question["kind"] != "multiple" and len(chosen) > 1:
            raise ValidationError(
                {"quiz": _("Choose one answer for: %(q)s") % {"q": question["prompt"]}}
            )
        right = sorted(i for i, a in enumerate(question["answers"]) if a["correct"])
        is_correct = chosen == right
        correct_count += is_correct
        feedback[question["key"]] = {
            "correct": is_correct,
            "feedback": [
                question["answers"][i]["feedback"]
                for i in chosen
                if question["answers"][i]["feedback"]
            ],
        }
    scaled = correct_count / len(questions)
    passed = scaled * 100 >= lesson.pass_mark
    actor = xapi_services.learner_agent(user)
    activity_id = lesson_activity_id(lesson)
    registration = str(progress.registration)
    context = {"registration": registration}
    statements = [
        {
            "id": str(uuid.uuid4()),
            "actor": actor,
            "verb": {
                "id": "http://adlnet.gov/expapi/verbs/answered",
                "display": {"en-US": "answered"},
            },
            "object": {
                "objectType": "Activity",
                "id": f"{activity_id}#question-{question['key']}",
                "definition": {
                    "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                    "name": {"en-US": question["prompt"][:200]},
                    "interactionType": "choice",
                },
            },
            "result": {"success": feedback[question["key"]]["correct"]},
            "context": {**context, "contextActivities": {"parent": [{"id": activity_id}]}},
        }
        for question in questions
    ]
    statements.append(
        {
            "id": str(uuid.uuid4()),
            "actor": actor,
            "verb": {
                "id": xapi_services.VERBS["passed" if passed else "failed"],
                "display": {"en-US": "passed" if passed else "failed"},
            },
            "object": {
                "objectType": "Activity",
                "id": activity_id,
                "definition": {
                    "type": "http://adlnet.gov/expapi/activities/lesson",
                    "name": {"en-US": lesson.title},
                },
            },
            "result": {
                "score": {
                    "scaled": round(scaled, 4),
                    "raw": correct_count,
                    "min": 0,
                    "max": len(questions),
                },
                "success": passed,
                "completion": True,
            },
            "context": context,
        }
    )
    xapi_services.statements_store(
        statements=statements,
        credentials=xapi_services.lesson_credentials(
            user=user, lesson=lesson, registration=registration
        ),
    )
    progress.refresh_from_db()
    remaining = (
        max(lesson.attempts_allowed - progress.attempts, 0) if lesson.attempts_allowed else None
    )
    return {
        "score": round(scaled * 100),
        "passed": passed,
        "pass_mark": lesson.pass_mark,
        "questions": feedback,
        "attempts_left": remaining,
    }


def lesson_player(*, user, lesson, base_url: str) -> dict:
    """The authored lesson player's launch, TinCan style: the browser sends its own
    statements (experienced, completed) to the LRS with a token for this lesson only, and
    keeps the reading position in the State resource."""
    import base64

    progress = lesson_progress_start(user=user, lesson=lesson)
    activity_id = lesson_activity_id(lesson)
    token, secret, _code = xapi_services.launch_token_issue(
        user=user, lesson=lesson, activity_id=activity_id, registration=progress.registration
    )
    return {
        "endpoint": base_url.rstrip("/") + "/xapi/",
        "auth": "Basic " + base64.b64encode(f"{token.key}:{secret}".encode()).decode(),
        "actor": xapi_services.learner_agent(user),
        "registration": str(progress.registration),
        "activity_id": activity_id,
        "title": lesson.title,
        "status": progress.status,
        "completed": progress.completed,
        "attempts": progress.attempts,
        "attempts_allowed": lesson.attempts_allowed,
        "has_quiz": lesson.has_quiz,
        # What the player writes on the page, in the trainee's language.
        "labels": {
            "completed": _("Completed"),
            "correct": _("✓ Correct."),
            "wrong": _("✗ Not quite."),
            "score": _("Score %(score)s%% (pass mark %(pass_mark)s%%):"),
            "passed": _("passed."),
            "not_passed": _("not passed."),
            "attempts_left": _("Attempts left: %(n)s."),
            "offline": _("No connection: try again in a moment."),
        },
    }


# ---------------------------------------------------------------------------------------------
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
        uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.WAGTAILADMIN_BASE_URL}#waived:{progress.pk}")
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
# SCORM: launches, commits, statements
# ---------------------------------------------------------------------------------------------

# ADL's SCORM profile for xAPI: the category every statement about a SCO carries.
SCORM_PROFILE_CATEGORY = "https://w3id.org/xapi/scorm"


def package_origin(base_url: str) -> str:
    """Where SCORM content plays: the platform's own server under the package host name
    (settings.PAN_PACKAGE_HOST), same scheme and port. Empty when no host is configured."""
    from urllib.parse import urlsplit

    host = settings.PAN_PACKAGE_HOST
    if not host:
        return ""
    parts = urlsplit(base_url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def _scorm_statement(attempt, verb: str, *, result: dict | None = None, launch: int = 0) -> dict:
    data = xapi_services.platform_statement_data(
        user=attempt.user,
        verb=verb,
        activity_id=attempt.activity_id,
        key=f"scorm:{attempt.token}:{launch}:{verb}",
        registration=str(attempt.registration),
    )
    data.setdefault("context", {})["contextActivities"] = {
        "category": [{"id": SCORM_PROFILE_CATEGORY}],
        "grouping": [{"id": attempt.package.course_id}],
    }
    if result:
        data["result"] = result
    return data


def _scorm_answered(attempt, interaction: dict, *, index: int) -> dict:
    from urllib.parse import quote

    data = xapi_services.platform_statement_data(
        user=attempt.user,
        verb="answered",
        activity_id=f"{attempt.activity_id}/interactions/{quote(interaction['id'], safe='')}",
        key=f"scorm:{attempt.token}:{attempt.launches}:answered:{index}",
        name=interaction["description"][:250],
        registration=str(attempt.registration),
    )
    data.setdefault("context", {})["contextActivities"] = {
        "category": [{"id": SCORM_PROFILE_CATEGORY}],
        "parent": [{"id": attempt.activity_id}],
        "grouping": [{"id": attempt.package.course_id}],
    }
    result = {"response": interaction["response"][:4000]}
    if interaction["result"] in ("correct", "incorrect", "wrong"):
        result["success"] = interaction["result"] == "correct"
    data["result"] = result
    return data


def _scorm_store(attempt, statements: list[dict]) -> None:
    """Store statements about the attempt once each: their ids come from the attempt, the
    launch and the verb, so a retried commit stores nothing twice."""
    from xapi.models import Statement as XStatement

    ids = {s["id"] for s in statements}
    known = set(XStatement.objects.filter(id__in=ids).values_list("id", flat=True))
    fresh = [s for s in statements if s["id"] not in {str(k) for k in known}]
    if fresh:
        xapi_services.statements_store(
            statements=fresh,
            credentials=xapi_services.activity_credentials(
                user=attempt.user,
                lesson_id=attempt.lesson_id,
                activity_id=attempt.activity_id,
                registration=str(attempt.registration),
            ),
        )


@transaction.atomic
def scorm_launch(*, user, lesson, base_url: str) -> dict:
    """Open (or resume) the trainee's attempt at a lesson's SCO: the address of the SCO on the
    package origin, under the attempt's token, and the statements of a launch (initialized, or
    resumed after a suspend)."""
    import secrets

    from . import scorm
    from .models import ScormAttempt

    origin = package_origin(base_url)
    if not origin:
        raise ValidationError(
            {
                "lesson": _(
                    "SCORM lessons need a host name of their own for their content "
                    "(PAN_PACKAGE_HOST); ask the platform's administrator."
                )
            }
        )
    package, activity = lesson.package, lesson.package_activity
    progress = lesson_progress_start(user=user, lesson=lesson)
    attempt = (
        ScormAttempt.objects.select_for_update()
        .filter(user=user, lesson=lesson)
        .order_by("-number")
        .first()
    )
    if (
        attempt is None
        or attempt.activity_id != activity["activity_id"]
        or _scorm_ended(attempt, package.kind)
    ):
        attempt = ScormAttempt.objects.create(
            user=user,
            lesson=lesson,
            package=package,
            activity_id=activity["activity_id"],
            registration=progress.registration,
            number=(attempt.number + 1) if attempt else 1,
            token=secrets.token_urlsafe(32),
        )
    resumed = scorm.summary(package.kind, attempt.cmi).exit == "suspend"
    attempt.launches += 1
    attempt.save(update_fields=["launches", "updated_at"])
    verb = "resumed" if resumed else "initialized"
    statements = [_scorm_statement(attempt, verb, launch=attempt.launches)]
    if activity.get("scorm_type") == "asset":
        # An asset has no run-time API: opening it is all there is to do (SCORM's rule).
        statements.append(
            _scorm_statement(attempt, "completed", result={"completion": True}, launch=0)
        )
    _scorm_store(attempt, statements)
    return {
        "url": f"{origin}/packages/{package.pk}/a/{attempt.token}/~/player",
        "registration": str(attempt.registration),
        "origin": origin,
        "scorm": True,
        "attempt": attempt.number,
    }


def _scorm_ended(attempt, kind: str) -> bool:
    """An attempt the SCO finished and left without suspending: the next launch is a new
    attempt, starting from a fresh data model (the finished one stays as it was, with its
    score and time; the lesson's progress keeps what it met)."""
    from . import scorm

    if attempt.terminated_at is None:
        return False
    state = scorm.summary(kind, attempt.cmi)
    return state.completed and state.exit != "suspend"


def scorm_runtime(*, token: str, package_id: int) -> dict | None:
    """What the run-time needs to start: the SCORM version and the data model to load."""
    from django.utils.translation import get_language

    from . import scorm
    from .models import ScormAttempt

    attempt = (
        ScormAttempt.objects.filter(token=token, package_id=package_id)
        .select_related("package", "user")
        .first()
    )
    if attempt is None:
        return None
    activity = attempt.package.unit(attempt.activity_id) or {}
    profile = getattr(attempt.user, "trainee_profile", None)
    data = scorm.launch_data(
        attempt.package.kind,
        attempt.cmi,
        learner_id=str(attempt.user_id),
        learner_name=(profile.latin_name if profile else attempt.user.get_full_name()),
        total_seconds=attempt.total_seconds,
        mastery_score=activity.get("mastery_score"),
        data_from_lms=activity.get("data_from_lms") or "",
    )
    return {"kind": attempt.package.kind, "cmi": data, "language": get_language() or "en"}


def scorm_commit(*, token: str, body: bytes, final: bool = False, package_id=None) -> dict:
    """Store what the SCO committed (LMSCommit / Commit, the autocommit, the last commit of
    Terminate) and record the statements its changes call for. A commit identical to the one
    stored changes nothing (a retried commit); a bad body is refused with the SCORM general
    commit error (391 in 2004, 101 in 1.2) and nothing stored is lost.

    Two commits of one attempt at once (two tabs) are settled without a row lock: the update
    is made only if no other commit landed since this one read the attempt, else it reads again
    and redoes its decision on what is then stored."""
    import json as json_module

    from . import scorm

    attempt = _commit_attempt(token, package_id)
    if attempt is None:
        return {"result": False, "errorCode": 101, "status": 404}
    kind = attempt.package.kind
    failure = {"result": False, "errorCode": 391 if kind == scorm.SCORM2004 else 101, "status": 400}
    if len(body) > scorm.MAX_COMMIT_BYTES:
        return {**failure, "status": 413}
    try:
        payload = json_module.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return failure
    if not isinstance(payload, dict) or not isinstance(payload.get("cmi"), dict):
        return failure
    after = payload["cmi"]
    mark = _commit_mark(payload)
    for _try in range(5):
        if _already_landed(attempt, mark) or (after == attempt.cmi and not final):
            return {"result": True, "errorCode": 0, "status": 200}  # a retried commit
        if _scorm_commit_once(attempt, after, final=final, mark=mark):
            return {"result": True, "errorCode": 0, "status": 200}
        attempt = _commit_attempt(token, package_id)  # another commit landed first: decide again
        if attempt is None:
            return {**failure, "status": 404}
    return {**failure, "status": 409}


MAX_REPLAYED_COMMITS = 50


def scorm_replay(*, user, lesson, attempt_number, commits) -> dict:
    """Commits the player could not send (the connection had dropped) and the lesson page kept
    in the browser, sent again at the trainee's next visit, before the SCO opens: each goes
    through ``scorm_commit`` in order, so one that did land after all changes nothing (its
    player and sequence are known). Only the trainee's own attempt at this lesson is reached.
    Returns how many landed and how many were refused."""
    import json as json_module

    from .models import ScormAttempt

    if not isinstance(commits, list) or len(commits) > MAX_REPLAYED_COMMITS:
        raise ValidationError(
            {"commits": _("Send a list of at most %(n)d commits.") % {"n": MAX_REPLAYED_COMMITS}}
        )
    attempt = ScormAttempt.objects.filter(user=user, lesson=lesson, number=attempt_number).first()
    if attempt is None:
        raise ValidationError({"attempt": _("There is no such attempt of yours at this lesson.")})
    landed = refused = 0
    for commit in commits:
        if not isinstance(commit, dict) or not isinstance(commit.get("body"), dict):
            refused += 1
            continue
        answer = scorm_commit(
            token=attempt.token,
            body=json_module.dumps(commit["body"]).encode(),
            final=commit.get("final") is True,
            package_id=attempt.package_id,
        )
        landed, refused = (landed + 1, refused) if answer["result"] else (landed, refused + 1)
    return {"landed": landed, "refused": refused}


def _commit_mark(payload: dict) -> tuple[str, int] | None:
    """(player, sequence) of a commit, when the run-time sent them: each player window draws
    an identifier of its own when it opens and numbers its commits from 1 (scorm-again's
    commit sequence)."""
    player, sequence = payload.get("player"), payload.get("commitSequence")
    if not (isinstance(player, str) and _PLAYER_ID.match(player)):
        return None
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
        return None
    return player, sequence


def _already_landed(attempt, mark) -> bool:
    if mark is None:
        return False
    return any(
        player == mark[0] and mark[1] <= landed for player, landed in attempt.sequences or []
    )


_PLAYER_ID = re.compile(r"^[A-Za-z0-9_-]{8,32}$")
_KEPT_PLAYERS = 20  # the sequences remembered: the latest player windows' only


def _scorm_commit_once(attempt, after: dict, *, final: bool, mark) -> bool:
    from . import scorm

    kind = attempt.package.kind
    summary = scorm.summary(kind, after)
    statements = []
    for verb in scorm.transitions(kind, attempt.cmi, after):
        result = {"completion": True} if verb == "completed" else {"success": verb == "passed"}
        if verb != "completed" and summary.score_scaled is not None:
            result["score"] = {"scaled": round(summary.score_scaled, 4)}
        statements.append(_scorm_statement(attempt, verb, result=result, launch=attempt.launches))
    # Each interaction the SCO adds (a question answered) is an `answered` statement about it.
    known = len(scorm.interactions(kind, attempt.cmi))
    for offset, interaction in enumerate(scorm.interactions(kind, after)[known:]):
        statements.append(_scorm_answered(attempt, interaction, index=known + offset))
    now = timezone.now()
    changes = {
        "cmi": after,
        "completion_status": summary.completion_status,
        "success_status": summary.success_status,
        "score_scaled": summary.score_scaled,
        "updated_at": now,
    }
    added = {"commits": 1}
    if mark is not None:
        others = [pair for pair in attempt.sequences or [] if pair[0] != mark[0]]
        changes["sequences"] = [*others, list(mark)][-_KEPT_PLAYERS:]
    if final:
        added["total_seconds"] = summary.session_seconds
        changes["terminated_at"] = now
        verb = "suspended" if summary.exit == "suspend" else "terminated"
        statements.append(_scorm_statement(attempt, verb, launch=attempt.launches))
    if not statements:
        # Most commits (a new location, more suspend data) call for no statement: the update
        # alone is the write, its own transaction, with no BEGIN and COMMIT around it.
        return _commit_update(attempt, changes, added)
    with transaction.atomic():  # the data model and its statements land together, or neither
        if not _commit_update(attempt, changes, added):
            return False
        _scorm_store(attempt, statements)
    return True


# The commit endpoint is the platform's busiest write (a SCO commits every few seconds, per
# trainee): its read and its update are two plain statements written once here, not queries
# the ORM compiles again at every commit (that compilation was a third of a commit's time;
# bench/scorm.py). Values go through the fields' own conversions, as the ORM's would.


def _commit_attempt(token: str, package_id):
    """The attempt a commit names (its token is unique), with its package's kind and course,
    or None."""
    from django.db import connection

    from .models import ScormAttempt

    sql, fields = _commit_read_sql()
    params = [token]
    if package_id is not None:
        sql += " AND a.package_id = %s"
        params.append(package_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = {}
    for field, value in zip(fields, row[:-2], strict=True):
        if field.get_internal_type() == "JSONField":
            value = field.from_db_value(value, None, connection)
        elif field.get_internal_type() == "UUIDField":
            value = field.to_python(value)
        values[field.attname] = value
    attempt = ScormAttempt(**values)
    attempt.package = LessonPackage(pk=values["package_id"], kind=row[-2], course_id=row[-1])
    return attempt


_COMMIT_READ_FIELDS = (
    "id", "cmi", "sequences", "commits", "launches", "registration", "activity_id", "token",
    "user_id", "lesson_id", "package_id",
)  # fmt: skip


def _commit_read_sql():
    from django.db import connection

    from .models import ScormAttempt

    qn = connection.ops.quote_name
    fields = [ScormAttempt._meta.get_field(name) for name in _COMMIT_READ_FIELDS]
    columns = ", ".join(f"a.{qn(f.column)}" for f in fields)
    # Only the models' own table and column names are put in; values are parameters.
    sql = (
        f"SELECT {columns}, p.{qn('kind')}, p.{qn('course_id')} "  # noqa: S608
        f"FROM {qn(ScormAttempt._meta.db_table)} a "
        f"INNER JOIN {qn(LessonPackage._meta.db_table)} p ON p.{qn('id')} = a.{qn('package_id')} "
        f"WHERE a.{qn('token')} = %s"
    )
    return sql, fields


def _commit_update(attempt, changes: dict, added: dict) -> bool:
    """Write a commit's changes (``added`` are increments) if no other commit of the attempt
    landed since it was read; whether it was written."""
    from django.db import connection

    from .models import ScormAttempt

    qn = connection.ops.quote_name
    meta = ScormAttempt._meta
    sets, params = [], []
    for name, value in changes.items():
        field = meta.get_field(name)
        sets.append(f"{qn(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    for name, amount in added.items():
        column = qn(meta.get_field(name).column)
        sets.append(f"{column} = {column} + %s")
        params.append(amount)
    sql = (
        f"UPDATE {qn(meta.db_table)} SET {', '.join(sets)} "  # noqa: S608 (names as above)
        f"WHERE {qn('id')} = %s AND {qn('commits')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, attempt.pk, attempt.commits])
        return cursor.rowcount == 1
