"""E-learning end to end: packages uploaded and served sandboxed, TinCan and cmi5 launches, the
authored lesson player's quiz, progress derived from statements, shown on My learning."""

import base64
import io
import json
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError

from courses.models import LessonPage
from elearning import services as elearning_services
from elearning.models import LessonProgress
from xapi.models import Document, Statement

from ..factories import LessonPageFactory, trainee

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "elearning"
XAPI = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}


def sample_zip(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((SAMPLES / name).rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(SAMPLES / name).as_posix())
    return buffer.getvalue()


@pytest.fixture
def lesson(course):
    return LessonPage.objects.descendant_of(course).first()


def attach(lesson, academy, name):
    package = elearning_services.package_upload(
        content=sample_zip(name), filename=f"{name}.zip", institution=academy
    )
    lesson.package = package
    lesson.save_revision().publish()
    return package


def launch_params(client, lesson) -> dict:
    response = client.get(f"/learn/lessons/{lesson.pk}/")
    assert response.status_code == 200
    url = response.context["launch"]["url"]
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()} | {"_url": url}


def post_statement(client, auth, statement):
    return client.post(
        "/xapi/statements",
        data=json.dumps(statement),
        content_type="application/json",
        HTTP_AUTHORIZATION=auth,
        **XAPI,
    )


def test_tincan_package_launch_and_progress(client, lesson, academy):
    package = attach(lesson, academy, "tincan-sample")
    assert package.kind == "tincan"
    person = trainee()
    client.force_login(person)
    params = launch_params(client, lesson)
    assert params["endpoint"].endswith("/xapi/")
    assert params["_url"].startswith(f"http://testserver/packages/{package.pk}/index.html?")
    actor = json.loads(params["actor"])
    assert actor["account"]["name"] == str(person.pk)  # no e-mail address in statements
    statement = {
        "actor": actor,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
        "object": {"id": params["activity_id"]},
        "result": {"success": True, "score": {"scaled": 0.9}, "completion": True},
        "context": {"registration": params["registration"]},
    }
    assert post_statement(client, params["auth"], statement).status_code == 200
    progress = LessonProgress.objects.get(user=person, lesson=lesson)
    assert (progress.status, progress.completed, progress.score) == ("passed", True, 0.9)
    # A launch may only speak for its own learner.
    other = {**statement, "actor": {"mbox": "mailto:someone@example.org"}}
    assert post_statement(client, params["auth"], other).status_code == 403
    # The same registration comes back on the next launch: the package resumes.
    assert launch_params(client, lesson)["registration"] == params["registration"]
    page = client.get("/my/").content.decode()
    assert lesson.title in page and "Passed" in page


def test_package_files_are_served_sandboxed(client, lesson, academy):
    package = attach(lesson, academy, "tincan-sample")
    response = client.get(f"/packages/{package.pk}/index.html")
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("sandbox allow-scripts")
    assert "allow-same-origin" not in response["Content-Security-Policy"]
    assert client.get(f"/packages/{package.pk}/../../settings.py").status_code == 404
    assert client.get(f"/packages/{package.pk}/missing.js").status_code == 404


def test_cmi5_launch_sequence(client, lesson, academy):
    package = attach(lesson, academy, "cmi5-sample")
    assert package.kind == "cmi5"
    person = trainee()
    client.force_login(person)
    params = launch_params(client, lesson)
    assert {"endpoint", "fetch", "actor", "registration", "activityId"} <= set(params)
    # LMS.LaunchData is written and `launched` stored before the AU runs.
    launch_data = Document.objects.get(document_id="LMS.LaunchData")
    data = json.loads(bytes(launch_data.content))
    assert data["moveOn"] == "CompletedAndPassed" and data["launchMode"] == "Normal"
    assert Statement.objects.filter(verb_id="http://adlnet.gov/expapi/verbs/launched").exists()
    # The fetch URL hands the auth token out once.
    fetch_path = urlsplit(params["fetch"]).path
    first = client.post(fetch_path)
    assert first.status_code == 200
    token = first.json()["auth-token"]
    again = client.post(fetch_path)
    assert again.status_code == 400 and again.json()["error-code"] == "1"
    auth = "Basic " + token
    base = {
        "actor": json.loads(params["actor"]),
        "object": {"id": params["activityId"]},
        "context": {"registration": params["registration"]},
    }
    completed = {**base, "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"}}
    assert post_statement(client, auth, completed).status_code == 200
    assert not Statement.objects.filter(verb_id__endswith="/satisfied").exists()
    passed = {
        **base,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
        "result": {"success": True, "score": {"scaled": 1}},
    }
    assert post_statement(client, auth, passed).status_code == 200
    # moveOn CompletedAndPassed is met: the platform issues `satisfied`.
    satisfied = Statement.objects.get(verb_id="https://w3id.org/xapi/adl/verbs/satisfied")
    assert satisfied.data["authority"]["account"]["name"] == "pan-platform"
    assert LessonProgress.objects.get(user=person, lesson=lesson).satisfied
    # A new launch after a session that never terminated records it as abandoned.
    launch_params(client, lesson)
    assert Statement.objects.filter(verb_id="https://w3id.org/xapi/adl/verbs/abandoned").exists()


def test_bad_packages_are_refused_and_nothing_is_stored(lesson, academy):
    from elearning.models import LessonPackage

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("tincan.xml", (SAMPLES / "tincan-sample" / "tincan.xml").read_text())
        archive.writestr("index.html", "<p>hi</p>")
        archive.writestr("../evil.js", "alert(1)")
    with pytest.raises(ValidationError) as error:
        elearning_services.package_upload(
            content=buffer.getvalue(), filename="evil.zip", institution=academy
        )
    assert "../evil.js" in " ".join(error.value.messages)
    assert not LessonPackage.objects.exists()


def test_a_new_package_never_serves_files_left_at_its_address(academy):
    """Files left by an upload that did not commit (its package row rolled back) sit at the
    address of the id it had; where that id is given again (SQLite), the new package's own files
    replace them rather than being stored beside them."""
    from django.core.files.base import ContentFile
    from django.db import transaction

    from elearning.models import LessonPackage
    from network.storage import private_storage

    class RolledBack(Exception):
        pass

    try:
        with transaction.atomic():
            ghost = LessonPackage.objects.create(title="ghost", kind="tincan", institution=academy)
            raise RolledBack
    except RolledBack:
        pass
    stale = ghost.file_path("index.html")
    if private_storage.exists(stale):  # (the test storage outlives each test's rows)
        private_storage.delete(stale)
    assert private_storage.save(stale, ContentFile(b"<p>left behind</p>")) == stale
    package = elearning_services.package_upload(
        content=sample_zip("tincan-sample"), filename="tincan.zip", institution=academy
    )
    with private_storage.open(package.file_path("index.html")) as served:
        assert b"left behind" not in served.read()


QUIZ = {
    "title": "Check",
    "questions": [
        {
            "kind": "single",
            "prompt": "First step at a scene?",
            "answers": [
                {"text": "Photograph", "correct": True, "feedback": "Yes: record first."},
                {"text": "Unplug", "correct": False, "feedback": "Unplugging loses memory."},
            ],
        },
        {
            "kind": "true_false",
            "prompt": "A seized phone should stay connected to the network.",
            "answers": [
                {"text": "True", "correct": False, "feedback": "It can be wiped remotely."},
                {"text": "False", "correct": True, "feedback": ""},
            ],
        },
    ],
}


@pytest.fixture
def quiz_lesson(course):
    from wagtail.models import Page

    module = Page.objects.get(pk=LessonPage.objects.descendant_of(course).first().get_parent().pk)
    lesson = LessonPageFactory(
        parent=module, title="Quiz lesson", body=json.dumps([{"type": "quiz", "value": QUIZ}])
    )
    lesson.attempts_allowed = 2
    lesson.pass_mark = 100
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


def answers(lesson, first, second):
    block_id = next(block.id for block in lesson.body if block.block_type == "quiz")
    return {f"q-{block_id}-0": [first], f"q-{block_id}-1": [second]}


def test_authored_quiz_graded_on_the_server(client, quiz_lesson):
    person = trainee()
    client.force_login(person)
    page = client.get(quiz_lesson.url)
    player = page.context["player"]
    assert player["has_quiz"] and player["auth"].startswith("Basic ")
    content = page.content.decode()
    assert "First step at a scene?" in content
    assert "Yes: record first." not in content  # answers' correctness never reaches the page
    wrong = client.post(f"/learn/lessons/{quiz_lesson.pk}/quiz/", answers(quiz_lesson, 1, 0))
    result = wrong.json()
    assert (result["score"], result["passed"], result["attempts_left"]) == (0, False, 1)
    feedback = [q["feedback"] for q in result["questions"].values()]
    assert ["Unplugging loses memory."] in feedback
    right = client.post(f"/learn/lessons/{quiz_lesson.pk}/quiz/", answers(quiz_lesson, 0, 1))
    assert right.json()["passed"] is True
    progress = LessonProgress.objects.get(user=person, lesson=quiz_lesson)
    assert (progress.status, progress.score, progress.attempts) == ("passed", 1.0, 2)
    third = client.post(f"/learn/lessons/{quiz_lesson.pk}/quiz/", answers(quiz_lesson, 0, 1))
    assert third.status_code == 400 and "all 2 attempts" in third.json()["error"]
    answered = Statement.objects.filter(verb_id="http://adlnet.gov/expapi/verbs/answered")
    assert answered.count() == 4


def test_authored_player_statements_and_resume(client, lesson):
    person = trainee()
    client.force_login(person)
    player = client.get(lesson.url).context["player"]
    statement = {
        "id": "6f3c3b7e-8a4e-4a55-9b7c-3f0d1f3f2a01",
        "actor": player["actor"],
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": player["activity_id"]},
        "result": {"completion": True},
        "context": {"registration": player["registration"]},
    }
    # The browser's queue may send the same statement twice: the second is harmless.
    for _ in range(2):
        assert post_statement(client, player["auth"], [statement]).status_code == 200
    assert Statement.objects.filter(id=statement["id"]).count() == 1
    progress = LessonProgress.objects.get(user=person, lesson=lesson)
    assert progress.completed and progress.status == "completed"
    agent = json.dumps(player["actor"])
    state = (
        f"/xapi/activities/state?activityId={player['activity_id']}&agent={agent}"
        f"&registration={player['registration']}&stateId=pan.position"
    )
    put = client.put(
        state, data=json.dumps({"scroll": 640}), content_type="application/json",
        HTTP_AUTHORIZATION=player["auth"], **XAPI,
    )  # fmt: skip
    assert put.status_code == 204
    again = client.get(lesson.url).context["player"]
    resumed = client.get(state, HTTP_AUTHORIZATION=again["auth"], **XAPI)
    assert resumed.json() == {"scroll": 640}
    assert base64.b64decode(again["auth"].split()[1]).decode().startswith("launch-")


def test_platform_events_become_statements_once(
    course, academy, django_capture_on_commit_callbacks
):
    """registered (enrolment) and attended (register), built with the tincan library; a task
    delivered twice stores each statement once."""
    from trainees import services as trainee_services
    from trainees import tasks

    from ..factories import course_run

    run = course_run(course, academy, capacity=5)
    person = trainee()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = trainee_services.enrolment_request(run=run, user=person)
    registered = Statement.objects.get(verb_id="http://adlnet.gov/expapi/verbs/registered")
    assert registered.activity_id.endswith(f"/runs/{run.pk}/")
    assert registered.data["actor"]["account"]["name"] == str(person.pk)
    tasks.statement_registered(enrolment.transitions.get().pk)  # delivered again
    assert Statement.objects.filter(verb_id__endswith="/registered").count() == 1
    session = run.sessions.first()
    with django_capture_on_commit_callbacks(execute=True):
        trainee_services.register_save(
            session=session, entries={enrolment.pk: ("late", "")}, actor=None
        )
    attended = Statement.objects.get(verb_id="http://adlnet.gov/expapi/verbs/attended")
    assert attended.activity_id.endswith(f"/sessions/{session.pk}")


def test_lrs_clients_and_forwarding_status_in_the_admin(client, settings):
    from network import services as network_services
    from xapi.models import Client

    from ..auth_helpers import staff_login
    from ..factories import UserFactory

    organiser = UserFactory()
    network_services.membership_grant(user=organiser, role="organiser")
    staff_login(client, organiser)
    response = client.post(
        "/admin/lrs_clients/new/", {"name": "Partner LRS", "scope": "mine", "is_active": "on"}
    )
    assert response.status_code == 302
    created = Client.objects.get(name="Partner LRS")
    page = client.get(response["Location"]).content.decode()
    assert created.key in page and "not shown again" in page
    settings.XAPI_FORWARD_ENDPOINT = "http://lrs.example/xapi"
    status = client.get("/admin/lrs/forwarding/").content.decode()
    assert "http://lrs.example/xapi" in status and "Waiting to be forwarded" in status
    editor = UserFactory()
    staff_login(client, editor)
    assert client.get("/admin/lrs/forwarding/").status_code in {302, 403}


def test_editor_uploads_packages_in_the_admin(client, academy, other_academy, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from elearning.models import LessonPackage

    from ..auth_helpers import staff_login

    staff_login(client, editor)
    form = client.get("/admin/lesson_packages/new/").content.decode()
    assert academy.name in form and other_academy.name not in form
    response = client.post(
        "/admin/lesson_packages/new/",
        {
            "title": "",
            "institution": academy.pk,
            "upload": SimpleUploadedFile("cmi5-sample.zip", sample_zip("cmi5-sample")),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    package = LessonPackage.objects.get()
    assert (package.kind, package.institution, package.uploaded_by) == ("cmi5", academy, editor)
    assert package.title.startswith("First response to a cybercrime report")

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("tincan.xml", (SAMPLES / "tincan-sample" / "tincan.xml").read_text())
        archive.writestr("index.html", "<p>hi</p>")
        archive.writestr("tool.exe", b"MZ")
    refused = client.post(
        "/admin/lesson_packages/new/",
        {
            "institution": academy.pk,
            "upload": SimpleUploadedFile("bad.zip", buffer.getvalue()),
        },
    )
    assert refused.status_code == 200
    assert "tool.exe" in refused.content.decode()
    assert LessonPackage.objects.count() == 1
    listing = client.get("/admin/lesson_packages/").content.decode()
    assert package.title in listing


def test_viewing_a_lesson_again_reuses_its_launch_token(client, lesson):
    from xapi.models import LaunchToken

    client.force_login(trainee())
    first = client.get(lesson.url).context["player"]["auth"]
    second = client.get(lesson.url).context["player"]["auth"]
    assert first == second
    assert LaunchToken.objects.count() == 1


def two_unit_cmi5_zip() -> bytes:
    manifest = (SAMPLES / "cmi5-sample" / "cmi5.xml").read_text()
    second = (
        '<au id="https://pan-training.example.org/packages/cmi5-first-response/au2" '
        'moveOn="Completed"><title><langstring lang="en-US">Preserving the evidence</langstring>'
        "</title><url>au.html?part=2</url></au>\n</courseStructure>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("cmi5.xml", manifest.replace("</courseStructure>", second))
        for name in ("au.html", "au.js"):
            archive.writestr(name, (SAMPLES / "cmi5-sample" / name).read_bytes())
    return buffer.getvalue()


def test_a_lesson_launches_the_unit_of_the_package_it_names(client, lesson, academy):
    package = elearning_services.package_upload(
        content=two_unit_cmi5_zip(), filename="two.zip", institution=academy
    )
    second = package.activities[1]["activity_id"]
    lesson.package = package
    lesson.package_unit = second
    lesson.save_revision().publish()
    person = trainee()
    client.force_login(person)
    params = launch_params(client, lesson)
    assert params["activityId"] == second
    assert urlsplit(params["_url"]).query.startswith("part=2&")
    launch_data = json.loads(bytes(Document.objects.get(document_id="LMS.LaunchData").content))
    assert launch_data["moveOn"] == "Completed"
    # The unit's own moveOn decides: completing it is enough.
    auth = "Basic " + client.post(urlsplit(params["fetch"]).path).json()["auth-token"]
    completed = {
        "actor": json.loads(params["actor"]),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": second},
        "context": {"registration": params["registration"]},
    }
    assert post_statement(client, auth, completed).status_code == 200
    assert LessonProgress.objects.get(user=person, lesson=lesson).satisfied


def test_the_unit_must_belong_to_the_chosen_package(lesson, academy):
    from courses.forms import LessonPageForm

    one = attach(lesson, academy, "cmi5-sample")
    two = elearning_services.package_upload(
        content=two_unit_cmi5_zip(), filename="two.zip", institution=academy
    )
    form_class = LessonPage.get_edit_handler().get_form_class()
    assert issubclass(form_class, LessonPageForm)
    form = form_class(instance=lesson, for_user=None)
    offered = dict(form.fields["package_unit"].widget.choices)
    assert [value for value, _label in offered[f"{two}, no. {two.pk}"]] == [
        a["activity_id"] for a in two.activities
    ]
    assert f"{one}, no. {one.pk}" not in offered  # a single-unit package needs no choice
    data = {
        "title": lesson.title,
        "slug": lesson.slug,
        "package": one.pk,
        "package_unit": two.activities[1]["activity_id"],
        "pass_mark": 80,
        "attempts_allowed": 3,
        "body-count": 0,
    }
    form = form_class(data, instance=lesson, for_user=None, parent_page=lesson.get_parent())
    assert not form.is_valid()
    assert "is not a unit of the package" in form.errors["package_unit"][0]
    assert "Taking the report" in form.errors["package_unit"][0]
