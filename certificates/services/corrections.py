"""Corrections, revocation and withdrawal on erasure."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from network.storage import private_storage

from .. import rendering, selectors
from ..models import (
    Certificate,
    CertificateRule,
)
from .issuing import _announce, _changed, _prepare, _store

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
