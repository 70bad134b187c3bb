"""Expiry: reminders to holders and digests to coordinators, holders enrolled in a refresher."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.public_url import public_base_url

from .. import rendering, selectors
from ..models import (
    Certificate,
)

# Expiry: reminders to holders and coordinators
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def expiry_reminders_owe(*, now=None) -> int:
    """Periodic: owe each holder whose certificate reaches a reminder lead time one e-mail (in
    their language, once for each lead time), and the issuing institutions' coordinators a
    digest of them. Returns how many reminders were newly owed."""
    from trainees import services as trainee_services

    from .. import tasks
    from ..models import ExpiryReminder

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
    from network.models import Membership

    from ..models import ExpiryReminder

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
    page = public_base_url() + "/manage/certificates/expiring/"
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
    from network.models import User

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
