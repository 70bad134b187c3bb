"""Statements stored: validated, voided, signed, attachments, activity definitions learnt."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import events
from core.public_url import public_base_url

from .. import signatures, validation
from ..errors import XAPIError
from ..models import (
    Activity,
    Attachment,
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
        "account": {"homePage": public_base_url(), "name": "pan-platform"},
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
        from .. import tasks

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


def learner_agent(user) -> dict:
    """How a person appears in statements: an account on the platform, never their e-mail."""
    return {
        "objectType": "Agent",
        "name": user.get_full_name() or f"Learner {user.pk}",
        "account": {"homePage": public_base_url(), "name": str(user.pk)},
    }
