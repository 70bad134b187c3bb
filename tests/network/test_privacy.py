"""Personal data: export as one zip, erasure after a cool-off period, aggregates kept."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from network import privacy, services
from network.models import ErasureRequest, Membership, User
from network.tasks import erasures_run
from trainees import services as trainee_services
from trainees.models import NameChange, TraineeProfile

from ..factories import UserFactory
from ..trainees.test_profiles import VALID

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(academy):
    user = UserFactory(email="nino@example.org", first_name="Nino")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    trainee_services.profile_save(user=user, **VALID)
    trainee_services.profile_save(user=user, **{**VALID, "family_name_latin": "Kapanadze-B"})
    services.membership_grant(user=user, role="trainer", institution=academy)
    return user


def _export(client):
    response = client.get(reverse("privacy_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return json.loads(archive.read("personal-data.json"))


def test_export_holds_everything_about_the_person(client, officer):
    client.force_login(officer)
    data = _export(client)
    assert data["account"]["email"] == "nino@example.org"
    assert data["email_addresses"] == [
        {"email": "nino@example.org", "verified": True, "primary": True}
    ]
    assert data["profile"]["given_name"] == "ნინო"
    assert data["profile"]["family_name_latin"] == "Kapanadze-B"
    assert data["name_changes"][0]["old_value"] == "Kapanadze"
    assert data["roles"][0]["role"] == "Trainer"
    assert data["roles"][0]["institution"] == "Police Academy of Serbia"


def test_staff_export_of_someone_else_is_logged(officer):
    admin = UserFactory(is_superuser=True)
    privacy.personal_data_export(user=officer, actor=admin)
    entry = ModelLogEntry.objects.get(action="pan.personal_data_export")
    assert entry.user_id == admin.pk and entry.object_id == str(officer.pk)


def test_staff_export_in_the_admin(client, officer):
    from ..auth_helpers import staff_login

    admin = UserFactory(is_superuser=True, is_staff=True)
    staff_login(client, admin)
    page = client.get("/admin/personal-data/")
    assert page.status_code == 200
    response = client.post("/admin/personal-data/", {"email": "NINO@example.org"})
    assert response["Content-Type"] == "application/zip"
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("personal-data.json"))
    assert data["account"]["email"] == "nino@example.org"
    assert ModelLogEntry.objects.filter(action="pan.personal_data_export", user=admin).count() == 1
    missing = client.post("/admin/personal-data/", {"email": "nobody@example.org"})
    assert "No account uses this e-mail address" in missing.content.decode()


def test_staff_export_is_for_superusers_only(client, officer, academy):
    from ..auth_helpers import staff_login

    coordinator = UserFactory()
    services.membership_grant(user=coordinator, role="coordinator", institution=academy)
    staff_login(client, coordinator)
    response = client.post("/admin/personal-data/", {"email": officer.email})
    assert response.status_code in {302, 403}
    assert not ModelLogEntry.objects.filter(action="pan.personal_data_export").exists()


def test_export_requires_sign_in(client, home):
    response = client.get(reverse("privacy_export"))
    assert response.status_code == 302


def test_erasure_waits_for_the_cool_off_and_can_be_cancelled(client, officer, settings):
    client.force_login(officer)
    response = client.post(reverse("privacy"), {"action": "erase", "confirm": "nope"})
    assert not ErasureRequest.objects.exists()
    client.post(reverse("privacy"), {"action": "erase", "confirm": "erase"})
    request = ErasureRequest.objects.get(user=officer)
    assert request.due_at > timezone.now() + timedelta(days=settings.PAN_ERASURE_COOL_OFF_DAYS - 1)
    assert erasures_run.delay().get() == 0  # not due yet
    response = client.post(reverse("privacy"), {"action": "cancel"})
    assert response.status_code == 302
    assert not ErasureRequest.objects.exists()


def test_due_erasure_anonymises_everywhere_and_keeps_counts(client, officer):
    request = privacy.erasure_request(user=officer)
    ErasureRequest.objects.filter(pk=request.pk).update(due_at=timezone.now())
    assert erasures_run.delay().get() == 1

    officer.refresh_from_db()
    assert officer.email == f"erased-{officer.pk}@erased.invalid"
    assert not officer.is_active and not officer.has_usable_password()
    assert not EmailAddress.objects.filter(user=officer).exists()
    assert not Membership.objects.filter(user=officer).exists()
    profile = TraineeProfile.objects.get(user=officer)
    assert profile.given_name == profile.family_name_latin == "erased"
    assert profile.rank_or_position == "" and not NameChange.objects.exists()
    # What the network's figures count survives.
    assert (profile.gender, profile.country.code) == ("woman", "GE")
    assert User.objects.filter(pk=officer.pk).exists()
    # Carried out once: a repeated run (a task delivered twice) changes nothing.
    assert privacy.erasure_execute(request_id=request.pk) is False


def test_export_and_erasure_cover_enrolments_and_attendance(client, officer, course, academy):
    from trainees import services as trainees
    from trainees.models import Attendance, Enrolment

    from ..factories import course_run

    run = course_run(course, academy, capacity=1)
    enrolment = trainees.enrolment_request(run=run, user=officer)
    session = run.sessions.first()
    trainees.register_save(
        session=session, entries={enrolment.pk: ("excused", "Sick leave")}, actor=None
    )
    from ..factories import trainee

    full = course_run(course, academy, capacity=1, title="Full run")
    trainees.enrolment_request(run=full, user=trainee())  # takes the only place
    waiting = trainees.enrolment_request(run=full, user=officer)
    assert waiting.state == "waitlisted"

    client.force_login(officer)
    data = _export(client)
    [first, second] = sorted(data["enrolments"], key=lambda e: e["run"] != run.display_title)
    assert first["state"] == "Enrolled"
    assert first["attendance"][0]["status"] == "Excused"
    assert first["attendance"][0]["note"] == "Sick leave"
    assert [h["to"] for h in first["history"]] == ["enrolled"]
    assert second["state"] == "On the waitlist"

    trainee_services.personal_data_erase(user=officer)
    assert Attendance.objects.get(enrolment=enrolment).note == ""
    assert Attendance.objects.filter(enrolment__run=run).count() == 1  # counts are kept
    assert Enrolment.objects.get(pk=enrolment.pk).state == "enrolled"
    assert Enrolment.objects.get(pk=waiting.pk).state == "withdrawn"
