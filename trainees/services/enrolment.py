"""Enrolment: an explicit state machine (request, nomination, approval, waitlist and offers,
withdrawal), places and quotas under the run's row lock, trainers' own enrolments, what a
run's changes do to its people.

Over 500 lines: the state machine, every move and the rules that guard it, in one place so
that no path goes around it."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events

from ..models import (
    Enrolment,
    EnrolmentTransition,
    Notification,
    TraineeProfile,
)

# ---------------------------------------------------------------------------------------------
# Enrolment: an explicit state machine
# ---------------------------------------------------------------------------------------------

State = Enrolment.State
Kind = Notification.Kind

# Every allowed move. `None` is "no enrolment yet" (and the states from which one may ask again).
TRANSITIONS: dict[str | None, set[str]] = {
    None: {State.REQUESTED, State.ENROLLED, State.WAITLISTED},
    State.REQUESTED: {
        State.ENROLLED,
        State.WAITLISTED,
        State.REJECTED,
        State.WITHDRAWN,
        State.CANCELLED,
    },
    State.WAITLISTED: {
        State.OFFERED,
        State.ENROLLED,
        State.REJECTED,
        State.WITHDRAWN,
        State.CANCELLED,
    },
    State.OFFERED: {State.ENROLLED, State.EXPIRED, State.WITHDRAWN, State.CANCELLED},
    State.ENROLLED: {State.WITHDRAWN, State.CANCELLED},
    State.WITHDRAWN: {State.REQUESTED, State.ENROLLED, State.WAITLISTED},
    State.EXPIRED: {State.REQUESTED, State.ENROLLED, State.WAITLISTED},
    State.REJECTED: set(),
    State.CANCELLED: set(),
}

_ALREADY = {
    State.REQUESTED: _("You have already asked for a place in this run; it awaits approval."),
    State.WAITLISTED: _("You are already on the waitlist of this run."),
    State.OFFERED: _(
        "You have already been offered a place in this run: accept it on My learning."
    ),
    State.ENROLLED: _("You are already enrolled in this run."),
    State.REJECTED: _("Your request for this run was not accepted; ask the organiser."),
    State.CANCELLED: _("This run was cancelled."),
}


def _lock_run(run_id: int):
    """Take the run's row lock: every decision about its places is made one at a time."""
    from courses.models import CourseRun

    return CourseRun.objects.select_for_update().get(pk=run_id)


def _notify(enrolment: Enrolment, kind: str, key: str, **context) -> None:
    """Owe the person an e-mail, sent by a Celery task once the transaction has committed."""
    from .. import tasks

    notification, created = Notification.objects.get_or_create(
        key=key[:120], defaults={"enrolment": enrolment, "kind": kind, "context": context}
    )
    if created:
        # robust: a failure to enqueue is logged, never undoes or fails what was committed;
        # notifications_retry sends whatever is still owed.
        transaction.on_commit(lambda: tasks.notification_send.delay(notification.pk), robust=True)


def notifications_owe(*, kind: str, items: list[dict]) -> int:
    """Owe each person an e-mail of this kind about their enrolment (a newly issued
    certificate, a follow-up questionnaire). `items`: dicts with run_id, user_id, key and
    context. Bulk (a run's certificates are issued in chunks); keys make a repeated call owe
    nothing more. Returns how many were newly owed."""
    from .. import tasks

    if not items:
        return 0
    enrolments = {
        (e.run_id, e.user_id): e
        for e in Enrolment.objects.filter(
            run_id__in={i["run_id"] for i in items},
            user_id__in={i["user_id"] for i in items},
            role=Enrolment.Role.TRAINEE,
        )
    }
    rows = [
        Notification(
            key=item["key"][:120],
            enrolment=enrolments[(item["run_id"], item["user_id"])],
            kind=kind,
            context=item["context"],
        )
        for item in items
        if (item["run_id"], item["user_id"]) in enrolments
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(
        Notification.objects.filter(key__in=[r.key for r in rows], sent_at=None).values_list(
            "pk", flat=True
        )
    )

    # One task for the batch: each e-mail is still sent once (sent ones are skipped on retry).
    transaction.on_commit(lambda: tasks.notifications_send.delay(created), robust=True)
    return len(created)


def _move(
    enrolment: Enrolment,
    to: str,
    *,
    actor=None,
    reason: str = "",
    notify: str | None = None,
) -> Enrolment:
    before = enrolment.state if enrolment.pk else None
    if to not in TRANSITIONS[before]:
        raise ValidationError(
            {
                "state": _("An enrolment cannot go from “%(from)s” to “%(to)s”.")
                % {"from": before or "-", "to": to}
            }
        )
    enrolment.state = to
    enrolment.reason = reason[:500]
    now = timezone.now()
    if to == State.WAITLISTED:
        enrolment.waitlisted_at = now
    if to != State.OFFERED:
        enrolment.offer_expires_at = None
    enrolment.save()
    events.enrolment_changed.send(enrolment=enrolment, run_id=enrolment.run_id, role=enrolment.role)
    transition = EnrolmentTransition.objects.create(
        enrolment=enrolment, from_state=before or "", to_state=to, actor=actor, reason=reason[:500]
    )
    # What a coordinator's alert about this move is keyed by (a retried call owes it once).
    enrolment.last_transition_id = transition.pk
    if to == State.ENROLLED:
        from .. import tasks

        transaction.on_commit(lambda: tasks.statement_registered.delay(transition.pk), robust=True)
    if notify and enrolment.role == Enrolment.Role.TRAINEE:
        _notify(enrolment, notify, f"t{transition.pk}", reason=reason)
    return enrolment


def _alert_recipients(run) -> list:
    """Who is told that requests for a run arrived: the coordinators of its organiser, or, for
    an institution without one, the network's organisers (a request nobody hears of waits
    for ever)."""
    from network.models import Membership, User

    active = User.objects.filter(is_active=True)
    coordinators = list(
        active.filter(
            memberships__role=Membership.Role.COORDINATOR,
            memberships__institution_id=run.organiser_id,
        ).distinct()
    )
    if coordinators:
        return coordinators
    return list(active.filter(memberships__role=Membership.Role.ORGANISER).distinct())


def coordinators_alert(*, run, enrolments: list[Enrolment]) -> int:
    """Tell the run's coordinators that these requests or nominations arrived and await their
    decision: one e-mail each for the batch, sent after commit. Keyed by the moves that made
    them, so a retried call owes nothing more. Returns how many e-mails were owed."""
    from .. import tasks

    waiting = [
        e
        for e in enrolments
        if e.state == State.REQUESTED and e.role == Enrolment.Role.TRAINEE and e.pk
    ]
    if not waiting:
        return 0
    moves = ",".join(str(getattr(e, "last_transition_id", e.pk)) for e in waiting)
    digest = hashlib.sha256(moves.encode()).hexdigest()[:40]
    context = {
        "enrolments": [e.pk for e in waiting],
        "nominations": sum(1 for e in waiting if e.nominated_by_id),
    }
    rows = [
        Notification(
            key=f"q{recipient.pk}-{run.pk}-{digest}"[:120],
            enrolment=waiting[0],
            recipient=recipient,
            kind=Kind.QUEUE,
            context=context,
        )
        for recipient in _alert_recipients(run)
    ]
    if not rows:
        return 0
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    owed = list(
        Notification.objects.filter(key__in=[r.key for r in rows], sent_at=None).values_list(
            "pk", flat=True
        )
    )
    if owed:
        transaction.on_commit(lambda: tasks.notifications_send.delay(owed), robust=True)
    return len(owed)


def _window_check(run, now) -> None:
    if run.is_cancelled:
        raise ValidationError({"run": _("This run was cancelled.")})
    if run.enrolment_opens_at and now < run.enrolment_opens_at:
        raise ValidationError(
            {
                "run": _("Enrolment opens on %(date)s.")
                % {"date": timezone.localtime(run.enrolment_opens_at).strftime("%d.%m.%Y %H:%M")}
            }
        )
    closes = run.enrolment_closes_at
    if closes and now >= closes:
        raise ValidationError({"run": _("Enrolment for this run has closed.")})
    if not closes and now.date() > run.end_date:
        raise ValidationError({"run": _("This run is over.")})


def places(run) -> tuple[int, dict[int, int]]:
    """Places held in the run: in all, and per country (ENROLLED and OFFERED trainees)."""
    rows = (
        Enrolment.objects.filter(
            run_id=run.pk, role=Enrolment.Role.TRAINEE, state__in=Enrolment.HOLDS_PLACE
        )
        .values("country_id")
        .annotate(n=models.Count("pk"))
    )
    per_country = {row["country_id"]: row["n"] for row in rows}
    return sum(per_country.values()), per_country


def _room_for(run, country_id, held: tuple[int, dict[int, int]], quotas: dict[int, int]) -> str:
    """'' if a place is free for someone from this country, else why not."""
    total, per_country = held
    if total >= run.capacity:
        return "full"
    if country_id in quotas and per_country.get(country_id, 0) >= quotas[country_id]:
        return "quota"
    return ""


def _quotas(run) -> dict[int, int]:
    return dict(run.quotas.values_list("country_id", "places"))


def _profile_or_error(user, field: str = "profile") -> TraineeProfile:
    profile = TraineeProfile.objects.filter(user=user).first()
    if profile is None:
        raise ValidationError(
            {field: _("The trainee profile must be complete before enrolling (My profile).")}
        )
    return profile


def _existing(run, user) -> Enrolment | None:
    return Enrolment.objects.select_for_update().filter(run_id=run.pk, user=user).first()


def _take_place_or_wait(
    enrolment: Enrolment, run, *, actor, reason: str, enrolled_kind: str
) -> Enrolment:
    held = places(run)
    room = _room_for(run, enrolment.country_id, held, _quotas(run))
    if room:
        why = (
            _("All places are taken.")
            if room == "full"
            else _("The places for this country are taken.")
        )
        return _move(
            enrolment, State.WAITLISTED, actor=actor, reason=reason or why, notify=Kind.WAITLISTED
        )
    return _move(enrolment, State.ENROLLED, actor=actor, reason=reason, notify=enrolled_kind)


@transaction.atomic
def enrolment_request(*, run, user, actor=None) -> Enrolment:
    """A trainee asks for a place. Open runs enrol at once (or waitlist when full); runs with
    approval record a request; nomination-only runs refuse."""
    run = _lock_run(run.pk)
    now = timezone.now()
    _window_check(run, now)
    if run.enrolment_policy == run.Policy.NOMINATION:
        raise ValidationError(
            {"run": _("This run takes nominations only: ask your national focal point.")}
        )
    profile = _profile_or_error(user)
    enrolment = _existing(run, user)
    if enrolment is not None and enrolment.state in _ALREADY:
        raise ValidationError({"run": _ALREADY[enrolment.state]})
    if enrolment is None:
        enrolment = Enrolment(run=run, user=user)
    enrolment.role = Enrolment.Role.TRAINEE
    enrolment.country_id = profile.country_id
    enrolment.nominated_by = None
    enrolment.nominator_note = ""
    actor = actor or user
    if run.enrolment_policy == run.Policy.APPROVAL:
        _move(enrolment, State.REQUESTED, actor=actor, notify=Kind.REQUESTED)
        coordinators_alert(run=run, enrolments=[enrolment])
        return enrolment
    return _take_place_or_wait(enrolment, run, actor=actor, reason="", enrolled_kind=Kind.ENROLLED)


@transaction.atomic
def enrolment_nominate(*, run, user, actor, note: str = "") -> Enrolment:
    """A national focal point puts an officer of their country forward; a coordinator of the
    organiser decides. The note is for the coordinators only."""
    enrolment = nominate(run=run, user=user, actor=actor, note=note)
    coordinators_alert(run=run, enrolments=[enrolment])
    return enrolment


def nominate(*, run, user, actor, note: str = "", country=None) -> Enrolment:
    """The nomination itself, inside the caller's transaction and without telling the
    coordinators (callers batch that). `country`: the country the nominator named, for an
    officer who has no profile yet (an invitation accepted); a profile's country comes first."""
    from trainees import permissions as trainee_permissions

    run = _lock_run(run.pk)
    _window_check(run, timezone.now())
    profile = TraineeProfile.objects.filter(user=user).select_related("country").first()
    if profile is None and country is None:
        raise ValidationError(
            {
                "email": _(
                    "This officer has not completed their trainee profile yet: ask them to, "
                    "then nominate them."
                )
            }
        )
    country = profile.country if profile is not None else country
    if not trainee_permissions.can_nominate(actor, country=country):
        raise ValidationError(
            {"email": _("You may nominate only officers whose profile is in your country.")}
        )
    enrolment = _existing(run, user)
    if enrolment is not None and enrolment.state in _ALREADY:
        raise ValidationError(
            {
                "email": _("This officer already has an enrolment in this run (%(state)s).")
                % {"state": enrolment.get_state_display()}
            }
        )
    if enrolment is None:
        enrolment = Enrolment(run=run, user=user)
    enrolment.role = Enrolment.Role.TRAINEE
    enrolment.country_id = country.pk
    enrolment.nominated_by = actor
    enrolment.nominator_note = note.strip()[:500]
    # The note is not the move's reason: reasons are told to the officer.
    return _move(enrolment, State.REQUESTED, actor=actor, notify=Kind.NOMINATED)


@transaction.atomic
def enrolment_approve(*, enrolment: Enrolment, actor, reason: str = "") -> Enrolment:
    """Approve a request: a place if one is free (and the country's quota allows), the
    waitlist otherwise."""
    run = _lock_run(enrolment.run_id)
    if run.is_cancelled:
        raise ValidationError({"run": _("This run was cancelled.")})
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.state != State.REQUESTED:
        raise ValidationError(
            {
                "state": _(
                    "Only requests awaiting approval can be approved; this one is “%(state)s”."
                )
                % {"state": enrolment.get_state_display()}
            }
        )
    if not TraineeProfile.objects.filter(user_id=enrolment.user_id).exists():
        # An officer invited by a focal point may be nominated before writing their profile;
        # their names must be known before they hold a place.
        raise ValidationError(
            {
                "state": _(
                    "%(person)s has not completed their trainee profile yet: approve once "
                    "they have."
                )
                % {"person": enrolment.user.email}
            }
        )
    return _take_place_or_wait(
        enrolment, run, actor=actor, reason=reason, enrolled_kind=Kind.APPROVED
    )


@transaction.atomic
def enrolment_reject(*, enrolment: Enrolment, actor, reason: str) -> Enrolment:
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason: the trainee is told it.")})
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.state not in (State.REQUESTED, State.WAITLISTED):
        raise ValidationError(
            {"state": _("Only requests and waitlisted people can be turned down.")}
        )
    return _move(
        enrolment, State.REJECTED, actor=actor, reason=reason.strip(), notify=Kind.REJECTED
    )


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, actor, reason: str = "") -> Enrolment:
    """The trainee (or a coordinator) withdraws; a freed place goes to the waitlist."""
    run = _lock_run(enrolment.run_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.state not in Enrolment.ACTIVE:
        raise ValidationError({"state": _("This enrolment is not active.")})
    if enrolment.state == State.ENROLLED and run.end_date < timezone.localdate():
        raise ValidationError(
            {"state": _("The run has ended: a completed enrolment cannot be withdrawn.")}
        )
    freed = enrolment.holds_place
    _move(enrolment, State.WITHDRAWN, actor=actor, reason=reason, notify=Kind.WITHDRAWN)
    if freed:
        _promotion_enqueue(run.pk)
    return enrolment


@transaction.atomic
def offer_accept(*, enrolment: Enrolment, actor) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.state != State.OFFERED:
        raise ValidationError({"state": _("There is no open offer for this run.")})
    if enrolment.offer_expires_at and enrolment.offer_expires_at <= timezone.now():
        raise ValidationError({"state": _("This offer has expired.")})
    return _move(enrolment, State.ENROLLED, actor=actor, notify=Kind.ENROLLED)


def _promotion_enqueue(run_id: int) -> None:
    from .. import tasks

    transaction.on_commit(lambda: tasks.waitlist_promote.delay(run_id), robust=True)


@transaction.atomic
def waitlist_promote(*, run_id: int) -> int:
    """Give free places to the waitlist in order, within the countries' quotas: an offer that
    lasts the run's `offer_hours`, or a place at once when that is 0. Idempotent."""
    run = _lock_run(run_id)
    if run.is_cancelled:
        return 0
    quotas = _quotas(run)
    held = places(run)
    total, per_country = held
    promoted = 0
    waiting = Enrolment.objects.select_for_update().filter(
        run_id=run.pk, role=Enrolment.Role.TRAINEE, state=State.WAITLISTED
    )
    for enrolment in waiting.order_by("waitlisted_at", "pk"):
        if total >= run.capacity:
            break
        if _room_for(run, enrolment.country_id, (total, per_country), quotas):
            continue
        if run.offer_hours:
            enrolment.offer_expires_at = timezone.now() + timedelta(hours=run.offer_hours)
            _move(enrolment, State.OFFERED, notify=Kind.OFFERED)
        else:
            _move(enrolment, State.ENROLLED, notify=Kind.PROMOTED)
        total += 1
        per_country[enrolment.country_id] = per_country.get(enrolment.country_id, 0) + 1
        promoted += 1
    return promoted


@transaction.atomic
def offers_expire(*, now=None) -> int:
    """Offers not taken in time lapse; their places go to the next on the waitlist."""
    now = now or timezone.now()
    expired = 0
    runs = set()
    due = Enrolment.objects.select_for_update().filter(
        state=State.OFFERED, offer_expires_at__lte=now
    )
    for enrolment in due:
        _move(enrolment, State.EXPIRED, notify=Kind.EXPIRED)
        runs.add(enrolment.run_id)
        expired += 1
    for run_id in runs:
        _promotion_enqueue(run_id)
    return expired


@transaction.atomic
def trainers_sync(*, run) -> None:
    """The run's trainers hold trainer enrolments (no place taken); removed trainers are
    withdrawn."""
    trainer_ids = set(run.trainers.values_list("pk", flat=True))
    existing = {e.user_id: e for e in Enrolment.objects.filter(run=run).select_for_update()}
    for user_id in trainer_ids:
        enrolment = existing.get(user_id)
        if enrolment is None:
            profile = TraineeProfile.objects.filter(user_id=user_id).first()
            enrolment = Enrolment(
                run=run,
                user_id=user_id,
                role=Enrolment.Role.TRAINER,
                country_id=profile.country_id if profile else None,
            )
            _move(enrolment, State.ENROLLED, reason="Named trainer of the run.")
        elif enrolment.role != Enrolment.Role.TRAINER or enrolment.state != State.ENROLLED:
            freed = enrolment.holds_place
            if enrolment.state != State.ENROLLED:
                if State.ENROLLED in TRANSITIONS[enrolment.state]:
                    _move(enrolment, State.ENROLLED, reason="Named trainer of the run.")
                else:
                    continue
            Enrolment.objects.filter(pk=enrolment.pk).update(role=Enrolment.Role.TRAINER)
            if freed:
                _promotion_enqueue(run.pk)
    for user_id, enrolment in existing.items():
        if (
            user_id not in trainer_ids
            and enrolment.role == Enrolment.Role.TRAINER
            and enrolment.state == State.ENROLLED
        ):
            _move(enrolment, State.WITHDRAWN, reason="No longer a trainer of the run.")


@transaction.atomic
def run_cancelled(*, run, actor=None) -> int:
    """Everyone still active in a cancelled run is told, with the reason."""
    count = 0
    for enrolment in Enrolment.objects.select_for_update().filter(
        run_id=run.pk, state__in=Enrolment.ACTIVE
    ):
        _move(
            enrolment,
            State.CANCELLED,
            actor=actor,
            reason=run.cancellation_reason,
            notify=Kind.RUN_CANCELLED,
        )
        count += 1
    return count


@transaction.atomic
def sessions_changed(*, run, changes: list[dict]) -> int:
    """Tell everyone enrolled that sessions moved or were cancelled (one mail each)."""
    if not changes:
        return 0
    digest = hashlib.sha256(json.dumps(changes, sort_keys=True, default=str).encode()).hexdigest()
    count = 0
    for enrolment in Enrolment.objects.filter(
        run_id=run.pk, state=State.ENROLLED, role=Enrolment.Role.TRAINEE
    ):
        _notify(
            enrolment,
            Kind.SESSIONS_CHANGED,
            f"s{enrolment.pk}-{digest[:32]}",
            changes=changes,
        )
        count += 1
    return count


@transaction.atomic
def reminders_send(*, now=None) -> int:
    """Remind the enrolled N days before a run's first session (the run's `reminder_days`)."""
    from courses.models import Session

    now = now or timezone.now()
    first_sessions = (
        Session.objects.filter(run__status="scheduled", cancelled=False, starts_at__gt=now)
        .values("run_id")
        .annotate(first=models.Min("starts_at"))
    )
    first = {row["run_id"]: row["first"] for row in first_sessions}
    enrolments = (
        Enrolment.objects.select_for_update(of=("self",))
        .filter(
            run_id__in=list(first),
            state=State.ENROLLED,
            role=Enrolment.Role.TRAINEE,
            reminder_sent_at=None,
        )
        .select_related("run")
    )
    due = [
        enrolment
        for enrolment in enrolments
        if first[enrolment.run_id] - now <= timedelta(days=enrolment.run.reminder_days)
    ]
    for enrolment in due:
        starts = first[enrolment.run_id].isoformat()
        _notify(enrolment, Kind.REMINDER, f"r{enrolment.pk}", first=starts)
        enrolment.reminder_sent_at = now
    Enrolment.objects.bulk_update(due, ["reminder_sent_at"])
    return len(due)
