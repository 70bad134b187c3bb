"""Background work of the LRS: draining the forwarding outbox, purging expired launch tokens."""

from celery import shared_task

from . import services


@shared_task(bind=True, max_retries=0)
def forward_drain(self) -> int:
    """Send what is due, batch after batch, until a batch fails or nothing is due. Periodic
    (Celery beat) and after each stored batch; failures wait for their backoff."""
    sent = 0
    while True:
        delivered = services.forward_batch()
        sent += delivered
        if delivered < services.FORWARD_BATCH:
            return sent


@shared_task
def launch_tokens_purge() -> int:
    """Periodic (Celery beat, daily)."""
    return services.launch_tokens_purge()
