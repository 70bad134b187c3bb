"""Writes for trainees. Keyword-only and atomic."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events
from core.text import isolate
from pan_network.models import Country, Institution

from .models import (
    Attendance,
    Enrolment,
    EnrolmentTransition,
    NameChange,
    Notification,
    TraineeProfile,
)

NAME_FIELDS = ("given_name", "family_name", "given_name_latin", "family_name_latin")
LATIN_FIELDS = ("given_name_latin", "family_name_latin")
_NAME_PUNCTUATION = set(" -'’.")
# Written inside native names: the zero-width non-joiner and joiner (Persian, Dari, Pashto:
# "نوری‌زاده"), the Hebrew maqaf ("בן־דוד") and the katakana middle dot ("ジョン・スミス").
_NATIVE_NAME_MARKS = set("\u200c\u200d\u05be\u30fb")


def _is_latin(text: str) -> bool:
    return all(
        ch in _NAME_PUNCTUATION or ("LATIN" in unicodedata.name(ch, "") and ch.isalpha())
        for ch in text
    )


def _is_name(text: str) -> bool:
    return any(ch.isalpha() for ch in text) and all(
        ch.isalpha()
        or ch in _NAME_PUNCTUATION
        or ch in _NATIVE_NAME_MARKS
        or unicodedata.category(ch).startswith("M")
        for ch in text
    )


@transaction.atomic
def profile_save(
    *,
    user,
    given_name: str,
    family_name: str,
    given_name_latin: str,
    family_name_latin: str,
    gender: str,
    country_code: str,
    institution: Institution | None = None,
    institution_other: str = "",
    rank_or_position: str = "",
    preferred_language: str = "en",
    name_order: str = TraineeProfile.NameOrder.GIVEN_FIRST,
    actor=None,
) -> TraineeProfile:
    """Create or update a person's profile. Changes to names as they appear on certificates are
    recorded. Nothing is saved unless every field is valid.

    A name of one word is a family name alone (as in passports); either part may be empty, not
    both, and the Latin spelling has the same parts as the name in the person's script."""
    values = {
        "given_name": " ".join(given_name.split()),
        "family_name": " ".join(family_name.split()),
        "given_name_latin": " ".join(given_name_latin.split()),
        "family_name_latin": " ".join(family_name_latin.split()),
    }
    errors: dict[str, list[str]] = {}
    if not values["given_name"] and not values["family_name"]:
        errors["family_name"] = [
            _(
                "Enter your name: a given name, a family name or both. A name of one word goes "
                "in “Family name”."
            )
        ]
    for field, value in values.items():
        if not value:
            continue
        if not _is_name(value):
            errors[field] = [_("Use letters, spaces, hyphens and apostrophes only.")]
        elif field in LATIN_FIELDS and not _is_latin(value):
            errors[field] = [_("Use Latin letters (a–z, with accents if needed).")]
    for native, latin in (("given_name", "given_name_latin"), ("family_name", "family_name_latin")):
        if values[native] and not values[latin]:
            errors.setdefault(latin, []).append(
                _("Enter this name in Latin letters too, as in your passport.")
            )
        elif values[latin] and not values[native] and native not in errors:
            errors.setdefault(native, []).append(
                _("Enter this name in your own script too, or leave it empty in both scripts.")
            )
    if name_order not in TraineeProfile.NameOrder.values:
        errors["name_order"] = [_("Choose whether the given name or the family name comes first.")]
    country = Country.objects.filter(code=(country_code or "").upper()).first()
    if country is None:
        errors["country"] = [_("Unknown country “%(code)s”.") % {"code": country_code}]
    if institution is None and not institution_other.strip():
        errors["institution"] = [_("Choose your institution or agency, or type its name.")]
    if errors:
        raise ValidationError(errors)

    profile = TraineeProfile.objects.select_for_update().filter(user=user).first()
    values["name_order"] = name_order
    if profile is not None:
        for field in (*NAME_FIELDS, "name_order"):
            old = getattr(profile, field)
            if old != values[field]:
                NameChange.objects.create(
                    profile=profile,
                    field=field,
                    old_value=old,
                    new_value=values[field],
                    changed_by=actor or user,
                )
    else:
        profile = TraineeProfile(user=user)
    if profile.pk and profile.gender != gender:
        # Figures are disaggregated by gender: the runs this person counts in move with it.
        events.profile_changed.send(user_id=user.pk, fields={"gender"})
    for field, value in values.items():
        setattr(profile, field, value)
    profile.gender = gender
    profile.country = country
    profile.institution = institution
    profile.institution_other = "" if institution else institution_other.strip()
    profile.rank_or_position = rank_or_position.strip()
    profile.preferred_language = preferred_language
    profile.full_clean()
    profile.save()
    return profile


ERASED = "erased"


@transaction.atomic
def personal_data_erase(*, user) -> None:
    """Remove what identifies the person; keep gender, country and institution so that the
    network's aggregate figures do not change."""
    # Enrolments and attendance stay (runs' figures count them); free text about the person
    # and the e-mails' contents go. Pending offers and requests are withdrawn.
    Attendance.objects.filter(enrolment__user=user).update(note="")
    EnrolmentTransition.objects.filter(enrolment__user=user).update(reason="")
    Notification.objects.filter(enrolment__user=user).update(context={})
    for enrolment in Enrolment.objects.filter(user=user, state__in=Enrolment.ACTIVE).exclude(
        state=State.ENROLLED
    ):
        _move(enrolment, State.WITHDRAWN, reason="")
    Enrolment.objects.filter(user=user).update(reason="")
    profile = TraineeProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        return
    profile.name_changes.all().delete()
    for field in NAME_FIELDS:
        setattr(profile, field, ERASED)
    profile.institution_other = ""
    profile.rank_or_position = ""
    profile.save()


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
    from . import tasks

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
    from . import tasks

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
    if to == State.ENROLLED:
        from . import tasks

        transaction.on_commit(lambda: tasks.statement_registered.delay(transition.pk), robust=True)
    if notify and enrolment.role == Enrolment.Role.TRAINEE:
        _notify(enrolment, notify, f"t{transition.pk}", reason=reason)
    return enrolment


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
    actor = actor or user
    if run.enrolment_policy == run.Policy.APPROVAL:
        return _move(enrolment, State.REQUESTED, actor=actor, notify=Kind.REQUESTED)
    return _take_place_or_wait(enrolment, run, actor=actor, reason="", enrolled_kind=Kind.ENROLLED)


@transaction.atomic
def enrolment_nominate(*, run, user, actor, note: str = "") -> Enrolment:
    """A national focal point puts an officer of their country forward; a coordinator of the
    organiser decides."""
    from pan_network import permissions

    run = _lock_run(run.pk)
    _window_check(run, timezone.now())
    profile = _profile_or_error(user, field="email")
    if not permissions.can_nominate(actor, country=profile.country):
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
    enrolment.country_id = profile.country_id
    enrolment.nominated_by = actor
    return _move(enrolment, State.REQUESTED, actor=actor, reason=note, notify=Kind.NOMINATED)


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
    from . import tasks

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
            _move(enrolment, State.ENROLLED, reason=_("Named trainer of the run."))
        elif enrolment.role != Enrolment.Role.TRAINER or enrolment.state != State.ENROLLED:
            freed = enrolment.holds_place
            if enrolment.state != State.ENROLLED:
                if State.ENROLLED in TRANSITIONS[enrolment.state]:
                    _move(enrolment, State.ENROLLED, reason=_("Named trainer of the run."))
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
            _move(enrolment, State.WITHDRAWN, reason=_("No longer a trainer of the run."))


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
            "my_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/my/",
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


# ---------------------------------------------------------------------------------------------
# Attendance
# ---------------------------------------------------------------------------------------------

CHECK_IN_EARLY = timedelta(minutes=30)  # the code works from half an hour before a session


@transaction.atomic
def register_save(*, session, entries: dict[int, tuple[str, str]], actor) -> int:
    """Save a session's register in one go: {enrolment id: (status, note)}. Unknown statuses or
    people not enrolled in the run are refused, naming the line; nothing is saved then."""
    valid = dict(Attendance.Status.choices)
    # Two statements whatever the number of lines: one read, one INSERT ... ON CONFLICT.
    enrolled = set(
        Enrolment.objects.filter(
            run_id=session.run_id, role=Enrolment.Role.TRAINEE, state=State.ENROLLED
        ).values_list("pk", flat=True)
    )
    errors = []
    for enrolment_id, (status, _note) in entries.items():
        if status not in valid:
            errors.append(
                _("Line %(id)s: “%(status)s” is not one of present, late, absent, excused.")
                % {"id": enrolment_id, "status": status}
            )
        elif enrolment_id not in enrolled:
            errors.append(
                _("Line %(id)s: this person is not enrolled in the run.") % {"id": enrolment_id}
            )
    if errors:
        raise ValidationError({"register": errors})
    if session.cancelled:
        raise ValidationError({"register": [_("This session was cancelled.")]})
    now = timezone.now()
    attended = [i for i, (status, _note) in entries.items() if status in Attendance.ATTENDED]
    if attended:
        from . import tasks

        transaction.on_commit(
            lambda: tasks.statements_attended.delay(session.pk, attended), robust=True
        )
    Attendance.objects.bulk_create(
        [
            Attendance(
                session_id=session.pk,
                enrolment_id=enrolment_id,
                status=status,
                note=note[:300],
                recorded_by=actor,
                recorded_at=now,
            )
            for enrolment_id, (status, note) in entries.items()
        ],
        update_conflicts=True,
        unique_fields=["session", "enrolment"],
        update_fields=["status", "note", "recorded_by", "recorded_at"],
    )
    events.attendance_recorded.send(run_id=session.run_id, user_id=None)
    return len(entries)


def _check_in_mac(session_id: int, window: int) -> str:
    from django.utils.crypto import salted_hmac

    return salted_hmac("pan.check-in", f"{session_id}:{window}").hexdigest()[:16]


def check_in_window(now=None) -> int:
    """The current minute: the code shown changes every minute."""
    return int((now or timezone.now()).timestamp() // 60)


def check_in_token(*, session, now=None) -> str:
    window = check_in_window(now)
    return f"{session.pk}-{window}-{_check_in_mac(session.pk, window)}"


@transaction.atomic
def check_in(*, session, user, token: str, now=None) -> Attendance:
    """Mark an enrolled trainee present from the code their trainer shows. The code is valid in
    the minute it was shown and the next one, for its own session, during the session (from
    half an hour before it starts to its end)."""
    now = now or timezone.now()
    try:
        session_id, window, mac = token.split("-")
        session_id, window = int(session_id), int(window)
    except ValueError:
        raise ValidationError({"token": _("This is not a check-in code.")}) from None
    from django.utils.crypto import constant_time_compare

    if not constant_time_compare(mac, _check_in_mac(session_id, window)):
        raise ValidationError({"token": _("This is not a check-in code.")})
    if session_id != session.pk:
        raise ValidationError({"token": _("This code belongs to another session.")})
    if window < check_in_window(now) - 1 or window > check_in_window(now):
        raise ValidationError({"token": _("This code has expired: scan the one shown now.")})
    if session.cancelled:
        raise ValidationError({"token": _("This session was cancelled.")})
    if not (session.starts_at - CHECK_IN_EARLY <= now <= session.ends_at):
        raise ValidationError({"token": _("Check-in is open only during the session.")})
    enrolment = Enrolment.objects.filter(
        run_id=session.run_id, user=user, role=Enrolment.Role.TRAINEE, state=State.ENROLLED
    ).first()
    if enrolment is None:
        raise ValidationError({"token": _("You are not enrolled in this run.")})
    attendance, _created = Attendance.objects.update_or_create(
        session=session,
        enrolment=enrolment,
        defaults={"status": Attendance.Status.PRESENT, "via_check_in": True, "recorded_by": user},
    )
    events.attendance_recorded.send(run_id=session.run_id, user_id=user.pk)
    return attendance


# ---------------------------------------------------------------------------------------------
# Bulk enrolment from a spreadsheet
# ---------------------------------------------------------------------------------------------

BULK_COLUMNS = ("email", "note")
BULK_MAX_ROWS = 2000


class BulkImportError(ValidationError):
    """A file that was refused, with one message per bad row (or for the file as a whole)."""


def enrolment_file_rows(*, content: bytes, filename: str) -> list[dict]:
    """Read a CSV (UTF-8, comma or semicolon) or XLSX file into rows keyed by header.
    The header must be `email` and, optionally, `note`."""
    import csv
    import io

    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            table = [
                ["" if cell is None else str(cell).strip() for cell in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        elif name.endswith(".csv"):
            text = content.decode("utf-8-sig")
            first_line = text.split("\n", 1)[0]
            delimiter = ";" if ";" in first_line and "," not in first_line else ","
            table = [
                [cell.strip() for cell in row]
                for row in csv.reader(io.StringIO(text), delimiter=delimiter)
            ]
        else:
            raise BulkImportError({"file": [_("Upload a .csv or .xlsx file.")]})
    except BulkImportError:
        raise
    except UnicodeDecodeError:
        raise BulkImportError({"file": [_("The CSV file must be saved as UTF-8.")]}) from None
    except Exception:  # noqa: BLE001 - any unreadable file gets the same clear answer
        raise BulkImportError({"file": [_("The file could not be read as CSV or XLSX.")]}) from None
    table = [row for row in table if any(row)]
    if not table:
        raise BulkImportError({"file": [_("The file is empty.")]})
    header = [cell.lower() for cell in table[0]]
    while header and header[-1] == "":
        header.pop()
    if not header or header[0] != "email" or any(col not in BULK_COLUMNS for col in header):
        raise BulkImportError(
            {
                "file": [
                    _(
                        "The first row must be the header “email” (optionally “email,note”); "
                        "found “%(found)s”."
                    )
                    % {"found": ",".join(table[0])}
                ]
            }
        )
    if len(table) - 1 > BULK_MAX_ROWS:
        raise BulkImportError(
            {"file": [_("At most %(n)s people per file.") % {"n": BULK_MAX_ROWS}]}
        )
    return [
        {column: (row[i] if i < len(row) else "") for i, column in enumerate(header)}
        for row in table[1:]
    ]


@transaction.atomic
def enrolments_import(*, run, rows: list[dict], actor) -> list[Enrolment]:
    """Enrol everyone listed, or no one: every row is checked first, and a file with any bad
    row is refused with one message per bad row (row numbers count the header as row 1)."""
    from django.core.validators import validate_email
    from django.db.models.functions import Lower

    from pan_network.models import User

    run = _lock_run(run.pk)
    if run.is_cancelled:
        raise BulkImportError({"file": [_("This run was cancelled.")]})
    emails = [row.get("email", "").strip().lower() for row in rows]
    users = {
        user.email.lower(): user
        for user in User.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=[email for email in emails if email], is_active=True
        )
    }
    profiles = {p.user_id: p for p in TraineeProfile.objects.filter(user__in=list(users.values()))}
    existing = {e.user_id: e for e in Enrolment.objects.filter(run_id=run.pk).select_for_update()}
    errors, seen, accepted = [], {}, []
    for number, (row, email) in enumerate(zip(rows, emails, strict=True), start=2):
        if not email:
            errors.append(_("Row %(row)s: the e-mail address is empty.") % {"row": number})
            continue
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Row %(row)s: “%(email)s” is not an e-mail address.")
                % {"row": number, "email": email}
            )
            continue
        if email in seen:
            errors.append(
                _("Row %(row)s: %(email)s is already on row %(first)s.")
                % {"row": number, "email": email, "first": seen[email]}
            )
            continue
        seen[email] = number
        user = users.get(email)
        if user is None:
            errors.append(
                _("Row %(row)s: no account uses %(email)s.") % {"row": number, "email": email}
            )
            continue
        if user.pk not in profiles:
            errors.append(
                _("Row %(row)s: %(email)s has not completed their trainee profile.")
                % {"row": number, "email": email}
            )
            continue
        enrolment = existing.get(user.pk)
        if enrolment is not None and enrolment.state in _ALREADY:
            errors.append(
                _("Row %(row)s: %(email)s already has an enrolment in this run (%(state)s).")
                % {"row": number, "email": email, "state": enrolment.get_state_display()}
            )
            continue
        accepted.append((user, profiles[user.pk], row.get("note", ""), enrolment))
    if not errors:
        total, per_country = places(run)
        if total + len(accepted) > run.capacity:
            errors.append(
                _("The file lists %(n)s people but only %(left)s places are left.")
                % {"n": len(accepted), "left": max(run.capacity - total, 0)}
            )
        quotas = _quotas(run)
        wanted: dict[int, int] = {}
        for _user, profile, _note, _enrolment in accepted:
            wanted[profile.country_id] = wanted.get(profile.country_id, 0) + 1
        for country_id, count in wanted.items():
            if country_id in quotas and per_country.get(country_id, 0) + count > quotas[country_id]:
                from pan_network.models import Country

                errors.append(
                    _("%(country)s: %(n)s people but the quota leaves %(left)s places.")
                    % {
                        "country": Country.objects.get(pk=country_id).name,
                        "n": count,
                        "left": max(quotas[country_id] - per_country.get(country_id, 0), 0),
                    }
                )
    if errors:
        raise BulkImportError({"file": errors})
    enrolled = []
    for user, profile, note, enrolment in accepted:
        enrolment = enrolment or Enrolment(run=run, user=user)
        enrolment.role = Enrolment.Role.TRAINEE
        enrolment.country_id = profile.country_id
        enrolled.append(
            _move(
                enrolment,
                State.ENROLLED,
                actor=actor,
                reason=note or _("Enrolled by the organiser."),
                notify=Kind.ENROLLED,
            )
        )
    return enrolled


# ---------------------------------------------------------------------------------------------
# The platform's own events as xAPI statements
# ---------------------------------------------------------------------------------------------


def _run_activity(run) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/runs/{run.pk}/"


def statement_registered(*, transition_id: int) -> str | None:
    """`registered`: a person took a place in a course run."""
    from xapi import services as xapi_services

    transition = (
        EnrolmentTransition.objects.select_related("enrolment__run__course", "enrolment__user")
        .filter(pk=transition_id)
        .first()
    )
    if transition is None:
        return None
    enrolment = transition.enrolment
    return xapi_services.platform_statement(
        user=enrolment.user,
        verb="registered",
        activity_id=_run_activity(enrolment.run),
        name=enrolment.run.display_title,
        key=f"registered:transition:{transition.pk}",
    )


def statements_attended(*, session_id: int, enrolment_ids: list[int]) -> int:
    """`attended`: present or late at a session."""
    from courses.models import Session
    from xapi import services as xapi_services

    session = Session.objects.select_related("run__course").filter(pk=session_id).first()
    if session is None:
        return 0
    statements = [
        xapi_services.platform_statement_data(
            user=enrolment.user,
            verb="attended",
            activity_id=f"{_run_activity(session.run)}sessions/{session.pk}",
            name=f"{session.run.display_title}: {session.label}",
            key=f"attended:session:{session.pk}:enrolment:{enrolment.pk}",
        )
        for enrolment in Enrolment.objects.filter(pk__in=enrolment_ids).select_related("user")
    ]
    if statements:
        xapi_services.statements_store(
            statements=statements, credentials=xapi_services.platform_credentials()
        )
    return len(statements)


@transaction.atomic
def preferred_language_set(*, user, language: str) -> bool:
    """The language of a person's e-mails and certificates follows the one they choose for the
    interface. Returns whether their profile changed (no profile yet: nothing to change)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language “%(code)s”.") % {"code": language}})
    return bool(
        TraineeProfile.objects.filter(user=user)
        .exclude(preferred_language=language)
        .update(preferred_language=language)
    )
