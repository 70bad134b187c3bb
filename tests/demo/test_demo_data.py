"""The demo network that `make run` loads: what the README promises, the same network as the
recorded figures (tests/demo/demo_figures.json), loaded idempotently; data files that are wrong
are refused with the file and the key named."""

import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from courses.models import CourseFacet, CoursePage, CurriculumPage, LessonPage, ModulePage
from demo import dataset
from network.models import Institution, Membership, ThematicArea, User
from tests.demo import figures

pytestmark = pytest.mark.django_db
demo_data = dataset.load()


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Institution, CurriculumPage, CoursePage, ModulePage, LessonPage, User,
                      Membership, CourseFacet)
    }  # fmt: skip


def test_demo_network_has_what_the_issue_asks_for(demo, client):
    assert Institution.objects.count() >= 12
    assert Institution.objects.exclude(country=None).values("country").distinct().count() >= 10
    english = CoursePage.objects.live().filter(locale__language_code="en")
    assert english.count() >= 20
    for course in english:
        modules = ModulePage.objects.live().child_of(course)
        assert modules.exists(), course.title
        assert LessonPage.objects.live().descendant_of(course).exists(), course.title
    covered = set(CourseFacet.objects.filter(facet="theme").values_list("value", flat=True))
    priorities = set(ThematicArea.objects.filter(kind="priority").values_list("slug", flat=True))
    assert priorities <= covered
    cyber = english.get(title__icontains="Cybercrime investigation",
                                   is_training_of_trainers=True)  # fmt: skip
    assert cyber.duration_hours >= 100
    assert CoursePage.objects.filter(
        title="Counter-narcotics trainer course", is_training_of_trainers=True
    ).exists()

    # Every staff role has a demo login, printed for the person running `make run`.
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Membership.Role.values)
    for login in demo_data.logins:
        assert login["email"] in demo
        user = User.objects.get(email=login["email"])
        assert user.check_password(login["password"])
        assert len(login["password"]) >= 12

    # The catalogue finds the cybercrime courses.
    response = client.get("/courses/", {"q": "cybercrime"})
    titles = [course.title for course in response.context["result"].courses]
    tot = english.get(title__icontains="Cybercrime investigation",
                                 is_training_of_trainers=True)  # fmt: skip
    assert tot.title in titles
    assert len(titles) >= 2


def test_demo_cascade_spans_three_generations_and_five_countries(demo):
    from cascades import selectors as cascade_selectors
    from certificates.models import Certificate
    from courses.models import CourseRun

    root = CourseRun.objects.get(title=demo_data.cascade["runs"][0]["title"])
    data = cascade_selectors.cascade(root=root)
    summary = data["summary"]
    assert summary["generations"] == 3 and summary["countries"] >= 5
    assert 40 <= summary["women_share"] <= 60
    assert summary["languages"] >= 5
    assert summary["followups_answered"] > 0 and summary["applying_share"] is not None
    # Every participant of the past demo runs holds a certificate, in their own script.
    names = {c.snapshot["name"] for c in Certificate.objects.all()}
    assert "თამარ ბერიძე" in names and "Şükrü Yıldırım Öztürk" in names


def test_the_demo_is_the_recorded_one_and_loading_twice_changes_nothing(demo):
    """Rows per model, the page tree with each page's blocks, logins and roles, runs with their
    enrolments and certificates, and the cascades' summaries are those recorded from the demo
    as it was loaded before its data moved into files; a second load changes none of them."""
    recorded = figures.recorded()
    made = json.loads(json.dumps(figures.figures()))
    # Models added since the recording are not the demo's business until it fills them.
    counts = {label: made["counts"].get(label) for label in recorded["counts"]}
    assert counts == recorded["counts"]
    for key in recorded.keys() - {"counts"}:
        assert made[key] == recorded[key], key
    before = _counts()
    call_command("load_demo_data", stdout=StringIO())
    assert _counts() == before
    assert json.loads(json.dumps(figures.figures())) == made


def _broken_copy(tmp_path, name: str, old: str, new: str):
    directory = tmp_path / "data"
    shutil.copytree(dataset.DATA_DIR, directory)
    path = directory / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return directory


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("curricula/01-cybercrime-investigation.toml", "minutes = 45", 'minutes = "45"',
         "01-cybercrime-investigation.toml: courses[0].modules[0].lessons[0].minutes: must be a "
         "whole number, not text"),
        ("curricula/01-cybercrime-investigation.toml", "!note After", "!nte After",
         "courses[0].body: block 4 ('!nte After the course'): unknown block !nte"),
        ("curricula/01-cybercrime-investigation.toml", 'level = "advanced"', 'level = "expert"',
         "courses[0].level: 'expert' is not a value of Level"),
        ("curricula/01-cybercrime-investigation.toml", 'institution = "osce-mission-to-serbia"',
         'institution = "osce-mission-to-mars"', "institution: no institution"),
        ("runs.toml", 'course = "counter-narcotics-trainer-course"', 'course = "nothing"',
         "runs.toml: runs[1].course: no course 'nothing'"),
        ("people.toml", 'role = "moderator"', 'role = "janitor"', "logins[3].role: 'janitor'"),
        ("people.toml", 'last_name = "Lindqvist"', 'surname = "Lindqvist"',
         "logins[3].surname: unknown key"),
        ("cascade.toml", 'run = "tot", country = "GE"', 'run = "toot", country = "GE"',
         "cascade.toml: runs[1].trainer_from.run: no run above with key 'toot'"),
        ("institutions.toml", "[[institutions]]", "[[institutions]", "not valid TOML"),
    ],
)  # fmt: skip
def test_a_wrong_data_file_is_named_with_its_key(tmp_path, name, old, new, message):
    with pytest.raises(dataset.DataError) as error:
        dataset.load(_broken_copy(tmp_path, name, old, new))
    assert message in str(error.value)
    assert name.rsplit("/", 1)[-1] in str(error.value)


def test_the_command_writes_nothing_from_wrong_files(tmp_path, monkeypatch):
    broken = _broken_copy(tmp_path, "runs.toml", "capacity = 3", "capacity = 3.5")
    monkeypatch.setattr(dataset, "DATA_DIR", broken)
    with pytest.raises(CommandError, match=r"runs.toml: runs\[0\].capacity: must be a whole"):
        call_command("load_demo_data", stdout=StringIO())
    assert not Institution.objects.exists()


def test_demo_editor_signs_in_with_the_documented_code(demo, client):
    from django.urls import reverse

    from network.auth import totp_code

    client.post(
        reverse("account_login"),
        {"login": "editor.serbia@example.org", "password": "pan-demo-editor"},
    )
    client.post(reverse("mfa_authenticate"), {"code": totp_code(demo_data.totp_secret)})
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    # The trainee has no second factor and no staff pages.
    client.logout()
    client.post(
        reverse("account_login"), {"login": "trainee@example.org", "password": "pan-demo-trainee"}
    )
    assert client.session.get("_auth_user_id")
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 403
    assert "No access to staff pages" in response.content.decode()


def test_demo_enrolment_journeys(demo, client, django_capture_on_commit_callbacks):
    """The issue's walk-through on the demo network: a trainee enrols (into a full run, so the
    waitlist), a place frees and is offered; the Kazakh focal point nominates the trainee and
    the Ankara coordinator approves; the Belgrade trainer's session today takes QR check-ins."""
    from courses.models import CourseRun
    from trainees import services
    from trainees.models import Attendance, Enrolment

    trainee = User.objects.get(email="trainee@example.org")
    full = CourseRun.objects.get(title__endswith="Belgrade (today)")
    nominations_only = CourseRun.objects.get(title="Counter-narcotics trainer course, Ankara")

    client.force_login(trainee)
    client.post(f"/my/runs/{full.pk}/enrol/")
    waiting = Enrolment.objects.get(run=full, user=trainee)
    assert waiting.state == "waitlisted"
    officer = User.objects.get(email="officer.rs@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_withdraw(
            enrolment=Enrolment.objects.get(run=full, user=officer), actor=officer
        )
    waiting.refresh_from_db()
    assert waiting.state == "offered"
    client.post(f"/my/enrolments/{waiting.pk}/accept/")
    assert "Enrolled" in client.get("/my/").content.decode()

    focal_point = User.objects.get(email="focalpoint@example.org")
    nomination = services.enrolment_nominate(run=nominations_only, user=trainee, actor=focal_point)
    coordinator = User.objects.get(email="coordinator@example.org")
    services.enrolment_approve(enrolment=nomination, actor=coordinator)
    nomination.refresh_from_db()
    assert nomination.state == "enrolled"

    session = full.sessions.order_by("starts_at").first()
    token = services.check_in_token(session=session)
    response = client.post(f"/my/sessions/{session.pk}/check-in/{token}/")
    assert "You are marked present" in response.content.decode()
    assert Attendance.objects.get(session=session, enrolment=waiting).via_check_in


def test_demo_courses_in_russian(demo, client):
    """Four courses are translated: the Russian catalogue shows them in Russian (the others in
    English), and a translated course lists its modules in Russian and its lessons."""
    russian = CoursePage.objects.live().filter(locale__language_code="ru")
    assert russian.count() == sum(1 for t in demo_data.translations() if t[0] == "ru")
    assert all(course.institution_id for course in russian)
    catalogue = client.get("/ru/courses/")
    titles = [course.title for course in catalogue.context["result"].courses]
    assert "Курс подготовки тренеров по борьбе с наркотиками" in titles
    assert "Cryptocurrency investigations" in titles
    tot = russian.get(slug="cybercrime-investigation-tot")
    body = client.get(tot.url).content.decode()
    assert "Компьютерные преступления" in body and "Forms of cybercrime" in body
    assert "Учреждения" in client.get("/ru/institutions/").content.decode()
