"""Registers, QR check-in, attendance rates and thresholds, exports and calendar feeds."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from network import services as network_services
from trainees import selectors, services
from trainees.models import Attendance, Enrolment

from ..auth_helpers import staff_login
from ..factories import UserFactory, course_run, trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(academy):
    user = trainee()
    network_services.membership_grant(user=user, role="trainer", institution=academy)
    return user


@pytest.fixture
def run(course, academy, trainer):
    return course_run(course, academy, capacity=100, sessions=4, trainers=[trainer])


def enrol(run, n, country="RS"):
    return [services.enrolment_request(run=run, user=trainee(country)) for _ in range(n)]


def test_register_costs_the_same_queries_for_5_or_60_lines(run, trainer):
    session = run.sessions.first()
    few = enrol(run, 5)
    with CaptureQueriesContext(connection) as small:
        services.register_save(
            session=session, entries={e.pk: ("present", "") for e in few}, actor=trainer
        )
    many = few + enrol(run, 55)
    with CaptureQueriesContext(connection) as large:
        services.register_save(
            session=session, entries={e.pk: ("late", "bus") for e in many}, actor=trainer
        )
    assert len(small) == len(large) <= 4
    assert Attendance.objects.filter(session=session, status="late").count() == 60


def test_bad_register_lines_are_named_and_nothing_is_saved(run, trainer, course, academy):
    session = run.sessions.first()
    [good] = enrol(run, 1)
    stranger = services.enrolment_request(run=course_run(course, academy), user=trainee())
    with pytest.raises(ValidationError) as error:
        services.register_save(
            session=session,
            entries={good.pk: ("sleeping", ""), stranger.pk: ("present", "")},
            actor=trainer,
        )
    messages = error.value.message_dict["register"]
    assert any("“sleeping” is not one of" in m for m in messages)
    assert any(f"Line {stranger.pk}: this person is not enrolled" in m for m in messages)
    assert not Attendance.objects.exists()


def test_trainer_saves_the_register_in_one_request(client, run, trainer):
    session = run.sessions.first()
    people = enrol(run, 3)
    staff_login(client, trainer)
    page = client.get(f"/manage/sessions/{session.pk}/register/")
    assert page.status_code == 200
    data = {f"status-{e.pk}": "present" for e in people}
    data[f"status-{people[0].pk}"] = "excused"
    data[f"note-{people[0].pk}"] = "Court hearing"
    response = client.post(f"/manage/sessions/{session.pk}/register/", data)
    assert response.status_code == 302
    excused = Attendance.objects.get(enrolment=people[0])
    assert (excused.status, excused.note, excused.recorded_by) == (
        "excused",
        "Court hearing",
        trainer,
    )
    bad = client.post(f"/manage/sessions/{session.pk}/register/", {f"status-{people[1].pk}": "x"})
    assert bad.status_code == 400
    assert "is not one of present, late, absent, excused" in bad.content.decode()


def test_other_trainers_and_trainees_cannot_keep_the_register(client, run, academy):
    session = run.sessions.first()
    other_trainer = trainee()
    network_services.membership_grant(user=other_trainer, role="trainer", institution=academy)
    staff_login(client, other_trainer)
    assert client.get(f"/manage/sessions/{session.pk}/register/").status_code == 403
    client.logout()
    client.force_login(trainee())
    assert client.get(f"/manage/sessions/{session.pk}/register/").status_code == 403


def test_staff_pages_need_a_second_factor(client, run, trainer):
    client.force_login(trainer)
    response = client.get("/manage/")
    assert response.status_code == 302
    assert "/accounts/2fa/" in response["Location"]


# -- QR check-in --------------------------------------------------------------------------------


@pytest.fixture
def live_session(run):
    session = run.sessions.first()
    started = timezone.localtime(timezone.now() - dt.timedelta(minutes=10), run.tz)
    session.date, session.start_time = started.date(), started.time()  # also just after midnight
    session.save()
    return session


def test_check_in_marks_an_enrolled_trainee_present(client, run, live_session):
    [enrolment] = enrol(run, 1)
    token = services.check_in_token(session=live_session)
    client.force_login(enrolment.user)
    url = f"/my/sessions/{live_session.pk}/check-in/{token}/"
    assert client.get(url).status_code == 200
    assert not Attendance.objects.exists()  # looking is not checking in
    response = client.post(url)
    assert response.status_code == 200
    assert "You are marked present" in response.content.decode()
    line = Attendance.objects.get()
    assert (line.status, line.via_check_in) == ("present", True)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("expired", "This code has expired"),
        ("other_session", "This code belongs to another session"),
        ("forged", "This is not a check-in code"),
        ("not_enrolled", "You are not enrolled in this run"),
        ("outside", "Check-in is open only during the session"),
    ],
)
def test_check_in_refusals(run, live_session, case, message):
    [enrolment] = enrol(run, 1)
    user = enrolment.user
    now = timezone.now()
    session = live_session
    token = services.check_in_token(session=session, now=now)
    if case == "expired":
        token = services.check_in_token(session=session, now=now - dt.timedelta(minutes=3))
    elif case == "other_session":
        token = services.check_in_token(session=run.sessions.last(), now=now)
    elif case == "forged":
        token = token[:-2] + ("00" if not token.endswith("00") else "11")
    elif case == "not_enrolled":
        user = trainee()
    elif case == "outside":
        now = session.ends_at + dt.timedelta(minutes=5)
        token = services.check_in_token(session=session, now=now)
    with pytest.raises(ValidationError) as error:
        services.check_in(session=session, user=user, token=token, now=now)
    assert message in " ".join(error.value.messages)
    assert not Attendance.objects.exists()


def test_the_code_of_the_previous_minute_still_works(run, live_session):
    [enrolment] = enrol(run, 1)
    now = timezone.now()
    token = services.check_in_token(session=live_session, now=now - dt.timedelta(seconds=60))
    services.check_in(session=live_session, user=enrolment.user, token=token, now=now)
    assert Attendance.objects.get().status == "present"


def test_trainer_screen_shows_a_qr_code(client, run, trainer, live_session):
    staff_login(client, trainer)
    page = client.get(f"/manage/sessions/{live_session.pk}/check-in/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "<svg" in content and 'http-equiv="refresh"' in content
    assert f"/my/sessions/{live_session.pk}/check-in/" in content


# -- rates, thresholds, exports, calendar -------------------------------------------------------


def _past(run):
    """Move all four sessions of the run into the past."""
    for offset, session in enumerate(run.sessions.order_by("pk"), start=1):
        session.date = timezone.localdate() - dt.timedelta(days=offset)
        session.save()


def test_attendance_rate_and_threshold(run, trainer):
    _past(run)
    a, b = enrol(run, 2)
    sessions = list(run.sessions.order_by("starts_at"))
    for i, session in enumerate(sessions):
        services.register_save(
            session=session,
            entries={
                a.pk: ("present" if i < 3 else "late", ""),
                b.pk: ("absent" if i else "present", ""),
            },
            actor=trainer,
        )
    summaries = selectors.attendance_summaries(
        list(Enrolment.objects.filter(pk__in=[a.pk, b.pk]).select_related("run"))
    )
    assert (summaries[a.pk].rate, summaries[a.pk].meets_threshold) == (100, True)
    assert (summaries[b.pk].rate, summaries[b.pk].meets_threshold) == (25, False)


def test_exports_csv_and_xlsx(client, run, trainer, academy):
    _past(run)
    [a] = enrol(run, 1)
    for session in run.sessions.all():
        services.register_save(session=session, entries={a.pk: ("present", "")}, actor=trainer)
    coordinator = UserFactory()
    network_services.membership_grant(user=coordinator, role="coordinator", institution=academy)
    staff_login(client, coordinator)
    response = client.get(f"/manage/runs/{run.pk}/attendance.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == [
        "family_name_latin",
        "given_name_latin",
        "family_name",
        "given_name",
        "email",
    ]
    assert rows[1][4] == a.user.email
    held = rows[0].index("attended")
    assert rows[1][held : held + 4] == ["4", "4", "100", "yes"]
    # Then each lesson of the course: status, score and minutes (empty where none).
    assert rows[0][held + 4 :] == [
        f"{title}: {part}"
        for title in [column.split(": ")[0] for column in rows[0][held + 4 :: 3]]
        for part in ("status", "score", "minutes")
    ]
    response = client.get(f"/manage/runs/{run.pk}/attendance.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=5).value == a.user.email
    assert client.get(f"/manage/runs/{run.pk}/attendance.pdf").status_code == 404


def test_calendar_feed_lists_the_trainees_sessions(client, run):
    [a] = enrol(run, 1)
    client.force_login(a.user)
    page = client.get("/my/")
    url = page.context["calendar_url"]
    client.logout()
    response = client.get(url.replace("http://testserver", ""))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 4
    assert events[0]["summary"].startswith(run.course.title)
    assert client.get("/my/calendar/forged-token.ics").status_code == 404


def test_trainer_screen_counts_check_ins_and_has_a_projector_mode(
    client, run, trainer, live_session
):
    first, _second = enrol(run, 2)
    services.check_in(
        session=live_session, user=first.user, token=services.check_in_token(session=live_session)
    )
    staff_login(client, trainer)
    page = client.get(f"/manage/sessions/{live_session.pk}/check-in/").content.decode()
    assert "<strong data-checked-in>1</strong> / 2" in page
    assert "?projector=1" in page
    projector = client.get(f"/manage/sessions/{live_session.pk}/check-in/?projector=1")
    assert 'class="projector"' in projector.content.decode()
    assert "Leave full screen" in projector.content.decode()
