"""Writes to the learning record store: statements (with voiding, attachments and signature
checks), documents, activity definitions and the forwarding outbox. Keyword-only, atomic."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import events

from . import signatures, validation
from .errors import XAPIError
from .models import (
    Activity,
    Attachment,
    Document,
    OutboxEntry,
    Statement,
    StatementActivity,
    StatementAgent,
)

LRS_SET = ("id", "stored", "authority", "version")


@dataclass
class Credentials:
    """Who is writing or reading: an LRS client, a launch token, or the platform itself."""

    authority: dict
    can_read: bool = True
    can_write: bool = True
    own_only: bool = False
    client_id: int | None = None
    user_id: int | None = None
    launch: object | None = None
    extra: dict = field(default_factory=dict)


def platform_authority() -> dict:
    return {
        "objectType": "Agent",
        "name": settings.WAGTAIL_SITE_NAME,
        "account": {"homePage": settings.WAGTAILADMIN_BASE_URL, "name": "pan-platform"},
    }


def _canonical(data: dict) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sent_hash(statement: dict) -> str:
    """What identifies a statement's content as sent: everything but what the LRS sets."""
    sent = {key: value for key, value in statement.items() if key not in LRS_SET}
    return hashlib.sha256(_canonical(sent).encode()).hexdigest()


def _agents_in(statement: dict, into: set[str], *, sub: bool = False) -> None:
    def add_agent(value):
        if not isinstance(value, dict):
            return
        key = validation.ifi_key(value)
        if key:
            into.add(key)
        for member in value.get("member", []) or []:
            add_agent(member)

    add_agent(statement.get("actor"))
    obj = statement.get("object", {})
    if obj.get("objectType") in ("Agent", "Group"):
        add_agent(obj)
    elif obj.get("objectType") == "SubStatement" and not sub:
        _agents_in(obj, into, sub=True)
    ctx = statement.get("context", {})
    add_agent(ctx.get("instructor"))
    add_agent(ctx.get("team"))
    if not sub:
        add_agent(statement.get("authority"))


def _activities_in(statement: dict, into: set[str], *, sub: bool = False) -> None:
    obj = statement.get("object", {})
    if obj.get("objectType", "Activity") == "Activity":
        into.add(obj["id"])
    elif obj.get("objectType") == "SubStatement" and not sub:
        _activities_in(obj, into, sub=True)
    for items in statement.get("context", {}).get("contextActivities", {}).values():
        for item in items if isinstance(items, list) else [items]:
            into.add(item["id"])


def _definitions_in(statement: dict) -> dict[str, dict]:
    found = {}
    candidates = [statement.get("object", {})]
    for items in statement.get("context", {}).get("contextActivities", {}).values():
        candidates.extend(items if isinstance(items, list) else [items])
    for item in candidates:
        if item.get("objectType", "Activity") == "Activity" and item.get("definition"):
            found[item["id"]] = item["definition"]
    return found


@transaction.atomic
def statements_store(
    *,
    statements: list[dict],
    credentials: Credentials,
    attachments: dict[str, tuple[str, bytes]] | None = None,
    forced_id: str | None = None,
) -> list[str]:
    """Validate and store statements, all or none. `attachments` maps SHA-2 digests to the
    parts received with them. Returns the statements' ids, in order."""
    if not credentials.can_write:
        raise XAPIError(403, "these credentials may not write statements")
    attachments = attachments or {}
    now = timezone.now()
    prepared: list[dict] = []
    seen_ids: dict[str, int] = {}
    used_digests: set[str] = set()
    learner = None
    if credentials.launch is not None:
        learner = validation.ifi_key(learner_agent(credentials.launch.user))
    for index, statement in enumerate(statements):
        path = f"statements[{index}]" if len(statements) > 1 else "statement"
        validation.statement_validate(statement, path)
        if learner is not None and validation.ifi_key(statement["actor"]) != learner:
            raise XAPIError(403, f"{path}.actor: a launch may only record its own learner")
        if forced_id is not None:
            if "id" in statement and statement["id"].lower() != forced_id.lower():
                raise XAPIError(400, f"{path}.id: differs from the statementId parameter")
            statement = {**statement, "id": forced_id}
        statement_id = (statement.get("id") or validation.new_id()).lower()
        if statement_id in seen_ids:
            raise XAPIError(400, f"{path}.id: the batch holds this id twice")
        seen_ids[statement_id] = index
        for number, item in enumerate(statement.get("attachments", [])):
            where = f"{path}.attachments[{number}]"
            digest = item["sha2"].lower()
            if item["usageType"] == validation.SIGNATURE_USAGE:
                if item["contentType"] != "application/octet-stream":
                    raise XAPIError(
                        400, f"{where}.contentType: a signature is application/octet-stream"
                    )
                part = attachments.get(digest)
                if part is None:
                    raise XAPIError(400, f"{where}: the signature was not sent with the statement")
                signatures.verify(statement, part[1], where)
            if "fileUrl" not in item and digest not in attachments:
                raise XAPIError(400, f"{where}: no part with this sha2 was sent")
            if digest in attachments:
                used_digests.add(digest)
        prepared.append({**statement, "id": statement_id})
    unused = set(attachments) - used_digests
    if unused:
        raise XAPIError(400, "a multipart part matches no attachment of the statements")

    existing = {
        str(row.id): row.sent_hash
        for row in Statement.objects.filter(id__in=list(seen_ids)).only("id", "sent_hash")
    }
    rows, agent_rows, activity_rows, void_targets, definitions = [], [], [], [], {}
    for offset, statement in enumerate(prepared):
        digest = sent_hash(statement)
        if statement["id"] in existing:
            if existing[statement["id"]] != digest:
                raise XAPIError(409, f"statement {statement['id']} exists with other content")
            continue
        stored = now + timedelta(microseconds=offset)
        stored_text = stored.isoformat().replace("+00:00", "Z")
        data = {
            **_with_array_context(statement),
            "stored": stored_text,
            "authority": credentials.authority,
            "version": statement.get("version", "1.0.0"),
            "timestamp": statement.get("timestamp", stored_text),
        }
        obj = statement["object"]
        kind = obj.get("objectType", "Activity")
        if statement["verb"]["id"] == validation.VOIDED:
            void_targets.append(obj["id"].lower())
        registration = statement.get("context", {}).get("registration")
        rows.append(
            Statement(
                id=statement["id"],
                stored=stored,
                timestamp=validation.timestamp(data["timestamp"], "statement.timestamp"),
                data=data,
                verb_id=statement["verb"]["id"],
                actor_ifi=validation.ifi_key(statement["actor"]) or "",
                object_ifi=validation.ifi_key(obj) or "" if kind in ("Agent", "Group") else "",
                activity_id=obj["id"] if kind == "Activity" else "",
                ref_id=obj["id"] if kind == "StatementRef" else None,
                registration=registration,
                client_id=credentials.client_id,
                user_id=credentials.user_id,
                has_attachments=bool(statement.get("attachments")),
                sent_hash=digest,
            )
        )
        agents: set[str] = set()
        _agents_in(data, agents)
        agent_rows += [StatementAgent(statement_id=statement["id"], ifi=key) for key in agents]
        activities: set[str] = set()
        _activities_in(data, activities)
        activity_rows += [
            StatementActivity(statement_id=statement["id"], activity_id=key) for key in activities
        ]
        for activity_id, definition in _definitions_in(statement).items():
            definitions[activity_id] = _merge_definition(
                definitions.get(activity_id, {}), definition
            )

    # A statement may arrive after the statement that voids it: it is stored voided.
    already_voided = {
        str(ref)
        for ref in Statement.objects.filter(
            ref_id__in=[row.id for row in rows], verb_id=validation.VOIDED
        ).values_list("ref_id", flat=True)
    }
    for row in rows:
        if str(row.id) in already_voided and row.verb_id != validation.VOIDED:
            row.voided = True
    if void_targets:
        targets = {
            str(row.id): row
            for row in Statement.objects.filter(id__in=void_targets).only("id", "verb_id")
        }
        for target in void_targets:
            row = targets.get(target)
            if row is not None and row.verb_id == validation.VOIDED:
                raise XAPIError(400, f"statement {target} voids another and cannot be voided")
    try:
        with transaction.atomic():
            Statement.objects.bulk_create(rows)
    except IntegrityError:
        # Another request stored some of these ids meanwhile: the same statements resent at
        # the same moment are fine; other content under the same id is a conflict.
        found = Statement.objects.filter(id__in=[row.id for row in rows])
        stored_now = {str(key): digest for key, digest in found.values_list("id", "sent_hash")}
        for row in rows:
            if stored_now.get(str(row.id), row.sent_hash) != row.sent_hash:
                raise XAPIError(409, f"statement {row.id} exists with other content") from None
        taken = set(stored_now)
        rows = [row for row in rows if str(row.id) not in taken]
        agent_rows = [r for r in agent_rows if str(r.statement_id) not in taken]
        activity_rows = [r for r in activity_rows if str(r.statement_id) not in taken]
        try:
            with transaction.atomic():
                Statement.objects.bulk_create(rows)
        except IntegrityError:
            raise XAPIError(409, "a statement with one of these ids was stored meanwhile") from None
    StatementAgent.objects.bulk_create(agent_rows)
    StatementActivity.objects.bulk_create(activity_rows)
    if void_targets:
        Statement.objects.filter(id__in=void_targets).exclude(verb_id=validation.VOIDED).update(
            voided=True
        )
    if definitions:
        _activities_learn(definitions)
    for digest, (content_type, content) in attachments.items():
        Attachment.objects.get_or_create(
            sha2=digest, defaults={"content_type": content_type, "content": content}
        )
    if rows:
        # The e-learning side derives progress from a launch's statements (in this transaction:
        # a statement accepted is a step recorded).
        events.statements_stored.send(
            statements=[row.data for row in rows], launch=credentials.launch
        )
    if rows and getattr(settings, "XAPI_FORWARD_ENDPOINT", ""):
        OutboxEntry.objects.bulk_create(
            [OutboxEntry(statement_id=row.id, next_attempt_at=now) for row in rows]
        )
        from . import tasks

        transaction.on_commit(lambda: tasks.forward_drain.delay(), robust=True)
    return [statement["id"] for statement in prepared]


def _with_array_context(statement: dict) -> dict:
    """Context activities are always returned as arrays, even when sent as one object."""
    result = dict(statement)
    ctx = statement.get("context")
    if ctx and isinstance(ctx.get("contextActivities"), dict):
        result["context"] = {
            **ctx,
            "contextActivities": {
                key: items if isinstance(items, list) else [items]
                for key, items in ctx["contextActivities"].items()
            },
        }
    obj = statement.get("object", {})
    if obj.get("objectType") == "SubStatement":
        result["object"] = _with_array_context(obj)
    return result


def _merge_definition(old: dict, new: dict) -> dict:
    merged = dict(old)
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _activities_learn(definitions: dict[str, dict]) -> None:
    """Keep the newest definition the LRS has seen for each activity (merged, so that a later
    statement's name in another language adds to the earlier one)."""
    # One order for every writer: two batches naming the same activities would otherwise
    # lock their rows in different orders and deadlock.
    ordered = sorted(definitions)
    known = {
        a.activity_id: a
        for a in Activity.objects.filter(activity_id__in=ordered)
        .order_by("activity_id")
        .select_for_update()
    }
    new = []
    for activity_id in ordered:
        definition = definitions[activity_id]
        current = known.get(activity_id)
        if current is None:
            new.append(Activity(activity_id=activity_id, definition=definition))
            continue
        merged = _merge_definition(current.definition, definition)
        if merged != current.definition:
            current.definition = merged
            current.save(update_fields=["definition", "updated"])
    Activity.objects.bulk_create(new, ignore_conflicts=True)


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------


def etag_of(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()  # noqa: S324 (an ETag, not a security digest)


def _is_json_object(content: bytes) -> dict | None:
    try:
        value = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


@transaction.atomic
def document_save(
    *,
    scope: dict,
    content: bytes,
    content_type: str,
    merge: bool,
    if_match: str | None = None,
    if_none_match: str | None = None,
    require_precondition: bool = False,
) -> Document:
    """PUT (replace) or POST (merge JSON objects) one document, honouring ETag preconditions."""
    existing = Document.objects.select_for_update().filter(**scope).first()
    if if_match is not None:
        tags = {tag.strip().strip('"') for tag in if_match.split(",")}
        if existing is None or ("*" not in tags and existing.etag not in tags):
            raise XAPIError(412, "If-Match does not match the document's current ETag")
    if if_none_match is not None and existing is not None and if_none_match.strip() == "*":
        raise XAPIError(412, "If-None-Match: * but the document exists")
    if require_precondition and if_match is None and if_none_match is None:
        if existing is not None:
            raise XAPIError(
                409, "the document exists: send If-Match with its ETag (or If-None-Match: *)"
            )
        raise XAPIError(400, "PUT needs If-Match or If-None-Match (If-None-Match: * to create)")
    if merge and existing is not None:
        old = _is_json_object(bytes(existing.content))
        new = _is_json_object(content)
        if old is None or new is None or not existing.content_type.startswith("application/json"):
            raise XAPIError(400, "POST merges JSON objects only: send a JSON object, or use PUT")
        content = json.dumps({**old, **new}).encode()
        content_type = "application/json"
    elif merge and _is_json_object(content) is None and content_type.startswith("application/json"):
        raise XAPIError(400, "POST of a JSON document needs a JSON object")
    now = timezone.now()
    if existing is None:
        existing = Document(**scope)
    existing.content = content
    existing.content_type = content_type or "application/octet-stream"
    existing.etag = etag_of(content)
    existing.updated = now
    existing.save()
    return existing


@transaction.atomic
def documents_delete(*, scope: dict, if_match: str | None = None) -> int:
    documents = Document.objects.select_for_update().filter(**scope)
    if if_match is not None:
        tags = {tag.strip().strip('"') for tag in if_match.split(",")}
        first = documents.first()
        if first is None or ("*" not in tags and first.etag not in tags):
            raise XAPIError(412, "If-Match does not match the document's current ETag")
    count, _detail = documents.delete()
    return count


# ---------------------------------------------------------------------------------------------
# Forwarding to an external LRS
# ---------------------------------------------------------------------------------------------

FORWARD_BATCH = 100
FORWARD_TIMEOUT = 10  # seconds, per request
FORWARD_MAX_DELAY = timedelta(hours=6)


def forward_backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... doubling, at most six hours: an LRS down for hours is tried a
    few times an hour, not every second."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), FORWARD_MAX_DELAY)


def forward_body(statements: list[dict]) -> tuple[bytes, str]:
    """The POST body for a batch: JSON, or multipart/mixed when statements carry attachments
    whose content was sent with them (the receiving LRS needs the bytes too)."""
    import uuid

    digests = {
        item["sha2"].lower()
        for statement in statements
        for item in statement.get("attachments", [])
        if "fileUrl" not in item
    }
    statements_json = json.dumps(statements, ensure_ascii=False).encode("utf-8")
    if not digests:
        return statements_json, "application/json"
    boundary = uuid.uuid4().hex
    parts = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode() + statements_json]
    for attachment in Attachment.objects.filter(sha2__in=digests):
        parts.append(
            f"--{boundary}\r\nContent-Type: {attachment.content_type}\r\n"
            "Content-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {attachment.sha2}\r\n\r\n".encode()
            + bytes(attachment.content)
        )
    body = b"\r\n".join(parts) + f"\r\n--{boundary}--\r\n".encode()
    return body, f'multipart/mixed; boundary="{boundary}"'


# An answer about the batch's content: a smaller batch may be accepted. Other failures (down,
# overloaded, credentials refused, a timeout) concern every statement alike.
_CONTENT_REJECTED = {400, 409, 413, 422}


def _forward_send(entries) -> tuple[str, int | None]:
    """POST these entries' statements; ("", status) on success, else (error, status or None)."""
    import requests

    body, content_type = forward_body([entry.statement.data for entry in entries])
    try:
        response = requests.post(
            settings.XAPI_FORWARD_ENDPOINT.rstrip("/") + "/statements",
            data=body,
            auth=(settings.XAPI_FORWARD_KEY, settings.XAPI_FORWARD_SECRET),
            headers={"X-Experience-API-Version": "1.0.3", "Content-Type": content_type},
            timeout=FORWARD_TIMEOUT,
        )
    except requests.RequestException as exc:
        return f"{type(exc).__name__}: {exc}"[:1000], None
    if response.status_code in (200, 204):
        return "", response.status_code
    return f"HTTP {response.status_code}: {response.text[:500]}", response.status_code


def _forward_deliver(entries, *, now) -> int:
    """Deliver these entries; a batch refused for its content is split in halves, so that one
    statement the receiving LRS will not take does not hold back the others."""
    error, status = _forward_send(entries)
    if not error:
        OutboxEntry.objects.filter(pk__in=[entry.pk for entry in entries]).delete()
        # The LRS is answering again: what waits only because it was down is due now, not at
        # the end of its backoff (which may be hours away).
        OutboxEntry.objects.filter(refused=False, attempts__gt=0, next_attempt_at__gt=now).update(
            next_attempt_at=now
        )
        return len(entries)
    refused = status in _CONTENT_REJECTED
    if refused and len(entries) > 1:
        middle = len(entries) // 2
        return _forward_deliver(entries[:middle], now=now) + _forward_deliver(
            entries[middle:], now=now
        )
    for entry in entries:
        entry.attempts += 1
        entry.last_error = error
        entry.refused = refused
        entry.next_attempt_at = now + forward_backoff(entry.attempts)
    OutboxEntry.objects.bulk_update(
        entries, ["attempts", "last_error", "refused", "next_attempt_at"]
    )
    return 0


def forward_batch(*, now=None) -> int:
    """Send up to FORWARD_BATCH due statements to the external LRS in one POST, unchanged
    (as stored: the id travels with them, so a resend is recognised and not duplicated there).
    Returns how many were delivered. Entries stay until the LRS has accepted them."""
    if not getattr(settings, "XAPI_FORWARD_ENDPOINT", ""):
        return 0
    now = now or timezone.now()
    with transaction.atomic():
        entries = list(
            OutboxEntry.objects.select_for_update(skip_locked=True)
            .filter(next_attempt_at__lte=now)
            .select_related("statement")
            .order_by("next_attempt_at", "pk")[:FORWARD_BATCH]
        )
        if not entries:
            return 0
        return _forward_deliver(entries, now=now)


# ---------------------------------------------------------------------------------------------
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


def learner_agent(user) -> dict:
    """How a person appears in statements: an account on the platform, never their e-mail."""
    return {
        "objectType": "Agent",
        "name": user.get_full_name() or f"Learner {user.pk}",
        "account": {"homePage": settings.WAGTAILADMIN_BASE_URL, "name": str(user.pk)},
    }


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

    from .models import Client, LaunchToken

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
    from .models import LaunchToken

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

    from .models import Client, LaunchToken

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
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.WAGTAILADMIN_BASE_URL}#{key}")),
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
