"""Background work for enrolment: e-mails, waitlist promotion, offer expiry, reminders.
Ids in, one service call, retries; every service is idempotent."""

from celery import shared_task

from . import services


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def notification_send(self, notification_id: int) -> bool:
    return services.notification_send(notification_id=notification_id)


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def notifications_send(self, notification_ids: list[int]) -> int:
    """A batch of owed e-mails (certificates issued in bulk): a retry skips those sent."""
    return sum(services.notification_send(notification_id=pk) for pk in notification_ids)


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def invitation_send(self, invitation_id: int) -> bool:
    """A focal point's invitation to sign up, for an officer without an account."""
    return services.invitation_send(invitation_id=invitation_id)


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def waitlist_promote(self, run_id: int) -> int:
    return services.waitlist_promote(run_id=run_id)


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def offers_expire(self) -> int:
    """Periodic (Celery beat)."""
    return services.offers_expire()


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def reminders_send(self) -> int:
    """Periodic (Celery beat)."""
    return services.reminders_send()


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def notifications_retry(self) -> int:
    """Periodic (Celery beat): send again what is still owed (invitations to sign up too)."""
    owed = services.notifications_owed()
    for notification_id in owed:
        notification_send.delay(notification_id)
    invitations = services.invitations_owed()
    for invitation_id in invitations:
        invitation_send.delay(invitation_id)
    return len(owed) + len(invitations)


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def statement_registered(self, transition_id: int) -> str | None:
    return services.statement_registered(transition_id=transition_id)


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def statements_attended(self, session_id: int, enrolment_ids: list[int]) -> int:
    return services.statements_attended(session_id=session_id, enrolment_ids=enrolment_ids)
