"""Issuing: standings prepared and rendered, rows inserted once under the unique constraint,
automatic checks, bulk issuance in chunks."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import events
from core.public_url import public_base_url
from network.storage import private_storage

from .. import rendering, selectors
from ..models import (
    Certificate,
    CertificateRule,
    Kind,
)
from .layouts import _cached_layout, _fill, _texts

logger = logging.getLogger(__name__)
CHUNK = 100  # certificates per bulk-issuing task


def code_new() -> str:
    """13 characters of Crockford base32: 65 bits from the system's CSPRNG."""
    return "".join(secrets.choice(selectors.CODE_ALPHABET) for _ in range(13))


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
    # A certificate earned before the run's last day (a self-paced run completed early) is
    # dated with the day it was earned, never with a day still to come.
    end = min(run.end_date, timezone.localdate())
    start = min(run.start_date, end)
    return {
        "name": profile.full_name,
        "name_latin": profile.latin_name,
        "course": run.course.title,
        "run": run.display_title,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "dates": f"{start:%d.%m.%Y} – {end:%d.%m.%Y}",
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
        run_url = f"{public_base_url()}/runs/{certificate.run_id}/"
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
    *,
    run,
    kind: str,
    enrolment_ids=None,
    user_id=None,
    actor=None,
    check_rules: bool = True,
    reason: str = "",
) -> list[Certificate]:
    """Issue the run's certificates of one kind to those who are owed one (all participants,
    some enrolments, or one person). With `check_rules=False` (a coordinator issuing by hand)
    the rule's conditions are not required, but a revoked certificate is still never issued
    again, and never one whose name the fonts cannot print (that would put a wrong name on
    paper); issuing to someone below the rule ("Issue anyway") needs a `reason`, which the
    audit trail keeps with what the rule asked. Returns the certificates this call issued."""
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
    below_rule = {s.enrolment.user_id: s.reasons for s in owed if not s.eligible}
    reason = reason.strip()
    if below_rule and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Reason: required to issue a certificate although the rule is not met "
                    "(the audit trail keeps it)."
                )
            },
            code="reason_required",
        )
    prepared = [_prepare(standing, run=run, now=now, actor=actor) for standing in owed]
    issued = _store(prepared)
    _users_for(issued, standings)
    _announce(issued)
    if actor is not None:
        _log_issued(issued, actor, below_rule=below_rule, reason=reason[:500])
    return issued


def _log_issued(
    certificates: list[Certificate], actor, *, below_rule: dict | None = None, reason: str = ""
) -> None:
    """One audit-log entry per certificate a person issued, written in one statement (a bulk
    issue writes hundreds; Wagtail's log() validates and inserts them one by one). One issued
    below the rule is its own action, with the reason and what the rule found missing."""
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
                action="pan.certificate_issue_anyway"
                if certificate.user_id in (below_rule or {})
                else "pan.certificate_issue",
                data={
                    "reason": reason,
                    "rule_not_met": [str(r) for r in below_rule[certificate.user_id]],
                }
                if certificate.user_id in (below_rule or {})
                else {},
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
    from .. import tasks

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
    from .. import tasks

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
