"""Background work for the catalogue."""

from celery import shared_task

from . import services


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def catalogue_rebuild(self) -> int:
    """Recompute the catalogue's facet rows for every live course (idempotent)."""
    return services.catalogue_rebuild()
