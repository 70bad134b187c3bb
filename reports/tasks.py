"""Background work for the network's figures: tallies refreshed after a change, rebuilt
nightly; follow-up questionnaires sent daily."""

from celery import shared_task

from . import services


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def tallies_refresh(self, run_ids: list[int]) -> int:
    """After commit of a change to these runs' enrolments, registers, certificates or
    answers. A refresh recomputes from the tables, so a retried or repeated task is harmless."""
    services.tallies_due_clear(run_ids=run_ids)
    return services.tallies_refresh(run_ids=run_ids)


@shared_task
def tallies_rebuild() -> int:
    """Nightly (Celery beat): every run again, in case a change was missed."""
    return services.tallies_rebuild()


@shared_task
def followups_send() -> int:
    """Daily (Celery beat)."""
    return services.followups_send()
