"""The SCORM run-time data model as the platform reads and restores it (SCORM 1.2 and 2004).

Pure: no database. The SCO talks to scorm-again's ``API`` / ``API_1484_11`` in its own window;
each commit sends the data model (``cmi``) as JSON. This module reads what matters from it
(statuses, score, location, times), builds the data model a new launch starts from (the stored
one, with the values only the LMS sets: entry, credit, mode, the learner, total time), and says
which statements of ADL's SCORM profile for xAPI a commit calls for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SCORM12 = "scorm12"
SCORM2004 = "scorm2004"

MAX_COMMIT_BYTES = 256 * 1024  # a whole data model: 64,000 characters of suspend data and more

_DURATION_12 = re.compile(r"^(\d{2,4}):(\d{2}):(\d{2})(\.\d{1,2})?$")
_DURATION_2004 = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


@dataclass(frozen=True)
class Summary:
    completed: bool
    passed: bool
    failed: bool
    completion_status: str  # SCORM 2004's words; SCORM 1.2's lesson_status mapped onto them
    success_status: str
    score_scaled: float | None
    location: str
    exit: str
    session_seconds: float


def seconds(kind: str, value: str) -> float:
    """A SCORM time span in seconds: 1.2's HHHH:MM:SS.SS or 2004's ISO 8601 duration."""
    value = (value or "").strip()
    if kind == SCORM12:
        match = _DURATION_12.match(value)
        if not match:
            return 0.0
        hours, minutes, secs, fraction = match.groups()
        return int(hours) * 3600 + int(minutes) * 60 + int(secs) + float(fraction or 0)
    match = _DURATION_2004.match(value)
    if not match or value in ("P", "PT"):
        return 0.0
    years, months, days, hours, minutes, secs = (float(g or 0) for g in match.groups())
    return (((years * 365 + months * 30 + days) * 24 + hours) * 60 + minutes) * 60 + secs


def duration(kind: str, total: float) -> str:
    """Seconds as the data model writes a time span in this version."""
    total = max(0.0, total)
    hours, rest = divmod(int(total), 3600)
    minutes, secs = divmod(rest, 60)
    hundredths = int(round((total - int(total)) * 100)) % 100
    if kind == SCORM12:
        return f"{min(hours, 9999):04d}:{minutes:02d}:{secs:02d}.{hundredths:02d}"
    return f"PT{hours}H{minutes}M{secs}.{hundredths:02d}S"


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None  # not NaN


def summary(kind: str, cmi: dict) -> Summary:
    """What a committed data model says of the attempt."""
    cmi = cmi if isinstance(cmi, dict) else {}
    if kind == SCORM12:
        core = cmi.get("core") if isinstance(cmi.get("core"), dict) else {}
        status = str(core.get("lesson_status") or "").strip()
        score = core.get("score") if isinstance(core.get("score"), dict) else {}
        raw, low, high = (_number(score.get(k)) for k in ("raw", "min", "max"))
        scaled = None
        if raw is not None:
            low = 0.0 if low is None else low
            high = 100.0 if high is None or high <= low else high
            scaled = max(0.0, min(1.0, (raw - low) / (high - low)))
        return Summary(
            completed=status in ("completed", "passed", "failed"),
            passed=status == "passed",
            failed=status == "failed",
            completion_status={
                "completed": "completed",
                "passed": "completed",
                "failed": "completed",
                "incomplete": "incomplete",
                "browsed": "incomplete",
            }.get(status, "not attempted"),
            success_status={"passed": "passed", "failed": "failed"}.get(status, "unknown"),
            score_scaled=scaled,
            location=str(core.get("lesson_location") or ""),
            exit=str(core.get("exit") or ""),
            session_seconds=seconds(kind, str(core.get("session_time") or "")),
        )
    completion = str(cmi.get("completion_status") or "unknown").strip()
    success = str(cmi.get("success_status") or "unknown").strip()
    score = cmi.get("score") if isinstance(cmi.get("score"), dict) else {}
    scaled = _number(score.get("scaled"))
    if scaled is not None:
        scaled = max(-1.0, min(1.0, scaled))
    return Summary(
        completed=completion == "completed",
        passed=success == "passed",
        failed=success == "failed",
        completion_status=completion,
        success_status=success,
        score_scaled=scaled,
        location=str(cmi.get("location") or ""),
        exit=str(cmi.get("exit") or ""),
        session_seconds=seconds(kind, str(cmi.get("session_time") or "")),
    )


# What the LMS alone sets: a launch's values replace whatever was stored under these names.
_LMS_OWNED_12 = ("student_id", "student_name", "entry", "credit", "lesson_mode", "total_time")


def launch_data(
    kind: str,
    stored: dict,
    *,
    learner_id: str,
    learner_name: str,
    total_seconds: float,
    mastery_score: float | None,
    data_from_lms: str,
) -> dict:
    """The data model a launch starts from: the stored one (so a suspended SCO resumes), with
    the values the LMS owns set afresh, and the per-session values cleared."""
    stored = stored if isinstance(stored, dict) else {}
    resumed = summary(kind, stored).exit == "suspend"
    if kind == SCORM12:
        core = dict(stored.get("core") or {}) if isinstance(stored.get("core"), dict) else {}
        for name in (*_LMS_OWNED_12, "exit", "session_time"):
            core.pop(name, None)
        core.update(
            student_id=learner_id,
            student_name=learner_name,
            entry="resume" if resumed else ("" if stored else "ab-initio"),
            credit="credit",
            lesson_mode="normal",
            total_time=duration(kind, total_seconds),
        )
        data = {key: value for key, value in stored.items() if key != "core"}
        data["core"] = core
        if mastery_score is not None:
            data["student_data"] = {"mastery_score": str(round(mastery_score * 100))}
        if data_from_lms:
            data["launch_data"] = data_from_lms
        return data
    data = {
        key: value
        for key, value in stored.items()
        if key
        not in ("learner_id", "learner_name", "entry", "credit", "mode", "exit", "session_time")
    }
    data.update(
        learner_id=learner_id,
        learner_name=learner_name,
        entry="resume" if resumed else "ab-initio",
        credit="credit",
        mode="normal",
        total_time=duration(kind, total_seconds),
    )
    if mastery_score is not None:
        data["scaled_passing_score"] = str(mastery_score)
    if data_from_lms:
        data["launch_data"] = data_from_lms
    return data


def transitions(kind: str, before: dict, after: dict) -> list[str]:
    """The verbs a commit calls for, in order: completed, passed or failed, each once, when
    the data model reaches it (a retried commit that changes nothing calls for none)."""
    old, new = summary(kind, before), summary(kind, after)
    verbs = []
    if new.completed and not old.completed:
        verbs.append("completed")
    if new.passed and not old.passed:
        verbs.append("passed")
    elif new.failed and not old.failed:
        verbs.append("failed")
    return verbs


def interactions(kind: str, cmi: dict) -> list[dict]:
    """The interactions the SCO recorded (questions answered), in order: id, type, response,
    result ("correct", "incorrect", ...), description. scorm-again writes the collection as a
    list or as an object keyed by index."""
    cmi = cmi if isinstance(cmi, dict) else {}
    collection = cmi.get("interactions")
    if isinstance(collection, dict):
        collection = collection.get("childArray", collection)
    if isinstance(collection, dict):
        collection = [collection[k] for k in sorted(collection, key=_index) if _index(k) >= 0]
    if not isinstance(collection, list):
        return []
    found = []
    for item in collection:
        if not isinstance(item, dict) or not str(item.get("id") or "").strip():
            continue
        response = item.get("student_response" if kind == SCORM12 else "learner_response")
        found.append(
            {
                "id": str(item["id"]).strip(),
                "type": str(item.get("type") or ""),
                "response": "" if response is None else str(response),
                "result": str(item.get("result") or ""),
                "description": str(item.get("description") or ""),
            }
        )
    return found


def _index(key) -> int:
    try:
        return int(key)
    except (TypeError, ValueError):
        return -1
