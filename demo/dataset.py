"""The demo network's data files (demo/data/, described in its README.md), read and checked.

`load()` reads every file with the standard library's TOML reader, checks each value against
its shape (demo.shapes) and the references between files (an institution, a course, a person named
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

from demo.shapes import (
    CASCADE,
    CERTIFICATES,
    CURRICULUM,
    ELEARNING,
    INSTITUTION,
    PEOPLE,
    RUNS,
    SUBMISSION,
    SUPERUSER,
    TRAINEE,
    ShapeError,
    check,
)

__all__ = ["DATA_DIR", "SUPERUSER", "TRAINEE", "DataError", "DemoData", "load"]

DATA_DIR = Path(__file__).resolve().parent / "data"
_CURRICULUM_FILE = re.compile(r"^\d{2}-(?P<slug>[a-z0-9-]+)\.toml$")


class DataError(Exception):
    """A demo data file that cannot be used: the message names the file, the key and the rule."""

    def __init__(self, path: Path, where: str, rule: str):
        name = path.relative_to(DATA_DIR.parent.parent) if path.is_relative_to(DATA_DIR) else path
        super().__init__(f"{name}: {where}: {rule}" if where else f"{name}: {rule}")


def read(path: Path, shape) -> dict:
    """One data file, checked."""
    try:
        with path.open("rb") as file:
            raw = tomllib.load(file)
    except FileNotFoundError:
        raise DataError(path, "", "file missing") from None
    except tomllib.TOMLDecodeError as error:
        raise DataError(path, "", f"not valid TOML: {error}") from None
    try:
        return check(raw, shape)
    except ShapeError as error:
        raise DataError(path, error.where, error.rule) from None


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
    submission: dict

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
        if "institution" in template:
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

    path = directory / "submission.toml"
    submission = read(path, SUBMISSION)
    _known(submission["editor"], emails, path=path, where="editor", what="person")
    _known(submission["institution"], slugs, path=path, where="institution", what="institution")
    curricula_of = {c["slug"] for c in curricula if c["institution"] == submission["institution"]}
    _known(submission["curriculum"], curricula_of, path=path, where="curriculum",
           what="curriculum of the institution")  # fmt: skip

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
        submission=submission,
    )
