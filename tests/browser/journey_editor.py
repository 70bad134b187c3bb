"""Journey (a): an academy editor creates a course with a module and a lesson in the Wagtail
admin and submits it; a network moderator approves it; it appears in the catalogue search."""

from __future__ import annotations

from .conftest import sign_in
from .journey_staff import PASSWORD, SECRET, _staff


def _action_menu(page, name: str):
    """Choose an action from the page editor's footer menu (Wagtail's "more actions")."""
    toggle = page.locator("footer [data-w-dropdown-target=toggle]").last
    toggle.click()
    page.get_by_role("button", name=name).first.click()


def _new_page(me, parent_id: int, kind: str, fields: dict, *, checks=(), selects=None, more=None):
    page = me.go(f"/admin/pages/{parent_id}/")
    page = me.go(f"/admin/pages/add/courses/{kind}/{parent_id}/")
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


def editor_journey(journey):
    from courses.models import CoursePage, LessonPage, ModulePage
    from website import services as website_services

    from ..factories import CurriculumPageFactory, InstitutionFactory

    website_services.site_ensure()
    academy = InstitutionFactory(
        name="Police Academy of Georgia", short_name="pa-ge", country_code="GE", city="Tbilisi"
    )
    curriculum = CurriculumPageFactory(parent=academy.page, title="Frontline policing")
    editor = _staff("editor", institution=academy)
    moderator = _staff("moderator")

    me = journey("editor")
    sign_in(me, editor.email, PASSWORD, totp_secret=SECRET)
    me.shot("admin dashboard")
    course_id = _new_page(
        me, curriculum.pk, "coursepage",
        {"title": "Hate crime investigation for patrol officers",
         "summary": "Recognising bias motives and recording them from the first report."},
        checks=[("languages", "en"), ("languages", "ka"), ("delivery_modes", "residential")],
        selects={"level": "introductory"},
        more=lambda page: (
            page.locator("input[name=thematic_areas]").first.check(),
            page.fill("[name=duration_hours]", "16"),
        ),
    )  # fmt: skip
    module_id = _new_page(me, course_id, "modulepage", {"title": "Recognising bias"})
    _new_page(me, module_id, "lessonpage", {"title": "Bias indicators", "summary": "Ten signs."})
    for page_id in (course_id,):
        page = me.go(f"/admin/pages/{page_id}/edit/")
        _action_menu(page, "Submit to Network moderation")
        page.wait_for_load_state("load")
    me.shot("submitted for moderation")
    assert CoursePage.objects.get(pk=course_id).current_workflow_state is not None

    mod = journey("moderator")
    sign_in(mod, moderator.email, PASSWORD, totp_secret=SECRET)
    page = mod.go("/admin/")
    assert "Hate crime investigation for patrol officers" in page.content()
    mod.shot("awaiting review")
    page = mod.go(f"/admin/pages/{course_id}/edit/")
    _action_menu(page, "Approve")
    dialog = page.get_by_role("dialog")
    if dialog.count() and dialog.first.is_visible():
        with page.expect_navigation():
            dialog.get_by_role("button", name="Approve").click()
    page.wait_for_load_state("load")
    mod.shot("approved")
    assert CoursePage.objects.get(pk=course_id).live

    # The publication is in the public catalogue and its search, straight away.
    visitor = journey("catalogue-visitor")
    page = visitor.go("/courses/?q=bias")
    assert "Hate crime investigation for patrol officers" in page.content()
    visitor.shot("found in the catalogue search")
    assert ModulePage.objects.filter(pk=module_id).exists()
    assert LessonPage.objects.filter(title="Bias indicators").exists()
