"""Background work for certificates: issuing in chunks on the `certificates` queue, checks
after attendance or progress changes, the periodic check of runs that have just ended. Ids in,
one service call, retries; issuing is idempotent (a unique constraint decides)."""

from celery import shared_task

from . import services


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def issue_chunk(self, run_id: int, kind: str, enrolment_ids: list[int], actor_id=None) -> int:
    from django.contrib.auth import get_user_model

    from courses.models import CourseRun

    run = CourseRun.objects.get(pk=run_id)
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return len(
        services.certificates_issue(run=run, kind=kind, enrolment_ids=enrolment_ids, actor=actor)
    )


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def run_check(self, run_id: int) -> int:
    return services.run_check(run_id=run_id)


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def person_check(self, run_id: int, user_id: int) -> int:
    return len(services.person_check(run_id=run_id, user_id=user_id))


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def ended_runs_check(self) -> int:
    """Periodic (Celery beat)."""
    return services.ended_runs_check()


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def expiry_reminders_owe(self) -> int:
    """Periodic (Celery beat, daily)."""
    return services.expiry_reminders_owe()


@shared_task(bind=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=8)
def expiry_digest_send(self, institution_id: int) -> int:
    return services.expiry_digest_send(institution_id=institution_id)
