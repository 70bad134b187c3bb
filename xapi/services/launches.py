"""Launch credentials for one trainee in one lesson, cmi5's one-time fetch, the platform's own
statements."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.public_url import public_base_url

from ..errors import XAPIError
from .statements import Credentials, learner_agent, platform_authority, statements_store

# Launches: credentials for one trainee in one lesson, cmi5's one-time fetch, progress
# ---------------------------------------------------------------------------------------------

LAUNCH_HOURS = 8
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
CMI5_SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
CMI5_MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
CMI5_REASON = "https://w3id.org/xapi/cmi5/context/extensions/reason"
VERBS = {
    "launched": "http://adlnet.gov/expapi/verbs/launched",
    "satisfied": "https://w3id.org/xapi/adl/verbs/satisfied",
    "abandoned": "https://w3id.org/xapi/adl/verbs/abandoned",
    "waived": "https://w3id.org/xapi/adl/verbs/waived",
    "terminated": "http://adlnet.gov/expapi/verbs/terminated",
    "registered": "http://adlnet.gov/expapi/verbs/registered",
    "attended": "http://adlnet.gov/expapi/verbs/attended",
    "earned": "http://id.tincanapi.com/verb/earned",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "initialized": "http://adlnet.gov/expapi/verbs/initialized",
    "resumed": "http://adlnet.gov/expapi/verbs/resumed",
    "suspended": "http://adlnet.gov/expapi/verbs/suspended",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
}


def cmi5_statement(
    actor: dict,
    verb: str,
    activity_id: str,
    registration: str,
    session: str,
    *,
    result: dict | None = None,
    reason: str = "",
    moveon: bool = False,
) -> dict:
    """A statement the LMS makes in a cmi5 session (launched, satisfied, abandoned, waived).
    Statements whose result says success or completion carry the moveOn category too (9.6.2);
    a waiver names its reason (9.6.3.2)."""
    categories = [{"id": CMI5_CATEGORY}]
    if moveon:
        categories.append({"id": CMI5_MOVEON})
    extensions = {CMI5_SESSION: session}
    if reason:
        extensions[CMI5_REASON] = reason
    statement = {
        "actor": actor,
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": {"objectType": "Activity", "id": activity_id},
        "context": {
            "registration": registration,
            "contextActivities": {"category": categories},
            "extensions": extensions,
        },
    }
    if result is not None:
        statement["result"] = result
    return statement


def platform_credentials() -> Credentials:
    return Credentials(authority=platform_authority())


@transaction.atomic
def launch_token_issue(
    *, user, lesson, activity_id: str, registration, with_secret: bool = True
) -> tuple[object, str | None, str | None]:
    """A launch token for one trainee and one lesson: (token, secret, fetch code). TinCan
    launches get the secret at once, and a token with more than an hour left is reused (a
    lesson page viewed again writes nothing); cmi5 launches get a new token and a one-time
    fetch code instead."""
    import secrets as random

    from ..models import Client, LaunchToken

    now = timezone.now()
    if with_secret:
        reusable = (
            LaunchToken.objects.filter(
                user=user,
                lesson=lesson,
                activity_id=activity_id,
                registration=registration,
                fetched_at=None,
                expires_at__gt=now + timedelta(hours=1),
            )
            .order_by("-expires_at")
            .first()
        )
        if reusable is not None:
            secret = _launch_secret(reusable.key)
            if reusable.secret_digest == Client.digest(secret):
                return reusable, secret, None
    key = "launch-" + random.token_hex(12)
    secret = _launch_secret(key)
    fetch_code = None if with_secret else random.token_urlsafe(24)
    token = LaunchToken.objects.create(
        key=key,
        # Until a cmi5 AU fetches it, the token's secret is the fetch code's digest: unusable
        # for Basic authentication, since the fetch code is never sent as a password.
        secret_digest=Client.digest(secret if with_secret else "fetch:" + fetch_code),
        user=user,
        lesson=lesson,
        activity_id=activity_id,
        registration=registration,
        expires_at=now + timedelta(hours=LAUNCH_HOURS),
    )
    return token, (secret if with_secret else None), fetch_code


def launch_tokens_purge(*, now=None) -> int:
    """Delete launch tokens that expired more than a day ago (the day's grace keeps a token
    whose lesson tab was left open recognisable in the logs). Statements keep no reference to
    their token, so nothing recorded is lost. Returns how many were deleted."""
    from ..models import LaunchToken

    cutoff = (now or timezone.now()) - timedelta(days=1)
    deleted, _per_model = LaunchToken.objects.filter(expires_at__lt=cutoff).delete()
    return deleted


def _launch_secret(key: str) -> str:
    """A launch token's secret, derived from its key with the server's secret key, so that a
    still-valid token can be handed out again without storing its secret."""
    import hmac

    return hmac.new(
        settings.SECRET_KEY.encode(), f"launch-secret:{key}".encode(), hashlib.sha256
    ).hexdigest()


@transaction.atomic
def cmi5_fetch(*, key: str, fetch_code: str) -> str:
    """cmi5 section 8.2.3: hand out the launch's credentials once, as an auth token."""
    import base64
    import secrets as random

    from ..models import Client, LaunchToken

    token = LaunchToken.objects.select_for_update().filter(key=key).first()
    if token is None or token.secret_digest != Client.digest("fetch:" + fetch_code):
        if token is not None and token.fetched_at is not None:
            raise XAPIError(400, "1")  # already fetched
        raise XAPIError(400, "2")  # unknown
    if token.expires_at <= timezone.now():
        raise XAPIError(400, "3")
    secret = random.token_urlsafe(24)
    token.secret_digest = Client.digest(secret)
    token.fetched_at = timezone.now()
    token.save(update_fields=["secret_digest", "fetched_at"])
    return base64.b64encode(f"{token.key}:{secret}".encode()).decode()


def platform_statement(*, user, verb: str, activity_id: str, key: str, name: str = "") -> str:
    """Store one statement the platform makes about a learner (see platform_statement_data)."""
    data = platform_statement_data(
        user=user, verb=verb, activity_id=activity_id, key=key, name=name
    )
    [statement_id] = statements_store(statements=[data], credentials=platform_credentials())
    return statement_id


def platform_statement_data(
    *,
    user,
    verb: str,
    activity_id: str,
    key: str,
    name: str = "",
    registration=None,
    **extra,
) -> dict:
    """A statement the platform itself makes about a learner, built with the tincan library.
    Its id is derived from `key` (e.g. "registered:transition:40"), so a task delivered twice
    stores it once."""
    import uuid

    from tincan import Activity, ActivityDefinition, Agent, Context, LanguageMap, Verb
    from tincan import Statement as TinCanStatement

    actor = learner_agent(user)
    statement = TinCanStatement(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{public_base_url()}#{key}")),
        actor=Agent(name=actor["name"], account=actor["account"]),
        verb=Verb(id=VERBS.get(verb, verb), display=LanguageMap({"en-US": verb})),
        object=Activity(
            id=activity_id,
            definition=ActivityDefinition(name=LanguageMap({"en-US": name})) if name else None,
        ),
        context=Context(registration=registration) if registration else None,
    )
    data = json.loads(statement.to_json())
    data.pop("version", None)
    data.update(extra)
    return data


@dataclass
class _Launch:
    """What the progress path needs to know about a launch."""

    user: object
    user_id: int
    lesson_id: int | None
    activity_id: str
    registration: str
    key: str = ""  # the cmi5 session id of the platform's statements that follow


def launch_credentials(token) -> Credentials:
    return Credentials(
        authority=platform_authority(),
        own_only=True,
        user_id=token.user_id,
        launch=token,
    )


def activity_credentials(
    *, user, lesson_id: int, activity_id: str, registration: str
) -> Credentials:
    """Credentials for statements the platform records for a learner about a lesson's activity
    (a SCORM SCO reports through its run-time API, not to the LRS): they take the progress
    path of a launch."""
    return Credentials(
        authority=platform_authority(),
        own_only=True,
        user_id=user.pk,
        launch=_Launch(
            user=user,
            user_id=user.pk,
            lesson_id=lesson_id,
            activity_id=activity_id,
            registration=registration,
        ),
    )


def lesson_credentials(*, user, lesson, registration: str, session: str = "") -> Credentials:
    """Credentials for statements the platform records on a learner's behalf in a lesson
    (graded quizzes): they take the same progress path as a launch's own statements."""
    from courses import selectors as course_selectors

    return Credentials(
        authority=platform_authority(),
        own_only=True,
        user_id=user.pk,
        launch=_Launch(
            user=user,
            user_id=user.pk,
            lesson_id=lesson.pk,
            activity_id=course_selectors.lesson_activity_id(lesson),
            registration=registration,
            key=session,
        ),
    )
