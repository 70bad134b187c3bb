"""SCORM lessons played: the package origin and what it serves, launches and resumes, commits
stored once, statements of ADL's SCORM profile for xAPI, progress, bad input.

The SCO itself is played by the browser journey (tests/browser/journey_scorm.py); here its
commits are sent as scorm-again sends them: POST of {"cmi": {...}} to the attempt's address."""

import json

import pytest

from courses.models import LessonPage
from elearning import scorm
from elearning import services as elearning_services
from elearning.models import LessonProgress, ScormAttempt
from xapi.models import Statement

from ..factories import trainee
from .test_packages import build_zip
from .test_scorm_packages import sco, scorm12, scorm2004

PACKAGE_HOST = {"HTTP_HOST": "packages.testserver"}


# --- The data model (no database) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("scorm12", "0001:02:03.50", 3723.5),
        ("scorm12", "12:00:00", 43200),
        ("scorm12", "nonsense", 0),
        ("scorm2004", "PT1H2M3.5S", 3723.5),
        ("scorm2004", "P1DT1S", 86401),
        ("scorm2004", "PT", 0),
    ],
)
def test_time_spans_are_read_in_both_versions(kind, value, expected):
    assert scorm.seconds(kind, value) == pytest.approx(expected)
    assert scorm.seconds(kind, scorm.duration(kind, expected)) == pytest.approx(expected)


def test_a_scorm_12_data_model_is_summarised():
    summary = scorm.summary(
        "scorm12",
        {"core": {"lesson_status": "passed", "score": {"raw": "45", "min": "0", "max": "50"},
                  "lesson_location": "7", "exit": "suspend"}},
    )  # fmt: skip
    assert (summary.completed, summary.passed, summary.failed) == (True, True, False)
    assert summary.score_scaled == pytest.approx(0.9)
    assert (summary.location, summary.exit) == ("7", "suspend")


def test_a_launch_resumes_a_suspended_attempt_and_sets_what_the_lms_owns():
    stored = {"core": {"lesson_location": "3", "exit": "suspend", "student_name": "X",
                       "entry": "ab-initio", "session_time": "00:10:00"},
              "suspend_data": "page=3"}  # fmt: skip
    data = scorm.launch_data(
        "scorm12", stored, learner_id="7", learner_name="Nino Kapanadze", total_seconds=600,
        mastery_score=0.8, data_from_lms="",
    )  # fmt: skip
    core = data["core"]
    assert (core["entry"], core["lesson_location"], core["total_time"]) == (
        "resume",
        "3",
        "0000:10:00.00",
    )
    assert core["student_name"] == "Nino Kapanadze" and "session_time" not in core
    assert data["suspend_data"] == "page=3" and data["student_data"]["mastery_score"] == "80"
    fresh = scorm.launch_data(
        "scorm2004", {}, learner_id="7", learner_name="N", total_seconds=0,
        mastery_score=None, data_from_lms="x=1",
    )  # fmt: skip
    assert (fresh["entry"], fresh["launch_data"]) == ("ab-initio", "x=1")


def test_each_status_calls_for_its_statement_once():
    before = {"completion_status": "incomplete"}
    after = {"completion_status": "completed", "success_status": "passed"}
    assert scorm.transitions("scorm2004", before, after) == ["completed", "passed"]
    assert scorm.transitions("scorm2004", after, after) == []


# --- Launch, commit, resume, progress -------------------------------------------------------------


@pytest.fixture
def lesson(course):
    return LessonPage.objects.descendant_of(course).first()


def attach_scorm(lesson, academy, manifest, files=(("index.html", "<p>SCO</p>"),)):
    package = elearning_services.package_upload(
        content=build_zip([("imsmanifest.xml", manifest), *files]),
        filename="border.zip",
        institution=academy,
    )
    lesson.package = package
    lesson.save_revision().publish()
    return package


def single_sco_12(mastery=""):
    return scorm12(
        f'<item identifier="i1" identifierref="r1"><title>Checks</title>{mastery}</item>',
        sco("r1", "index.html"),
    )


def launch(client, lesson):
    response = client.get(f"/learn/lessons/{lesson.pk}/")
    assert response.status_code == 200
    return response.context["launch"], response


def commit(client, url, cmi, *, final=False, **extra):
    path = url.split("packages.testserver", 1)[1].replace("~/player", "~/commit")
    return client.post(
        path + ("?final=true" if final else ""),
        data=json.dumps({"cmi": cmi, **extra}),
        content_type="application/json",
        **PACKAGE_HOST,
    )


def verbs(attempt):
    return [
        s.verb_id.rsplit("/", 1)[-1]
        for s in Statement.objects.filter(registration=attempt.registration).order_by("stored")
    ]


def test_a_trainee_plays_a_sco_resumes_it_and_completes_it(client, lesson, academy):
    attach_scorm(lesson, academy, single_sco_12("<adlcp:masteryscore>80</adlcp:masteryscore>"))
    person = trainee()
    client.force_login(person)
    started, response = launch(client, lesson)
    assert started["url"].startswith("http://packages.testserver/packages/")
    assert "allow-same-origin" in response.content.decode()  # the SCO's frames share its origin
    assert "http://packages.testserver" in response["Content-Security-Policy"]
    attempt = ScormAttempt.objects.get(user=person)

    # The SCO suspends half way: location, suspend data, a session of ten minutes.
    suspended = {"core": {"lesson_status": "incomplete", "lesson_location": "page-3",
                          "exit": "suspend", "session_time": "00:10:00"},
                 "suspend_data": "seen=1,2,3"}  # fmt: skip
    assert commit(client, started["url"], suspended).json() == {"result": "true", "errorCode": 0}
    assert commit(client, started["url"], suspended, final=True).status_code == 200

    # The next launch (another device: nothing is kept in the browser) resumes there.
    again, _response = launch(client, lesson)
    assert again["url"] == started["url"]
    runtime = client.get(
        again["url"].split("packages.testserver", 1)[1].replace("~/player", "~/runtime.js"),
        **PACKAGE_HOST,
    ).content.decode()
    config = json.loads(runtime.split("window.PAN_SCORM = ", 1)[1].split(";\n", 1)[0])
    assert config["cmi"]["core"]["entry"] == "resume"
    assert config["cmi"]["core"]["lesson_location"] == "page-3"
    assert config["cmi"]["suspend_data"] == "seen=1,2,3"
    assert config["cmi"]["core"]["total_time"] == "0000:10:00.00"

    # Passed with 90 of 100: the lesson is met, its score recorded, the statements stored.
    passed = {"core": {"lesson_status": "passed", "score": {"raw": "90", "max": "100"},
                       "lesson_location": "end", "exit": "",
                       "session_time": "00:05:00"}}  # fmt: skip
    commit(client, again["url"], passed)
    commit(client, again["url"], passed)  # retried: nothing stored twice
    commit(client, again["url"], passed, final=True)
    attempt.refresh_from_db()
    assert (attempt.completion_status, attempt.success_status) == ("completed", "passed")
    assert attempt.total_seconds == 900
    progress = LessonProgress.objects.get(user=person, lesson=lesson)
    assert progress.satisfied and progress.score == pytest.approx(0.9)
    assert progress.status == LessonProgress.Status.PASSED
    assert verbs(attempt) == [
        "initialized", "suspended", "resumed", "completed", "passed", "terminated",
    ]  # fmt: skip
    passed_statement = Statement.objects.get(
        registration=attempt.registration, verb_id__endswith="/passed"
    )
    assert passed_statement.data["result"] == {"success": True, "score": {"scaled": 0.9}}
    assert passed_statement.data["context"]["contextActivities"]["category"] == [
        {"id": "https://w3id.org/xapi/scorm"}
    ]
    assert "Passed" in client.get("/my/").content.decode()


def test_a_scorm_2004_sco_is_met_when_completed(client, lesson, academy):
    attach_scorm(
        lesson,
        academy,
        scorm2004(
            '<item identifier="i1" identifierref="r1"><title>T</title></item>',
            sco("r1", "index.html", attribute="scormType"),
        ),
    )
    person = trainee()
    client.force_login(person)
    started, _response = launch(client, lesson)
    commit(client, started["url"], {"completion_status": "completed", "success_status": "unknown",
                                    "session_time": "PT2M"}, final=True)  # fmt: skip
    progress = LessonProgress.objects.get(user=person, lesson=lesson)
    assert progress.satisfied and progress.completed
    assert verbs(ScormAttempt.objects.get(user=person)) == [
        "initialized",
        "completed",
        "terminated",
    ]


@pytest.mark.parametrize(
    "body",
    [b"not json", b'{"cmi": "a string"}', b"[1, 2]", b'{"nothing": 1}', b"\xff\xfe"],
)
def test_a_bad_commit_gets_the_scorm_error_and_loses_nothing(client, lesson, academy, body):
    attach_scorm(lesson, academy, single_sco_12())
    client.force_login(trainee())
    started, _response = launch(client, lesson)
    good = {"core": {"lesson_status": "incomplete", "lesson_location": "2"}}
    commit(client, started["url"], good)
    path = started["url"].split("packages.testserver", 1)[1].replace("~/player", "~/commit")
    response = client.post(path, data=body, content_type="application/json", **PACKAGE_HOST)
    assert response.status_code == 400
    assert response.json() == {"result": "false", "errorCode": 101}
    assert ScormAttempt.objects.get().cmi == good


def test_a_commit_too_large_is_refused(client, lesson, academy):
    attach_scorm(lesson, academy, single_sco_12())
    client.force_login(trainee())
    started, _response = launch(client, lesson)
    response = commit(client, started["url"], {"suspend_data": "x" * (300 * 1024)})
    assert response.status_code == 413 and response.json()["result"] == "false"
    assert ScormAttempt.objects.get().cmi == {}


def test_the_package_origin_serves_only_packages(client, lesson, academy):
    attach_scorm(lesson, academy, single_sco_12())
    person = trainee()
    client.force_login(person)
    started, _response = launch(client, lesson)
    path = started["url"].split("packages.testserver", 1)[1]
    # No platform page exists there, signed in or not.
    for address in ("/", "/my/", "/my/privacy/export.zip", "/admin/", "/verify/", "/xapi/about"):
        assert client.get(address, **PACKAGE_HOST).status_code == 404, address
    # The attempt's files, with the package sandbox and framed only by the platform.
    page = client.get(path.replace("~/player", "index.html"), **PACKAGE_HOST)
    assert page.status_code == 200 and b"SCO" in b"".join(page.streaming_content)
    assert page["Content-Security-Policy"].startswith("sandbox allow-scripts allow-same-origin")
    assert "frame-ancestors 'self' http://testserver" in page["Content-Security-Policy"]
    player = client.get(path, **PACKAGE_HOST)
    assert b"api.js" in player.content and b"index.html" in player.content
    # A wrong token, or another package's number, finds nothing.
    assert client.get(path.replace("/a/", "/a/x"), **PACKAGE_HOST).status_code == 404
    other = path.replace(f"/packages/{lesson.package_id}/", f"/packages/{lesson.package_id + 1}/")
    assert client.get(other, **PACKAGE_HOST).status_code == 404
    # And the platform's host does not serve attempts.
    assert client.get(path).status_code == 404


def test_an_asset_is_complete_once_opened(client, lesson, academy):
    manifest = scorm12(
        '<item identifier="i1" identifierref="r1"><title>Reading</title></item>',
        sco("r1", "index.html", kind="asset"),
    )
    attach_scorm(lesson, academy, manifest)
    person = trainee()
    client.force_login(person)
    launch(client, lesson)
    assert LessonProgress.objects.get(user=person, lesson=lesson).satisfied


def test_without_a_package_host_a_scorm_lesson_says_why(client, lesson, academy, settings):
    attach_scorm(lesson, academy, single_sco_12())
    settings.PAN_PACKAGE_HOST = ""
    client.force_login(trainee())
    response = client.get(f"/learn/lessons/{lesson.pk}/", follow=True)
    assert "PAN_PACKAGE_HOST" in response.content.decode()
    assert ScormAttempt.objects.count() == 0


def test_two_commits_at_once_both_land_in_order(client, lesson, academy, monkeypatch):
    """A second tab's commit lands between this commit's read and its write: the write is not
    made over it; the commit reads again and lands after it."""
    attach_scorm(lesson, academy, single_sco_12())
    client.force_login(trainee())
    started, _response = launch(client, lesson)
    token = started["url"].split("/a/", 1)[1].split("/", 1)[0]
    from elearning.services import scorm_attempts

    real = scorm_attempts._scorm_commit_once
    calls = []

    def racing(attempt, after, **kwargs):
        if not calls:
            ScormAttempt.objects.filter(token=token).update(
                cmi={"core": {"lesson_location": "other-tab"}}, commits=1
            )
        calls.append(after)
        return real(attempt, after, **kwargs)

    monkeypatch.setattr(scorm_attempts, "_scorm_commit_once", racing)
    mine = {"core": {"lesson_status": "completed", "lesson_location": "mine"}}
    assert commit(client, started["url"], mine).json()["result"] == "true"
    attempt = ScormAttempt.objects.get(token=token)
    assert len(calls) == 2  # the first write found the other tab's commit and was not made
    assert attempt.commits == 2 and attempt.cmi == mine
    assert attempt.completion_status == "completed"


def test_coordinators_see_status_score_and_time_per_sco(client, lesson, course, academy):
    import csv
    import io

    from network import services as network_services
    from trainees import services as trainee_services

    from ..auth_helpers import staff_login
    from ..factories import UserFactory, course_run

    attach_scorm(lesson, academy, single_sco_12())
    person = trainee()
    run = course_run(course, academy, sessions=1, start_in_days=-2, capacity=5)
    trainee_services.enrolments_import(run=run, rows=[{"email": person.email}], actor=None)
    client.force_login(person)
    started, _response = launch(client, lesson)
    commit(
        client,
        started["url"],
        {"core": {"lesson_status": "passed", "score": {"raw": "85"}, "session_time": "00:12:30"}},
        final=True,
    )
    coordinator = UserFactory()
    network_services.membership_grant(user=coordinator, role="coordinator", institution=academy)
    client.logout()
    staff_login(client, coordinator)
    page = client.get(f"/manage/runs/{run.pk}/").content.decode()
    assert "Passed ✓" in page and "85%" in page and "12 min" in page
    export = client.get(f"/manage/runs/{run.pk}/attendance.csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    header, line = rows[0], rows[1]
    column = header.index(f"{lesson.title}: status")
    assert line[column : column + 3] == ["passed", "85", "12.5"]


def test_each_question_answered_is_an_answered_statement_once(client, lesson, academy):
    attach_scorm(lesson, academy, single_sco_12())
    person = trainee()
    client.force_login(person)
    started, _response = launch(client, lesson)
    first = {"id": "q1", "type": "choice", "student_response": "b", "result": "correct"}
    second = {"id": "q 2", "type": "true-false", "student_response": "f", "result": "wrong"}
    commit(client, started["url"], {"core": {"lesson_status": "incomplete"},
                                    "interactions": {"0": first}})  # fmt: skip
    commit(client, started["url"], {"core": {"lesson_status": "incomplete"},
                                    "interactions": [first, second]})  # fmt: skip
    commit(client, started["url"], {"core": {"lesson_status": "incomplete", "lesson_location": "x"},
                                    "interactions": [first, second]})  # fmt: skip
    answered = Statement.objects.filter(verb_id__endswith="/answered").order_by("stored")
    assert [s.data["object"]["id"].rsplit("/", 1)[-1] for s in answered] == ["q1", "q%202"]
    assert [s.data["result"] for s in answered] == [
        {"response": "b", "success": True},
        {"response": "f", "success": False},
    ]
    attempt = ScormAttempt.objects.get(user=person)
    assert answered[0].data["context"]["contextActivities"]["parent"] == [
        {"id": attempt.activity_id}
    ]
    # Statements about the questions do not count as the lesson's own progress.
    assert not LessonProgress.objects.get(user=person, lesson=lesson).completed


# --- Commits held in the browser and sent again ---------------------------------------------


def test_a_commit_sent_twice_by_its_player_is_stored_once(client, lesson, academy):
    """The player numbers its commits: the same (player, sequence) again changes nothing, not
    even a final commit's time or its statement; another player's commits still land."""
    attach_scorm(lesson, academy, single_sco_12())
    person = trainee()
    client.force_login(person)
    started, _response = launch(client, lesson)
    cmi = {"core": {"lesson_status": "incomplete", "exit": "suspend", "session_time": "00:02:00"}}
    mark = {"player": "a1b2c3d4e5f6", "commitSequence": 3}
    for _ in range(2):
        assert commit(client, started["url"], cmi, final=True, **mark).status_code == 200
    attempt = ScormAttempt.objects.get(user=person)
    assert (attempt.total_seconds, attempt.commits) == (120, 1)
    assert verbs(attempt).count("suspended") == 1
    assert attempt.sequences == [["a1b2c3d4e5f6", 3]]
    # An older commit of the same player, arriving late, is known as landed too.
    older = {"core": {"lesson_status": "incomplete", "lesson_location": "old"}}
    commit(client, started["url"], older, player="a1b2c3d4e5f6", commitSequence=2)
    attempt.refresh_from_db()
    assert attempt.cmi == cmi
    # Another window's first commit is its own.
    commit(client, started["url"], older, player="ffffeeeedddd", commitSequence=1)
    attempt.refresh_from_db()
    assert attempt.cmi == older and attempt.commits == 2


def test_commits_held_in_the_browser_are_replayed_through_the_platform(client, lesson, academy):
    attach_scorm(lesson, academy, single_sco_12())
    person = trainee()
    client.force_login(person)
    started, response = launch(client, lesson)
    page = response.content.decode()
    assert 'id="scorm-player"' in page and "data-src=" in page and "scorm-lesson.js" in page
    assert started["attempt"] == 1
    held = [
        {"body": {"cmi": {"core": {"lesson_status": "incomplete", "lesson_location": "2"}},
                  "player": "0123456789ab", "commitSequence": 1}, "final": False},
        {"body": {"cmi": {"core": {"lesson_status": "completed", "lesson_location": "9",
                                   "session_time": "00:03:00"}},
                  "player": "0123456789ab", "commitSequence": 2}, "final": True},
    ]  # fmt: skip
    url = f"/learn/lessons/{lesson.pk}/scorm/replay/"

    def replay(payload):
        return client.post(url, data=json.dumps(payload), content_type="application/json")

    answer = replay({"attempt": 1, "commits": held})
    assert answer.json() == {"landed": 2, "refused": 0}
    assert replay({"attempt": 1, "commits": held}).json() == {"landed": 2, "refused": 0}
    attempt = ScormAttempt.objects.get(user=person)
    assert attempt.cmi["core"]["lesson_location"] == "9"
    assert (attempt.total_seconds, attempt.commits) == (180, 2)  # the second replay: nothing
    assert LessonProgress.objects.get(user=person, lesson=lesson).completed

    # Bad input: named, and nothing changes.
    assert replay({"attempt": 2, "commits": held}).json()["errors"]["attempt"]
    assert "50" in replay({"attempt": 1, "commits": [held[0]] * 51}).json()["errors"]["commits"][0]
    bad = client.post(url, data="{not json", content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"]["attempt"]
    assert replay({"attempt": 1, "commits": ["x", {"body": "y"}]}).json() == {
        "landed": 0,
        "refused": 2,
    }
    # Another trainee reaches only their own attempts.
    client.force_login(trainee())
    assert replay({"attempt": 1, "commits": held}).status_code == 400
    attempt.refresh_from_db()
    assert attempt.commits == 2


def test_the_runtime_names_the_pages_that_keep_held_commits(client, lesson, academy):
    attach_scorm(lesson, academy, single_sco_12())
    client.force_login(trainee())
    started, _response = launch(client, lesson)
    runtime = client.get(
        started["url"].split("packages.testserver", 1)[1].replace("~/player", "~/runtime.js"),
        **PACKAGE_HOST,
    ).content.decode()
    config = json.loads(runtime.split("window.PAN_SCORM = ", 1)[1].split(";\n", 1)[0])
    assert "http://testserver" in config["pageOrigins"]
    assert "packages.testserver" not in " ".join(config["pageOrigins"])


def test_a_finished_attempt_is_followed_by_a_new_one(client, lesson, academy):
    """Completed and left without suspending: the next launch is attempt 2, from a fresh data
    model; attempt 1 keeps its result, and the lesson stays met."""
    attach_scorm(lesson, academy, single_sco_12())
    person = trainee()
    client.force_login(person)
    first, _response = launch(client, lesson)
    done = {"core": {"lesson_status": "completed", "lesson_location": "end", "exit": ""}}
    commit(client, first["url"], done, final=True)
    # Suspended without finishing is still resumed (see above); finished is not.
    second, _response = launch(client, lesson)
    assert second["attempt"] == 2 and second["url"] != first["url"]
    attempts = ScormAttempt.objects.filter(user=person).order_by("number")
    assert [a.completion_status for a in attempts] == ["completed", ""]
    assert attempts[1].cmi == {}
    assert LessonProgress.objects.get(user=person, lesson=lesson).completed


def test_the_package_origin_answers_errors_plainly_without_cookies(lesson, academy, monkeypatch):
    """Package requests skip the platform's middleware (sessions, CSRF, sign-in): no cookie is
    set, and a failing view gets the package origin's own plain answer, never a platform page."""
    from django.test import Client

    attach_scorm(lesson, academy, single_sco_12())
    client = Client(raise_request_exception=False)
    client.force_login(trainee())
    started, _response = launch(client, lesson)
    path = started["url"].split("packages.testserver", 1)[1]
    player = client.get(path, **PACKAGE_HOST)
    assert player.status_code == 200 and not player.cookies
    assert "frame-ancestors" in player["Content-Security-Policy"]

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(elearning_services, "scorm_commit", broken)
    failed = commit(client, started["url"], {"core": {}})
    assert failed.status_code == 500
    assert failed["Content-Type"].startswith("text/plain") and b"<html" not in failed.content
