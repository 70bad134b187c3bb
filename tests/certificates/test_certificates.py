"""Certificates: rules and standings, automatic and bulk issuance exactly once, revocation and
corrections, the PDF, public verification (by code and by file), Open Badges, erasure."""

import datetime as dt
import hashlib
import io
from urllib.parse import urlsplit

import jwt
import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from certificates import badges, selectors, services
from certificates.models import Certificate, CertificateRule, CertificateTemplate, CertificateText
from certificates.services import issuing
from courses import selectors as course_selectors
from elearning import services as elearning_services
from network import services as network_services
from network.storage import private_storage
from trainees import services as trainee_services
from trainees.models import Notification
from xapi.models import Statement

from ..auth_helpers import staff_login
from ..factories import UserFactory, course_run, trainee

pytestmark = pytest.mark.django_db
EARNED = "http://id.tincanapi.com/verb/earned"


@pytest.fixture
def template(academy):
    template = CertificateTemplate.objects.create(institution=academy, name="Academy certificate")
    CertificateText.objects.create(
        template=template,
        language="en",
        body="This certifies that {name} ({name_latin}) completed {course}, {dates}, "
        "{hours} hours, at {institution}.",
    )
    return template


@pytest.fixture
def past_run(course, academy):
    return course_run(course, academy, sessions=3, start_in_days=-10, capacity=50)


def enrol(run, people):
    return trainee_services.enrolments_import(
        run=run, rows=[{"email": p.email} for p in people], actor=None
    )


def attend(run, enrolments, statuses):
    """Mark every session of the run: statuses[i] is person i's status in each session."""
    for session in run.sessions.order_by("starts_at"):
        trainee_services.register_save(
            session=session,
            entries={e.pk: (status, "") for e, status in zip(enrolments, statuses, strict=True)},
            actor=None,
        )


@pytest.fixture
def rule(past_run, template):
    return CertificateRule.objects.create(
        run=past_run, kind="participation", template=template, min_attendance=80
    )


def test_certificate_issued_automatically_when_the_register_meets_the_rule(
    past_run, rule, django_capture_on_commit_callbacks
):
    present, absent = trainee(), trainee("GE")
    enrolments = enrol(past_run, [present, absent])
    with django_capture_on_commit_callbacks(execute=True):
        attend(past_run, enrolments, ["present", "absent"])
    certificate = Certificate.objects.get()
    assert certificate.user == present and certificate.kind == "participation"
    assert certificate.status == "valid" and certificate.version == 1
    # The file is stored with its SHA-256, and the snapshot keeps what it certifies.
    content = private_storage.open(certificate.pdf.name).read()
    assert hashlib.sha256(content).hexdigest() == certificate.sha256
    assert certificate.snapshot["course"] == past_run.course.title
    assert certificate.snapshot["attendance_rate"] == 100
    # The holder is told, and an xAPI "earned" statement is recorded.
    notification = Notification.objects.get(kind="certificate")
    assert notification.context["url"].endswith(f"/verify/{certificate.code}/")
    assert Statement.objects.filter(verb_id=EARNED).count() == 1
    # The absent one is not eligible, and the standing says why.
    [standing] = [
        s for s in selectors.run_standings(run=past_run) if s.enrolment.user_id == absent.pk
    ]
    assert not standing.eligible
    assert "Attended 0% of the sessions; the rule asks for 80%." in standing.reasons


def test_codes_are_65_bits_of_crockford_base32():
    codes = {services.code_new() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 13 and set(c) <= set(selectors.CODE_ALPHABET) for c in codes)
    assert selectors.code_normalise("abcd-efgh-ijklo") == "ABCDEFGH1JK10"


def test_issuing_twice_or_racing_makes_one_certificate(past_run, rule):
    person = trainee()
    enrolments = enrol(past_run, [person])
    attend(past_run, enrolments, ["present"])
    first = services.certificates_issue(run=past_run, kind="participation")
    again = services.certificates_issue(run=past_run, kind="participation")
    assert len(first) == 1 and again == []
    # Two workers that both decided to issue: the database keeps one, the loser's file goes.
    [standing] = selectors.run_standings(run=past_run, rules=[rule])
    standing.certificate = None
    loser = issuing._prepare(standing, run=past_run, now=first[0].issued_at, actor=None)
    assert issuing._store([loser]) == []
    assert not private_storage.exists(loser.certificate.pdf.name)
    assert Certificate.objects.count() == 1


def test_a_revoked_certificate_is_never_issued_again(past_run, rule, coordinator_user):
    person = trainee()
    attend(past_run, enrol(past_run, [person]), ["present"])
    [certificate] = services.certificates_issue(run=past_run, kind="participation")
    with pytest.raises(ValidationError) as error:
        services.certificate_revoke(certificate=certificate, actor=coordinator_user, reason=" ")
    assert "reason" in error.value.message_dict
    services.certificate_revoke(
        certificate=certificate, actor=coordinator_user, reason="Attendance sheet was forged"
    )
    # A stray task for the run issues nothing; by hand for that person it is refused.
    assert services.certificates_issue(run=past_run, kind="participation") == []
    with pytest.raises(ValidationError):
        services.certificates_issue(
            run=past_run, kind="participation", user_id=person.pk, check_rules=False
        )
    assert Certificate.objects.count() == 1


def test_standings_say_why_not(past_run, template, course):
    future = course_run(course, past_run.organiser, sessions=2, start_in_days=5)
    rule = CertificateRule.objects.create(
        run=future,
        kind="completion",
        template=template,
        min_attendance=50,
        lessons_required=True,
        min_score=70,
    )
    person = trainee()
    trainee_services.enrolment_request(run=future, user=person)
    [standing] = selectors.run_standings(run=future, rules=[rule])
    assert standing.reasons[0] == "The run's last session has not ended yet."
    assert any(r.startswith("Lessons not yet met: ") for r in standing.reasons)
    assert "No assessed lesson has a score yet." in standing.reasons


def test_a_name_the_fonts_cannot_print_is_not_issued(past_run, rule):
    person = trainee()
    profile = person.trainee_profile
    profile.given_name = "राम"  # Devanagari: no certificate face has it
    profile.save()
    attend(past_run, enrol(past_run, [person]), ["present"])
    [standing] = selectors.run_standings(run=past_run)
    assert any("र" in reason for reason in standing.reasons)
    assert services.certificates_issue(run=past_run, kind="participation") == []


@pytest.mark.parametrize(
    ("given", "family"),
    [("王", "小明"), ("민준", "김"), ("ځلمی", "ښکلی"), ("יוסף", "כהן"), ("สมชาย", "ใจดี")],
)
def test_names_in_the_partners_scripts_are_eligible_and_issued(past_run, rule, given, family):
    person = trainee()
    profile = person.trainee_profile
    profile.given_name, profile.family_name = given, family
    profile.save()
    attend(past_run, enrol(past_run, [person]), ["present"])
    [standing] = selectors.run_standings(run=past_run)
    assert standing.eligible and not standing.reasons
    [certificate] = services.certificates_issue(run=past_run, kind="participation")
    assert certificate.holder_name == profile.full_name


def test_issue_anyway_waives_rules_but_never_the_printability_of_the_name(
    client, past_run, rule, coordinator_user
):
    # A character no certificate font has (private use): the paper would show a box.
    person = trainee()
    profile = person.trainee_profile
    profile.family_name = "Pérez\uf8ff"
    profile.save()
    enrol(past_run, [person])  # no attendance: the rule is not met either
    with pytest.raises(ValidationError) as refused:
        services.certificates_issue(
            run=past_run, kind="participation", user_id=person.pk, check_rules=False
        )
    assert "\uf8ff" in refused.value.message_dict["name"][0]
    assert Certificate.objects.count() == 0
    # The run page offers no "Issue anyway" for them and says why; posting it anyway is refused
    # with the reason, and nothing is issued.
    staff_login(client, coordinator_user)
    page = client.get(f"/manage/runs/{past_run.pk}/").content.decode()
    assert "Issue anyway" not in page and "the name cannot be printed" in page
    enrolment = person.enrolments.get()
    response = client.post(
        f"/manage/runs/{past_run.pk}/",
        {"certificate-action": "issue", "enrolment": enrolment.pk, "kind": "participation"},
        follow=True,
    )
    assert "cannot print" in response.content.decode()
    assert Certificate.objects.count() == 0
    # Once the name is corrected, "Issue anyway" works as before.
    profile.family_name = "Pérez"
    profile.save()
    [certificate] = services.certificates_issue(
        run=past_run,
        kind="participation",
        user_id=person.pk,
        check_rules=False,
        reason="Attended elsewhere",
    )
    assert certificate.snapshot["name"].endswith("Pérez")


@pytest.fixture
def coordinator_user(academy):
    user = UserFactory()
    network_services.membership_grant(user=user, role="coordinator", institution=academy)
    return user


def issued_certificate(run, person=None):
    person = person or trainee()
    attend(run, enrol(run, [person]), ["present"])
    [certificate] = services.certificates_issue(run=run, kind="participation")
    return certificate


def test_the_pdf_reads_back(past_run, rule):
    person = trainee("GE")
    profile = person.trainee_profile
    profile.given_name, profile.family_name = "თამარ", "ბერიძე"
    profile.save()
    certificate = issued_certificate(past_run, person)
    reader = PdfReader(private_storage.open(certificate.pdf.name))
    text = "".join(page.extract_text() for page in reader.pages)
    squashed = "".join(text.split())
    assert "თამარბერიძე" in squashed
    assert certificate.code[:4] in squashed
    assert reader.metadata.author == past_run.organiser.name
    assert len(reader.pages) == 1


def test_name_correction_supersedes(past_run, rule, coordinator_user, client):
    certificate = issued_certificate(past_run)
    with pytest.raises(ValidationError):  # nothing to correct yet
        services.certificate_correct(certificate=certificate, actor=coordinator_user)
    profile = certificate.user.trainee_profile
    profile.family_name_latin = "Officerová"
    profile.save()
    new = services.certificate_correct(certificate=certificate, actor=coordinator_user)
    certificate.refresh_from_db()
    assert certificate.status == "superseded" and new.version == 2
    assert new.supersedes_id == certificate.pk and "Officerová" in new.snapshot["name_latin"]
    page = client.get(f"/verify/{certificate.code}/")
    assert "Superseded" in page.content.decode()
    assert f"/verify/{new.code}/" in page.content.decode()


# ---------------------------------------------------------------------------------------------
# Public verification
# ---------------------------------------------------------------------------------------------


def test_verification_page_states(client, past_run, rule, coordinator_user):
    certificate = issued_certificate(past_run)
    page = client.get(f"/verify/{certificate.code}/")
    body = page.content.decode()
    assert page.status_code == 200 and "Valid certificate" in body
    assert certificate.snapshot["name_latin"] in body and past_run.course.title in body
    assert certificate.user.email not in body  # nothing more than the certificate says
    assert "no-store" in page["Cache-Control"]
    # Typed loosely (lower case, dashes): redirected to the canonical code.
    loose = certificate.code.lower()[:4] + "-" + certificate.code.lower()[4:]
    assert client.get(f"/verify/{loose}/")["Location"].endswith(f"/verify/{certificate.code}/")
    assert client.get("/verify/0000000000000/").status_code == 404
    services.certificate_revoke(
        certificate=certificate, actor=coordinator_user, reason="Issued in error"
    )
    body = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "Revoked" in body and "Issued in error" in body


def test_verification_by_file(client, past_run, rule):
    certificate = issued_certificate(past_run)
    content = private_storage.open(certificate.pdf.name).read()

    def check(data: bytes):
        upload = io.BytesIO(data)
        upload.name = "certificate.pdf"
        return client.post("/verify/", {"file": upload})

    same = check(content)
    assert same.status_code == 200
    body = same.content.decode()
    assert "unaltered PDF" in body and certificate.code[:4] in body
    for forged in (content[:-100], content.replace(b"/Author", b"/Authos", 1)):
        answer = check(forged)
        assert "does not match any certificate" in answer.content.decode()


def test_verification_is_rate_limited_per_client(client, settings):
    settings.PAN_VERIFY_RATE = "5/m"
    answers = [client.get(f"/verify/{i:013d}/").status_code for i in range(8)]
    assert answers[:5] == [404] * 5 and answers[5:] == [429] * 3
    other = client.get("/verify/0000000000001/", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 404


def test_verification_page_costs_constant_queries(
    client, past_run, rule, django_assert_max_num_queries
):
    certificate = issued_certificate(past_run)
    with django_assert_max_num_queries(6):
        assert client.get(f"/verify/{certificate.code}/").status_code == 200


# ---------------------------------------------------------------------------------------------
# Holders, Open Badges, erasure
# ---------------------------------------------------------------------------------------------


def test_holder_sees_downloads_and_shares(client, past_run, rule):
    certificate = issued_certificate(past_run)
    client.force_login(certificate.user)
    page = client.get("/my/").content.decode()
    assert f"/my/certificates/{certificate.code}.pdf" in page
    assert f"http://testserver/verify/{certificate.code}/" in page
    assert "linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in page
    pdf = client.get(f"/my/certificates/{certificate.code}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    client.force_login(trainee())
    assert client.get(f"/my/certificates/{certificate.code}.pdf").status_code == 403


def test_open_badge_verifies_and_follows_revocation(client, past_run, rule, coordinator_user):
    certificate = issued_certificate(past_run)
    client.force_login(certificate.user)
    token = client.get(f"/my/certificates/{certificate.code}/badge.jwt").content.decode()
    header = jwt.get_unverified_header(token)
    key = client.get(f"/badges/keys/{badges.key_id()}.json").json()
    assert header["alg"] == "EdDSA" and header["kid"].endswith(f"/badges/keys/{key['kid']}.json")
    payload = jwt.decode(
        token, jwt.PyJWK(key).key, algorithms=["EdDSA"], options={"verify_aud": False}
    )
    credential = payload.get("vc", payload)
    assert "OpenBadgeCredential" in credential["type"]
    issuer = client.get(f"/badges/issuers/{past_run.organiser_id}/").json()
    assert credential["issuer"]["id"] == issuer["id"]
    status = credential["credentialStatus"]
    assert status["statusListCredential"].endswith(f"/badges/status/{past_run.organiser_id}/")
    index = int(status["statusListIndex"])

    def revoked() -> bool:
        path = urlsplit(status["statusListCredential"]).path
        return badges.is_revoked(client.get(path).content.decode(), index)

    assert not revoked()
    services.certificate_revoke(certificate=certificate, actor=coordinator_user, reason="Error")
    assert revoked()


def test_erasure_withdraws_certificates(client, past_run, rule):
    certificate = issued_certificate(past_run)
    services.personal_data_erase(user=certificate.user)
    certificate.refresh_from_db()
    assert certificate.user is None and not certificate.pdf
    body = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "withdrawn at its holder" in body
    assert certificate.snapshot.get("name") is None and "Officer" not in body


# ---------------------------------------------------------------------------------------------
# The coordinator's run page, bulk issuance
# ---------------------------------------------------------------------------------------------


def test_coordinator_issues_in_bulk_and_revokes_from_the_run_page(
    client, past_run, rule, coordinator_user, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(issuing, "CHUNK", 2)
    rule.automatic = False
    rule.save()
    people = [trainee() for _ in range(5)]
    attend(past_run, enrol(past_run, people), ["present"] * 5)
    assert Certificate.objects.count() == 0
    staff_login(client, coordinator_user)
    page = client.get(f"/manage/runs/{past_run.pk}/")
    assert page.content.decode().count("Issue now") == 5
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(f"/manage/runs/{past_run.pk}/", {"certificate-action": "issue-all"})
    assert len([c for c in callbacks if "issue_chunk" in repr(c.__code__.co_names)]) == 3
    assert Certificate.objects.count() == 5
    # Each one is in the audit log under the coordinator's name, and each holder was mailed.
    from django.core import mail
    from wagtail.models import ModelLogEntry

    entries = ModelLogEntry.objects.filter(action="pan.certificate_issue")
    assert entries.count() == 5 and {e.user_id for e in entries} == {coordinator_user.pk}
    assert sorted(m.to[0] for m in mail.outbox if "certificate" in m.subject.lower()) == sorted(
        p.email for p in people
    )
    code = Certificate.objects.first().code
    client.post(
        f"/manage/runs/{past_run.pk}/",
        {"certificate-action": "revoke", "certificate": code, "reason": "Wrong run"},
    )
    assert Certificate.objects.get(code=code).status == "revoked"


def test_manage_run_page_costs_the_same_for_few_or_many(
    client, past_run, rule, coordinator_user, django_assert_max_num_queries
):
    staff_login(client, coordinator_user)
    attend(past_run, enrol(past_run, [trainee()]), ["present"])
    services.certificates_issue(run=past_run, kind="participation")
    with django_assert_max_num_queries(80) as few:
        client.get(f"/manage/runs/{past_run.pk}/")
    attend(past_run, enrol(past_run, [trainee() for _ in range(8)]), ["present"] * 8)
    services.certificates_issue(run=past_run, kind="participation")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/manage/runs/{past_run.pk}/")


# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------


def test_unknown_placeholders_and_unprintable_text_are_refused(template):
    text = CertificateText(template=template, language="ru", body="Hello {nmae}")
    with pytest.raises(ValidationError) as error:
        text.full_clean()
    assert "Unknown placeholder {nmae}" in " ".join(error.value.message_dict["body"])
    text = CertificateText(template=template, language="ru", body="{name} राम")
    with pytest.raises(ValidationError) as error:
        text.full_clean()
    assert "cannot print" in " ".join(error.value.message_dict["body"])
    template.sample_name = "Ali राम"
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "sample_name" in error.value.message_dict


def test_template_preview_renders_a_pdf_or_names_what_cannot_be_printed(template):
    response = services.template_preview_response(template=template, language="en")
    assert response["Content-Type"] == "application/pdf"
    assert PdfReader(io.BytesIO(response.content)).pages
    template.sample_name = "Ali राम"
    response = services.template_preview_response(template=template, language="en")
    assert response["Content-Type"].startswith("text/html")
    assert "cannot print" in response.content.decode()


def test_trainer_rule_only_on_training_of_trainers_runs(past_run, template):
    rule = CertificateRule(run=past_run, kind="trainer", template=template)
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "kind" in error.value.message_dict


def test_expiry_and_expired_page(client, past_run, rule):
    rule.valid_months = 12
    rule.save()
    certificate = issued_certificate(past_run)
    assert certificate.expires_at.date() > (certificate.issued_at + dt.timedelta(days=360)).date()
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_at=certificate.issued_at - dt.timedelta(days=1)
    )
    assert "Expired" in client.get(f"/verify/{certificate.code}/").content.decode()


def test_completing_every_lesson_of_a_self_paced_run_earns_a_certificate(
    course, academy, template, django_capture_on_commit_callbacks
):
    from courses.models import LessonPage
    from xapi import services as xapi_services

    run = course_run(
        course,
        academy,
        sessions=0,
        start_in_days=-1,
        delivery_mode="self_paced",
        end_date=dt.date.today() + dt.timedelta(days=30),
    )
    CertificateRule.objects.create(
        run=run, kind="completion", template=template, min_attendance=0, lessons_required=True
    )
    person = trainee()
    trainee_services.enrolment_request(run=run, user=person)
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    assert len(lessons) >= 2
    for number, lesson in enumerate(lessons, start=1):
        progress = elearning_services.lesson_progress_start(user=person, lesson=lesson)
        completed = {
            "actor": xapi_services.learner_agent(person),
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": course_selectors.lesson_activity_id(lesson)},
            "result": {"completion": True},
        }
        with django_capture_on_commit_callbacks(execute=True):
            xapi_services.statements_store(
                statements=[completed],
                credentials=xapi_services.lesson_credentials(
                    user=person, lesson=lesson, registration=str(progress.registration)
                ),
            )
        # Nothing is issued until the last lesson is met; then at once, by nobody.
        assert Certificate.objects.count() == (1 if number == len(lessons) else 0)
    certificate = Certificate.objects.get()
    assert certificate.kind == "completion" and certificate.issued_by is None


def test_templates_in_the_admin_are_kept_per_institution(
    client, template, coordinator_user, other_academy
):
    other = CertificateTemplate.objects.create(institution=other_academy, name="Theirs")
    staff_login(client, coordinator_user)
    index = client.get("/admin/snippets/certificates/certificatetemplate/")
    assert index.status_code == 200
    body = index.content.decode()
    assert "Academy certificate" in body and "Theirs" not in body
    edit = client.get(f"/admin/snippets/certificates/certificatetemplate/edit/{template.pk}/")
    assert edit.status_code == 200 and "preview" in edit.content.decode().lower()
    for view in ("edit", "delete", "history", "usage", "preview"):
        theirs = client.get(f"/admin/snippets/certificates/certificatetemplate/{view}/{other.pk}/")
        assert theirs.status_code in (302, 403, 404), view
    # The preview of the saved template is a PDF.
    preview = client.post(
        f"/admin/snippets/certificates/certificatetemplate/preview/{template.pk}/",
        _template_form_data(template),
    )
    assert preview.status_code == 200 and preview.json()["is_valid"], preview.content[:500]
    pdf = client.get(
        f"/admin/snippets/certificates/certificatetemplate/preview/{template.pk}/?mode=en"
    )
    assert pdf["Content-Type"] == "application/pdf"


def _template_form_data(template) -> dict:
    text = template.texts.get()
    return {
        "institution": template.institution_id,
        "name": template.name,
        "orientation": "landscape",
        "primary_colour": "#1F3A5F",
        "accent_colour": "#B08D57",
        "logos-count": "0",
        "texts-TOTAL_FORMS": "1",
        "texts-INITIAL_FORMS": "1",
        "texts-MIN_NUM_FORMS": "1",
        "texts-MAX_NUM_FORMS": "1000",
        "texts-0-id": text.pk,
        "texts-0-language": "en",
        "texts-0-participation_title": "Certificate of participation",
        "texts-0-completion_title": "Certificate of completion",
        "texts-0-trainer_title": "Trainer certificate",
        "texts-0-body": text.body,
        "texts-0-ORDER": "1",
        "signatories-TOTAL_FORMS": "0",
        "signatories-INITIAL_FORMS": "0",
        "signatories-MIN_NUM_FORMS": "0",
        "signatories-MAX_NUM_FORMS": "4",
        "sample_name": "Արամ Հակոբյան",
    }


def test_issue_anyway_and_revoke_ask_first_and_keep_the_reason(
    client, past_run, rule, coordinator_user
):
    """Below the rule, a certificate is issued only with a reason, which the audit trail keeps;
    the Manage page's Issue anyway and Revoke lead to a question naming the consequence."""
    from wagtail.models import ModelLogEntry

    person = trainee()
    [enrolment] = enrol(past_run, [person])
    attend(past_run, [enrolment], ["absent"])
    with pytest.raises(ValidationError) as refused:
        services.certificates_issue(
            run=past_run, kind=rule.kind, user_id=person.pk, check_rules=False
        )
    assert "Reason: required" in refused.value.message_dict["reason"][0]
    assert not Certificate.objects.filter(user=person).exists()
    staff_login(client, coordinator_user)
    page = client.get(f"/manage/runs/{past_run.pk}/").content.decode()
    assert "/certificates/confirm/?action=issue" in page
    question = client.get(
        f"/manage/runs/{past_run.pk}/certificates/confirm/",
        {"action": "issue", "enrolment": enrolment.pk, "kind": rule.kind},
    ).content.decode()
    assert "does not meet the run" in question and 'name="reason"' in question
    client.post(
        f"/manage/runs/{past_run.pk}/",
        {
            "certificate-action": "issue",
            "enrolment": enrolment.pk,
            "kind": rule.kind,
            "reason": "Certified by the academy board",
        },
    )
    certificate = Certificate.objects.get(run=past_run, user=person, status="valid")
    entry = ModelLogEntry.objects.get(
        action="pan.certificate_issue_anyway", object_id=str(certificate.pk)
    )
    assert entry.data["reason"] == "Certified by the academy board"
    assert entry.data["rule_not_met"]
    revoke = client.get(
        f"/manage/runs/{past_run.pk}/certificates/confirm/",
        {"action": "revoke", "certificate": certificate.code},
    ).content.decode()
    assert "This cannot be undone." in revoke
