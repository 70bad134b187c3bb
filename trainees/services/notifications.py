"""Notifications owed by enrolment and attendance, written in the recipient's language and sent
once each (the task retries; a sent row is never sent again)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.public_url import public_base_url
from core.text import isolate

from ..models import (
    Enrolment,
    Notification,
    TraineeProfile,
)
from .enrolment import Kind

# ---------------------------------------------------------------------------------------------
# Notifications
# ---------------------------------------------------------------------------------------------


def _messages() -> dict[str, tuple[str, str]]:
    """Subject and opening sentence per kind, translated in the active language."""
    return {
        Kind.REQUESTED: (
            _("Request received: %(run)s"),
            _("We have received your request for a place. A coordinator will decide on it."),
        ),
        Kind.ENROLLED: (_("You are enrolled: %(run)s"), _("You are enrolled in this course run.")),
        Kind.APPROVED: (
            _("Request approved: %(run)s"),
            _("Your request was approved and you are enrolled."),
        ),
        Kind.REJECTED: (
            _("Request not accepted: %(run)s"),
            _("Your request for a place was not accepted."),
        ),
        Kind.WAITLISTED: (
            _("You are on the waitlist: %(run)s"),
            _("The run is full, so you are on its waitlist. We will write when a place frees."),
        ),
        Kind.OFFERED: (
            _("A place is free for you: %(run)s"),
            _(
                "A place has freed up and is offered to you. "
                "Accept it on My learning before it expires."
            ),
        ),
        Kind.PROMOTED: (
            _("You are enrolled from the waitlist: %(run)s"),
            _("A place has freed up and you are now enrolled."),
        ),
        Kind.NOMINATED: (
            _("You have been nominated: %(run)s"),
            _(
                "Your national focal point has nominated you for this run. "
                "A coordinator will decide."
            ),
        ),
        Kind.EXPIRED: (
            _("Offer expired: %(run)s"),
            _("The place offered to you was not accepted in time and has gone to the next person."),
        ),
        Kind.WITHDRAWN: (
            _("Withdrawn: %(run)s"),
            _("You are no longer enrolled in this run."),
        ),
        Kind.REMINDER: (
            _("Starting soon: %(run)s"),
            _("A reminder: the first session of your course run is coming up."),
        ),
        Kind.SESSIONS_CHANGED: (
            _("Sessions changed: %(run)s"),
            _("Some sessions of your course run have changed or been cancelled."),
        ),
        Kind.RUN_CANCELLED: (
            _("Run cancelled: %(run)s"),
            _("This course run has been cancelled."),
        ),
        Kind.FOLLOW_UP: (
            _("Three months on: %(run)s"),
            _(
                "It is three months since your course ended. Two short questions, answered "
                "in a minute, tell the organisers what came of it: do you use what you "
                "learned, and have you trained others?"
            ),
        ),
        Kind.CERTIFICATE: (
            _("Your certificate: %(run)s"),
            _(
                "Your certificate has been issued. Anyone can check it at the address below; "
                "you can download it from My learning."
            ),
        ),
        Kind.CERTIFICATE_EXPIRING: (
            _("Your certificate expires soon: %(run)s"),
            _(
                "Your certificate is valid for a limited time and will expire on the date below. "
                "To renew it, take the refresher course your institution offers; your "
                "coordinator can enrol you."
            ),
        ),
    }


def notifications_owed(*, older_than: timedelta = timedelta(minutes=10)) -> list[int]:
    """Notifications not sent some minutes after they were owed (a lost task, a mail server
    that was down), for notifications_retry to send again."""
    cutoff = timezone.now() - older_than
    return list(
        Notification.objects.filter(sent_at=None, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )


def _notification_data(context: dict) -> dict:
    """The notification's stored context for the e-mail: dates back as dates, so that the
    template writes them in the recipient's language."""
    import datetime as dt

    data = dict(context)
    if isinstance(data.get("expires"), str):
        data["expires"] = dt.date.fromisoformat(data["expires"][:10])
    return data


@transaction.atomic
def notification_send(*, notification_id: int) -> bool:
    """Send one owed e-mail in the recipient's preferred language. Sent ones are skipped, so a
    retried task does not send twice."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    # Lock the notification row only: the run and enrolment rows are locked, in that order, by
    # the enrolment services, and taking them here in another order could deadlock.
    notification = (
        Notification.objects.select_for_update(of=("self",)).filter(pk=notification_id).first()
    )
    if notification is None or notification.sent_at is not None:
        return False
    enrolment = Enrolment.objects.select_related("run__course", "user").get(
        pk=notification.enrolment_id
    )
    user = enrolment.user
    if not user.is_active:
        notification.sent_at = timezone.now()
        notification.save(update_fields=["sent_at"])
        return False
    profile = TraineeProfile.objects.filter(user=user).first()
    language = profile.preferred_language if profile else settings.LANGUAGE_CODE
    run = enrolment.run
    with translation.override(language):
        subject, lead = _messages()[notification.kind]
        context = {
            # People's text isolated, so that a right-to-left name or title keeps its order.
            "name": isolate(profile.greeting_name) if profile else "",
            "lead": lead,
            "run": run,
            "run_title": isolate(run.display_title),
            "enrolment": enrolment,
            "kind": notification.kind,
            "data": _notification_data(notification.context),
            "my_url": public_base_url() + "/my/",
        }
        body = render_to_string("trainees/email/notification.txt", context)
        send_mail(
            subject % {"run": isolate(run.display_title)},
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    notification.sent_at = timezone.now()
    notification.save(update_fields=["sent_at"])
    return True
