"""Reads from the learning record store: statement queries (with `more` paging), documents,
activities and agents."""

from __future__ import annotations

import copy
from datetime import datetime

from django.core import signing
from django.db.models import Exists, OuterRef, Q

from . import validation
from .errors import XAPIError
from .models import Activity, Document, Statement, StatementActivity, StatementAgent

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MORE_SALT = "pan.xapi.more"


def statement_by_id(*, statement_id: str, voided: bool, credentials) -> Statement | None:
    rows = Statement.objects.filter(id=statement_id, voided=voided)
    if credentials.own_only:
        rows = _own(rows, credentials)
    return rows.first()


def _own(rows, credentials):
    if credentials.client_id is not None:
        return rows.filter(client_id=credentials.client_id)
    return rows.filter(user_id=credentials.user_id)


def _matches(params: dict) -> Q:
    condition = Q()
    if "agent" in params:
        key = params["agent"]
        if params.get("related_agents"):
            condition &= Q(Exists(StatementAgent.objects.filter(statement=OuterRef("pk"), ifi=key)))
        else:
            condition &= Q(actor_ifi=key) | Q(object_ifi=key)
    if "verb" in params:
        condition &= Q(verb_id=params["verb"])
    if "activity" in params:
        activity = params["activity"]
        if params.get("related_activities"):
            condition &= Q(
                Exists(
                    StatementActivity.objects.filter(statement=OuterRef("pk"), activity_id=activity)
                )
            )
        else:
            condition &= Q(activity_id=activity)
    if "registration" in params:
        condition &= Q(registration=params["registration"])
    return condition


def statements_query(*, params: dict, credentials, after: tuple | None = None):
    """Statements matching the filters, newest first unless `ascending`; plus the cursor of
    the next page, if there is one. Statements that point at a matching statement through a
    StatementRef (voiding statements among them) match too."""
    limit = params.get("limit") or DEFAULT_LIMIT
    limit = min(limit, MAX_LIMIT)
    ascending = params.get("ascending", False)
    rows = Statement.objects.filter(voided=False)
    if credentials.own_only:
        rows = _own(rows, credentials)
    condition = _matches(params)
    if "since" in params:
        rows = rows.filter(stored__gt=params["since"])
    if "until" in params:
        rows = rows.filter(stored__lte=params["until"])
    if after is not None:
        stored, last_id = after
        if ascending:
            rows = rows.filter(Q(stored__gt=stored) | Q(stored=stored, id__gt=last_id))
        else:
            rows = rows.filter(Q(stored__lt=stored) | Q(stored=stored, id__lt=last_id))
    order = ("stored", "id") if ascending else ("-stored", "-id")
    fields = ("id", "stored", "data")
    if not condition:
        page = list(rows.order_by(*order).only(*fields)[: limit + 1])
    else:
        # Two index-friendly queries rather than one OR: the statements that match, and the
        # (few) statements pointing at a matching one through a StatementRef.
        direct = list(rows.filter(condition).order_by(*order).only(*fields)[: limit + 1])
        targets = Statement.objects.filter(condition, pk=OuterRef("ref_id"))
        referring = list(
            rows.filter(ref_id__isnull=False)
            .filter(Exists(targets))
            .order_by(*order)
            .only(*fields)[: limit + 1]
        )
        merged = {row.id: row for row in direct + referring}
        page = sorted(merged.values(), key=lambda row: (row.stored, row.id), reverse=not ascending)[
            : limit + 1
        ]
    cursor = None
    if len(page) > limit:
        page = page[:limit]
        last = page[-1]
        cursor = (last.stored.isoformat(), str(last.id))
    return page, cursor


def more_token(*, params: dict, cursor: tuple) -> str:
    return signing.dumps({"p": params, "c": cursor}, salt=MORE_SALT, compress=True)


def more_params(token: str) -> tuple[dict, tuple]:
    try:
        value = signing.loads(token, salt=MORE_SALT)
    except signing.BadSignature:
        raise XAPIError(400, "more: not a page link this LRS made") from None
    stored, last_id = value["c"]
    return value["p"], (datetime.fromisoformat(stored), last_id)


# -- output formats -------------------------------------------------------------------------


def _ids_agent(value: dict) -> dict:
    kept = {k: v for k, v in value.items() if k in ("objectType", *validation.IFI_KEYS)}
    if value.get("objectType") == "Group" and any(k in value for k in validation.IFI_KEYS):
        return kept  # an identified Group: its identifier says it all
    if value.get("objectType") == "Group" and "member" in value:
        kept["member"] = [_ids_agent(member) for member in value["member"]]
    return kept


def _ids_statement(statement: dict) -> dict:
    result = copy.deepcopy(statement)
    result["actor"] = _ids_agent(result["actor"])
    result["verb"] = {"id": result["verb"]["id"]}
    obj = result["object"]
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        result["object"] = {"id": obj["id"]}
    elif kind in ("Agent", "Group"):
        result["object"] = _ids_agent(obj)
    elif kind == "SubStatement":
        result["object"] = _ids_statement(obj)
    ctx = result.get("context")
    if ctx:
        for key in ("instructor", "team"):
            if key in ctx:
                ctx[key] = _ids_agent(ctx[key])
        for key, items in ctx.get("contextActivities", {}).items():
            ctx["contextActivities"][key] = [
                {"id": item["id"]} for item in (items if isinstance(items, list) else [items])
            ]
    if "authority" in result:
        result["authority"] = _ids_agent(result["authority"])
    return result


def _pick_language(value: dict, languages: list[str]) -> dict:
    for language in languages:
        for tag in value:
            if tag.lower() == language.lower() or tag.lower().split("-")[0] == language.lower():
                return {tag: value[tag]}
    first = next(iter(value), None)
    return {first: value[first]} if first is not None else {}


def _canonical_statement(statement: dict, languages: list[str]) -> dict:
    result = copy.deepcopy(statement)

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if (
                    key in ("display", "name", "description")
                    and isinstance(value, dict)
                    and all(isinstance(v, str) for v in value.values())
                ):
                    node[key] = _pick_language(value, languages)
                    continue
                if key != "extensions":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(result)
    return result


def formatted(statement: dict, fmt: str, languages: list[str]) -> dict:
    if fmt == "ids":
        return _ids_statement(statement)
    if fmt == "canonical":
        return _canonical_statement(statement, languages)
    return statement


# -- documents, activities, agents ----------------------------------------------------------


def document(*, scope: dict) -> Document | None:
    return Document.objects.filter(**scope).first()


def document_ids(*, scope: dict, since: datetime | None) -> list[str]:
    rows = Document.objects.filter(**scope)
    if since is not None:
        rows = rows.filter(updated__gt=since)
    return list(rows.order_by("document_id").values_list("document_id", flat=True))


def activity(*, activity_id: str) -> dict:
    known = Activity.objects.filter(activity_id=activity_id).first()
    result = {"objectType": "Activity", "id": activity_id}
    if known is not None and known.definition:
        result["definition"] = known.definition
    return result


def person(*, agent: dict) -> dict:
    result: dict = {"objectType": "Person"}
    if "name" in agent:
        result["name"] = [agent["name"]]
    for key in validation.IFI_KEYS:
        if key in agent:
            result[key] = [agent[key]]
    return result


def forwarding_status() -> dict:
    """The outbox to the external LRS, for staff (four queries)."""
    from django.conf import settings
    from django.db.models import Count, Max, Min

    from .models import OutboxEntry

    figures = OutboxEntry.objects.aggregate(
        backlog=Count("pk"),
        oldest=Min("created_at"),
        failing=Count("pk", filter=Q(attempts__gt=0)),
        refused=Count("pk", filter=Q(refused=True)),
        most_attempts=Max("attempts"),
        next_attempt=Min("next_attempt_at"),
    )
    last_failure = OutboxEntry.objects.exclude(last_error="").order_by("-attempts", "-pk").first()
    return {
        "endpoint": getattr(settings, "XAPI_FORWARD_ENDPOINT", ""),
        **figures,
        "last_error": last_failure.last_error if last_failure else "",
        "stored": Statement.objects.count(),
    }
