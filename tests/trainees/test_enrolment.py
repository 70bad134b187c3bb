"""Enrolment as a state machine: self-enrolment, approval, nomination, waitlist with offers and
promotion, quotas, withdrawal, cancellation; every move recorded, every e-mail sent after
commit in the recipient's language."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses import services as course_services
from network import services as network_services
from network.models import Country
from trainees import services
from trainees.models import Enrolment, EnrolmentTransition, Notification, TraineeProfile

from ..factories import UserFactory, course_run, trainee

pytestmark = pytest.mark.django_db
S = Enrolment.State


@pytest.fixture
def run(course, academy):
    return course_run(course, academy, capacity=2, enrolment_policy="open")


@pytest.fixture
def coordinator(academy):
    user = UserFactory()
    network_services.membership_grant(user=user, role="coordinator", institution=academy)
    return user


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (task enqueues) as a real commit would."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def test_open_run_enrols_until_full_then_waitlists(run, on_commit):
    people = [trainee() for _ in range(3)]
    states = [on_commit(services.enrolment_request, run=run, user=p).state for p in people]
    assert states == [S.ENROLLED, S.ENROLLED, S.WAITLISTED]
    assert services.places(run)[0] == 2
    subjects = [m.subject for m in mail.outbox]
    assert subjects.count(f"You are enrolled: {run.display_title}") == 2
    assert f"You are on the waitlist: {run.display_title}" in subjects


def test_profile_must_be_complete_before_enrolling(run):
    person = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.enrolment_request(run=run, user=person)
    assert "profile must be complete" in str(error.value.message_dict["profile"])
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "cancelled", "cancellation_reason": "Venue closed"}, "cancelled"),
        ({"enrolment_closes_at": "past"}, "has closed"),
        ({"enrolment_opens_at": "future"}, "Enrolment opens on"),
        ({"enrolment_policy": "nomination"}, "nominations only"),
    ],
)
def test_enrolment_refused_outside_its_rules(run, change, message):
    now = timezone.now()
    values = {
        key: (
            now - dt.timedelta(hours=1)
            if value == "past"
            else now + dt.timedelta(days=1)
            if value == "future"
            else value
        )
        for key, value in change.items()
    }
    for key, value in values.items():
        setattr(run, key, value)
    run.save()
    with pytest.raises(ValidationError) as error:
        services.enrolment_request(run=run, user=trainee())
    assert message in " ".join(error.value.messages)
    assert not Enrolment.objects.exists()


def test_enrolling_twice_is_refused_and_changes_nothing(run):
    person = trainee()
    services.enrolment_request(run=run, user=person)
    with pytest.raises(ValidationError) as error:
        services.enrolment_request(run=run, user=person)
    assert "already enrolled" in " ".join(error.value.messages)
    assert Enrolment.objects.count() == 1
    assert EnrolmentTransition.objects.count() == 1


def test_approval_flow_records_who_when_and_why(course, academy, coordinator, on_commit):
    run = course_run(course, academy, capacity=5, enrolment_policy="approval")
    person = trainee()
    enrolment = on_commit(services.enrolment_request, run=run, user=person)
    assert enrolment.state == S.REQUESTED
    on_commit(services.enrolment_approve, enrolment=enrolment, actor=coordinator)
    enrolment.refresh_from_db()
    assert enrolment.state == S.ENROLLED
    moves = list(enrolment.transitions.values_list("from_state", "to_state", "actor"))
    assert moves == [("", S.REQUESTED, person.pk), (S.REQUESTED, S.ENROLLED, coordinator.pk)]
    # The trainee is told of each step; the coordinator that the request awaits them.
    assert [(m.subject.split(":")[0], m.to) for m in mail.outbox] == [
        ("Request received", [person.email]),
        ("Requests awaiting your decision", [coordinator.email]),
        ("Request approved", [person.email]),
    ]


def test_rejection_needs_a_reason_that_the_trainee_is_told(course, academy, coordinator, on_commit):
    run = course_run(course, academy, enrolment_policy="approval")
    enrolment = services.enrolment_request(run=run, user=trainee())
    with pytest.raises(ValidationError) as error:
        services.enrolment_reject(enrolment=enrolment, actor=coordinator, reason="  ")
    assert "reason" in error.value.message_dict
    on_commit(
        services.enrolment_reject,
        enrolment=enrolment,
        actor=coordinator,
        reason="Places are for investigators only.",
    )
    enrolment.refresh_from_db()
    assert enrolment.state == S.REJECTED
    assert "Places are for investigators only." in mail.outbox[-1].body


def test_nomination_by_the_focal_point_of_the_officers_country(course, academy, coordinator):
    run = course_run(course, academy, enrolment_policy="nomination")
    focal_point = UserFactory()
    network_services.membership_grant(
        user=focal_point, role="focal_point", country=Country.objects.get(code="GE")
    )
    georgian, serbian = trainee("GE"), trainee("RS")
    enrolment = services.enrolment_nominate(run=run, user=georgian, actor=focal_point)
    assert enrolment.state == S.REQUESTED and enrolment.nominated_by == focal_point
    with pytest.raises(ValidationError) as error:
        services.enrolment_nominate(run=run, user=serbian, actor=focal_point)
    assert "only officers whose profile is in your country" in " ".join(error.value.messages)
    services.enrolment_approve(enrolment=enrolment, actor=coordinator)
    enrolment.refresh_from_db()
    assert enrolment.state == S.ENROLLED


def test_quota_per_country_holds(course, academy, coordinator):
    georgia = Country.objects.get(code="GE")
    run = course_run(course, academy, capacity=10, quotas={georgia: 1}, enrolment_policy="approval")
    first, second = (services.enrolment_request(run=run, user=trainee("GE")) for _ in range(2))
    services.enrolment_approve(enrolment=first, actor=coordinator)
    services.enrolment_approve(enrolment=second, actor=coordinator)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == S.ENROLLED
    assert second.state == S.WAITLISTED
    assert "places for this country are taken" in second.reason
    serbian = services.enrolment_request(run=run, user=trainee("RS"))
    services.enrolment_approve(enrolment=serbian, actor=coordinator)
    serbian.refresh_from_db()
    assert serbian.state == S.ENROLLED


def test_a_freed_place_is_offered_to_the_waitlist_and_the_offer_expires(run, on_commit):
    a, b, c, d = (trainee() for _ in range(4))
    first = services.enrolment_request(run=run, user=a)
    services.enrolment_request(run=run, user=b)
    waiting_c = services.enrolment_request(run=run, user=c)
    waiting_d = services.enrolment_request(run=run, user=d)
    assert waiting_c.state == waiting_d.state == S.WAITLISTED
    mail.outbox.clear()
    on_commit(services.enrolment_withdraw, enrolment=first, actor=a)
    waiting_c.refresh_from_db()
    waiting_d.refresh_from_db()
    assert waiting_c.state == S.OFFERED
    assert waiting_c.offer_expires_at > timezone.now() + dt.timedelta(hours=47)
    assert waiting_d.state == S.WAITLISTED
    assert any(m.subject.startswith("A place is free for you") for m in mail.outbox)
    # The offer is not taken in time: it lapses and goes to the next person.
    later = timezone.now() + dt.timedelta(hours=49)
    assert on_commit(services.offers_expire, now=later) == 1
    waiting_c.refresh_from_db()
    waiting_d.refresh_from_db()
    assert waiting_c.state == S.EXPIRED
    assert waiting_d.state == S.OFFERED
    services.offer_accept(enrolment=waiting_d, actor=d)
    waiting_d.refresh_from_db()
    assert waiting_d.state == S.ENROLLED
    assert services.places(run)[0] == 2


def test_without_offers_the_waitlist_is_promoted_at_once(course, academy, on_commit):
    run = course_run(course, academy, capacity=1, enrolment_policy="open", offer_hours=0)
    first = services.enrolment_request(run=run, user=(a := trainee()))
    waiting = services.enrolment_request(run=run, user=trainee())
    on_commit(services.enrolment_withdraw, enrolment=first, actor=a)
    waiting.refresh_from_db()
    assert waiting.state == S.ENROLLED
    assert mail.outbox[-1].subject.startswith("You are enrolled from the waitlist")


def test_impossible_moves_are_refused(run, coordinator):
    enrolment = services.enrolment_request(run=run, user=trainee())
    with pytest.raises(ValidationError):
        services.enrolment_approve(enrolment=enrolment, actor=coordinator)
    with pytest.raises(ValidationError):
        services.offer_accept(enrolment=enrolment, actor=enrolment.user)


def test_cancelling_a_run_tells_everyone(run, coordinator, on_commit):
    people = [trainee() for _ in range(3)]
    for person in people:
        services.enrolment_request(run=run, user=person)
    mail.outbox.clear()
    on_commit(course_services.run_cancel, run=run, reason="The venue is closed.", actor=coordinator)
    assert set(Enrolment.objects.values_list("state", flat=True)) == {S.CANCELLED}
    assert len(mail.outbox) == 3
    assert all("The venue is closed." in m.body for m in mail.outbox)


def test_mail_is_in_the_recipients_language(run, on_commit):
    person = trainee()
    TraineeProfile.objects.filter(user=person).update(preferred_language="ru")
    on_commit(services.enrolment_request, run=run, user=person)
    assert mail.outbox[-1].subject.startswith("Вы записаны")


def test_a_retried_notification_is_sent_once(run, on_commit):
    on_commit(services.enrolment_request, run=run, user=trainee())
    notification = Notification.objects.get()
    assert notification.sent_at is not None
    assert services.notification_send(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_nothing_is_sent_if_the_transaction_rolls_back(run, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.enrolment_request(run=run, user=trainee())
    # Captured, not executed: the mail goes only when the transaction commits.
    assert callbacks
    assert mail.outbox == []
    assert Notification.objects.get().sent_at is None


def test_reminders_go_once_n_days_before_the_first_session(course, academy, on_commit):
    run = course_run(course, academy, start_in_days=2, reminder_days=3)
    far = course_run(course, academy, start_in_days=20, reminder_days=3)
    services.enrolment_request(run=run, user=trainee())
    services.enrolment_request(run=far, user=trainee())
    mail.outbox.clear()
    assert on_commit(services.reminders_send) == 1
    assert on_commit(services.reminders_send) == 0
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Starting soon"]


def test_session_changes_are_told_to_the_enrolled(run, on_commit):
    services.enrolment_request(run=run, user=trainee())
    mail.outbox.clear()
    before = course_services.run_snapshot(run=run)
    session = run.sessions.order_by("starts_at").first()
    session.start_time = dt.time(11, 0)
    session.save()
    last = run.sessions.order_by("starts_at").last()
    last.cancelled = True
    last.save()
    on_commit(course_services.run_saved, run=run, before=before)
    [message] = mail.outbox
    assert message.subject.startswith("Sessions changed")
    assert "Changed: " in message.body and "Cancelled: " in message.body


def test_trainers_hold_trainer_enrolments_without_taking_places(course, academy):
    trainer = trainee()
    run = course_run(course, academy, capacity=1, trainers=[trainer])
    enrolment = Enrolment.objects.get(run=run, user=trainer)
    assert enrolment.role == Enrolment.Role.TRAINER and enrolment.state == S.ENROLLED
    assert services.places(run)[0] == 0
    run.trainers.clear()
    services.trainers_sync(run=run)
    enrolment.refresh_from_db()
    assert enrolment.state == S.WITHDRAWN


def test_owed_notifications_are_sent_again_by_the_periodic_task(run):
    from trainees import tasks

    services.enrolment_request(run=run, user=trainee())  # its task never ran (no commit)
    assert mail.outbox == []
    assert tasks.notifications_retry() == 0  # not yet: it may still be on its way
    Notification.objects.update(created_at=timezone.now() - dt.timedelta(minutes=15))
    assert tasks.notifications_retry() == 1
    assert len(mail.outbox) == 1
    assert tasks.notifications_retry() == 0
