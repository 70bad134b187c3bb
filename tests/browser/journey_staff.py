"""Journeys of the platform's staff: (c) a coordinator approves the nominations a focal point
made, keeps a session's register and issues the run's certificates; (d) an organiser opens a
training-of-trainers cascade, exports it and opens the file."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import load_workbook

from .conftest import assert_fits, assert_taps_land, sign_in, submit, tab

PASSWORD = "correct-horse-battery"  # the factories' password
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _staff(role, **scope):
    from network import services as network_services

    from ..auth_helpers import give_authenticator
    from ..factories import UserFactory

    user = UserFactory()
    network_services.membership_grant(user=user, role=role, **scope)
    give_authenticator(user)
    return user


def _trainees(country: str, names: list[tuple[str, str, str]]):
    from trainees import services as trainee_services

    from ..factories import UserFactory

    people = []
    for native, latin, gender in names:
        given, family = native.split(" ", 1)
        given_latin, family_latin = latin.split(" ", 1)
        user = UserFactory(first_name=given_latin, last_name=family_latin)
        trainee_services.profile_save(
            user=user, given_name=given, family_name=family, given_name_latin=given_latin,
            family_name_latin=family_latin, gender=gender, country_code=country,
            institution_other="Ministry of Internal Affairs", rank_or_position="Captain",
        )  # fmt: skip
        people.append(user)
    return people


def coordinator_journey(journey):
    from certificates.models import (
        Certificate,
        CertificateRule,
        CertificateTemplate,
        CertificateText,
    )
    from courses import services as course_services
    from network.models import Country
    from trainees import services as trainee_services

    from ..factories import CoursePageFactory, CurriculumPageFactory, InstitutionFactory

    academy = InstitutionFactory(
        name="International Academy against Drugs", short_name="iadoc", country_code="TR",
        city="Ankara",
    )  # fmt: skip
    course = CoursePageFactory(
        parent=CurriculumPageFactory(parent=academy.page, title="Counter-narcotics"),
        title="Counter-narcotics trainer course",
        thematic_areas=["illicit-drugs"],
        is_training_of_trainers=True,
    )
    yesterday = dt.date.today() - dt.timedelta(days=1)
    run = course_services.run_create(
        course=course, organiser=academy, title="Counter-narcotics trainer course, Ankara",
        delivery_mode="residential", language="en", host_country=academy.country,
        venue="IADOC, Ankara", time_zone="Europe/Istanbul", start_date=yesterday,
        end_date=dt.date.today(), capacity=10, enrolment_policy="nomination",
        is_training_of_trainers=True,
        sessions=[{"date": yesterday, "start_time": dt.time(9, 0), "duration_minutes": 240,
                   "topic": "Precursors and their routes"}],
    )  # fmt: skip
    template = CertificateTemplate.objects.create(institution=academy, name="Trainers")
    CertificateText.objects.create(
        template=template, language="en", body="{name} is a certified trainer for {course}."
    )
    CertificateRule.objects.create(
        run=run, kind="participation", template=template, min_attendance=100, automatic=False
    )
    focal = _staff("focal_point", country=Country.objects.get(code="KZ"))
    officers = _trainees(
        "KZ",
        [("Айгерим Сейткали", "Aigerim Seitkali", "woman"),
         ("Ерлан Жаксылыков", "Erlan Zhaksylykov", "man"),
         ("Дана Омарова", "Dana Omarova", "woman")],
    )  # fmt: skip
    for officer in officers:
        trainee_services.enrolment_nominate(run=run, user=officer, actor=focal)
    coordinator = _staff("coordinator", institution=academy)

    me = journey("coordinator")
    page = sign_in(me, coordinator.email, PASSWORD, totp_secret=SECRET)
    page = me.go("/manage/")
    me.shot("manage home")
    page = me.go("/manage/queue/")
    me.shot("enrolment queue with nominations")
    for box in page.locator("input[name=enrolments]").all():
        box.check()
    page.select_option("select[name=action]", "approve")
    submit(page, page.get_by_role("button", name="Apply to the selected requests"))
    assert "3 requests updated" in page.content()
    me.shot("nominations approved")

    page = me.go(f"/manage/runs/{run.pk}/")
    me.shot("run page")
    session = run.sessions.get()
    page = me.go(f"/manage/sessions/{session.pk}/register/")
    for officer in officers[:2]:
        page.get_by_label(f"Present: {officer.trainee_profile.latin_name}").check()
    page.get_by_label(f"Absent: {officers[2].trainee_profile.latin_name}").check()
    page.get_by_label(f"Note: {officers[2].trainee_profile.latin_name}").fill("Ill, certified")
    me.shot("register filled")
    submit(page, page.get_by_role("button", name="Save the register"))
    me.shot("register saved")
    # On a 360-pixel phone the register is a list of stacked rows: nothing leaves the screen,
    # and a tap on a choice marks that choice, not its neighbour.
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    assert_fits(page, "register on a phone")
    assert_taps_land(page, "register on a phone")
    row = page.locator("tr", has_text=officers[0].trainee_profile.latin_name)
    row.locator(".choice-text", has_text="Late").click()
    assert page.get_by_label(f"Late: {officers[0].trainee_profile.latin_name}").is_checked()
    me.shot("register on a phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page = me.go(f"/manage/runs/{run.pk}/")
    submit(page, page.get_by_role("button", name="Issue all owed certificates"))
    page = me.go(f"/manage/runs/{run.pk}/")
    me.shot("certificates issued")
    issued = Certificate.objects.filter(run=run, status="valid")
    assert issued.count() == 2  # the third missed the session: the rule asks for all of it
    # The coordinator may still issue the third by hand, with the keyboard: first a question
    # that says what the rule found missing and asks the reason the audit trail keeps.
    page.get_by_role("link", name="Issue anyway").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    consequence = page.locator(".consequence").inner_text()
    assert "does not meet the run's rule" in consequence and "Attended 0%" in consequence
    me.shot("issue anyway asks for a reason")
    page.get_by_label("Reason for issuing below the rule").fill("Ill on the day, certified")
    page.get_by_role("button", name="Issue anyway").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Certificate.objects.filter(run=run, status="valid").count() == 3
    from wagtail.models import ModelLogEntry

    entry = ModelLogEntry.objects.get(action="pan.certificate_issue_anyway")
    assert entry.data["reason"] == "Ill on the day, certified"
    me.shot("third certificate issued anyway")
    # Revoking asks first too, naming what happens.
    with page.expect_navigation():
        page.get_by_role("link", name="Revoke").first.click()
    assert "This cannot be undone." in page.locator(".consequence").inner_text()
    me.shot("revoking asks first")
    page = me.go(f"/manage/runs/{run.pk}/")
    assert "skip-link" in tab(page)


def organiser_journey(journey):
    """The cascade of a ToT: certified trainers deliver national runs, whose trainers deliver
    local ones."""
    from certificates.models import (
        CertificateTemplate,
        CertificateText,
    )
    from network.models import Country
    from reports import services as report_services

    from ..factories import (
        CoursePageFactory,
        CurriculumPageFactory,
        InstitutionFactory,
        course_run,
        trainer_certificates,
    )

    academy = InstitutionFactory(name="OSCE Mission to Serbia", short_name="omis")
    course = CoursePageFactory(
        parent=CurriculumPageFactory(parent=academy.page, title="Cybercrime investigation"),
        title="Cybercrime investigation for trainers",
        thematic_areas=["cybercrime"],
        is_training_of_trainers=True,
    )
    template = CertificateTemplate.objects.create(institution=academy, name="ToT")
    CertificateText.objects.create(template=template, language="en", body="{name}: {course}")

    founders = _trainees(
        "GE",
        [("ნინო ბერიძე", "Nino Beridze", "woman"), ("გიორგი კაპანაძე", "Giorgi Kapanadze", "man")],
    ) + _trainees("AM", [("Անի Սարգսյան", "Ani Sargsyan", "woman")])
    tot = course_run(
        course, academy, sessions=2, start_in_days=-120, is_training_of_trainers=True,
        title="Cybercrime investigation: regional ToT, Belgrade",
    )  # fmt: skip
    trainer_certificates(tot, template, founders)
    for trainer, country, language in ((founders[0], "GE", "ka"), (founders[2], "AM", "hy")):
        national = course_run(
            course, academy, sessions=2, start_in_days=-60, trainers=[trainer],
            host_country=Country.objects.get(code=country), language=language,
            is_training_of_trainers=True, title=f"Cybercrime investigation, national ToT {country}",
        )  # fmt: skip
        locals_ = _trainees(
            country,
            [(f"Officer {chr(65 + n)}{country}", f"Officer {chr(65 + n)}{country}",
              "woman" if n % 2 else "man") for n in range(6)],
        )  # fmt: skip
        [second, *_rest] = trainer_certificates(national, template, locals_)
        course_run(
            course, academy, sessions=1, start_in_days=-10, trainers=[second.user],
            host_country=Country.objects.get(code=country), language=language,
            title=f"Cybercrime investigation, {country} local course",
        )  # fmt: skip
    report_services.tallies_rebuild()
    organiser = _staff("organiser")

    me = journey("organiser")
    sign_in(me, organiser.email, PASSWORD, totp_secret=SECRET)
    page = me.go("/manage/cascades/")
    me.shot("cascades")
    page.get_by_role("link", name=tot.display_title).click()
    page.wait_for_load_state("load")
    me.shot("cascade of the ToT")
    content = page.content()
    assert "Reach over time" in content and 'data-chart="reach-data"' in content
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert workbook.sheetnames == ["Runs", "Generations", "Countries", "Reach over time"]
    runs = workbook["Runs"]
    assert runs.max_row == 1 + 5  # the ToT, two national ToTs, two local courses
    page = me.go("/manage/reports/")
    me.shot("network figures")
    page = me.go("/manage/trainers/")
    me.shot("trainer registry")


def scheduling_journey(journey):
    """(c') A coordinator schedules a run in the admin with the searchable choosers: the course
    chooser opens at their academy and finds the course by a word, the country is found by
    its name, the certificate template chooser offers their academy's template and the
    network's only, and the time zone left as it is becomes the host country's."""
    from certificates.models import CertificateTemplate
    from courses.models import CourseRun

    from ..factories import CoursePageFactory, CurriculumPageFactory, InstitutionFactory

    academy = InstitutionFactory(
        name="Police Academy of Montenegro", short_name="pa-montenegro", country_code="ME",
        city="Danilovgrad",
    )  # fmt: skip
    other = InstitutionFactory(name="Police College of Moldova", short_name="pc-md")
    CoursePageFactory(
        parent=CurriculumPageFactory(parent=academy.page, title="Policing with communities"),
        title="Community policing for patrol officers",
        thematic_areas=["community-policing"],
    )
    own = CertificateTemplate.objects.create(institution=academy, name="Academy certificate")
    CertificateTemplate.objects.create(institution=other, name="Moldovan certificate")
    CertificateTemplate.objects.create(institution=None, name="PAN network certificate")
    coordinator = _staff("coordinator", institution=academy)

    me = journey("scheduling")
    page = sign_in(me, coordinator.email, PASSWORD, totp_secret=SECRET)
    page = me.go("/admin/course_runs/new/")
    organiser = page.locator("select[name=organiser]")
    assert organiser.input_value() == str(academy.pk)  # their only institution, chosen already
    me.shot("new run")

    # The course: the chooser opens at the academy; a word finds the course.
    page.locator("#id_course-chooser [data-chooser-action-choose]").click()
    modal = page.locator(".modal-dialog")
    modal.wait_for()
    modal.get_by_text("Policing with communities").wait_for()
    me.shot("course chooser opens at the academy")
    modal.locator("input[name=q]").fill("patrol")
    result = modal.locator("a.choose-page", has_text="Community policing for patrol officers")
    result.wait_for()
    me.shot("course found by a word")
    result.click()
    modal.wait_for(state="detached")

    # The host country, found by its name.
    page.locator("#id_host_country-chooser [data-chooser-action-choose]").click()
    modal = page.locator(".modal-dialog")
    modal.locator("input[name=q]").fill("monte")
    choice = modal.locator("a[data-chooser-modal-choice]", has_text="Montenegro")
    choice.wait_for()
    assert modal.locator("a[data-chooser-modal-choice]").count() == 1
    me.shot("country found by its name")
    choice.click()
    modal.wait_for(state="detached")

    start = dt.date.today() + dt.timedelta(days=40)
    page.fill("input[name=title]", "Community policing, Danilovgrad")
    page.select_option("select[name=delivery_mode]", "residential")
    page.select_option("select[name=language]", "en")
    page.fill("input[name=venue]", "Police Academy, Danilovgrad")
    for name, day in (("start_date", start), ("end_date", start + dt.timedelta(days=2))):
        page.fill(f"input[name={name}]", day.isoformat())
        page.keyboard.press("Escape")
    page.fill("input[name=capacity]", "24")
    zone = page.locator("select[name=time_zone]")
    assert zone.input_value() == ""  # the host country's, unless chosen
    assert zone.locator("option[value='Europe/Podgorica']").count() == 1

    # A certificate rule: the chooser offers the academy's template and the network's.
    page.locator("#id_certificate_rules-ADD").click()
    page.select_option("select[name='certificate_rules-0-kind']", "participation")
    page.locator("#id_certificate_rules-0-template-chooser [data-chooser-action-choose]").click()
    modal = page.locator(".modal-dialog")
    modal.locator("a[data-chooser-modal-choice]").first.wait_for()
    offered = [t.strip() for t in modal.locator("a[data-chooser-modal-choice]").all_inner_texts()]
    assert offered == [
        "Academy certificate (Police Academy of Montenegro)",
        "PAN network certificate (network template)",
    ], offered
    me.shot("templates offered")
    modal.locator("a[data-chooser-modal-choice]", has_text="Academy certificate").click()
    modal.wait_for(state="detached")
    me.shot("form filled")

    with page.expect_navigation():
        page.get_by_role("button", name="Create").first.click()
    me.shot("run scheduled")
    run = CourseRun.objects.get(title="Community policing, Danilovgrad")
    assert run.course.title == "Community policing for patrol officers"
    assert run.host_country.code == "ME" and run.time_zone == "Europe/Podgorica"
    assert run.certificate_rules.get().template == own
