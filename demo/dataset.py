"""The demo network's data files (demo/data/, described in its README.md), read and checked.

`load()` reads every file with the standard library's TOML reader, checks each value against
the shapes below and the references between files (an institution, a course, a person named
elsewhere must exist), and returns plain dicts and lists: prose with its line breaks folded,
page bodies parsed into items (demo.body). A file that is wrong raises DataError naming the
file, the key and the rule; nothing is loaded then."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.text import slugify

from demo import body

DATA_DIR = Path(__file__).resolve().parent / "data"
SUPERUSER = "superuser"  # a Django superuser, not a membership role
TRAINEE = "trainee"  # a login without a staff role
_CURRICULUM_FILE = re.compile(r"^\d{2}-(?P<slug>[a-z0-9-]+)\.toml$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]+$")
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class DataError(Exception):
    """A demo data file that cannot be used: the message names the file, the key and the rule."""

    def __init__(self, path: Path, where: str, rule: str):
        name = path.relative_to(DATA_DIR.parent.parent) if path.is_relative_to(DATA_DIR) else path
        super().__init__(f"{name}: {where}: {rule}" if where else f"{name}: {rule}")


# ---------------------------------------------------------------------------------------------
# Shapes. A shape is str, int or bool (a value of that type; strings are folded), [shape] (a
# list of them), {key: shape} (a table; a key ending in "?" may be left out), Table(shape) (a
# table of any keys, each value of that shape), or a Rule.
# ---------------------------------------------------------------------------------------------


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
            "institution": SLUG,
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


def check(value, shape, *, path: Path, where: str = ""):
    """`value` checked against `shape` and returned cleaned; DataError names the first fault."""
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            raise DataError(path, where, f"must be a table, not {_kind(value)}")
        keys = {key.rstrip("?"): key for key in shape}
        for key in value:
            if key not in keys:
                raise DataError(path, _at(where, key), f"unknown key (known: {', '.join(keys)})")
        clean = {}
        for key, spelled in keys.items():
            if key in value:
                clean[key] = check(value[key], shape[spelled], path=path, where=_at(where, key))
            elif not spelled.endswith("?"):
                raise DataError(path, _at(where, key), "missing")
        return clean
    if isinstance(shape, Table):
        if not isinstance(value, dict):
            raise DataError(path, where, f"must be a table, not {_kind(value)}")
        return {
            key: check(item, shape.shape, path=path, where=_at(where, key))
            for key, item in value.items()
        }
    if isinstance(shape, list):
        if not isinstance(value, list):
            raise DataError(path, where, f"must be a list, not {_kind(value)}")
        return [
            check(item, shape[0], path=path, where=f"{where}[{index}]")
            for index, item in enumerate(value)
        ]
    if shape is str:
        if not isinstance(value, str):
            raise DataError(path, where, f"must be text, not {_kind(value)}")
        return body.fold(value)
    if shape is bool:
        if not isinstance(value, bool):
            raise DataError(path, where, f"must be true or false, not {_kind(value)}")
        return value
    if shape is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise DataError(path, where, f"must be a whole number, not {_kind(value)}")
        return value
    try:
        return shape(value)
    except ValueError as error:
        raise DataError(path, where, str(error)) from None


def read(path: Path, shape) -> dict:
    """One data file, checked."""
    try:
        with path.open("rb") as file:
            raw = tomllib.load(file)
    except FileNotFoundError:
        raise DataError(path, "", "file missing") from None
    except tomllib.TOMLDecodeError as error:
        raise DataError(path, "", f"not valid TOML: {error}") from None
    return check(raw, shape, path=path)


# ---------------------------------------------------------------------------------------------
# The whole demo network
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoData:
    institutions: list[dict]
    curricula: list[dict]  # in loading order, each with its "slug"
    totp_secret: str
    officer_password: str
    logins: list[dict]
    officers: list[dict]
    runs: list[dict]
    self_paced_run: dict
    followup_uses: list[str]
    certificate_texts: dict[str, dict]
    certificate_templates: list[dict]
    packages: list[dict]
    quiz: dict
    cascade: dict

    def courses(self):
        """(curriculum, course) pairs in loading order."""
        for curriculum in self.curricula:
            for course in curriculum["courses"]:
                yield curriculum, course

    def translations(self) -> list[tuple[str, str, dict]]:
        """(language, course slug, translation) in loading order."""
        found = [
            (language, course["slug"], translation)
            for _curriculum, course in self.courses()
            for language, translation in course.get("translations", {}).items()
        ]
        return sorted(found, key=lambda item: item[0])  # stable: by language, then file order


def _slugged(items: list[dict], *, path: Path, where: str) -> None:
    """Give each page its slug (the slugified title unless one is given); no two alike."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        item["slug"] = item.get("slug") or slugify(item["title"])
        if item["slug"] in seen:
            raise DataError(path, f"{where}[{index}].slug", f"{item['slug']!r} appears twice")
        seen.add(item["slug"])


def _curriculum(path: Path, institutions: set[str]) -> dict:
    match = _CURRICULUM_FILE.match(path.name)
    if match is None:
        raise DataError(path, "", "a curriculum's file is named NN-<slug>.toml (NN: its order)")
    data = read(path, CURRICULUM)
    data["slug"] = data.get("slug") or slugify(data["title"])
    if data["slug"] != match["slug"]:
        raise DataError(path, "title", f"the curriculum's slug is {data['slug']!r}, not the "
                                       f"file's {match['slug']!r}")  # fmt: skip
    if data["institution"] not in institutions:
        raise DataError(path, "institution", f"no institution {data['institution']!r}")
    _slugged(data["courses"], path=path, where="courses")
    for c, course in enumerate(data["courses"]):
        _slugged(course["modules"], path=path, where=f"courses[{c}].modules")
        for m, module in enumerate(course["modules"]):
            _slugged(module["lessons"], path=path, where=f"courses[{c}].modules[{m}].lessons")
        modules = {module["slug"] for module in course["modules"]}
        for language, translation in course.get("translations", {}).items():
            for slug in translation["modules"]:
                if slug not in modules:
                    where = f"courses[{c}].translations.{language}.modules.{slug}"
                    raise DataError(path, where, "no module of the course has this slug")
    return data


def _known(value, known, *, path: Path, where: str, what: str) -> None:
    if value not in known:
        raise DataError(path, where, f"no {what} {value!r}")


def load(directory: Path | None = None) -> DemoData:
    """The demo network's data (from `directory`, demo/data/ by default), read and checked
    once per process."""
    return _load(directory or DATA_DIR)


@cache
def _load(directory: Path) -> DemoData:
    institutions = read(directory / "institutions.toml", {"institutions": [INSTITUTION]})
    institutions = institutions["institutions"]
    slugs = {institution["slug"] for institution in institutions}
    files = sorted((directory / "curricula").glob("*.toml"))
    curricula = [_curriculum(path, slugs) for path in files]
    courses = {course["slug"] for curriculum in curricula for course in curriculum["courses"]}

    path = directory / "people.toml"
    people = read(path, PEOPLE)
    emails = {person["email"] for person in [*people["logins"], *people["officers"]]}
    for index, login in enumerate(people["logins"]):
        where = f"logins[{index}]"
        if login["role"] in ("editor", "coordinator", "trainer"):
            _known(login.get("institution"), slugs, path=path, where=f"{where}.institution",
                   what="institution")  # fmt: skip
        if login["role"] == "focal_point" and "country" not in login:
            raise DataError(path, f"{where}.country", "a focal point needs a country")

    path = directory / "runs.toml"
    runs = read(path, RUNS)
    for index, run in enumerate([*runs["runs"], runs["self_paced_run"]]):
        where = f"runs[{index}]" if index < len(runs["runs"]) else "self_paced_run"
        _known(run["course"], courses, path=path, where=f"{where}.course", what="course")
        _known(run["organiser"], slugs, path=path, where=f"{where}.organiser", what="institution")
        for key in ("trainers", "enrolled"):
            for n, email in enumerate(run.get(key, [])):
                _known(email, emails, path=path, where=f"{where}.{key}[{n}]", what="person")

    path = directory / "certificates.toml"
    certificates = read(path, CERTIFICATES)
    for index, template in enumerate(certificates["templates"]):
        _known(template["institution"], slugs, path=path,
               where=f"templates[{index}].institution", what="institution")  # fmt: skip

    path = directory / "elearning.toml"
    elearning = read(path, ELEARNING)
    for index, package in enumerate(elearning["packages"]):
        _known(package["course"], courses, path=path, where=f"packages[{index}].course",
               what="course")  # fmt: skip
        _known(package["institution"], slugs, path=path,
               where=f"packages[{index}].institution", what="institution")  # fmt: skip
    _known(elearning["quiz"]["course"], courses, path=path, where="quiz.course", what="course")
    quiz = elearning["quiz"]
    quiz["block"] = {"title": quiz["title"], "questions": quiz["questions"]}

    path = directory / "cascade.toml"
    cascade = read(path, CASCADE)
    _known(cascade["course"], courses, path=path, where="course", what="course")
    keys: set[str] = set()
    for index, run in enumerate(cascade["runs"]):
        where = f"runs[{index}]"
        _known(run["organiser"], slugs, path=path, where=f"{where}.organiser", what="institution")
        if ("trainers" in run) == ("trainer_from" in run):
            raise DataError(path, where, "give either trainers or trainer_from")
        if "trainer_from" in run:
            _known(run["trainer_from"]["run"], keys, path=path, where=f"{where}.trainer_from.run",
                   what="run above with key")  # fmt: skip
        for code in run["participants"]:
            _known(code, cascade["names"], path=path, where=f"{where}.participants.{code}",
                   what="name pool (names.<country>) for")  # fmt: skip
        keys.add(run["key"])

    return DemoData(
        institutions=institutions,
        curricula=curricula,
        totp_secret=people["totp_secret"],
        officer_password=people["officer_password"],
        logins=people["logins"],
        officers=people["officers"],
        runs=runs["runs"],
        self_paced_run=runs["self_paced_run"],
        followup_uses=runs["followups"]["uses"],
        certificate_texts=certificates["texts"],
        certificate_templates=certificates["templates"],
        packages=elearning["packages"],
        quiz=quiz,
        cascade=cascade,
    )
