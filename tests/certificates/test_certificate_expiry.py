"""Recertification: validity shown to holders, verifiers, coordinators and the trainer registry;
reminders before expiry (once for each lead time, in the holder's language); the coordinator's
page of certificates expiring, from which holders are enrolled in a refresher run; a renewal
shown on the old certificate's verification page."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from certificates import selectors, services
from certificates.models import (
    Certificate,
    CertificateRule,
    CertificateTemplate,
    CertificateText,
    ExpiryReminder,
)
from network import services as network_services
from trainees import services as trainee_services
from trainees.models import Enrolment, Notification

from ..auth_helpers import staff_login
from ..factories import UserFactory, course_run, trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(academy):
    template = CertificateTemplate.objects.create(institution=academy, name="Valid two years")
    CertificateText.objects.create(template=template, language="en", body="Awarded to {name}.")
    return template


@pytest.fixture
def coordinator(academy):
    user = UserFactory()
    network_services.membership_grant(user=user, role="coordinator", institution=academy)
    return user


def _issue(run, template, person, *, kind="participation"):
    CertificateRule.objects.get_or_create(
        run=run,
        kind=kind,
        defaults={"template": template, "min_attendance": 0, "valid_months": 24},
    )
    trainee_services.enrolments_import(run=run, rows=[{"email": person.email}], actor=None)
    [certificate] = services.certificates_issue(
        run=run, kind=kind, user_id=person.pk, check_rules=False
    )
    return certificate


def _expiring_in(certificate, days):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=timezone.now() + dt.timedelta(days=days)
    )
    certificate.refresh_from_db()
    return certificate


@pytest.fixture
def past_run(course, academy):
    return course_run(course, academy, sessions=1, start_in_days=-700, capacity=20)


def test_reminders_go_once_for_each_lead_time_in_the_holders_language(
    past_run, template, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.PAN_CERTIFICATE_EXPIRY_REMINDER_DAYS = [90, 30]
    person = trainee()
    profile = person.trainee_profile
    profile.preferred_language = "ru"
    profile.save()
    certificate = _expiring_in(_issue(past_run, template, person), 80)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.expiry_reminders_owe() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expiry_reminders_owe() == 0  # the next day: nothing new
    holder_mail = [m for m in mail.outbox if m.to == [person.email]]
    assert len(holder_mail) == 1
    assert certificate.expires_at.strftime("%Y") in holder_mail[0].body
    assert holder_mail[0].body.startswith("Здравствуйте") or "Уважаем" in holder_mail[0].body
    digest = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert len(digest) == 1 and certificate.snapshot["name_latin"] in digest[0].body
    assert "/manage/certificates/expiring/" in digest[0].body

    # 25 days before: the 30-day reminder, once.
    _expiring_in(certificate, 25)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expiry_reminders_owe() == 1
        assert services.expiry_reminders_owe() == 0
    assert len([m for m in mail.outbox if m.to == [person.email]]) == 1
    assert len([m for m in mail.outbox if m.to == [coordinator.email]]) == 1
    assert sorted(
        ExpiryReminder.objects.filter(certificate=certificate).values_list("days_before", flat=True)
    ) == [30, 90]
    assert Notification.objects.filter(kind="certificate_expiring").count() == 2


def test_a_certificate_first_seen_close_to_expiry_gets_only_the_nearest_reminder(
    past_run, template, settings
):
    settings.PAN_CERTIFICATE_EXPIRY_REMINDER_DAYS = [90, 30]
    certificate = _expiring_in(_issue(past_run, template, trainee()), 10)
    assert services.expiry_reminders_owe() == 1
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True)) == [30]
    assert services.expiry_reminders_owe() == 0
    assert certificate.expiry_reminders.count() == 1


def test_no_reminder_for_a_renewed_certificate_nor_one_without_validity(
    past_run, course, academy, template, settings
):
    settings.PAN_CERTIFICATE_EXPIRY_REMINDER_DAYS = [90, 30]
    person = trainee()
    old = _expiring_in(_issue(past_run, template, person), 20)
    refresher = course_run(course, academy, sessions=1, start_in_days=-3, capacity=20)
    new = _issue(refresher, template, person)
    assert selectors.renewal_of(old) == new
    assert selectors.expiry_reminders_due() == []
    forever = _issue(past_run, template, trainee())
    Certificate.objects.filter(pk=forever.pk).update(expires_at=None)
    assert services.expiry_reminders_owe() == 0


def test_the_old_certificates_page_shows_the_renewal(client, past_run, course, academy, template):
    person = trainee()
    old = _expiring_in(_issue(past_run, template, person), -5)  # expired five days ago
    page = client.get(f"/verify/{old.code}/").content.decode()
    assert "Expired" in page and "Renewed" not in page
    refresher = course_run(course, academy, sessions=1, start_in_days=-2, capacity=20)
    new = _issue(refresher, template, person)
    page = client.get(f"/verify/{old.code}/").content.decode()
    assert "Renewed" in page and f"/verify/{new.code}/" in page
    new_page = client.get(f"/verify/{new.code}/").content.decode()
    assert "Valid until" in new_page and "Renewed" not in new_page


def test_holders_see_the_validity_on_my_learning(client, past_run, template):
    person = trainee()
    certificate = _expiring_in(_issue(past_run, template, person), 40)
    client.force_login(person)
    page = client.get("/my/").content.decode()
    assert "valid until " + certificate.expires_at.strftime("%-d %b %Y") in page
    _expiring_in(certificate, -1)
    assert "expired on" in client.get("/my/").content.decode()


def test_coordinators_enrol_expiring_holders_in_a_refresher_run(
    client, past_run, course, academy, other_academy, template, coordinator
):
    soon = [_expiring_in(_issue(past_run, template, trainee()), d) for d in (20, 60, 200)]
    foreign_run = course_run(course, other_academy, sessions=1, start_in_days=-700, capacity=5)
    foreign = _expiring_in(_issue(foreign_run, template, trainee()), 20)
    refresher = course_run(course, academy, sessions=1, start_in_days=30, capacity=20)

    staff_login(client, coordinator)
    page = client.get("/manage/certificates/expiring/?within=90").content.decode()
    assert soon[0].code in page and soon[1].code in page
    assert soon[2].code not in page  # beyond the window
    assert foreign.code not in page  # another institution's
    assert refresher.display_title in page

    response = client.post(
        "/manage/certificates/expiring/?within=90",
        {"run": refresher.pk, "certificate": [soon[0].pk, soon[1].pk, foreign.pk]},
    )
    assert response.status_code == 302
    enrolled = set(
        Enrolment.objects.filter(run=refresher, state="enrolled").values_list("user_id", flat=True)
    )
    assert enrolled == {soon[0].user_id, soon[1].user_id}  # never another institution's holder
    # Posting again changes nothing and says so without an error.
    client.post(
        "/manage/certificates/expiring/?within=90",
        {"run": refresher.pk, "certificate": [soon[0].pk]},
    )
    assert Enrolment.objects.filter(run=refresher).count() == 2


def test_the_expiring_page_is_for_coordinators_only(client, past_run, template):
    person = trainee()
    client.force_login(person)
    assert client.get("/manage/certificates/expiring/").status_code == 403


def test_bad_input_on_the_expiring_page_changes_nothing(client, coordinator, past_run, template):
    staff_login(client, coordinator)
    assert client.get("/manage/certificates/expiring/?within=abc").status_code == 200
    response = client.post("/manage/certificates/expiring/", {"run": "999999"})
    assert response.status_code == 200
    assert "Choose the refresher run" in response.content.decode()
    assert Enrolment.objects.count() == 0


def test_the_trainer_registry_says_whether_a_trainer_certificate_is_current(
    client, course, academy, template
):
    from ..factories import trainer_certificates

    organiser = UserFactory()
    network_services.membership_grant(user=organiser, role="organiser")
    run = course_run(course, academy, sessions=1, start_in_days=-800, capacity=5)
    run.course.is_training_of_trainers = True
    current, lapsed = trainee(), trainee()
    certificates = trainer_certificates(run, template, [current, lapsed])
    Certificate.objects.filter(pk=certificates[0].pk).update(
        expires_at=timezone.now() + dt.timedelta(days=100)
    )
    Certificate.objects.filter(pk=certificates[1].pk).update(
        expires_at=timezone.now() - dt.timedelta(days=3)
    )
    staff_login(client, organiser)
    page = client.get("/manage/trainers/").content.decode()
    certificates[0].refresh_from_db()
    assert "current until " + certificates[0].expires_at.strftime("%-d %b %Y") in page
    lapsed_date = (timezone.now() - dt.timedelta(days=3)).strftime("%-d %b %Y")
    assert "expired " + lapsed_date in page
