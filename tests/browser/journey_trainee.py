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

from .conftest import submit, tab

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
    from pan_network import services as network_services
    from pan_network.models import Membership

    from ..factories import (
        CoursePageFactory,
        CurriculumPageFactory,
        InstitutionFactory,
        LessonPageFactory,
        ModulePageFactory,
        UserFactory,
    )

    network_services.site_ensure()
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
    packaged = LessonPageFactory(parent=module, title="What counts as digital evidence")
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

    return {"course": course, "new_run": new_run, "quiz": quiz, "packaged": packaged}


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
    if "/accounts/login/" in page.url:
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", PASSWORD)
        submit(page)

    # The course, the run, enrolment: the profile comes first.
    page = me.go(offer["course"].url)
    me.shot("course page")
    page.goto(f"{me.base}/runs/{run.pk}/")
    me.shot("run page")
    submit(page, page.get_by_role("button", name="Enrol"))
    assert "/my/profile/" in page.url
    page.fill("input[name=given_name]", "Никола")
    page.fill("input[name=family_name]", "Петровић")
    page.fill("input[name=given_name_latin]", "Nikola")
    page.fill("input[name=family_name_latin]", "Petrović")
    page.select_option("select[name=gender]", "man")
    page.select_option("select[name=country_code]", "RS")
    page.fill("input[name=institution_other]", "Ministry of Interior, Belgrade")
    me.shot("profile")
    submit(page)
    if "/runs/" in page.url:
        submit(page, page.get_by_role("button", name="Enrol"))
    page = me.go("/my/")
    assert "Enrolled" in page.content()
    me.shot("my learning enrolled")

    # The authored lesson: a wrong answer first, feedback, then passed.
    page = me.go(offer["quiz"].url)
    me.shot("lesson with a quiz")
    questions = page.locator("fieldset.question")
    questions.nth(0).locator("input").nth(1).check()
    questions.nth(1).locator("input").nth(1).check()
    page.get_by_role("button", name="Check my answers").click()
    page.wait_for_function("document.querySelector('.quiz-result').textContent.length > 0")
    result = page.locator(".quiz-result").inner_text()
    assert "passed" in result and "not passed" not in result, result
    me.shot("quiz answered")

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
    me.shot("my learning certificate")
    # Nothing is wider than the screen (tables scroll within their own box).
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    share = page.locator("input[data-copy]").first.input_value()
    assert "/verify/" in share

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

    # Every action was reachable from the keyboard: the first Tab lands on the skip link.
    page = me.go("/my/")
    assert "skip-link" in tab(page)
