"""Writes for certificates: issuing (automatic, manual, bulk), name corrections, revocation,
withdrawal on erasure, and the template preview.

Issuing is idempotent by construction: a certificate row is inserted with ON CONFLICT DO
NOTHING against the unique (person, run, kind, version) constraint, so a task delivered twice
or two workers racing insert one row; the loser's rendered file is deleted. A revoked
certificate is never issued again: its version 1 row still exists."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core import events
from pan_network.storage import private_storage

from . import rendering, selectors
from .models import (
    Certificate,
    CertificateRule,
    CertificateTemplate,
    Kind,
    fill_placeholders,
)

logger = logging.getLogger(__name__)
CHUNK = 100  # certificates per bulk-issuing task


def code_new() -> str:
    """13 characters of Crockford base32: 65 bits from the system's CSPRNG."""
    return "".join(secrets.choice(selectors.CODE_ALPHABET) for _ in range(13))


# ---------------------------------------------------------------------------------------------
# Templates: layout (cached per process: the same images serve thousands of certificates)
# ---------------------------------------------------------------------------------------------


def _image_bytes(image) -> bytes | None:
    if image is None:
        return None
    try:
        with image.file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        logger.warning("Certificate image %s is missing its file", image.pk)
        return None


def _layout_of(template: CertificateTemplate) -> rendering.Layout:
    logos = tuple(
        data
        for block in template.logos
        if (data := _image_bytes(block.value.get("image"))) is not None
    )
    return rendering.Layout(
        orientation=template.orientation,
        primary_colour=template.primary_colour,
        accent_colour=template.accent_colour,
        background=_image_bytes(template.background),
        logos=logos,
        signatories=tuple(
            rendering.Signatory(
                name=s.name, position=s.position, signature=_image_bytes(s.signature)
            )
            for s in template.signatories.all()
        ),
    )


@lru_cache(maxsize=64)
def _cached_layout(template_id: int, updated_at) -> rendering.Layout:
    template = CertificateTemplate.objects.prefetch_related("signatories").get(pk=template_id)
    return _layout_of(template)


def _texts(template: CertificateTemplate) -> dict:
    return {text.language: text for text in template.texts.all()}


def _fill(text: str, values: dict) -> str:
    return fill_placeholders(text, values)


# ---------------------------------------------------------------------------------------------
# Issuing
# ---------------------------------------------------------------------------------------------


@dataclass
class _Prepared:
    certificate: Certificate
    pdf: bytes


def _snapshot(standing, *, run, language: str) -> dict:
    enrolment = standing.enrolment
    profile = enrolment.user.trainee_profile
    rule = standing.rule
    with translation.override(language):
        kind_label = str(Kind(rule.kind).label)
    return {
        "name": profile.full_name,
        "name_latin": profile.latin_name,
        "course": run.course.title,
        "run": run.display_title,
        "start_date": run.start_date.isoformat(),
        "end_date": run.end_date.isoformat(),
        "dates": f"{run.start_date:%d.%m.%Y} – {run.end_date:%d.%m.%Y}",
        "hours": run.course.duration_hours,
        "institution": run.organiser.name,
        "institution_id": run.organiser_id,
        "country": run.host_country.label if run.host_country_id else "",
        "kind": kind_label,
        "rule": {
            "min_attendance": rule.min_attendance,
            "lessons_required": rule.lessons_required,
            "min_score": rule.min_score,
        },
        "attendance_rate": standing.attendance_rate,
        "score": standing.score,
        "template_id": rule.template_id,
        "language": language,
    }


def _prepare(standing, *, run, now, actor, version=1, supersedes=None) -> _Prepared:
    rule = standing.rule
    template = rule.template
    texts = _texts(template)
    language = next(
        (lang for lang in (run.language, settings.LANGUAGE_CODE) if lang in texts),
        next(iter(texts), settings.LANGUAGE_CODE),
    )
    snapshot = _snapshot(standing, run=run, language=language)
    text = texts.get(language)
    title = text.title_for(rule.kind) if text else snapshot["kind"]
    body = _fill(text.body, snapshot) if text else ""
    snapshot["title"], snapshot["body"] = title, body
    code = code_new()
    with translation.override(language):
        content = rendering.Content(
            title=title,
            body=body,
            holder_name=snapshot["name"],
            holder_name_latin=snapshot["name_latin"],
            code=code,
            verify_url=selectors.verify_url(code),
            language=language,
            pdf_title=f"{title}: {snapshot['name_latin']}",
            pdf_author=snapshot["institution"],
            pdf_subject=f"{snapshot['course']} ({snapshot['dates']})",
            verify_label=_("Verify at"),
        )
    layout = _cached_layout(template.pk, template.updated_at)
    pdf = rendering.render(layout, content)
    expires_at = None
    if rule.valid_months:
        from dateutil.relativedelta import relativedelta

        expires_at = now + relativedelta(months=rule.valid_months)
    certificate = Certificate(
        code=code,
        user_id=standing.enrolment.user_id,
        run_id=run.pk,
        kind=rule.kind,
        version=version,
        supersedes=supersedes,
        snapshot=snapshot,
        language=language,
        sha256=hashlib.sha256(pdf).hexdigest(),
        issued_at=now,
        issued_by=actor,
        expires_at=expires_at,
    )
    return _Prepared(certificate=certificate, pdf=pdf)


def _store(prepared: list[_Prepared]) -> list[Certificate]:
    """Write the files, insert the rows (conflicts ignored), keep what was inserted and delete
    the files of what was not. Returns the certificates inserted by this call."""
    for item in prepared:
        item.certificate.pdf.name = private_storage.save(
            f"certificates/{item.certificate.code}.pdf", ContentFile(item.pdf)
        )
    Certificate.objects.bulk_create([item.certificate for item in prepared], ignore_conflicts=True)
    codes = [item.certificate.code for item in prepared]
    inserted = {c.code: c for c in Certificate.objects.filter(code__in=codes)}
    for item in prepared:
        if item.certificate.code not in inserted:
            private_storage.delete(item.certificate.pdf.name)
    # A rollback after this point leaves the inserted rows' files unreferenced on disk; they
    # are harmless (nothing links to them) and named by codes nobody holds.
    _changed(inserted.values())
    return list(inserted.values())


def _changed(certificates) -> None:
    """Tell the apps above (figures, cascades of trainers) which certificates changed."""
    certificates = list(certificates)
    if certificates:
        events.certificates_changed.send(certificates=certificates)


def _announce(certificates: list[Certificate]) -> None:
    """Mail each holder a link and record an xAPI "earned" statement (one batch)."""
    if not certificates:
        return
    from trainees import services as trainee_services
    from xapi import services as xapi_services

    runs = {}
    statements = []
    for certificate in certificates:
        run_url = f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/runs/{certificate.run_id}/"
        statements.append(
            xapi_services.platform_statement_data(
                user=certificate.user,
                verb="earned",
                activity_id=f"{run_url}#certificate-{certificate.kind}",
                key=f"earned:certificate:{certificate.code}",
                name=certificate.snapshot.get("title", ""),
            )
        )
        runs.setdefault(certificate.run_id, []).append(certificate)
    xapi_services.statements_store(
        statements=statements, credentials=xapi_services.platform_credentials()
    )
    trainee_services.notifications_owe(
        kind="certificate",
        items=[
            {
                "run_id": c.run_id,
                "user_id": c.user_id,
                "key": f"certificate:{c.code}",
                "context": {
                    "url": selectors.verify_url(c.code),
                    "title": c.snapshot.get("title", ""),
                    "code": rendering.format_code(c.code),
                },
            }
            for c in certificates
        ],
    )


def _users_for(certificates: list[Certificate], standings) -> None:
    users = {s.enrolment.user_id: s.enrolment.user for s in standings}
    for certificate in certificates:
        certificate.user = users.get(certificate.user_id)


@transaction.atomic
def certificates_issue(
    *, run, kind: str, enrolment_ids=None, user_id=None, actor=None, check_rules: bool = True
) -> list[Certificate]:
    """Issue the run's certificates of one kind to those who are owed one (all participants,
    some enrolments, or one person). With `check_rules=False` (a coordinator issuing by hand)
    the rule's conditions are not required, but a revoked certificate is still never issued
    again, and never one whose name the fonts cannot print (that would put a wrong name on
    paper). Returns the certificates this call issued."""
    from courses.models import CourseRun

    run = CourseRun.objects.select_related("course", "organiser", "host_country").get(pk=run.pk)
    rule = (
        CertificateRule.objects.select_related("template")
        .prefetch_related("template__texts")
        .filter(run_id=run.pk, kind=kind)
        .first()
    )
    if rule is None:
        raise ValidationError(
            {"kind": _("This run has no rule for this kind of certificate.")}, code="no_rule"
        )
    standings = selectors.run_standings(
        run=run, rules=[rule], enrolment_ids=enrolment_ids, user_id=user_id
    )
    now = timezone.now()
    owed = []
    refused = []
    unprintable = []
    for standing in standings:
        if standing.certificate is not None:
            if standing.certificate.status == Certificate.Status.REVOKED:
                refused.append(standing)
            continue
        if not standing.printable:
            unprintable.append(standing)
            continue
        if check_rules and not standing.eligible:
            continue
        owed.append(standing)
    if user_id is not None and not owed:
        if refused:
            raise ValidationError(
                {
                    "kind": _(
                        "This certificate was revoked; a revoked certificate is not issued again."
                    )
                },
                code="revoked",
            )
        if unprintable:
            raise ValidationError(
                {
                    "name": _("%(reason)s The certificate cannot be issued until it can be.")
                    % {"reason": unprintable[0].unprintable}
                },
                code="unprintable",
            )
    prepared = [_prepare(standing, run=run, now=now, actor=actor) for standing in owed]
    issued = _store(prepared)
    _users_for(issued, standings)
    _announce(issued)
    if actor is not None:
        _log_issued(issued, actor)
    return issued


def _log_issued(certificates: list[Certificate], actor) -> None:
    """One audit-log entry per certificate a person issued, written in one statement (a bulk
    issue writes hundreds; Wagtail's log() validates and inserts them one by one)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    if not certificates:
        return
    content_type = ContentType.objects.get_for_model(Certificate)
    now = timezone.now()
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type=content_type,
                label=str(certificate)[:255],
                action="pan.certificate_issue",
                data={},
                timestamp=now,
                user=actor,
                object_id=str(certificate.pk),
            )
            for certificate in certificates
        ]
    )


def run_check(*, run_id: int) -> int:
    """Issue every certificate the run's automatic rules now owe (in chunks, through the
    certificates queue). Returns how many people are owed one."""
    from courses.models import CourseRun

    run = CourseRun.objects.filter(pk=run_id).exclude(status="cancelled").first()
    if run is None:
        return 0
    rules = list(run.certificate_rules.filter(automatic=True).select_related("template"))
    return _fan_out(run=run, rules=rules, actor=None)


def person_check(*, run_id: int, user_id: int) -> list[Certificate]:
    """Issue what the run's automatic rules owe one person (after their attendance or lesson
    progress changed)."""
    from courses.models import CourseRun

    run = CourseRun.objects.filter(pk=run_id).exclude(status="cancelled").first()
    if run is None:
        return []
    issued = []
    for rule in run.certificate_rules.filter(automatic=True):
        try:
            issued += certificates_issue(run=run, kind=rule.kind, user_id=user_id)
        except ValidationError:
            continue
    return issued


def run_certify(*, run, actor) -> int:
    """Bulk issuance for a whole run, asked for by a coordinator: every owed certificate of
    every rule, fanned out in chunks. Returns how many people are owed one."""
    rules = list(run.certificate_rules.select_related("template"))
    if not rules:
        raise ValidationError(
            {"rules": _("Add a certificate rule to the run first (in the admin).")},
            code="no_rules",
        )
    return _fan_out(run=run, rules=rules, actor=actor)


def _fan_out(*, run, rules, actor) -> int:
    from . import tasks

    owed = 0
    for rule in rules:
        ids = [s.enrolment.pk for s in selectors.run_standings(run=run, rules=[rule]) if s.owed]
        owed += len(ids)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            transaction.on_commit(
                lambda chunk=chunk, kind=rule.kind: tasks.issue_chunk.delay(
                    run.pk, kind, chunk, actor.pk if actor else None
                ),
                robust=True,
            )
    return owed


def changed(*, run_id: int, user_id: int | None = None) -> None:
    """Attendance or lesson progress changed: check the automatic rules after commit."""
    from . import tasks

    if user_id is None:
        transaction.on_commit(lambda: tasks.run_check.delay(run_id), robust=True)
    else:
        transaction.on_commit(lambda: tasks.person_check.delay(run_id, user_id), robust=True)


def ended_runs_check(*, since=None) -> int:
    """Periodic: runs whose last session ended recently get their automatic rules checked
    (attendance rules can only be met once the run is over)."""
    from datetime import timedelta

    since = since or timezone.now() - timedelta(days=2)
    runs = selectors.runs_with_automatic_rules_ended_since(since=since)
    return sum(run_check(run_id=run_id) for run_id in runs)


# ---------------------------------------------------------------------------------------------
# Expiry: reminders to holders and coordinators
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def expiry_reminders_owe(*, now=None) -> int:
    """Periodic: owe each holder whose certificate reaches a reminder lead time one e-mail (in
    their language, once for each lead time), and the issuing institutions' coordinators a
    digest of them. Returns how many reminders were newly owed."""
    from trainees import services as trainee_services

    from . import tasks
    from .models import ExpiryReminder

    due = selectors.expiry_reminders_due(now=now)
    if not due:
        return 0
    created = ExpiryReminder.objects.bulk_create(
        [ExpiryReminder(certificate=c, days_before=days) for c, days in due],
        ignore_conflicts=True,  # a racing run of the same task owes nothing twice
    )
    trainee_services.notifications_owe(
        kind="certificate_expiring",
        items=[
            {
                "run_id": c.run_id,
                "user_id": c.user_id,
                "key": f"certificate-expiring:{c.code}:{days}",
                "context": {
                    "url": selectors.verify_url(c.code),
                    "title": c.snapshot.get("title", ""),
                    "code": rendering.format_code(c.code),
                    "expires": c.expires_at.date().isoformat(),
                },
            }
            for c, days in due
        ],
    )
    for institution_id in sorted({c.run.organiser_id for c, _days in due}):
        transaction.on_commit(
            lambda i=institution_id: tasks.expiry_digest_send.delay(i), robust=True
        )
    return len(created)


@transaction.atomic
def expiry_digest_send(*, institution_id: int) -> int:
    """E-mail the institution's coordinators the reminders not yet reported to them: who, for
    which course, expiring when, with a link to the page where they can enrol the holders in a
    refresher run. Each reminder is reported once. Returns how many were reported."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    from core.text import isolate
    from pan_network.models import Membership

    from .models import ExpiryReminder

    reminders = list(
        ExpiryReminder.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            certificate__run__organiser_id=institution_id,
            coordinators_notified_at__isnull=True,
        )
        .select_related("certificate__run__course")
        .order_by("certificate__expires_at", "pk")
    )
    if not reminders:
        return 0
    coordinators = (
        Membership.objects.filter(
            role=Membership.Role.COORDINATOR, institution_id=institution_id, user__is_active=True
        )
        .select_related("user__trainee_profile")
        .order_by("user_id")
    )
    rows = [
        {
            "name": isolate(r.certificate.snapshot.get("name_latin", "")),
            "course": isolate(r.certificate.snapshot.get("course", "")),
            "expires": r.certificate.expires_at,
            "code": rendering.format_code(r.certificate.code),
        }
        for r in reminders
    ]
    page = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/manage/certificates/expiring/"
    for membership in coordinators:
        user = membership.user
        profile = getattr(user, "trainee_profile", None)
        language = profile.preferred_language if profile else settings.LANGUAGE_CODE
        with translation.override(language):
            body = render_to_string(
                "certificates/email/expiry_digest.txt", {"rows": rows, "url": page}
            )
            subject = _("Certificates expiring soon: %(n)d") % {"n": len(rows)}
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    ExpiryReminder.objects.filter(pk__in=[r.pk for r in reminders]).update(
        coordinators_notified_at=timezone.now()
    )
    return len(reminders)


@transaction.atomic
def holders_enrol_in_refresher(*, run, certificate_ids, actor) -> int:
    """Enrol the holders of these certificates in a refresher run (the coordinator's page of
    certificates expiring). Holders already enrolled are left as they are. Returns how many
    were enrolled."""
    from trainees import services as trainee_services
    from trainees.models import Enrolment

    holders = set(
        Certificate.objects.filter(pk__in=list(certificate_ids), user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    if not holders:
        raise ValidationError({"certificates": _("Choose at least one holder to enrol.")})
    taken = set(
        Enrolment.objects.filter(run=run, user_id__in=holders)
        .exclude(state__in=[Enrolment.State.WITHDRAWN, Enrolment.State.EXPIRED])
        .values_list("user_id", flat=True)
    )
    from pan_network.models import User

    emails = list(
        User.objects.filter(pk__in=holders - taken).order_by("pk").values_list("email", flat=True)
    )
    if not emails:
        return 0
    enrolments = trainee_services.enrolments_import(
        run=run, rows=[{"email": email} for email in emails], actor=actor
    )
    return len(enrolments)


# ---------------------------------------------------------------------------------------------
# Corrections, revocation, withdrawal
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the certificate is revoked; the verification page shows it.")},
            code="required",
        )
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == Certificate.Status.REVOKED:
        raise ValidationError({"status": _("This certificate is already revoked.")})
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_reason = reason[:300]
    certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    log(instance=certificate, action="pan.certificate_revoke", user=actor, data={"reason": reason})
    _changed([certificate])
    return certificate


@transaction.atomic
def certificate_correct(*, certificate: Certificate, actor) -> Certificate:
    """Issue a new version with the holder's current name; the old one is superseded (its
    page links to the new one)."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != Certificate.Status.VALID:
        raise ValidationError(
            {"status": _("Only a valid certificate can be corrected.")}, code="not_valid"
        )
    run = certificate.run
    rule = (
        CertificateRule.objects.select_related("template")
        .filter(run_id=run.pk, kind=certificate.kind)
        .first()
    )
    if rule is None:
        raise ValidationError({"kind": _("This run no longer has a rule for this kind.")})
    standing = selectors.Standing(
        enrolment=_enrolment_of(certificate),
        rule=rule,
        attendance_rate=certificate.snapshot.get("attendance_rate"),
        score=certificate.snapshot.get("score"),
    )
    profile = getattr(standing.enrolment.user, "trainee_profile", None)
    if profile is None:
        raise ValidationError({"name": _("The holder has no profile to take the name from.")})
    old = {certificate.snapshot.get("name"), certificate.snapshot.get("name_latin")}
    if {profile.full_name, profile.latin_name} == old:
        raise ValidationError(
            {"name": _("The name in the profile is the one on the certificate; correct it first.")},
            code="unchanged",
        )
    missing = rendering.missing_characters(f"{profile} {profile.latin_name}")
    if missing:
        raise ValidationError(
            {"name": _("The certificate fonts cannot print %(c)s.") % {"c": " ".join(missing)}}
        )
    certificate.status = Certificate.Status.SUPERSEDED
    certificate.save(update_fields=["status"])
    prepared = _prepare(
        standing,
        run=run,
        now=timezone.now(),
        actor=actor,
        version=certificate.version + 1,
        supersedes=certificate,
    )
    prepared.certificate.issued_at = timezone.now()
    [new] = _store([prepared])
    new.user = standing.enrolment.user
    _announce([new])
    log(
        instance=new,
        action="pan.certificate_correct",
        user=actor,
        data={"supersedes": certificate.code},
    )
    return new


def _enrolment_of(certificate: Certificate):
    from trainees import selectors as trainee_selectors

    [enrolment] = trainee_selectors.certifiable_enrolments(
        run=certificate.run, user_id=certificate.user_id
    ) or [None]
    if enrolment is None:
        raise ValidationError({"user": _("The holder is no longer enrolled in this run.")})
    return enrolment


@transaction.atomic
def personal_data_erase(*, user) -> int:
    """On erasure: every certificate of the person is revoked as withdrawn at their request,
    the names are removed from the snapshot and the PDFs deleted. The verification page then
    says only that the certificate existed and was withdrawn; counts are unchanged."""
    now = timezone.now()
    count = 0
    certificates = list(Certificate.objects.select_for_update().filter(user=user))
    _changed(certificates)
    for certificate in certificates:
        if certificate.pdf:
            name = certificate.pdf.name
            transaction.on_commit(lambda name=name: private_storage.delete(name))
        certificate.snapshot = {
            key: certificate.snapshot.get(key)
            for key in ("course", "run", "dates", "start_date", "end_date", "institution", "kind")
        }
        certificate.pdf = ""
        if certificate.status != Certificate.Status.REVOKED:
            certificate.status = Certificate.Status.REVOKED
            certificate.revoked_at = now
        certificate.revocation_reason = "withdrawn at the holder's request"
        certificate.user = None
        certificate.save()
        count += 1
    return count


# ---------------------------------------------------------------------------------------------
# Template preview in the admin
# ---------------------------------------------------------------------------------------------


def template_preview_pdf(*, template: CertificateTemplate, language: str) -> bytes:
    """A sample certificate from an unsaved or saved template (Wagtail's preview)."""
    texts = {text.language: text for text in template.texts.all()}
    text = texts.get(language) or next(iter(texts.values()), None)
    native = template.sample_name or "ნინო ბერიძე"
    latin = template.sample_name or "Nino Beridze"
    values = {
        "name": native,
        "name_latin": latin,
        "course": "Cybercrime investigation for trainers",
        "run": "Cybercrime investigation for trainers · Belgrade 2026",
        "dates": "14.09.2026 – 02.10.2026",
        "hours": 120,
        "institution": template.institution.name if template.institution_id else "",
        "country": "Serbia",
        "kind": str(Kind.COMPLETION.label),
    }
    code = "0" * 13
    content = rendering.Content(
        title=text.title_for("completion") if text else str(Kind.COMPLETION.label),
        body=_fill(text.body, values) if text else "",
        holder_name=native,
        holder_name_latin=latin,
        code=code,
        verify_url=selectors.verify_url(code),
        language=language,
        pdf_title="Preview",
        pdf_author=values["institution"],
        pdf_subject="Preview",
    )
    return rendering.render(_layout_of(template), content)


def template_preview_response(*, template: CertificateTemplate, language: str):
    from django.http import HttpResponse

    problems = []
    if template.sample_name:
        missing = rendering.missing_characters(template.sample_name)
        if missing:
            problems.append(
                _("The certificate fonts cannot print %(c)s in the sample name.")
                % {"c": " ".join(missing)}
            )
    for text in template.texts.all():
        for value in (text.body, text.participation_title, text.completion_title):
            missing = rendering.missing_characters(value or "")
            if missing:
                problems.append(
                    _("The %(lang)s text has characters the fonts cannot print: %(c)s")
                    % {"lang": text.language, "c": " ".join(missing)}
                )
    if problems:
        from django.utils.html import escape

        items = "".join(f"<li>{escape(p)}</li>" for p in problems)
        return HttpResponse(
            f"<!doctype html><title>Preview</title><h1>{escape(_('Not printable'))}</h1>"
            f"<ul>{items}</ul>",
            status=200,
        )
    pdf = template_preview_pdf(template=template, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="certificate-preview.pdf"'
    return response
