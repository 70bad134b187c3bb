"""Background work through a real broker and a real worker process (CI's PostgreSQL pass)."""

import pytest

from courses.models import CourseFacet
from courses.tasks import catalogue_rebuild

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_background_work_on_a_worker(celery_worker_process, course, academy, settings, client):
    # One test: after a transactional test the database is flushed, and restoring it for a
    # second one in the same process trips over the content types (pytest-django).
    from pathlib import Path

    # This process reads the files the worker writes, as a web node does in a deployment.
    shared = Path(celery_worker_process.shared_files)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(shared / "media")},
        },
        "private": {
            "BACKEND": "network.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(shared / "private")},
        },
    }
    catalogue_rebuild_runs_on_a_worker(course)
    run = certificates_are_issued_once_on_the_certificates_queue(course, academy)
    the_web_serves_the_pdfs_the_worker_rendered(client, run)
    # Everything the test set off (tallies refreshed after each commit, e-mails) is done by the
    # worker before the database is emptied.
    worker_idle()
    from reports.models import RunTally

    assert sum(t.certified for t in RunTally.objects.filter(run=run)) == 4


def worker_idle(timeout: float = 90) -> None:
    """Wait until the broker's queues are empty and the worker runs nothing."""
    import time

    import redis
    from django.conf import settings

    from config.celery_app import app

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        queued = sum(broker.llen(name) for name in ("celery", "certificates"))
        inspector = app.control.inspect(timeout=1)
        busy = [t for tasks in (inspector.active() or {}).values() for t in tasks]
        reserved = [t for tasks in (inspector.reserved() or {}).values() for t in tasks]
        if not queued and not busy and not reserved:
            return
        time.sleep(0.5)
    pytest.fail("the worker did not finish its tasks in time")


def catalogue_rebuild_runs_on_a_worker(course):
    expected = set(CourseFacet.objects.values_list("page_id", "facet", "value"))
    assert expected
    CourseFacet.objects.all().delete()

    result = catalogue_rebuild.delay()
    assert result.get(timeout=60) == len(expected)
    assert set(CourseFacet.objects.values_list("page_id", "facet", "value")) == expected


def certificates_are_issued_once_on_the_certificates_queue(course, academy):
    """The same chunk delivered twice to a real worker (through the `certificates` queue) makes
    one certificate per person."""
    from certificates.models import (
        Certificate,
        CertificateRule,
        CertificateTemplate,
        CertificateText,
    )
    from certificates.tasks import issue_chunk
    from trainees import services as trainee_services

    from ..factories import course_run, trainee

    run = course_run(course, academy, sessions=1, start_in_days=-3)
    template = CertificateTemplate.objects.create(institution=academy, name="Worker test")
    CertificateText.objects.create(template=template, language="en", body="{name}: {course}")
    CertificateRule.objects.create(
        run=run, kind="participation", template=template, min_attendance=50, automatic=False
    )
    people = [trainee() for _ in range(4)]
    enrolments = trainee_services.enrolments_import(
        run=run, rows=[{"email": p.email} for p in people], actor=None
    )
    trainee_services.register_save(
        session=run.sessions.get(),
        entries={e.pk: ("present", "") for e in enrolments},
        actor=None,
    )
    ids = [e.pk for e in enrolments]
    first, second = (
        issue_chunk.delay(run.pk, "participation", ids),
        issue_chunk.delay(run.pk, "participation", ids),
    )
    assert sorted([first.get(timeout=120), second.get(timeout=120)]) == [0, 4]
    certificates = list(Certificate.objects.filter(run=run))
    assert len(certificates) == 4
    assert all(c.pdf.name.endswith(f"{c.code}.pdf") and len(c.sha256) == 64 for c in certificates)
    return run


def the_web_serves_the_pdfs_the_worker_rendered(client, run):
    """The worker wrote the PDFs into the shared private folder; the holder downloads each from
    this process, byte for byte as the worker hashed it, and nobody reaches it under /media/."""
    import hashlib

    from certificates.models import Certificate

    for certificate in Certificate.objects.filter(run=run).select_related("user"):
        client.force_login(certificate.user)
        response = client.get(f"/my/certificates/{certificate.code}.pdf")
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert body.startswith(b"%PDF") and hashlib.sha256(body).hexdigest() == certificate.sha256
        assert client.get(f"/media/{certificate.pdf.name}").status_code == 404
    client.logout()
