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

    # Lock the notification row only: the run and enrolment rows are locked, in that order, by
    # the enrolment services, and taking them here in another order could deadlock.
    notification = (
        Notification.objects.select_for_update(of=("self",)).filter(pk=notification_id).first()
    )
    if notification is None or notification.sent_at is not None:
        return False
    enrolment = Enrolment.objects.select_related("run__course", "run__organiser", "user").get(
        pk=notification.enrolment_id
    )
    recipient = notification.recipient or enrolment.user
    if not recipient.is_active:
        notification.sent_at = timezone.now()
        notification.save(update_fields=["sent_at"])
        return False
    profile = TraineeProfile.objects.filter(user=recipient).first()
    language = profile.preferred_language if profile else settings.LANGUAGE_CODE
    if notification.kind == Kind.QUEUE:
        subject, body = _queue_mail(notification, enrolment.run, profile, language)
    else:
        subject, body = _trainee_mail(notification, enrolment, profile, language)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    notification.sent_at = timezone.now()
    notification.save(update_fields=["sent_at"])
    return True


def _trainee_mail(notification, enrolment, profile, language) -> tuple[str, str]:
    """What the enrolled person is told. Never the nominator's note: it is for the coordinators."""
    from django.template.loader import render_to_string
    from django.utils import translation

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
        return subject % {"run": isolate(run.display_title)}, body


def _queue_mail(notification, run, profile, language) -> tuple[str, str]:
    """What a coordinator is told when requests or nominations arrive: who, from which
    country, nominated by whom and with what note, and the way to the queue."""
    from django.template.loader import render_to_string
    from django.utils import translation

    ids = notification.context.get("enrolments") or [notification.enrolment_id]
    arrived = list(
        Enrolment.objects.filter(pk__in=ids)
        .select_related("user__trainee_profile", "country", "nominated_by")
        .order_by("pk")
    )
    with translation.override(language):
        people = []
        for enrolment in arrived:
            officer = getattr(enrolment.user, "trainee_profile", None)
            people.append(
                {
                    "name": isolate(officer.latin_name if officer else enrolment.user.email),
                    "country": enrolment.country.label if enrolment.country_id else "",
                    "nominator": isolate(str(enrolment.nominated_by))
                    if enrolment.nominated_by_id
                    else "",
                    "note": isolate(enrolment.nominator_note),
                    "state": enrolment.get_state_display(),
                    "waiting": enrolment.state == Enrolment.State.REQUESTED,
                }
            )
        context = {
            "name": isolate(profile.greeting_name) if profile else "",
            "run": run,
            "run_title": isolate(run.display_title),
            "people": people,
            "queue_url": public_base_url() + "/manage/queue/",
            "run_url": public_base_url() + f"/manage/runs/{run.pk}/",
        }
        body = render_to_string("trainees/email/queue.txt", context)
        subject = _("Requests awaiting your decision: %(run)s") % {
            "run": isolate(run.display_title)
        }
        return subject, body
