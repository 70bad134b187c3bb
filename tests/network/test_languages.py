"""Two interface languages: the switcher and its remembered choice, the trainee's e-mail
language following it, and a complete Russian translation of every interface string."""

import gettext
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from ..factories import trainee

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"


@pytest.mark.django_db
def test_switching_to_russian_is_remembered(client, course):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/courses/"})
    assert response.status_code == 302 and response["Location"] == "/ru/courses/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    # Back on an address without a language, the choice holds.
    again = client.get("/courses/?q=cyber")
    assert again.status_code == 302 and again["Location"] == "/ru/courses/?q=cyber"
    page = client.get("/ru/courses/").content.decode()
    assert '<html lang="ru" dir="ltr">' in page and "Курсы" in page
    # Addresses outside the translated pages stay as they are, in the chosen language.
    assert client.get("/xapi/about").status_code == 200
    sign_in = client.get("/accounts/login/")
    assert sign_in.status_code == 200 and '<html lang="ru" dir="ltr">' in sign_in.content.decode()
    back = client.post("/i18n/setlang/", {"language": "en", "next": "/ru/courses/"})
    assert back["Location"] == "/courses/"
    assert client.get("/courses/").status_code == 200


@pytest.mark.django_db
def test_a_trainees_choice_is_also_the_language_of_their_mail(client):
    person = trainee()
    client.force_login(person)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/my/"})
    person.trainee_profile.refresh_from_db()
    assert person.trainee_profile.preferred_language == "ru"


def _entries(po: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of every entry of a .po file, plurals joined (a small reader:
    enough for the files makemessages writes)."""
    entries, current, key, fuzzy = [], {}, None, False

    def flush():
        nonlocal current, fuzzy
        if "msgid" in current and current["msgid"]:
            strings = [v for k, v in current.items() if k.startswith("msgstr")]
            entries.append((current["msgid"], "".join(strings) if all(strings) else "", fuzzy))
        current, fuzzy = {}, False

    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,") and "fuzzy" in line:
            flush()
            fuzzy = True
        elif line.startswith(("msgid ", "msgctxt ")) and "msgstr" in "".join(current):
            saved = fuzzy
            flush()
            fuzzy = saved
        if line.startswith(("msgctxt ", "msgid ", "msgid_plural ", "msgstr")):
            key, _space, value = line.partition(" ")
            current[key] = value[1:-1]
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
        elif not line.strip():
            flush()
    flush()
    return entries


def test_every_interface_string_has_its_russian_translation():
    missing = [msgid for msgid, msgstr, fuzzy in _entries(PO) if not msgstr or fuzzy]
    assert not missing, f"{len(missing)} strings without a Russian translation: {missing[:10]}"


def _need(tool: str) -> None:
    """GNU gettext's tools: skipped without them, except where PAN_REQUIRE_GETTEXT=1 (CI)."""
    if shutil.which(tool) is None:
        if os.environ.get("PAN_REQUIRE_GETTEXT") == "1":
            pytest.fail(f"GNU gettext's {tool} is required here (apt-get install gettext)")
        pytest.skip(f"needs GNU gettext ({tool})")


def test_no_string_of_the_templates_or_code_is_missing_from_the_catalogue(tmp_path):
    """Extract the strings afresh from a copy of the project: a new string that nobody added
    to the Russian catalogue (and translated) fails here."""
    _need("xgettext")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "node_modules",
            "media",
            "private",
            "staticfiles",
            "*.sqlite3*",
            "__pycache__",
        ),
    )
    subprocess.run(  # noqa: S603 (the project's own manage.py)
        [
            str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else "python",
            "manage.py", "makemessages", "-l", "ru", "--no-obsolete", "--ignore=bench",
            "--ignore=tests", "--ignore=node_modules",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )  # fmt: skip
    fresh = copy / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    missing = [msgid for msgid, msgstr, fuzzy in _entries(fresh) if not msgstr or fuzzy]
    assert not missing, (
        f"{len(missing)} strings are not translated into Russian (run makemessages -l ru and "
        f"translate them): {missing[:10]}"
    )


def test_the_compiled_catalogue_is_up_to_date(tmp_path):
    _need("msgfmt")
    compiled = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603 (GNU gettext's compiler)
        [shutil.which("msgfmt"), "--check-format", "-o", str(compiled), str(PO)], check=True
    )
    with compiled.open("rb") as fresh, PO.with_suffix(".mo").open("rb") as committed:
        assert (
            gettext.GNUTranslations(fresh)._catalog == gettext.GNUTranslations(committed)._catalog
        )


def test_every_content_language_has_its_russian_name():
    from django.utils import translation

    from core.languages import LANGUAGE_CHOICES

    with translation.override("ru"):
        latin = [str(name) for _code, name in LANGUAGE_CHOICES if str(name).isascii()]
    assert not latin, f"language names left in English: {latin}"
