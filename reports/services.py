"""Writes for the network's figures: run tallies recomputed from enrolments, registers,
certificates and follow-up answers; follow-up questionnaires sent and answered."""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.public_url import public_base_url

from .models import FollowUp, RunTally

FOLLOW_UP_AFTER = dt.timedelta(days=90)
# Runs that ended longer ago than this when follow-ups began are not surveyed: a questionnaire
# about a course two years back would be noise.
FOLLOW_UP_WINDOW = dt.timedelta(days=30)
REBUILD_CHUNK = 500

TALLY_DELAY = 3  # seconds a refresh waits for the changes that come with the first one

_pending = threading.local()


def _due_key(run_id: int) -> str:
    return f"pan:tally-due:{run_id}"


def tallies_due_clear(*, run_ids) -> None:
    """A refresh is starting: later changes to these runs need a refresh of their own."""
    cache.delete_many([_due_key(int(i)) for i in run_ids])


def tallies_changed(*, run_ids) -> None:
    """Something these runs count has changed: refresh their tallies once the transaction has
    committed. Calls within one transaction are gathered into one task."""
    from . import tasks

    ids = {int(i) for i in run_ids if i}
    if not ids:
        return
    pending = getattr(_pending, "ids", None)
    if pending is None:
        pending = _pending.ids = set()
    pending |= ids

    def flush():
        waiting = sorted(getattr(_pending, "ids", set()))
        _pending.ids = set()
        if not waiting:
            return
        if settings.CELERY_TASK_ALWAYS_EAGER:
            tasks.tallies_refresh.delay(waiting)
            return
        # Changes arriving together (a cohort checking in) make one refresh per run: a run
        # already waiting for its refresh is not queued again.
        due = [i for i in waiting if cache.add(_due_key(i), 1, timeout=TALLY_DELAY + 300)]
        if due:
            tasks.tallies_refresh.apply_async((due,), countdown=TALLY_DELAY)

    # Each call registers the flush; the first to run after the commit sends everything
    # gathered, the others find nothing. Ids from a rolled-back transaction ride along with the
    # next commit: a refresh recomputes from the tables, so an extra one is harmless.
    transaction.on_commit(flush, robust=True)


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


@transaction.atomic
def tallies_refresh(*, run_ids) -> int:
    """Recompute the tallies of these runs from the tables they count. Cancelled runs count
    nothing. Runs are locked in id order, so two refreshes of one run follow each other.
    Returns the number of tally rows written."""
    from certificates.models import Certificate
    from courses.models import CourseRun
    from trainees.models import Attendance, Enrolment

    ids = sorted({int(i) for i in run_ids})
    if not ids:
        return 0
    runs = {
        run.pk: run
        for run in CourseRun.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")
        .only(
            "pk",
            "course_id",
            "organiser_id",
            "host_country_id",
            "start_date",
            "end_date",
            "is_training_of_trainers",
            "status",
            "language",
        )
    }
    RunTally.objects.filter(run_id__in=ids).delete()
    live = [pk for pk, run in runs.items() if run.status != CourseRun.Status.CANCELLED]
    if not live:
        return 0

    who: dict[int, tuple[int, str, int | None]] = {}  # enrolment -> (run, gender, country)
    by_person: dict[tuple[int, int], int] = {}  # (run, user) -> enrolment
    tallies: dict[tuple[int, str, int | None], dict[str, int]] = defaultdict(
        lambda: defaultdict(int)
    )
    for pk, run_id, user_id, gender, country_id in Enrolment.objects.filter(
        run_id__in=live, role=Enrolment.Role.TRAINEE, state=Enrolment.State.ENROLLED
    ).values_list("pk", "run_id", "user_id", "user__trainee_profile__gender", "country_id"):
        key = (run_id, gender or "", country_id)
        who[pk] = key
        by_person[(run_id, user_id)] = pk
        tallies[key]["enrolled"] += 1

    certified: set[tuple[int, int]] = set()
    for run_id, user_id, kind, gender, country_id in Certificate.objects.filter(
        run_id__in=live, status=Certificate.Status.VALID
    ).values_list(
        "run_id",
        "user_id",
        "kind",
        "user__trainee_profile__gender",
        "user__trainee_profile__country",
    ):
        enrolment = by_person.get((run_id, user_id))
        key = who[enrolment] if enrolment else (run_id, gender or "", country_id)
        tallies[key][kind] += 1
        if (run_id, user_id) not in certified:
            certified.add((run_id, user_id))
            tallies[key]["certified"] += 1

    lines = (
        Attendance.objects.filter(enrolment_id__in=list(who), session__cancelled=False)
        .values_list("enrolment_id", "status")
        .iterator(chunk_size=5000)
    )
    for enrolment_id, status in lines:
        tally = tallies[who[enrolment_id]]
        tally["attendance_lines"] += 1
        if status in Attendance.ATTENDED:
            tally["attended"] += 1

    for enrolment_id, answered_at, uses, trained, people in FollowUp.objects.filter(
        enrolment_id__in=list(who)
    ).values_list(
        "enrolment_id", "answered_at", "uses_learning", "trained_others", "people_trained"
    ):
        tally = tallies[who[enrolment_id]]
        tally["followups_sent"] += 1
        if answered_at is not None:
            tally["followups_answered"] += 1
            tally["applying"] += uses in FollowUp.APPLYING
            tally["trained_others"] += bool(trained)
            tally["people_trained"] += people or 0

    counted = {key[0] for key in tallies}
    for run_id in live:
        if run_id not in counted:
            tallies[(run_id, "", None)]  # the run's own row, with zeros
    rows = []
    marked: set[int] = set()
    for (run_id, gender, country_id), figures in sorted(
        tallies.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or 0)
    ):
        run = runs[run_id]
        rows.append(
            RunTally(
                run_id=run_id,
                course_id=run.course_id,
                organiser_id=run.organiser_id,
                host_country_id=run.host_country_id,
                language=run.language,
                start_month=_month(run.start_date),
                end_month=_month(run.end_date),
                is_tot=run.is_training_of_trainers,
                run_row=run_id not in marked,
                gender=gender,
                country_id=country_id,
                **figures,
            )
        )
        marked.add(run_id)
    RunTally.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def tallies_rebuild() -> int:
    """Recompute every run's tallies, a chunk of runs per transaction (nightly, and after a
    bulk import). Returns the number of tally rows written."""
    from courses.models import CourseRun

    ids = list(CourseRun.objects.order_by("pk").values_list("pk", flat=True))
    return sum(
        tallies_refresh(run_ids=ids[start : start + REBUILD_CHUNK])
        for start in range(0, len(ids), REBUILD_CHUNK)
    )


# ---------------------------------------------------------------------------------------------
# Follow-up questionnaires
# ---------------------------------------------------------------------------------------------


def followup_url(followup: FollowUp) -> str:
    from django.urls import reverse

    return public_base_url() + reverse("followup", args=[followup.token])


@transaction.atomic
def followups_send(*, today: dt.date | None = None) -> int:
    """Owe a follow-up questionnaire to every participant of a run that ended ninety days ago
    (or up to thirty days before that, for a beat that missed a day). One per enrolment: a run
    checked twice sends nothing more. Returns how many were newly owed."""
    from courses.models import CourseRun
    from trainees import services as trainee_services
    from trainees.models import Enrolment

    today = today or timezone.localdate()
    latest_end = today - FOLLOW_UP_AFTER
    enrolments = list(
        Enrolment.objects.filter(
            role=Enrolment.Role.TRAINEE,
            state=Enrolment.State.ENROLLED,
            run__end_date__lte=latest_end,
            run__end_date__gt=latest_end - FOLLOW_UP_WINDOW,
            followup__isnull=True,
        )
        .exclude(run__status=CourseRun.Status.CANCELLED)
        .values_list("pk", "run_id", "user_id")
    )
    if not enrolments:
        return 0
    FollowUp.objects.bulk_create(
        [FollowUp(enrolment_id=pk) for pk, _run, _user in enrolments], ignore_conflicts=True
    )
    created = FollowUp.objects.filter(enrolment_id__in=[pk for pk, _r, _u in enrolments])
    trainee_services.notifications_owe(
        kind="follow_up",
        items=[
            {
                "run_id": followup.enrolment.run_id,
                "user_id": followup.enrolment.user_id,
                "key": f"followup-{followup.enrolment_id}",
                "context": {"url": followup_url(followup)},
            }
            for followup in created.select_related("enrolment")
        ],
    )
    tallies_changed(run_ids={run_id for _pk, run_id, _user in enrolments})
    return len(enrolments)


@transaction.atomic
def followup_answer(
    *,
    followup: FollowUp,
    uses_learning: str,
    trained_others: bool | None,
    people_trained: int | None = None,
    comment: str = "",
) -> FollowUp:
    """Record (or correct) a participant's answers. Nothing is saved if any is invalid."""
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    errors = {}
    if uses_learning not in FollowUp.Use.values:
        errors["uses_learning"] = _("Choose how often you use what you learned.")
    if trained_others is None:
        errors["trained_others"] = _("Say whether you have trained others.")
    if trained_others is False and people_trained:
        errors["people_trained"] = _(
            "You said you have not trained others: leave the number of people empty."
        )
    if errors:
        raise ValidationError(errors)
    followup.uses_learning = uses_learning
    followup.trained_others = trained_others
    followup.people_trained = people_trained if trained_others else None
    followup.comment = comment.strip()[:2000]
    followup.answered_at = timezone.now()
    followup.full_clean()
    followup.save()
    tallies_changed(run_ids=[followup.enrolment.run_id])
    return followup
