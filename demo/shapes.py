"""The shapes the demo's data files must have (demo/data/README.md describes the files), and
the check of a value read from a file against its shape.

A shape is str, int or bool (a value of that type; texts are folded onto one line), [shape] (a
list of them), {key: shape} (a table; a key ending in "?" may be left out), Table(shape) (a
table of any keys, each value of that shape), or a callable that returns the value or raises
ValueError with the rule (Rule, BODY). Values of the models' choices are read from the models
when first checked."""

from __future__ import annotations

import re
from dataclasses import dataclass

from demo import body

SUPERUSER = "superuser"  # a Django superuser, not a membership role
TRAINEE = "trainee"  # a login without a staff role
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]+$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class ShapeError(Exception):
    """A value that does not fit its shape: where it is (keys and indexes) and the rule."""

    def __init__(self, where: str, rule: str):
        super().__init__(rule)
        self.where, self.rule = where, rule


class Rule:
    """A string checked by a pattern or a list of allowed values (given lazily, from models)."""

    def __init__(self, text: str, *, pattern=None, values=None):
        self.text, self.pattern, self.values = text, pattern, values

    def __call__(self, value):
        if not isinstance(value, str):
            raise ValueError(f"must be text ({self.text}), not {_kind(value)}")
        allowed = self.values() if callable(self.values) else self.values
        if allowed is not None and value not in allowed:
            raise ValueError(f"{value!r} is not {self.text} (one of: {', '.join(allowed)})")
        if self.pattern is not None and not self.pattern.match(value):
            raise ValueError(f"{value!r} is not {self.text}")
        return value


@dataclass(frozen=True)
class Table:
    shape: object


class _Body:
    def __call__(self, value):
        if not isinstance(value, str):
            raise ValueError(f"must be a body text, not {_kind(value)}")
        return body.parse(value)


BODY = _Body()
SLUG = Rule("a slug (lower-case letters, digits and hyphens)", pattern=_SLUG)
EMAIL = Rule("an e-mail address", pattern=_EMAIL)
COLOUR = Rule("a colour such as #1F3A5F", pattern=_COLOUR)
COUNTRY = Rule("an ISO 3166-1 alpha-2 country code", pattern=_COUNTRY)


def _choices(module: str, name: str) -> Rule:
    """The values of the choices `name` (e.g. "Institution.Kind") of the models `module`."""

    def values():
        from importlib import import_module

        choices = import_module(module)
        for part in name.split("."):
            choices = getattr(choices, part)
        return list(choices.values)

    return Rule(f"a value of {name}", values=values)


def _languages() -> list[str]:
    from core.languages import LANGUAGE_NAMES

    return sorted(LANGUAGE_NAMES)


LANGUAGE = Rule("a language code of core.languages", values=_languages)
LEVEL = _choices("courses.models", "Level")
AUDIENCE = _choices("courses.models", "Audience")
MODE = _choices("courses.models", "DeliveryMode")
KIND = _choices("network.models", "Institution.Kind")
POLICY = _choices("courses.models", "CourseRun.Policy")
GENDER = _choices("trainees.models", "TraineeProfile.Gender")
NAME_ORDER = _choices("trainees.models", "TraineeProfile.NameOrder")
CERTIFICATE_KIND = _choices("certificates.models", "Kind")
ATTENDANCE = _choices("trainees.models", "Attendance.Status")
USES = _choices("reports.models", "FollowUp.Use")


def _role_values() -> list[str]:
    from network.models import Membership

    return [SUPERUSER, TRAINEE, *Membership.Role.values]


ROLE = Rule("a role", values=_role_values)
QUIZ_KIND = Rule("a question kind", values=["single", "multiple", "true_false"])

INSTITUTION = {
    "slug": SLUG,
    "name": str,
    "short_name": str,
    "kind": KIND,
    "country?": COUNTRY,
    "city": str,
    "website": str,
    "working_languages": [LANGUAGE],
    "description": str,
}
LESSON = {"slug?": SLUG, "title": str, "minutes": int, "summary": str, "body": BODY}
MODULE = {"slug?": SLUG, "title": str, "summary": str, "body?": BODY, "lessons": [LESSON]}
TRANSLATION = {
    "title": str,
    "summary": str,
    "learning_outcomes": [str],
    "modules": Table({"title": str, "summary": str}),
}
COURSE = {
    "slug?": SLUG,
    "title": str,
    "summary": str,
    "thematic_areas": [SLUG],
    "target_audience": [AUDIENCE],
    "level": LEVEL,
    "languages": [LANGUAGE],
    "duration_hours": int,
    "delivery_modes": [MODE],
    "is_training_of_trainers?": bool,
    "prerequisites?": str,
    "learning_outcomes": [str],
    "body?": BODY,
    "modules": [MODULE],
    "translations?": Table(TRANSLATION),
}
CURRICULUM = {
    "slug?": SLUG,
    "institution": SLUG,
    "title": str,
    "summary": str,
    "body?": BODY,
    "courses": [COURSE],
}
PROFILE = {
    "given_name": str,
    "family_name": str,
    "given_name_latin": str,
    "family_name_latin": str,
    "name_order?": NAME_ORDER,
    "gender": GENDER,
    "country_code": COUNTRY,
    "institution_other?": str,
    "rank_or_position?": str,
    "preferred_language?": LANGUAGE,
}
PEOPLE = {
    "totp_secret": str,
    "officer_password": str,
    "logins": [
        {
            "email": EMAIL,
            "password": str,
            "first_name": str,
            "last_name": str,
            "role": ROLE,
            "institution?": SLUG,
            "country?": COUNTRY,
            "profile?": PROFILE,
        }
    ],
    "officers": [{"email": EMAIL, **PROFILE}],
}
RULE = {"kind": CERTIFICATE_KIND, "min_attendance?": int, "lessons_required?": bool}
RUNS = {
    "runs": [
        {
            "title": str,
            "course": SLUG,
            "organiser": SLUG,
            "policy": POLICY,
            "capacity": int,
            "start": int,
            "days": int,
            "live_today?": bool,
            "tot?": bool,
            "quotas?": Table(int),
            "trainers?": [EMAIL],
            "enrolled?": [EMAIL],
            "register?": [ATTENDANCE],
            "certificates?": [RULE],
            "venue": str,
            "time_zone": str,
            "language": LANGUAGE,
        }
    ],
    "self_paced_run": {
        "title": str,
        "course": SLUG,
        "organiser": SLUG,
        "enrolled": [EMAIL],
        "language": LANGUAGE,
        "certificates": [RULE],
    },
    "followups": {"uses": [USES]},
}
CERTIFICATES = {
    "texts": Table(
        {"participation_title": str, "completion_title": str, "trainer_title": str, "body": str}
    ),
    "templates": [
        {
            "institution?": SLUG,  # left out for the network's own template
            "name": str,
            "primary_colour": COLOUR,
            "accent_colour": COLOUR,
            "signatories": [{"name": str, "position": str}],
        }
    ],
}
ELEARNING = {
    "packages": [{"folder": SLUG, "course": SLUG, "institution": SLUG}],
    "quiz": {
        "course": SLUG,
        "lesson": int,
        "pass_mark": int,
        "title": str,
        "questions": [
            {
                "kind": QUIZ_KIND,
                "prompt": str,
                "answers": [{"text": str, "correct": bool, "feedback": str}],
            }
        ],
    },
}


def _name(value):
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise ValueError("must be [native, Latin]: two texts")
    return value


NAME = _name
SUBMISSION = {
    "editor": EMAIL,
    "institution": SLUG,
    "curriculum": SLUG,
    "course": {
        "title": str,
        "slug": SLUG,
        "summary": str,
        "thematic_areas": [SLUG],
        "target_audience": [AUDIENCE],
        "level": LEVEL,
        "languages": [LANGUAGE],
        "duration_hours": int,
        "delivery_modes": [MODE],
    },
    "module": {"title": str, "slug": SLUG},
    "lesson": {"title": str, "slug": SLUG, "summary": str, "minutes": int},
}
CASCADE = {
    "course": SLUG,
    "runs": [
        {
            "key": SLUG,
            "title": str,
            "organiser": SLUG,
            "country": COUNTRY,
            "language": LANGUAGE,
            "start": int,
            "days": int,
            "trainers?": [EMAIL],
            "trainer_from?": {"run": SLUG, "country": COUNTRY},
            "participants": Table(int),
            "certify": int,
        }
    ],
    "names": Table({"women": [NAME], "men": [NAME], "family": [{"man": NAME, "woman?": NAME}]}),
}


def _kind(value) -> str:
    names = {str: "text", bool: "true/false", int: "a whole number", float: "a decimal number",
             list: "a list", dict: "a table"}  # fmt: skip
    return names.get(type(value), type(value).__name__)


def _at(where: str, key) -> str:
    return f"{where}.{key}" if where else str(key)


def check(value, shape, *, where: str = ""):
    """`value` checked against `shape` and returned cleaned; ShapeError names the first fault."""
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            raise ShapeError(where, f"must be a table, not {_kind(value)}")
        keys = {key.rstrip("?"): key for key in shape}
        for key in value:
            if key not in keys:
                raise ShapeError(_at(where, key), f"unknown key (known: {', '.join(keys)})")
        clean = {}
        for key, spelled in keys.items():
            if key in value:
                clean[key] = check(value[key], shape[spelled], where=_at(where, key))
            elif not spelled.endswith("?"):
                raise ShapeError(_at(where, key), "missing")
        return clean
    if isinstance(shape, Table):
        if not isinstance(value, dict):
            raise ShapeError(where, f"must be a table, not {_kind(value)}")
        return {key: check(item, shape.shape, where=_at(where, key)) for key, item in value.items()}
    if isinstance(shape, list):
        if not isinstance(value, list):
            raise ShapeError(where, f"must be a list, not {_kind(value)}")
        return [
            check(item, shape[0], where=f"{where}[{index}]") for index, item in enumerate(value)
        ]
    if shape is str:
        if not isinstance(value, str):
            raise ShapeError(where, f"must be text, not {_kind(value)}")
        return body.fold(value)
    if shape is bool:
        if not isinstance(value, bool):
            raise ShapeError(where, f"must be true or false, not {_kind(value)}")
        return value
    if shape is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ShapeError(where, f"must be a whole number, not {_kind(value)}")
        return value
    try:
        return shape(value)
    except ValueError as error:
        raise ShapeError(where, str(error)) from None
