"""Journey (b): a police officer signs up, confirms their address, completes their profile,
enrols, completes an authored lesson with a quiz and an e-learning package, checks in by the
trainer's QR code, receives the certificate once the run is over, and checks it on the public
verification page — on a desktop and on a 360-pixel-wide phone."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

from django.core import mail
from django.utils import timezone

from .conftest import assert_fits, submit, tab

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "elearning"
PASSWORD = "correct-horse-battery-staple"
QUIZ = {
    "title": "Check what you know",
    "questions": [
        {
            "kind": "single",
            "prompt": "A laptop is switched on at the scene. What do you do first?",
            "answers": [
                {"text": "Photograph the screen", "correct": True, "feedback": "Record first."},
                {"text": "Switch it off", "correct": False, "feedback": "That loses memory."},
            ],
        },
        {
            "kind": "true_false",
            "prompt": "A seized phone should stay connected to the mobile network.",
            "answers": [
                {"text": "True", "correct": False, "feedback": "It can be wiped remotely."},
                {"text": "False", "correct": True, "feedback": "Isolate it."},
            ],
        },
    ],
}


def _package_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((SAMPLES / "tincan-sample").rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(SAMPLES / "tincan-sample").as_posix())
    return buffer.getvalue()


def make_offer():
    """A published course of two lessons (a quiz, a package), and an open run with a session
    under way now whose participants earn a certificate of participation."""
    from certificates.models import CertificateRule, CertificateTemplate, CertificateText
    from courses import services as course_services
    from elearning import services as elearning_services
    from network import services as network_services
    from network.models import Membership
    from website import services as website_services

    from ..factories import (
        CoursePageFactory,
        CurriculumPageFactory,
        InstitutionFactory,
        LessonPageFactory,
        ModulePageFactory,
        UserFactory,
    )

    website_services.site_ensure()
    academy = InstitutionFactory(name="Police Training Centre Belgrade", short_name="ptc-bg")
    # Two trainees take the journey (desktop, phone): room for both.
    curriculum = CurriculumPageFactory(parent=academy.page, title="Frontline policing")
    course = CoursePageFactory(
        parent=curriculum,
        title="Digital evidence for first responders",
        summary="What counts as digital evidence and how to secure it at a scene.",
        thematic_areas=["cybercrime"],
    )
    module = ModulePageFactory(parent=course, title="Securing the scene")
    quiz = LessonPageFactory(
        parent=module,
        title="Phones and computers at the scene",
        body=json.dumps(
            [
                {"type": "paragraph", "value": "<p>Record before you touch anything.</p>"},
                {"type": "quiz", "value": QUIZ},
            ]
        ),
    )
    quiz.pass_mark = 50
    quiz.save_revision().publish()
    package = elearning_services.package_upload(
        content=_package_zip(), filename="tincan.zip", institution=academy
    )
    # The package opens the second module: "Next lesson" crosses the boundary.
    second_module = ModulePageFactory(parent=course, title="Evidence basics")
    packaged = LessonPageFactory(parent=second_module, title="What counts as digital evidence")
    packaged.package = package
    packaged.save_revision().publish()
    trainer = UserFactory(first_name="Milan", last_name="Jovanović")
    network_services.membership_grant(
        user=trainer, role=Membership.Role.TRAINER, institution=academy
    )
    template = CertificateTemplate.objects.create(institution=academy, name="Participation")
    CertificateText.objects.create(
        template=template,
        language="en",
        body="{name} ({name_latin}) took part in {course}, {dates}, at {institution}.",
    )

    def new_run(name: str):
        """A run with a session under way now, whose participants earn a certificate of
        participation when it is over."""
        started = timezone.now() - dt.timedelta(minutes=15)
        run = course_services.run_create(
            course=course,
            organiser=academy,
            title=f"Digital evidence for first responders, {name}",
            delivery_mode="residential",
            language="en",
            host_country=academy.country,
            venue="Police Training Centre, Belgrade",
            time_zone="UTC",
            start_date=started.date(),
            # The session may end on the next day (a journey run just before midnight).
            end_date=(started + dt.timedelta(minutes=120)).date(),
            capacity=20,
            enrolment_policy="open",
            trainers=[trainer],
            sessions=[
                {
                    "date": started.date(),
                    "start_time": started.time().replace(microsecond=0),
                    "duration_minutes": 120,
                    "topic": "Securing the scene",
                }
            ],
        )
        CertificateRule.objects.create(
            run=run, kind="participation", template=template, min_attendance=100,
            lessons_required=True,
        )  # fmt: skip
        return run

    def full_run(name: str, holder):
        """A run of one place, held by `holder`: whoever enrols next goes on the waitlist."""
        from trainees import services as trainee_services

        start = timezone.localdate() + dt.timedelta(days=30)
        run = course_services.run_create(
            course=course,
            organiser=academy,
            title=f"Digital evidence, full run {name}",
            delivery_mode="residential",
            language="en",
            host_country=academy.country,
            venue="Police Training Centre, Belgrade",
            time_zone="Europe/Belgrade",
            start_date=start,
            end_date=start,
            capacity=1,
            enrolment_policy="open",
        )
        trainee_services.enrolment_request(run=run, user=holder)
        return run

    return {
        "course": course,
        "new_run": new_run,
        "full_run": full_run,
        "quiz": quiz,
        "packaged": packaged,
    }


def _confirmation_link() -> str:
    [message] = [m for m in mail.outbox if "confirm" in m.body.lower()][-1:]
    return re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)


def trainee_journey(journey, offer, width: int):
    from certificates import services as certificate_services
    from courses.models import Session
    from trainees import services as trainee_services

    email = f"officer.{width}@example.org"
    run = offer["new_run"](f"{width}px")
    me = journey(f"trainee-{width}px", width=width, height=800 if width < 600 else 900)
    page = me.go("/")
    me.shot("home page")
    page.get_by_role("link", name="Courses").first.click()
    me.shot("catalogue")

    # Sign up and confirm the address from the e-mail.
    page = me.go("/accounts/signup/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    me.shot("sign up")
    submit(page)
    me.shot("verify your address")
    page = me.go(_confirmation_link())
    me.shot("confirm address")
    submit(page)
    # Signed in at once (no second sign-in), on the profile to complete first, with the
    # messages of what just happened styled as successes.
    assert "/my/profile/" in page.url, page.url
    assert page.locator(".messages .message-success").count() == 2
    page.fill("input[name=given_name]", "Никола")
    page.fill("input[name=family_name]", "Петровић")
    page.fill("input[name=given_name_latin]", "Nikola")
    page.fill("input[name=family_name_latin]", "Petrović")
    page.select_option("select[name=gender]", "man")
    page.select_option("select[name=country_code]", "RS")
    page.fill("input[name=institution_other]", "Ministry of Interior, Belgrade")
    me.shot("profile")
    assert_fits(page, "profile")
    submit(page)
    assert page.locator(".messages .message-success").count() == 1  # "Your profile was saved."

    # The course, the run, enrolment.
    page = me.go(offer["course"].url)
    me.shot("course page")
    page.goto(f"{me.base}/runs/{run.pk}/")
    me.shot("run page")
    submit(page, page.get_by_role("button", name="Enrol"))
    page = me.go("/my/")
    assert "Enrolled" in page.content()
    me.shot("my learning enrolled")
    assert_fits(page, "my learning")

    # The run page leads to the lessons: the outline, the progress bar and Start.
    page = me.go(f"/runs/{run.pk}/")
    outline = page.locator(".learning-path")
    assert "0 of 2 lessons done" in outline.inner_text()
    assert "Securing the scene" in outline.inner_text()
    assert "Evidence basics" in outline.inner_text()
    me.shot("run page with the course outline")
    with page.expect_navigation():
        outline.get_by_role("link", name="Start the course").click()
    assert page.url.endswith(offer["quiz"].url)

    # The authored lesson: a wrong answer first, feedback, then passed.
    me.shot("lesson with a quiz")
    questions = page.locator("fieldset.question")
    questions.nth(0).locator("input").nth(1).check()
    questions.nth(1).locator("input").nth(1).check()
    page.get_by_role("button", name="Check my answers").click()
    page.wait_for_function("document.querySelector('.quiz-result').textContent.length > 0")
    result = page.locator(".quiz-result").inner_text()
    assert "passed" in result and "not passed" not in result, result
    me.shot("quiz answered")
    if width < 600:
        assert_fits(page, "lesson")

    # "Next lesson" at the end of the lesson leads into the next module.
    with page.expect_navigation():
        page.locator(".lesson-nav").get_by_role("link", name=re.compile("Next lesson")).click()
    assert page.url.endswith(offer["packaged"].url)
    me.shot("next lesson in the next module")
    # My learning resumes where the trainee left off: the first lesson not yet met.
    page = me.go("/my/")
    resume = page.get_by_role("link", name="Resume where you left off")
    assert resume.get_attribute("href") == offer["packaged"].url
    assert "1 of 2 lessons done" in page.content()
    page.locator("[data-enrolment] details.outline").first.locator("summary").click()
    me.shot("my learning resume")

    # The package lesson, in its sandboxed frame; a reload resumes on the second screen.
    page = me.go(f"/learn/lessons/{offer['packaged'].pk}/")
    frame = page.frame_locator("iframe.package-frame")
    with page.expect_response(
        lambda r: "activities/state" in r.url and r.request.method == "PUT"
    ) as saved:
        frame.locator("#next").click()
    assert saved.value.status == 204
    page.reload()
    frame.locator("#screen-2").wait_for(state="visible")  # resumed where it was left
    frame.locator("input[value=b]").check()
    frame.locator("#finish").click()
    frame.locator("#status", has_text="passed").wait_for()
    me.shot("package lesson passed")

    # Check-in by the code the trainer shows (the QR code's link), with the keyboard.
    session = Session.objects.get(run=run)
    token = trainee_services.check_in_token(session=session)
    page = me.go(f"/my/sessions/{session.pk}/check-in/{token}/")
    me.shot("check in")
    page.get_by_role("button", name="I am here").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "You are marked present" in page.content()
    me.shot("checked in")

    # The run ends; the periodic check issues the certificate (nobody presses a button).
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3),
        ends_at=timezone.now() - dt.timedelta(minutes=5),
    )
    assert certificate_services.ended_runs_check() >= 1
    page = me.go("/my/")
    assert "Certificate of participation" in page.content()
    # The enrolment is completed, with its certificate, and offers no withdrawal.
    card = page.locator("[data-enrolment]", has_text=run.display_title)
    assert "Completed" in card.inner_text() and "Your certificate" in card.inner_text()
    assert card.get_by_role("link", name="Withdraw").count() == 0
    assert "Every lesson is done." in card.inner_text()
    me.shot("my learning certificate")
    assert_fits(page, "my learning with a certificate")
    # Nothing is wider than the screen (tables scroll within their own box).
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    share = page.locator("input[data-copy]").first.input_value()
    # The share link, like the QR code and the e-mails, uses the server's own address.
    assert share.startswith(f"{me.base}/verify/"), (share, me.base)

    # Anyone checks it: the public page, signed out.
    visitor = me.context.browser.new_context(
        viewport={"width": width, "height": 800}, bypass_csp=True
    )
    public = visitor.new_page()
    public.goto(share.replace("http://testserver", me.base))
    assert "Valid certificate" in public.content() and "Никола Петровић" in public.content()
    me.page, saved = public, me.page
    me.shot("verification page")
    me.page = saved
    visitor.close()

    # A full run: the page says so and where enrolling leads; the trainee waits, is offered
    # the place, and on a phone both actions are on the screen.
    from network.models import User

    from ..factories import trainee as a_trainee

    holder = a_trainee(email=f"holder.{width}@example.org")
    full = offer["full_run"](f"{width}px", holder)
    page = me.go(f"/runs/{full.pk}/")
    facts = page.locator(".facts").inner_text()
    assert "None: all 1 places are taken" in facts and "go to the waitlist" in facts
    me.shot("full run")
    submit(page, page.get_by_role("button", name="Enrol"))
    assert "Position 1 on the waitlist" in page.content()
    a_trainee(email=f"next.{width}@example.org")
    trainee_services.enrolment_request(
        run=full, user=User.objects.get(email=f"next.{width}@example.org")
    )
    trainee_services.enrolment_withdraw(enrolment=full.enrolments.get(user=holder), actor=holder)
    page = me.go("/my/")
    card = page.locator("[data-enrolment]", has_text=full.display_title)
    assert "Offered a place" in card.inner_text() and "(Europe/Belgrade)" in card.inner_text()
    me.shot("my learning offer")
    assert_fits(page, "my learning with an offer")
    submit(page, card.get_by_role("button", name="Accept the place"))
    assert "You are enrolled." in page.content()

    # Withdrawing from a full run asks first, naming who gets the place.
    card = page.locator("[data-enrolment]", has_text=full.display_title)
    with page.expect_navigation():
        card.get_by_role("link", name="Withdraw").click()
    consequence = page.locator(".consequence").inner_text()
    assert "Your place goes to the next person on the waitlist (1 waiting)" in consequence
    me.shot("withdrawal asks first")
    assert_fits(page, "withdrawal confirmation")
    with page.expect_navigation():
        page.get_by_role("link", name="Keep my place").click()
    assert full.enrolments.get(user__email=email).state == "enrolled"

    # Every action was reachable from the keyboard: the first Tab lands on the skip link.
    page = me.go("/my/")
    assert "skip-link" in tab(page)
