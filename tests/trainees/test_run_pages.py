"""The pages people use: a course's runs, enrolling, My learning, the coordinator's queue, the
focal point's nominations, bulk enrolment from a spreadsheet, runs in the admin."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from courses.models import CourseRun
from network import services as network_services
from network.models import Country
from trainees import services
from trainees.models import Enrolment

from ..auth_helpers import staff_login
from ..factories import UserFactory, course_run, trainee

pytestmark = pytest.mark.django_db
S = Enrolment.State


@pytest.fixture
def coordinator(academy):
    user = UserFactory(email="coordinator@example.org")
    network_services.membership_grant(user=user, role="coordinator", institution=academy)
    return user


@pytest.fixture
def run(course, academy):
    return course_run(course, academy, capacity=3, enrolment_policy="open")


def test_course_page_lists_upcoming_runs_with_places_left(client, course, run):
    services.enrolment_request(run=run, user=trainee())
    page = client.get(course.url).content.decode()
    assert f"/runs/{run.pk}/" in page
    assert "2 places left" in page


def test_trainee_enrols_and_sees_it_on_my_learning(client, run):
    person = trainee()
    client.force_login(person)
    page = client.get(f"/runs/{run.pk}/").content.decode()
    assert "Enrol" in page
    response = client.post(f"/my/runs/{run.pk}/enrol/", follow=True)
    assert "You are enrolled." in response.content.decode()
    learning = client.get("/my/").content.decode()
    assert run.display_title in learning
    assert "Enrolled" in learning
    assert "Day 1" in learning  # upcoming sessions


def test_enrolling_without_a_profile_leads_to_the_profile(client, run):
    client.force_login(UserFactory())
    response = client.post(f"/my/runs/{run.pk}/enrol/")
    assert response.status_code == 302
    assert response["Location"].startswith("/my/profile/?next=/runs/")
    assert not Enrolment.objects.exists()


def test_enrol_needs_post_and_sign_in(client, run):
    assert client.post(f"/my/runs/{run.pk}/enrol/").status_code == 302
    client.force_login(trainee())
    assert client.get(f"/my/runs/{run.pk}/enrol/").status_code == 405
    assert not Enrolment.objects.exists()


def test_trainee_withdraws_and_the_waitlist_moves(client, run, django_capture_on_commit_callbacks):
    people = [trainee() for _ in range(4)]
    enrolments = [services.enrolment_request(run=run, user=p) for p in people]
    assert enrolments[3].state == S.WAITLISTED
    client.force_login(people[0])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/my/enrolments/{enrolments[0].pk}/withdraw/")
    enrolments[3].refresh_from_db()
    assert enrolments[3].state == S.OFFERED
    client.force_login(people[3])
    assert "Accept the place" in client.get("/my/").content.decode()
    client.post(f"/my/enrolments/{enrolments[3].pk}/accept/")
    enrolments[3].refresh_from_db()
    assert enrolments[3].state == S.ENROLLED
    # Someone else's enrolment is not theirs to touch.
    assert client.post(f"/my/enrolments/{enrolments[1].pk}/withdraw/").status_code == 404


def test_focal_point_nominates_and_the_coordinator_approves(client, course, academy, coordinator):
    run = course_run(course, academy, enrolment_policy="nomination")
    focal_point = UserFactory()
    network_services.membership_grant(
        user=focal_point, role="focal_point", country=Country.objects.get(code="GE")
    )
    officer = trainee("GE", email="officer.ge@example.org")
    staff_login(client, focal_point)
    page = client.get("/manage/nominations/")
    assert run.display_title in page.content.decode()
    response = client.post(
        "/manage/nominations/",
        {"run": run.pk, "emails": "officer.ge@example.org", "note": "Expert"},
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=officer)
    assert (enrolment.state, enrolment.nominated_by) == (S.REQUESTED, focal_point)
    again = client.post("/manage/nominations/", {"run": run.pk, "emails": "officer.ge@example.org"})
    assert "already has an enrolment" in again.content.decode()

    staff_login(client, coordinator)
    queue = client.get("/manage/queue/").content.decode()
    assert "nominated" in queue
    response = client.post("/manage/queue/", {"action": "approve", "enrolments": [enrolment.pk]})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.state == S.ENROLLED


def test_bulk_reject_needs_a_reason(client, course, academy, coordinator):
    run = course_run(course, academy, enrolment_policy="approval")
    requests = [services.enrolment_request(run=run, user=trainee()) for _ in range(2)]
    staff_login(client, coordinator)
    ids = [e.pk for e in requests]
    response = client.post("/manage/queue/", {"action": "reject", "enrolments": ids})
    assert "Give a reason" in response.content.decode()
    client.post("/manage/queue/", {"action": "reject", "enrolments": ids, "reason": "Too junior"})
    assert set(Enrolment.objects.values_list("state", flat=True)) == {S.REJECTED}


def test_coordinator_of_another_institution_sees_no_queue(client, course, other_academy, academy):
    run = course_run(course, academy, enrolment_policy="approval")
    services.enrolment_request(run=run, user=trainee())
    stranger = UserFactory()
    network_services.membership_grant(user=stranger, role="coordinator", institution=other_academy)
    staff_login(client, stranger)
    assert "No requests are waiting" in client.get("/manage/queue/").content.decode()
    assert client.get(f"/manage/runs/{run.pk}/").status_code == 403


# -- bulk enrolment -----------------------------------------------------------------------------


def upload(client, run, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/manage/runs/{run.pk}/", {"file": SimpleUploadedFile(name, content)}, follow=True
    )


def test_bulk_enrolment_from_csv(client, course, academy, coordinator):
    run = course_run(course, academy, capacity=5)
    people = [trainee(email=f"bulk{i}@example.org") for i in range(3)]
    staff_login(client, coordinator)
    content = "email,note\n" + "\n".join(f"{p.email.upper()},Unit 7" for p in people)
    response = upload(client, run, "officers.csv", content.encode())
    assert "3 officers enrolled from the file" in response.content.decode()
    assert Enrolment.objects.filter(run=run, state=S.ENROLLED).count() == 3


def test_bulk_enrolment_from_xlsx(client, course, academy, coordinator):
    run = course_run(course, academy, capacity=5)
    people = [trainee(email=f"x{i}@example.org") for i in range(2)]
    book = Workbook()
    book.active.append(["email"])
    for person in people:
        book.active.append([person.email])
    buffer = io.BytesIO()
    book.save(buffer)
    staff_login(client, coordinator)
    response = upload(client, run, "officers.xlsx", buffer.getvalue())
    assert "2 officers enrolled" in response.content.decode()


def test_a_bad_file_names_every_bad_row_and_enrols_nobody(client, course, academy, coordinator):
    run = course_run(course, academy, capacity=5)
    good = trainee(email="good@example.org")
    UserFactory(email="noprofile@example.org")
    staff_login(client, coordinator)
    content = (
        "email\n"
        f"{good.email}\n"
        "unknown@example.org\n"
        f"{good.email}\n"
        "noprofile@example.org\n"
        "not-an-address\n"
    )
    page = upload(client, run, "officers.csv", content.encode()).content.decode()
    assert "Row 3: no account uses unknown@example.org" in page
    assert "Row 4: good@example.org is already on row 2" in page
    assert "Row 5: noprofile@example.org has not completed their trainee profile" in page
    assert "Row 6: “not-an-address” is not an e-mail address" in page
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("officers.csv", b"mail,name\nx@example.org,X\n", "The first row must be the header"),
        ("officers.csv", b"", "file is empty"),
        ("officers.txt", b"email\n", "Upload a .csv or .xlsx file"),
        ("officers.xlsx", b"not a spreadsheet", "could not be read"),
        ("officers.csv", "email\nä@x.org\n".encode("utf-16"), "saved as UTF-8"),
    ],
)
def test_unreadable_files_are_refused_clearly(
    client, course, academy, coordinator, name, content, message
):
    run = course_run(course, academy)
    staff_login(client, coordinator)
    assert message in upload(client, run, name, content).content.decode()
    assert not Enrolment.objects.exists()


def test_a_file_beyond_the_places_or_a_quota_is_refused(client, course, academy, coordinator):
    georgia = Country.objects.get(code="GE")
    run = course_run(course, academy, capacity=2, quotas={georgia: 1})
    staff_login(client, coordinator)
    people = [trainee("GE", email=f"ge{i}@example.org") for i in range(2)]
    page = upload(client, run, "a.csv", ("email\n" + "\n".join(p.email for p in people)).encode())
    assert "Georgia: 2 people but the quota leaves 1 places" in page.content.decode()
    more = [trainee(email=f"rs{i}@example.org") for i in range(3)]
    page = upload(client, run, "b.csv", ("email\n" + "\n".join(p.email for p in more)).encode())
    assert "The file lists 3 people but only 2 places are left" in page.content.decode()
    assert not Enrolment.objects.exists()


# -- runs in the admin --------------------------------------------------------------------------


def test_coordinator_schedules_a_run_in_the_admin(client, course, academy, coordinator):
    from certificates.models import CertificateTemplate

    template = CertificateTemplate.objects.create(institution=academy, name="Academy")
    staff_login(client, coordinator)
    form = client.get("/admin/course_runs/new/")
    assert form.status_code == 200
    start = timezone.localdate() + dt.timedelta(days=30)
    data = {
        "course": course.pk,
        "title": "Belgrade, spring",
        "organiser": academy.pk,
        "delivery_mode": "residential",
        "language": "en",
        "host_country": academy.country_id,
        "venue": "Belgrade",
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=1)).isoformat(),
        "time_zone": "Europe/Belgrade",
        "capacity": "18",
        "enrolment_policy": "approval",
        "offer_hours": "48",
        "attendance_threshold": "80",
        "reminder_days": "3",
        "status": "scheduled",
        "quotas-TOTAL_FORMS": "0",
        "quotas-INITIAL_FORMS": "0",
        "quotas-MIN_NUM_FORMS": "0",
        "quotas-MAX_NUM_FORMS": "1000",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-date": start.isoformat(),
        "sessions-0-start_time": "09:00",
        "sessions-0-duration_minutes": "120",
        "sessions-0-topic": "Opening",
        "sessions-0-ORDER": "1",
        "certificate_rules-TOTAL_FORMS": "1",
        "certificate_rules-INITIAL_FORMS": "0",
        "certificate_rules-MIN_NUM_FORMS": "0",
        "certificate_rules-MAX_NUM_FORMS": "1000",
        "certificate_rules-0-kind": "trainer",
        "certificate_rules-0-template": template.pk,
        "certificate_rules-0-min_attendance": "75",
        "certificate_rules-0-automatic": "on",
    }
    # A trainer certificate on a run that does not train trainers is refused, with the reason.
    response = client.post("/admin/course_runs/new/", data)
    assert response.status_code == 200
    assert "Trainer certificates are issued by training-of-trainers runs." in (
        response.content.decode()
    )
    data["certificate_rules-0-kind"] = "participation"
    response = client.post("/admin/course_runs/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    run = CourseRun.objects.get(title="Belgrade, spring")
    session = run.sessions.get()
    assert session.starts_at.hour == 8  # 09:00 in Belgrade (CET) is 08:00 UTC
    rule = run.certificate_rules.get()
    assert rule.kind == "participation" and rule.min_attendance == 75


def test_coordinator_cannot_schedule_for_another_institution(
    client, course, other_academy, coordinator
):
    staff_login(client, coordinator)
    form = client.get("/admin/course_runs/new/").content.decode()
    assert other_academy.name not in form


def test_run_pages_cost_a_constant_number_of_queries(client, course, academy):
    run = course_run(course, academy, capacity=100)

    def count(path):
        client.get(path)  # warm: sign-in session bookkeeping happens on the first request
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    person = trainee()
    services.enrolment_request(run=run, user=person)
    client.force_login(person)
    counts_small = (count(f"/runs/{run.pk}/"), count("/my/"), count(course.url))
    for _ in range(15):
        services.enrolment_request(run=run, user=trainee())
    other = course_run(course, academy, capacity=10, sessions=6)
    services.enrolment_request(run=other, user=person)
    counts_large = (count(f"/runs/{run.pk}/"), count("/my/"), count(course.url))
    assert counts_small == counts_large


def test_admin_lists_and_opens_only_the_coordinators_runs(client, course, academy, other_academy):
    own = course_run(course, academy, title="Own run")
    other = course_run(course, other_academy, title="Someone else's run")
    coordinator = UserFactory()
    network_services.membership_grant(user=coordinator, role="coordinator", institution=academy)
    staff_login(client, coordinator)
    listing = client.get("/admin/course_runs/").content.decode()
    assert "Own run" in listing
    assert "Someone else" not in listing
    assert client.get(f"/admin/course_runs/edit/{own.pk}/").status_code == 200
    assert client.get(f"/admin/course_runs/edit/{other.pk}/").status_code in {302, 403}
    assert client.get(f"/admin/course_runs/inspect/{other.pk}/").status_code in {302, 403}
