"""SCORM attempts: launches on the package origin, the run-time's commits stored once each,
statements of ADL's SCORM profile, commits replayed from the browser."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xapi import services as xapi_services
from xapi.models import Statement as XStatement

from ..models import LessonPackage
from .progress import lesson_progress_start

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

    from .. import scorm
    from ..models import ScormAttempt

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
    from .. import scorm

    if attempt.terminated_at is None:
        return False
    state = scorm.summary(kind, attempt.cmi)
    return state.completed and state.exit != "suspend"


def scorm_runtime(*, token: str, package_id: int) -> dict | None:
    """What the run-time needs to start: the SCORM version and the data model to load."""
    from django.utils.translation import get_language

    from .. import scorm
    from ..models import ScormAttempt

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

    from .. import scorm

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

    from ..models import ScormAttempt

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
    from .. import scorm

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

    from ..models import ScormAttempt

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

    from ..models import ScormAttempt

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

    from ..models import ScormAttempt

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
