"""Course runs with their sessions, enrolments and registers, and the answers to the ninety-day
follow-up of the runs that ended long enough ago."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.management.base import CommandError
from django.utils import timezone

from courses.models import CoursePage
from network.models import Country

from .base import Loader


def load_runs(loader: Loader) -> None:
    from courses import services as course_services
    from courses.models import CourseRun
    from trainees import services as trainee_services
    from trainees.models import Enrolment, Notification

    today = timezone.localdate()
    users = loader.users()
    countries = {c.code: c for c in Country.objects.all()}
    for data in loader.data.runs:
        organiser = loader.institutions[data["organiser"]]
        course = CoursePage.objects.filter(locale=loader.locale, slug=data["course"]).first()
        if course is None:
            raise CommandError(f"Demo run {data['title']}: no course {data['course']}.")
        run = CourseRun.objects.filter(title=data["title"]).first()
        start = today + dt.timedelta(days=data["start"])
        if data.get("live_today"):
            start = timezone.localdate(timezone.now(), zoneinfo.ZoneInfo(data["time_zone"]))
        if run is None:
            run = course_services.run_create(
                course=course,
                organiser=organiser,
                title=data["title"],
                delivery_mode="residential",
                language=data["language"],
                host_country=organiser.country,
                venue=data["venue"],
                time_zone=data["time_zone"],
                start_date=start,
                end_date=start + dt.timedelta(days=data["days"] - 1),
                capacity=data["capacity"],
                enrolment_policy=data["policy"],
                is_training_of_trainers=data.get("tot", False),
                quotas={countries[c]: n for c, n in data.get("quotas", {}).items()},
                trainers=[users[e] for e in data.get("trainers", [])],
                sessions=[
                    {
                        "date": start + dt.timedelta(days=day),
                        "start_time": dt.time(9, 0),
                        "duration_minutes": 240,
                        "topic": f"Day {day + 1}",
                    }
                    for day in range(data["days"])
                ],
            )
            loader.created["run"] += 1
        else:
            loader.existing["run"] += 1
        if data.get("live_today"):
            # Keep the demo's check-in session on the day the demo is run, in the run's own
            # time zone.
            _move_to_today(run, timezone.localdate(timezone.now(), run.tz))
        for email in data.get("enrolled", []):
            user = users[email]
            if Enrolment.objects.filter(run=run, user=user).exists():
                loader.existing["enrolment"] += 1
                continue
            if run.enrolment_policy == CourseRun.Policy.OPEN and run.end_date >= today:
                trainee_services.enrolment_request(run=run, user=user)
            else:
                trainee_services.enrolments_import(run=run, rows=[{"email": email}], actor=None)
            loader.created["enrolment"] += 1
        if data.get("register"):
            _fill_register(run, data["register"])
    # The demo people are fictional: nobody is mailed about what the loader did.
    Notification.objects.filter(
        sent_at=None, enrolment__run__title__in=[r["title"] for r in loader.data.runs]
    ).update(sent_at=timezone.now())


def _move_to_today(run, today) -> None:
    """Put the run's first session on `today`, lasting the whole local day, so that QR
    check-in can be tried whenever the demo is started; the other sessions follow it."""
    sessions = list(run.sessions.order_by("date", "pk"))
    shift = today - sessions[0].date
    for session in sessions:
        session.date += shift
        session.save()
    first = sessions[0]
    first.start_time, first.duration_minutes = dt.time(0, 0), 1439
    first.topic = "Day 1 (open all day for trying QR check-in)"
    first.save()
    if shift:
        run.start_date += shift
        run.end_date += shift
        run.save(update_fields=["start_date", "end_date"])


def _fill_register(run, statuses: list[str]) -> None:
    from trainees import services as trainee_services
    from trainees.models import Attendance, Enrolment

    enrolments = list(
        Enrolment.objects.filter(run=run, role="trainee", state="enrolled").order_by("pk")
    )
    for index, session in enumerate(run.sessions.order_by("starts_at")):
        if Attendance.objects.filter(session=session).exists():
            continue
        entries = {
            e.pk: (statuses[(i + index) % len(statuses)] if index else "present", "")
            for i, e in enumerate(enrolments)
        }
        trainee_services.register_save(session=session, entries=entries, actor=None)


def load_followups(loader: Loader) -> None:
    """Answers to the ninety-day questionnaire from about three in four participants of the
    demo runs that ended long enough ago (the same answers on every load)."""
    from reports import services as report_services
    from reports.models import FollowUp
    from trainees.models import Enrolment

    ended = timezone.localdate() - dt.timedelta(days=90)
    enrolments = Enrolment.objects.filter(
        role=Enrolment.Role.TRAINEE, state=Enrolment.State.ENROLLED, run__end_date__lte=ended
    ).order_by("pk")
    uses = loader.data.followup_uses
    for index, enrolment in enumerate(enrolments):
        followup, created = FollowUp.objects.get_or_create(enrolment=enrolment)
        loader.created["follow-up"] += created
        if followup.answered_at is not None or index % 4 == 3:
            continue
        trained = index % 3 == 0
        report_services.followup_answer(
            followup=followup,
            uses_learning=uses[index % len(uses)],
            trained_others=trained,
            people_trained=(index % 5 + 1) * 4 if trained else None,
        )
