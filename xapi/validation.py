"""xAPI 1.0.3 statement validation: every rule the specification puts on a statement's shape.

`statement_validate(data)` raises `XAPIError` (400) naming the property path and the rule. It
never changes its input. Nothing here touches the database.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from .errors import XAPIError

UUID_RE = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", re.I
)
# RFC 5646 language tags (the usual shape; private-use and grandfathered tags included).
LANG_RE = re.compile(
    r"^(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"
    r"(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*(?:-x(?:-[a-z0-9]{1,8})+)?$"
    r"|^x(?:-[a-z0-9]{1,8})+$|^i-[a-z]+$",
    re.I,
)
IRI_RE = re.compile(r"^[a-z][a-z0-9+.\-]*:\S+$", re.I)
MBOX_RE = re.compile(r"^mailto:[^@\s]+@[^@\s]+$", re.I)
SHA1_RE = re.compile(r"^[0-9a-f]{40}$", re.I)
SHA2_RE = re.compile(r"^[0-9a-f]{56}$|^[0-9a-f]{64}$|^[0-9a-f]{96}$|^[0-9a-f]{128}$", re.I)
# ISO 8601 durations as xAPI uses them (weeks alone, or date and time parts; fractional seconds).
DURATION_RE = re.compile(
    r"^P(?:\d+(?:\.\d+)?W|(?=\d|T\d)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?D)?"
    r"(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?)$"
)
TIMESTAMP_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$"
)
VERSION_RE = re.compile(r"^1\.0(?:\.\d+)?$")

INTERACTION_TYPES = {
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
}
# Which interaction component lists each interaction type may carry.
INTERACTION_COMPONENTS = {
    "choice": {"choices"},
    "sequencing": {"choices"},
    "likert": {"scale"},
    "matching": {"source", "target"},
    "performance": {"steps"},
    "true-false": set(),
    "fill-in": set(),
    "long-fill-in": set(),
    "numeric": set(),
    "other": set(),
}
COMPONENT_LISTS = {"choices", "scale", "source", "target", "steps"}
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"


def fail(path: str, rule: str) -> XAPIError:
    return XAPIError(400, f"{path}: {rule}")


def _object(value: Any, path: str) -> dict:
    if not isinstance(value, dict):
        raise fail(path, "must be a JSON object")
    for key, item in value.items():
        if item is None:
            raise fail(f"{path}.{key}", "must not be null")
    return value


def _allowed(value: dict, path: str, allowed: set[str], required: set[str] = frozenset()) -> None:
    for key in value:
        if key not in allowed:
            raise fail(f"{path}.{key}", "is not a property this object may have")
    for key in required:
        if key not in value:
            raise fail(f"{path}.{key}", "is required")


def _string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise fail(path, "must be a string")
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise fail(path, "must be true or false")
    return value


def iri(value: Any, path: str) -> str:
    _string(value, path)
    if not IRI_RE.match(value):
        raise fail(path, "must be an absolute IRI")
    return value


def uuid_string(value: Any, path: str) -> str:
    _string(value, path)
    if not UUID_RE.match(value):
        raise fail(path, "must be a UUID")
    return value


def language_map(value: Any, path: str) -> None:
    _object(value, path)
    for tag, text in value.items():
        if not LANG_RE.match(tag):
            raise fail(f"{path}.{tag}", "is not an RFC 5646 language tag")
        _string(text, f"{path}.{tag}")


def extensions(value: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise fail(path, "must be a JSON object")
    for key in value:
        iri(key, f"{path} key {key!r}")


def timestamp(value: Any, path: str) -> datetime:
    _string(value, path)
    if not TIMESTAMP_RE.match(value):
        raise fail(path, "must be an ISO 8601 date and time with a time zone")
    text = value.replace("Z", "+00:00")
    # Python accepts at most 6 fractional digits and needs hh:mm offsets.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    text = re.sub(r"([+-]\d{2})$", r"\1:00", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise fail(path, "is not a valid date and time") from None
    if value.endswith(("-00:00", "-0000", "-00")):
        raise fail(path, "must not use the offset -00:00")
    return parsed


# -- agents ---------------------------------------------------------------------------------


IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")


def _ifis(value: dict, path: str) -> list[str]:
    present = [key for key in IFI_KEYS if key in value]
    for key in present:
        item = value[key]
        where = f"{path}.{key}"
        if key == "mbox":
            if not isinstance(item, str) or not MBOX_RE.match(item):
                raise fail(where, "must be a mailto: IRI")
        elif key == "mbox_sha1sum":
            if not isinstance(item, str) or not SHA1_RE.match(item):
                raise fail(where, "must be the hex SHA-1 of a mailto: IRI")
        elif key == "openid":
            iri(item, where)
        else:
            _object(item, where)
            _allowed(item, where, {"homePage", "name"}, {"homePage", "name"})
            iri(item["homePage"], f"{where}.homePage")
            _string(item["name"], f"{where}.name")
    return present


def agent(value: Any, path: str, *, allow_group: bool = True, require_ifi: bool = True) -> dict:
    _object(value, path)
    kind = value.get("objectType", "Agent")
    if kind == "Group":
        if not allow_group:
            raise fail(f"{path}.objectType", "must be Agent here")
        return group(value, path)
    if kind != "Agent":
        raise fail(f"{path}.objectType", "must be Agent or Group")
    _allowed(value, path, {"objectType", "name", *IFI_KEYS})
    if "name" in value:
        _string(value["name"], f"{path}.name")
    present = _ifis(value, path)
    if len(present) != 1 and (require_ifi or present):
        raise fail(path, "an Agent must have exactly one of mbox, mbox_sha1sum, openid, account")
    return value


def group(value: dict, path: str) -> dict:
    _allowed(value, path, {"objectType", "name", "member", *IFI_KEYS})
    if "name" in value:
        _string(value["name"], f"{path}.name")
    present = _ifis(value, path)
    if len(present) > 1:
        raise fail(path, "a Group may have at most one of mbox, mbox_sha1sum, openid, account")
    if "member" in value:
        if not isinstance(value["member"], list):
            raise fail(f"{path}.member", "must be an array of Agents")
        for index, member in enumerate(value["member"]):
            agent(member, f"{path}.member[{index}]", allow_group=False)
    elif not present:
        raise fail(path, "an anonymous Group must list its members")
    return value


def ifi_key(value: dict) -> str | None:
    """A canonical string for an Agent's or identified Group's identifier, for indexing."""
    for key in IFI_KEYS:
        if key in value:
            item = value[key]
            if key == "account":
                return f"account:{item['homePage']}|{item['name']}"
            if key == "mbox":
                return f"mbox:{item.lower()}"
            return f"{key}:{item}"
    return None


# -- activities -----------------------------------------------------------------------------


def activity_definition(value: Any, path: str) -> None:
    _object(value, path)
    _allowed(
        value,
        path,
        {
            "name",
            "description",
            "type",
            "moreInfo",
            "extensions",
            "interactionType",
            "correctResponsesPattern",
            *COMPONENT_LISTS,
        },
    )
    for key in ("name", "description"):
        if key in value:
            language_map(value[key], f"{path}.{key}")
    if "type" in value:
        iri(value["type"], f"{path}.type")
    if "moreInfo" in value:
        iri(value["moreInfo"], f"{path}.moreInfo")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")
    interaction = value.get("interactionType")
    components = COMPONENT_LISTS & set(value)
    if interaction is None:
        if components or "correctResponsesPattern" in value:
            raise fail(path, "interaction properties need an interactionType")
        return
    if not isinstance(interaction, str) or interaction not in INTERACTION_TYPES:
        raise fail(f"{path}.interactionType", "is not an xAPI interaction type")
    not_allowed = components - INTERACTION_COMPONENTS[interaction]
    if not_allowed:
        raise fail(f"{path}.{sorted(not_allowed)[0]}", f"is not used by {interaction} interactions")
    if "correctResponsesPattern" in value:
        pattern = value["correctResponsesPattern"]
        if not isinstance(pattern, list) or not all(isinstance(p, str) for p in pattern):
            raise fail(f"{path}.correctResponsesPattern", "must be an array of strings")
    for key in components:
        items = value[key]
        if not isinstance(items, list):
            raise fail(f"{path}.{key}", "must be an array of interaction components")
        seen = set()
        for index, item in enumerate(items):
            where = f"{path}.{key}[{index}]"
            _object(item, where)
            _allowed(item, where, {"id", "description"}, {"id"})
            _string(item["id"], f"{where}.id")
            if item["id"] in seen:
                raise fail(f"{where}.id", "is used twice")
            seen.add(item["id"])
            if "description" in item:
                language_map(item["description"], f"{where}.description")


def activity(value: Any, path: str) -> dict:
    _object(value, path)
    _allowed(value, path, {"objectType", "id", "definition"}, {"id"})
    if value.get("objectType", "Activity") != "Activity":
        raise fail(f"{path}.objectType", "must be Activity")
    iri(value["id"], f"{path}.id")
    if "definition" in value:
        activity_definition(value["definition"], f"{path}.definition")
    return value


# -- statement parts ------------------------------------------------------------------------


def verb(value: Any, path: str) -> dict:
    _object(value, path)
    _allowed(value, path, {"id", "display"}, {"id"})
    iri(value["id"], f"{path}.id")
    if "display" in value:
        language_map(value["display"], f"{path}.display")
    return value


def result(value: Any, path: str) -> None:
    _object(value, path)
    _allowed(value, path, {"score", "success", "completion", "response", "duration", "extensions"})
    if "score" in value:
        score = _object(value["score"], f"{path}.score")
        _allowed(score, f"{path}.score", {"scaled", "raw", "min", "max"})
        for key in score:
            if isinstance(score[key], bool) or not isinstance(score[key], int | float):
                raise fail(f"{path}.score.{key}", "must be a number")
        if "scaled" in score and not -1 <= score["scaled"] <= 1:
            raise fail(f"{path}.score.scaled", "must be between -1 and 1")
        low, high = score.get("min"), score.get("max")
        if low is not None and high is not None and low >= high:
            raise fail(f"{path}.score.min", "must be less than max")
        if "raw" in score:
            if low is not None and score["raw"] < low:
                raise fail(f"{path}.score.raw", "must not be less than min")
            if high is not None and score["raw"] > high:
                raise fail(f"{path}.score.raw", "must not be more than max")
    for key in ("success", "completion"):
        if key in value:
            _bool(value[key], f"{path}.{key}")
    if "response" in value:
        _string(value["response"], f"{path}.response")
    if "duration" in value:
        _string(value["duration"], f"{path}.duration")
        if not DURATION_RE.match(value["duration"]):
            raise fail(f"{path}.duration", "must be an ISO 8601 duration")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")


def statement_ref(value: dict, path: str) -> dict:
    _allowed(value, path, {"objectType", "id"}, {"objectType", "id"})
    uuid_string(value["id"], f"{path}.id")
    return value


def context(value: Any, path: str, *, object_is_activity: bool) -> None:
    _object(value, path)
    _allowed(
        value,
        path,
        {
            "registration",
            "instructor",
            "team",
            "contextActivities",
            "revision",
            "platform",
            "language",
            "statement",
            "extensions",
        },
    )
    if "registration" in value:
        uuid_string(value["registration"], f"{path}.registration")
    if "instructor" in value:
        agent(value["instructor"], f"{path}.instructor")
    if "team" in value:
        team = _object(value["team"], f"{path}.team")
        if team.get("objectType") != "Group":
            raise fail(f"{path}.team", "must be a Group")
        group(team, f"{path}.team")
    if "contextActivities" in value:
        activities = _object(value["contextActivities"], f"{path}.contextActivities")
        _allowed(
            activities, f"{path}.contextActivities", {"parent", "grouping", "category", "other"}
        )
        for key, items in activities.items():
            where = f"{path}.contextActivities.{key}"
            for index, item in enumerate(items if isinstance(items, list) else [items]):
                activity(item, f"{where}[{index}]")
    for key in ("revision", "platform"):
        if key in value:
            _string(value[key], f"{path}.{key}")
            if not object_is_activity:
                raise fail(f"{path}.{key}", "is only allowed when the object is an Activity")
    if "language" in value:
        _string(value["language"], f"{path}.language")
        if not LANG_RE.match(value["language"]):
            raise fail(f"{path}.language", "is not an RFC 5646 language tag")
    if "statement" in value:
        ref = _object(value["statement"], f"{path}.statement")
        if ref.get("objectType") != "StatementRef":
            raise fail(f"{path}.statement.objectType", "must be StatementRef")
        statement_ref(ref, f"{path}.statement")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")


def attachment(value: Any, path: str) -> None:
    _object(value, path)
    _allowed(
        value,
        path,
        {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"},
        {"usageType", "display", "contentType", "length", "sha2"},
    )
    iri(value["usageType"], f"{path}.usageType")
    language_map(value["display"], f"{path}.display")
    if "description" in value:
        language_map(value["description"], f"{path}.description")
    _string(value["contentType"], f"{path}.contentType")
    if isinstance(value["length"], bool) or not isinstance(value["length"], int):
        raise fail(f"{path}.length", "must be an integer")
    if not isinstance(value["sha2"], str) or not SHA2_RE.match(value["sha2"]):
        raise fail(f"{path}.sha2", "must be a hex SHA-2 digest")
    if "fileUrl" in value:
        iri(value["fileUrl"], f"{path}.fileUrl")


def statement_object(value: Any, path: str, *, sub: bool) -> dict:
    _object(value, path)
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        return activity(value, path)
    if kind in ("Agent", "Group"):
        return agent(value, path)
    if kind == "StatementRef":
        return statement_ref(value, path)
    if kind == "SubStatement":
        if sub:
            raise fail(f"{path}.objectType", "a SubStatement cannot contain a SubStatement")
        _statement_body(value, path, sub=True)
        return value
    raise fail(f"{path}.objectType", "must be Activity, Agent, Group, StatementRef or SubStatement")


def _statement_body(value: dict, path: str, *, sub: bool) -> None:
    allowed = {"actor", "verb", "object", "result", "context", "timestamp", "attachments"}
    if sub:
        allowed.add("objectType")
    else:
        allowed |= {"id", "stored", "authority", "version"}
    _allowed(value, path, allowed, {"actor", "verb", "object"})
    agent(value["actor"], f"{path}.actor")
    verb(value["verb"], f"{path}.verb")
    target = statement_object(value["object"], f"{path}.object", sub=sub)
    if "result" in value:
        result(value["result"], f"{path}.result")
    if "context" in value:
        context(
            value["context"],
            f"{path}.context",
            object_is_activity=target.get("objectType", "Activity") == "Activity",
        )
    if "timestamp" in value:
        timestamp(value["timestamp"], f"{path}.timestamp")
    if "attachments" in value:
        if not isinstance(value["attachments"], list):
            raise fail(f"{path}.attachments", "must be an array")
        for index, item in enumerate(value["attachments"]):
            attachment(item, f"{path}.attachments[{index}]")
    if value["verb"]["id"] == VOIDED and not sub and target.get("objectType") != "StatementRef":
        raise fail(f"{path}.object", "a voiding statement's object must be a StatementRef")


def statement_validate(value: Any, path: str = "statement") -> dict:
    """Check one statement as sent by a client; return it unchanged."""
    _object(value, path)
    _statement_body(value, path, sub=False)
    if "id" in value:
        uuid_string(value["id"], f"{path}.id")
    if "stored" in value:
        timestamp(value["stored"], f"{path}.stored")
    if "version" in value:
        _string(value["version"], f"{path}.version")
        if not VERSION_RE.match(value["version"]):
            raise fail(f"{path}.version", "must be 1.0.x")
    if "authority" in value:
        authority = _object(value["authority"], f"{path}.authority")
        agent(authority, f"{path}.authority")
        if authority.get("objectType") == "Group":
            # A Group authority stands for an OAuth consumer and its user: two Agents, no name
            # of its own.
            if any(key in authority for key in IFI_KEYS):
                raise fail(f"{path}.authority", "a Group authority must be an anonymous Group")
            if len(authority.get("member", [])) != 2:
                raise fail(f"{path}.authority", "a Group authority must have two members")
    return value


def new_id() -> str:
    return str(uuid.uuid4())
