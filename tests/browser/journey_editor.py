"""Journey (a): an academy editor starts "New course" from the admin dashboard, writes a course
with a module and a lesson, and submits the course once; a network moderator finds it on their
dashboard grouped by course with its institution, and approves it there; the course, its module
and its lesson are live together, and the course is in the catalogue search. Both dashboards are
also checked on a 360-pixel screen."""

from __future__ import annotations

from .conftest import assert_fits, sign_in
from .journey_staff import PASSWORD, SECRET, _staff

DASHBOARD = ".w-dashboard"


def _action_menu(page, name: str):
    """Choose an action from the page editor's footer menu (Wagtail's "more actions")."""
    toggle = page.locator("footer [data-w-dropdown-target=toggle]").last
    toggle.click()
    page.get_by_role("button", name=name).first.click()


def _fill_and_save(me, kind: str, fields: dict, *, checks=(), selects=None, more=None) -> int:
    """On a page's add form: fill it in, save a draft, return the new page's id."""
    page = me.page
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
        page.press(f"[name={name}]", "Tab")  # leaving the title fills in the slug
    for name, value in checks:
        page.check(f"input[name={name}][value={value}]")
    for name, value in (selects or {}).items():
        page.select_option(f"select[name={name}]", value)
    if more:
        more(page)
    me.shot(f"new {kind}")
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state("load")
    if "/edit/" not in page.url:
        me.shot(f"{kind} not saved")
        errors = page.locator(".error-message, .w-field__errors").all_inner_texts()
        raise AssertionError(f"{kind} was not saved: {errors}")
    return int(page.url.rstrip("/").split("/")[-2])


def _on_a_phone(me, label: str, *, expect: str):
    """The dashboard at 360 px in the same signed-in tab (a second sign-in within the same
    30 seconds could not reuse the authenticator's code), tall enough for one screenshot of it
    all (the admin scrolls inside itself); then back to the desktop."""
    size = me.page.viewport_size
    me.page.set_viewport_size({"width": 360, "height": 2200})
    page = me.go("/admin/")
    assert expect in page.locator(DASHBOARD).inner_text()
    assert_fits(page, label, within=DASHBOARD)
    me.shot(label)
    me.page.set_viewport_size(size)


def editor_journey(journey):
    from courses.models import CoursePage, LessonPage, ModulePage
    from website import services as website_services

    from ..factories import (
        CoursePageFactory,
        CurriculumPageFactory,
        InstitutionFactory,
        ModulePageFactory,
    )

    website_services.site_ensure()
    academy = InstitutionFactory(
        name="Police Academy of Georgia", short_name="pa-ge", country_code="GE", city="Tbilisi"
    )
    CurriculumPageFactory(parent=academy.page, title="Frontline policing")
    editor = _staff("editor", institution=academy)
    moderator = _staff("moderator")
    # Another academy's module, added to one of its live courses and waiting already.
    other = InstitutionFactory(
        name="Police Academy of Moldova", short_name="pa-md", country_code="MD", city="Chișinău"
    )
    border = CoursePageFactory(
        parent=CurriculumPageFactory(parent=other.page, title="Border management"),
        title="Border checks at crossing points",
    )
    other_editor = _staff("editor", institution=other)
    waiting = ModulePageFactory(parent=border, title="Document fraud", live=False)
    waiting.get_workflow().start(waiting, other_editor)

    me = journey("editor", height=1400)
    page = sign_in(me, editor.email, PASSWORD, totp_secret=SECRET)
    page = me.go("/admin/")
    assert page.get_by_role("link", name="New course", exact=True).is_visible()
    assert "Frontline policing" in page.content()
    me.shot("admin dashboard")

    # "New course": one curriculum, so straight to the course's form in it.
    with page.expect_navigation():
        page.get_by_role("link", name="New course", exact=True).click()
    page.wait_for_load_state("load")
    assert "/admin/pages/add/courses/coursepage/" in page.url
    course_id = _fill_and_save(
        me, "coursepage",
        {"title": "Hate crime investigation for patrol officers",
         "summary": "Recognising bias motives and recording them from the first report."},
        checks=[("languages", "en"), ("languages", "ka"), ("delivery_modes", "residential")],
        selects={"level": "introductory"},
        more=lambda page: (
            page.locator("input[name=thematic_areas]").first.check(),
            page.fill("[name=duration_hours]", "16"),
        ),
    )  # fmt: skip
    me.go(f"/admin/pages/add/courses/modulepage/{course_id}/")
    module_id = _fill_and_save(me, "modulepage", {"title": "Recognising bias"})
    me.go(f"/admin/pages/add/courses/lessonpage/{module_id}/")
    lesson_id = _fill_and_save(me, "lessonpage", {"title": "Bias indicators", "summary": "Ten."})

    page = me.go("/admin/")
    drafts = page.locator("#pan-drafts-section")
    for title in ("Hate crime investigation for patrol officers", "Recognising bias",
                  "Bias indicators"):  # fmt: skip
        assert drafts.get_by_text(title).count(), title
    me.shot("dashboard with three drafts")

    # The course's editor says what goes with it; it is submitted once.
    page = me.go(f"/admin/pages/{course_id}/edit/")
    assert "Submitting it for moderation sends them with it" in page.content()
    assert "1 module, 1 lesson" in page.content()
    me.shot("course editor before submitting")
    _action_menu(page, "Submit to Network moderation")
    page.wait_for_load_state("load")
    page = me.go("/admin/")
    submitted = page.locator("#pan-submissions-section")
    assert "Hate crime investigation for patrol officers" in submitted.inner_text()
    assert "Goes with this submission: 1 module, 1 lesson" in submitted.inner_text()
    assert "No drafts" in page.locator("#pan-drafts-section").inner_text()
    me.shot("submitted with its module and lesson")
    # Waiting, the module is locked for its editor.
    page = me.go(f"/admin/pages/{module_id}/edit/")
    assert "awaiting moderation with" in page.content()
    me.shot("module locked while waiting")
    _on_a_phone(me, "editor dashboard on a phone", expect="Goes with this submission")

    mod = journey("moderator", height=1400)
    sign_in(mod, moderator.email, PASSWORD, totp_secret=SECRET)
    page = mod.go("/admin/")
    queue = page.locator("#pan-moderation-queue-section")
    text = queue.inner_text()
    assert "Awaiting your review (2 submissions)" in text
    assert text.index("Border checks at crossing points") < text.index("Hate crime investigation")
    assert "Police Academy of Georgia, Georgia" in text
    assert "Police Academy of Moldova, Moldova" in text
    group = queue.locator("section", has_text="Hate crime investigation for patrol officers")
    assert "Goes with this submission: 1 module, 1 lesson" in group.inner_text()
    group.locator("summary").click()
    mod.shot("awaiting review by course")
    _on_a_phone(mod, "moderator dashboard on a phone", expect="Awaiting your review")
    page = mod.go("/admin/")
    queue = page.locator("#pan-moderation-queue-section")
    group = queue.locator("section", has_text="Hate crime investigation for patrol officers")

    # Approved from the dashboard: all three go live together.
    with page.expect_navigation():
        group.get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_load_state("load")
    mod.shot("approved")
    assert "Awaiting your review (1 submission)" in page.content()
    assert CoursePage.objects.get(pk=course_id).live
    assert ModulePage.objects.get(pk=module_id).live
    assert LessonPage.objects.get(pk=lesson_id).live
    assert not ModulePage.objects.get(pk=waiting.pk).live  # its own submission, still waiting

    page = me.go("/admin/")
    curricula = page.locator("#pan-curricula-section").inner_text()
    assert "Hate crime investigation for patrol officers" in curricula and "LIVE" in curricula
    me.shot("dashboard after approval")

    # The publication is in the public catalogue and its search, straight away, with its lesson.
    visitor = journey("catalogue-visitor")
    page = visitor.go("/courses/?q=bias")
    assert "Hate crime investigation for patrol officers" in page.content()
    visitor.shot("found in the catalogue search")
    page = visitor.go(LessonPage.objects.get(pk=lesson_id).url)
    assert "Bias indicators" in page.content()
    visitor.shot("the lesson is live")
