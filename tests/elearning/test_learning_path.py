"""A trainee's way from enrolment to the lessons: the course outline with each lesson's state,
the progress bar, Start / Resume (the first lesson not yet met), Next lesson across modules,
and an enrolment that is over saying so instead of offering Withdraw."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from elearning import selectors as elearning_selectors
from elearning.models import LessonProgress
from trainees import services
from trainees.models import Enrolment

from ..factories import LessonPageFactory, ModulePageFactory, course_run, trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def lessons(course):
    """Three lessons in two modules: the course fixture's two, and one in a second module."""
    first, second = (p.specific for p in course.get_children().first().get_children())
    other_module = ModulePageFactory(parent=course, title="Mobile devices")
    third = LessonPageFactory(parent=other_module, title="Phones at the scene")
    return [first, second, third]


@pytest.fixture
def enrolled(course, academy):
    run = course_run(course, academy, capacity=5)
    person = trainee()
    enrolment = services.enrolment_request(run=run, user=person)
    assert enrolment.state == Enrolment.State.ENROLLED
    return enrolment


def _progress(user, lesson, **fields):
    return LessonProgress.objects.create(
        user=user, lesson=lesson, registration=uuid.uuid4(), **fields
    )


def test_outline_lists_modules_and_lessons_with_states_and_the_next_lesson(enrolled, lessons):
    user = enrolled.user
    _progress(user, lessons[0], status="passed", completed=True, satisfied=True)
    _progress(user, lessons[1], status="failed", completed=True)
    path = elearning_selectors.learning_paths(user=user, enrolments=[enrolled])[enrolled.pk]
    assert [part["module"].title for part in path.modules] == [
        "Computer forensics",
        "Mobile devices",
    ]
    assert [step.state for step in path.steps] == ["met", "not-passed", "not-started"]
    assert [step.label for step in path.steps] == [
        "Passed",
        "Not passed yet: try again",
        "Not started",
    ]
    assert (path.met_count, path.total, path.percent) == (1, 3, 33)
    assert path.started and path.next_step.lesson.pk == lessons[1].pk


def test_a_lesson_met_by_completion_is_not_called_failed():
    progress = LessonProgress(status="failed", completed=True, satisfied=True)
    assert elearning_selectors.lesson_state_label(progress) == "Completed"
    assert elearning_selectors.lesson_state_label(
        LessonProgress(status="waived", satisfied=True)
    ) == ("Waived")


def test_run_page_and_my_learning_lead_to_the_lessons(client, enrolled, lessons):
    client.force_login(enrolled.user)
    page = client.get(f"/runs/{enrolled.run_id}/").content.decode()
    assert "Start the course" in page and lessons[0].url in page
    assert "0 of 3 lessons done" in page and "Mobile devices" in page
    _progress(enrolled.user, lessons[0], status="completed", completed=True, satisfied=True)
    learning = client.get("/my/").content.decode()
    assert "Resume where you left off" in learning
    assert f'href="{lessons[1].url}" data-resume' in learning
    assert "1 of 3 lessons done" in learning


def test_my_learning_costs_the_same_queries_for_more_enrolments(
    client, course, academy, lessons, django_assert_max_num_queries
):
    person = trainee()
    client.force_login(person)
    for _ in range(2):
        services.enrolment_request(run=course_run(course, academy), user=person)
    with django_assert_max_num_queries(40) as few:
        client.get("/my/")
    for _ in range(3):
        services.enrolment_request(run=course_run(course, academy), user=person)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/my/").content.decode()
    assert page.count("Course outline") == 5


def test_next_lesson_crosses_module_boundaries(client, enrolled, lessons):
    client.force_login(enrolled.user)
    page = client.get(lessons[1].url).content.decode()
    assert "Next lesson" in page and lessons[2].url in page
    assert "Lesson 2 of 3" in page
    last = client.get(lessons[2].url).content.decode()
    assert "Back to My learning" in last


def test_a_finished_run_says_completed_and_offers_no_withdrawal(client, enrolled, lessons):
    run = enrolled.run
    type(run).objects.filter(pk=run.pk).update(
        start_date=timezone.localdate() - dt.timedelta(days=5),
        end_date=timezone.localdate() - dt.timedelta(days=1),
    )
    client.force_login(enrolled.user)
    learning = client.get("/my/").content.decode()
    assert "Completed" in learning and "the run has ended" in learning
    assert f"/my/enrolments/{enrolled.pk}/withdraw/" not in learning
    response = client.post(f"/my/enrolments/{enrolled.pk}/withdraw/", follow=True)
    assert "a completed enrolment cannot be withdrawn" in response.content.decode()
    enrolled.refresh_from_db()
    assert enrolled.state == Enrolment.State.ENROLLED


def test_an_issued_certificate_is_shown_instead_of_withdraw(client, enrolled, lessons, academy):
    from certificates.models import Certificate

    Certificate.objects.create(
        user=enrolled.user,
        run=enrolled.run,
        kind="completion",
        code="K7Q2M9XRT4BNC",
        snapshot={"course": "x"},
        language="en",
        issued_at=timezone.now(),
    )
    client.force_login(enrolled.user)
    for url in ("/my/", f"/runs/{enrolled.run_id}/"):
        page = client.get(url).content.decode()
        assert "Your certificate" in page and "/my/certificates/K7Q2M9XRT4BNC.pdf" in page, url
        assert f"/my/enrolments/{enrolled.pk}/withdraw/" not in page, url


def test_withdrawal_asks_first_naming_the_consequence(client, course, academy):
    run = course_run(course, academy, capacity=1)
    holder, waiting = trainee(), trainee()
    enrolment = services.enrolment_request(run=run, user=holder)
    services.enrolment_request(run=run, user=waiting)
    client.force_login(holder)
    learning = client.get("/my/").content.decode()
    assert f'href="/my/enrolments/{enrolment.pk}/withdraw/"' in learning
    confirm = client.get(f"/my/enrolments/{enrolment.pk}/withdraw/").content.decode()
    assert "Your place goes to the next person on the waitlist (1 waiting)" in confirm
    enrolment.refresh_from_db()
    assert enrolment.state == Enrolment.State.ENROLLED  # asking changes nothing
    client.post(f"/my/enrolments/{enrolment.pk}/withdraw/", {"reason": "Posted abroad"})
    enrolment.refresh_from_db()
    assert enrolment.state == Enrolment.State.WITHDRAWN
    assert enrolment.transitions.last().reason == "Posted abroad"


def test_waitlisted_trainee_sees_their_position(client, course, academy):
    run = course_run(course, academy, capacity=1)
    services.enrolment_request(run=run, user=trainee())
    services.enrolment_request(run=run, user=trainee())
    third = trainee()
    services.enrolment_request(run=run, user=third)
    client.force_login(third)
    assert "Position 2 on the waitlist" in client.get("/my/").content.decode()
    assert "Position 2 on the waitlist" in client.get(f"/runs/{run.pk}/").content.decode()
