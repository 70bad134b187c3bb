"""Statuses and small things that say what is true: months as each language abbreviates them,
reasons the platform records shown in the reader's language, a self-paced run without an
attendance threshold it cannot apply, the favicon, the footer's verification link, the
header's sign-up link, and the home page's title once."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from network.templatetags.text_tags import short_date
from trainees.models import Enrolment, reason_display

from ..factories import course_run, trainee

pytestmark = pytest.mark.django_db


def test_russian_months_are_abbreviated_in_the_genitive():
    day = dt.date(2026, 11, 29)
    with translation.override("ru"):
        assert short_date(day) == "29 нояб. 2026"
        assert short_date(dt.date(2026, 5, 3), "j M") == "3 мая"
    with translation.override("en"):
        assert short_date(day) == "29 Nov 2026"


def test_a_reason_the_platform_records_is_shown_in_the_readers_language():
    stored = "Enrolled by the organiser."
    with translation.override("ru"):
        assert reason_display(stored) != stored
    assert reason_display("Posted abroad") == "Posted abroad"


def test_bulk_enrolment_stores_the_reason_as_a_key(course, academy):
    from trainees import services

    run = course_run(course, academy)
    person = trainee()
    with translation.override("ru"):
        [enrolment] = services.enrolments_import(
            run=run, rows=[{"email": person.email}], actor=None
        )
    assert Enrolment.objects.get(pk=enrolment.pk).reason == "Enrolled by the organiser."


def test_run_page_says_full_and_hides_attendance_without_sessions(client, course, academy):
    from trainees import services

    self_paced = course_run(course, academy, sessions=0, capacity=1, delivery_mode="self_paced")
    services.enrolment_request(run=self_paced, user=trainee())
    page = client.get(f"/runs/{self_paced.pk}/").content.decode()
    assert "Attendance required" not in page
    assert "None: all 1 places are taken" in page
    assert "enrolled at once" not in page and "go to the waitlist" in page
    with_sessions = course_run(course, academy, sessions=2)
    assert "Attendance required" in client.get(f"/runs/{with_sessions.pk}/").content.decode()


def test_favicon_footer_and_sign_up(client, home):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page
    assert 'href="/verify/"' in page
    assert 'href="/accounts/signup/"' in page
    assert page.count("PAN Training Platform</title>") == 1
    assert "PAN Training Platform · PAN Training Platform" not in page


def test_a_certificate_earned_before_the_runs_end_is_dated_when_it_was_earned(course, academy):
    from certificates import services as certificate_services
    from certificates.models import CertificateRule, CertificateTemplate, CertificateText

    run = course_run(course, academy, sessions=0, start_in_days=-3, delivery_mode="self_paced")
    run.end_date = timezone.localdate() + dt.timedelta(days=60)
    run.save()
    template = CertificateTemplate.objects.create(institution=academy, name="Completion")
    CertificateText.objects.create(template=template, language="en", body="{name}, {course}")
    CertificateRule.objects.create(run=run, kind="completion", template=template)
    person = trainee()
    from trainees import services

    services.enrolment_request(run=run, user=person)
    [certificate] = certificate_services.certificates_issue(
        run=run, kind="completion", user_id=person.pk
    )
    today = timezone.localdate()
    assert certificate.snapshot["end_date"] == today.isoformat()
    assert certificate.snapshot["dates"].endswith(f"{today:%d.%m.%Y}")
