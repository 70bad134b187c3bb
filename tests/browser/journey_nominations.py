"""Journey (g): a national focal point nominates several officers at once with a note for the
organiser (two found by a search and ticked or given by address, one without an account, who
is invited and signs up); the officers' e-mails and pages never show the note; the
organiser's coordinator reads it on the enrolment queue and on the run's page, before and after
approving. On a desktop and on a 360-pixel phone, every control on the screen."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail

from .conftest import assert_fits, sign_in, submit
from .journey_staff import PASSWORD, SECRET, _staff, _trainees

NOTE = "Heads the precursor desk in Almaty; needs the Russian-language materials"
NEW_PASSWORD = "a long pass phrase for the officer"
# Each width nominates its own officers (names a search finds only once).
OFFICERS = {
    1280: [("Жанар Абенова", "Zhanar Abenova", "woman"),
           ("Бауыржан Тлеулин", "Baurzhan Tleulin", "man")],
    360: [("Гульнара Сапарова", "Gulnara Saparova", "woman"),
          ("Нурлан Исаев", "Nurlan Isayev", "man")],
}  # fmt: skip


def _mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def nomination_journey(journey, width: int):
    from allauth.account.models import EmailAddress

    from courses import services as course_services
    from network.models import Country
    from trainees.models import Enrolment

    from ..factories import CoursePageFactory, CurriculumPageFactory, InstitutionFactory

    phone = width < 600
    viewport = {"width": width, "height": 800 if phone else 900}
    kazakhstan = Country.objects.get(code="KZ")
    academy = InstitutionFactory(
        name=f"Precursor Control Training Centre ({width}px)", short_name=f"pctc-{width}",
        country_code="KZ", city="Almaty",
    )  # fmt: skip
    course = CoursePageFactory(
        parent=CurriculumPageFactory(parent=academy.page, title="Precursor control"),
        title="Chemical precursors: control and investigation",
        thematic_areas=["illicit-drugs"],
    )
    start = dt.date.today() + dt.timedelta(days=20)
    run = course_services.run_create(
        course=course, organiser=academy, title=f"Chemical precursors, Almaty ({width}px)",
        delivery_mode="residential", language="ru", host_country=kazakhstan, venue="Almaty",
        time_zone="Asia/Almaty", start_date=start, end_date=start + dt.timedelta(days=2),
        capacity=12, enrolment_policy="nomination",
        sessions=[{"date": start, "start_time": dt.time(9, 0), "duration_minutes": 240,
                   "topic": "Precursors and their routes"}],
    )  # fmt: skip
    focal = _staff("focal_point", country=kazakhstan)
    coordinator = _staff("coordinator", institution=academy)
    found, typed = _trainees("KZ", OFFICERS[width])
    invited = f"new.officer.{width}@example.org"
    mail.outbox.clear()

    # The focal point finds one officer, ticks them, gives the other's address, a new
    # officer's address and a mistyped one, and writes the note.
    me = journey(f"nominations-{width}px-focal-point", **viewport)
    sign_in(me, focal.email, PASSWORD, totp_secret=SECRET)
    page = me.go("/manage/nominations/")
    page.select_option("select[name=run]", str(run.pk))
    page.fill("input[name=q]", found.trainee_profile.family_name_latin)
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    officer_row = page.locator(".officer-list li", has_text=found.trainee_profile.latin_name)
    assert officer_row.count() == 1
    officer_row.locator("input[type=checkbox]").check()
    page.fill("textarea[name=emails]", f"{typed.email}\n{invited}, not-an-address")
    page.fill("textarea[name=note]", NOTE)
    me.shot("officers found, ticked and typed, with a note")
    if phone:
        assert_fits(page, "nomination form on a phone")
    submit(page, page.get_by_role("button", name="Nominate", exact=True))
    content = page.content()
    assert "Nominated (2):" in content and f"Invited to sign up: {invited}." in content
    report = page.locator(".nomination-report").inner_text()
    assert "not-an-address: This is not an e-mail address." in report
    assert page.locator("textarea[name=emails]").input_value().strip() == "not-an-address"
    assert NOTE in page.locator("table", has_text=typed.trainee_profile.latin_name).inner_text()
    me.shot("nominated, the mistyped address kept to be corrected")
    if phone:
        assert_fits(page, "nominations after sending, on a phone")
    nominated = Enrolment.objects.filter(run=run, nominated_by=focal)
    assert {e.user for e in nominated} == {found, typed}
    assert all(e.nominator_note == NOTE for e in nominated)

    # The officers are told they were nominated, never what the focal point wrote.
    for officer in (found, typed):
        [told] = _mails_to(officer.email)
        assert told.subject.startswith("You have been nominated") and NOTE not in told.body
    [invitation] = _mails_to(invited)
    assert NOTE not in invitation.body
    link = re.search(r"https?://\S+(/my/invitations/\S+/)", invitation.body).group(1)
    [alert] = _mails_to(coordinator.email)
    assert NOTE in alert.body

    # An officer's own pages say they await approval, and nothing of the note.
    EmailAddress.objects.create(user=found, email=found.email, verified=True, primary=True)
    officer = journey(f"nominations-{width}px-officer", **viewport)
    sign_in(officer, found.email, PASSWORD)
    page = officer.go("/my/")
    assert "Awaiting approval" in page.content() and NOTE not in page.content()
    officer.shot("my learning: nominated")
    if phone:
        assert_fits(page, "my learning on a phone")
    page = officer.go(f"/runs/{run.pk}/")
    assert NOTE not in page.content()
    officer.shot("the run's page")

    # The officer without an account follows the invitation and signs up with its address.
    newcomer = journey(f"nominations-{width}px-invited", **viewport)
    page = newcomer.go(link)
    assert NOTE not in page.content()
    newcomer.shot("invitation")
    if phone:
        assert_fits(page, "invitation on a phone")
    with page.expect_navigation():
        page.get_by_role("link", name="Create your account").click()
    assert page.locator("input[name=email]").input_value() == invited
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    submit(page)
    assert "/my/profile/" in page.url, page.url
    assert f"Your nomination for {run.display_title} is recorded" in page.content()
    newcomer.shot("signed up: the nomination is recorded, the profile comes next")
    page.fill("input[name=given_name]", "Ержан")
    page.fill("input[name=family_name]", "Касымов")
    page.fill("input[name=given_name_latin]", "Yerzhan")
    page.fill("input[name=family_name_latin]", "Kassymov")
    page.select_option("select[name=gender]", "man")
    page.select_option("select[name=country_code]", "KZ")
    page.fill("input[name=institution_other]", "Ministry of Internal Affairs")
    submit(page)
    page = newcomer.go("/my/")
    assert "Awaiting approval" in page.content() and NOTE not in page.content()
    newcomer.shot("my learning: nominated after signing up")
    assert Enrolment.objects.get(run=run, user__email=invited).nominator_note == NOTE

    # The coordinator: the queue's badge, the note on the queue and on the run's page.
    coord = journey(f"nominations-{width}px-coordinator", **viewport)
    sign_in(coord, coordinator.email, PASSWORD, totp_secret=SECRET)
    page = coord.go("/manage/")
    badge = page.locator(".manage-links .badge")
    assert badge.inner_text().startswith("3"), badge.inner_text()
    coord.shot("manage: three requests await a decision")
    page = coord.go("/manage/queue/")
    assert page.locator(".nominator-note", has_text=NOTE).count() == 3
    coord.shot("enrolment queue with the nominator's note")
    if phone:
        assert_fits(page, "enrolment queue on a phone")
    page = coord.go(f"/manage/runs/{run.pk}/")
    assert page.locator("table.nominations", has_text=NOTE).count() == 1
    coord.shot("run page with the nominations and their note")
    if phone:
        assert_fits(page, "run page on a phone")
    page = coord.go("/manage/queue/")
    for box in page.locator("input[name=enrolments]").all():
        box.check()
    page.select_option("select[name=action]", "approve")
    submit(page, page.get_by_role("button", name="Apply to the selected requests"))
    assert "3 requests updated" in page.content()
    page = coord.go(f"/manage/runs/{run.pk}/")
    nominations = page.locator("table.nominations").inner_text()
    assert nominations.count(NOTE) == 3 and nominations.count("Enrolled") == 3
    coord.shot("run page after approval: the note is kept")
    if phone:
        assert_fits(page, "run page after approval on a phone")
    # Approval told the officers, still without the note.
    for address in (found.email, typed.email, invited):
        assert all(NOTE not in m.body for m in _mails_to(address))
