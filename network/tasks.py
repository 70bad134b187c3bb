"""Background work for the network directory: carrying out due erasure requests."""

from celery import shared_task

from . import privacy


@shared_task
def erasures_run() -> int:
    """Periodic (Celery beat): queue every erasure whose cool-off period is over."""
    due = privacy.erasures_due()
    for request_id in due:
        erasure_execute.delay(request_id)
    return len(due)


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=10)
def erasure_execute(self, request_id: int) -> bool:
    return privacy.erasure_execute(request_id=request_id)
