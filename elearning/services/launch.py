"""Lessons launched (TinCan, cmi5, the authored lesson player) and quizzes graded on the server."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from courses.selectors import lesson_activity_id
from xapi import services as xapi_services
from xapi import validation as xapi_validation
from xapi.models import LaunchToken
from xapi.models import Statement as XStatement

from ..models import LessonPackage, LessonProgress
from ..selectors import lesson_state_label
from .progress import lesson_progress_start
from .scorm_attempts import scorm_launch

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
        "state_label": lesson_state_label(progress),
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
            "resumed": _("resumed where you left off"),
        },
    }


# ---------------------------------------------------------------------------------------------
