"""Waived lessons: the academy waives a lesson for a participant; a cmi5 "waived" statement is
recorded once and the lesson counts as met, through the same progress path as any statement."""

import pytest
from django.core.exceptions import ValidationError

from courses.models import LessonPage
from elearning import services as elearning
from elearning.models import LessonProgress
from network import services as network_services
from trainees import services
from xapi.models import Statement

from ..auth_helpers import staff_login
from ..factories import UserFactory, course_run, trainee
from .test_elearning import attach

pytestmark = pytest.mark.django_db
WAIVED = "https://w3id.org/xapi/adl/verbs/waived"
SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"
REASON = "https://w3id.org/xapi/cmi5/context/extensions/reason"


@pytest.fixture
def lesson(course):
    return LessonPage.objects.descendant_of(course).first()


@pytest.fixture
def coordinator(academy):
    user = UserFactory()
    network_services.membership_grant(user=user, role="coordinator", institution=academy)
    return user


@pytest.fixture
def run_with_participant(course, academy):
    run = course_run(course, academy)
    person = trainee()
    enrolment = services.enrolment_request(run=run, user=person)
    return run, enrolment


def test_waiving_a_cmi5_lesson_records_waived_then_satisfied(lesson, academy, coordinator):
    attach(lesson, academy, "cmi5-sample")
    person = trainee()
    progress = elearning.lesson_waive(
        lesson=lesson, user=person, actor=coordinator, reason="Tested Out"
    )
    assert progress.status == LessonProgress.Status.WAIVED
    assert progress.satisfied and progress.completed
    assert progress.waiver_reason == "Tested Out"
    waived = Statement.objects.get(verb_id=WAIVED)
    data = waived.data
    assert data["result"] == {"success": True, "completion": True}
    assert data["context"]["registration"] == str(progress.registration)
    assert data["context"]["extensions"][REASON] == "Tested Out"
    categories = {c["id"] for c in data["context"]["contextActivities"]["category"]}
    assert categories == {
        "https://w3id.org/xapi/cmi5/context/categories/cmi5",
        "https://w3id.org/xapi/cmi5/context/categories/moveon",
    }
    assert data["authority"]["account"]["name"] == "pan-platform"
    # The AU's moveOn is now met: the platform says so, in the waiver's own session.
    satisfied = Statement.objects.get(verb_id=SATISFIED)
    session = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
    assert (
        satisfied.data["context"]["extensions"][session] == (data["context"]["extensions"][session])
    )


def test_a_waiver_is_made_once_and_needs_a_listed_reason(lesson, coordinator):
    person = trainee()
    with pytest.raises(ValidationError) as error:
        elearning.lesson_waive(lesson=lesson, user=person, actor=coordinator, reason="Because")
    assert "reason" in error.value.message_dict
    assert not Statement.objects.filter(verb_id=WAIVED).exists()
    elearning.lesson_waive(lesson=lesson, user=person, actor=coordinator, reason="Administrative")
    with pytest.raises(ValidationError) as error:
        elearning.lesson_waive(lesson=lesson, user=person, actor=coordinator, reason="Tested Out")
    assert "lesson" in error.value.message_dict
    assert Statement.objects.filter(verb_id=WAIVED).count() == 1


def test_a_passed_lesson_is_not_waived_afterwards(lesson, coordinator):
    person = trainee()
    progress = elearning.lesson_progress_start(user=person, lesson=lesson)
    progress.status, progress.satisfied = LessonProgress.Status.PASSED, True
    progress.save()
    with pytest.raises(ValidationError):
        elearning.lesson_waive(lesson=lesson, user=person, actor=coordinator, reason="Tested Out")


def test_coordinator_waives_from_the_run_page(client, lesson, coordinator, run_with_participant):
    run, enrolment = run_with_participant
    staff_login(client, coordinator)
    page = client.get(f"/manage/runs/{run.pk}/")
    assert page.status_code == 200
    assert lesson.title in page.content.decode()
    bad = client.post(
        f"/manage/runs/{run.pk}/",
        {"waiver-enrolment": enrolment.pk, "waiver-lesson": lesson.pk, "waiver-reason": ""},
    )
    assert bad.status_code == 200 and bad.context["waiver"].errors["reason"]
    done = client.post(
        f"/manage/runs/{run.pk}/",
        {
            "waiver-enrolment": enrolment.pk,
            "waiver-lesson": lesson.pk,
            "waiver-reason": "Equivalent Outside Activity",
        },
        follow=True,
    )
    assert "waived for" in done.content.decode()
    progress = LessonProgress.objects.get(user=enrolment.user, lesson=lesson)
    assert progress.status == "waived" and progress.satisfied
    assert "Equivalent training elsewhere" in done.content.decode()


def test_trainers_cannot_waive(client, lesson, academy, run_with_participant):
    run, enrolment = run_with_participant
    trainer = UserFactory()
    network_services.membership_grant(user=trainer, role="trainer", institution=academy)
    run.trainers.add(trainer)
    staff_login(client, trainer)
    assert client.get(f"/manage/runs/{run.pk}/").status_code == 200
    response = client.post(
        f"/manage/runs/{run.pk}/",
        {
            "waiver-enrolment": enrolment.pk,
            "waiver-lesson": lesson.pk,
            "waiver-reason": "Tested Out",
        },
    )
    assert response.status_code == 403
    assert not LessonProgress.objects.filter(lesson=lesson).exists()


def test_expired_launch_tokens_are_purged_after_a_day(client, lesson):
    import datetime as dt

    from django.utils import timezone

    from xapi import services as xapi_services
    from xapi.models import LaunchToken
    from xapi.tasks import launch_tokens_purge

    person = trainee()
    client.force_login(person)
    # The authored lesson's page holds its player, which gets a launch token.
    assert client.get(f"/learn/lessons/{lesson.pk}/", follow=True).status_code == 200
    token = LaunchToken.objects.get(user=person)
    assert launch_tokens_purge.delay().get() == 0
    later = token.expires_at + dt.timedelta(hours=23)
    assert xapi_services.launch_tokens_purge(now=later) == 0
    assert xapi_services.launch_tokens_purge(now=later + dt.timedelta(hours=2)) == 1
    assert not LaunchToken.objects.exists()
    assert timezone.now() < token.expires_at
