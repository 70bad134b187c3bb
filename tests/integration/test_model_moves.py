"""Models that moved between apps keep their rows: the migrations change only which app Django
files them under (the tables keep their names) and move the content types, so the pages,
revisions and permissions that hang on them follow. migrate_across_moves.py migrates a
database of its own to the last migration before each move, makes rows in the old apps'
models, and migrates to the latest; here its findings are checked."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("migrate_across_moves.py")


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    database = tmp_path_factory.mktemp("moves") / "db.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    result = subprocess.run(  # noqa: S603 (this interpreter, the project's own script)
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_packages_and_progress_keep_their_rows_when_elearning_takes_them(found):
    moved = found["elearning"]
    package_id, title, old_package_id = moved["package"]
    assert (package_id, title) == (old_package_id, "Digital evidence")
    assert moved["lesson_package"] == [old_package_id]
    user_id, lesson_id, status, old_user_id, old_lesson_id = moved["progress"]
    assert (user_id, lesson_id, status) == (old_user_id, old_lesson_id, "passed")
    assert moved["content_types"] == [
        ["elearning", "lessonpackage"],
        ["elearning", "lessonprogress"],
    ]


def test_site_pages_keep_their_rows_when_the_website_takes_them(found):
    moved = found["website"]
    page_id, intro, old_page_id = moved["page"]
    assert (page_id, intro) == (old_page_id, "<p>Basic and in-service training.</p>")
    assert moved["institution_page"] == [old_page_id]
    assert moved["content_type"] == ["website", "institutionpage"]
