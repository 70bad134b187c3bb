"""A course goes through moderation with its new modules and lessons as one submission: they are
recorded when it is submitted, locked for its editors while it waits, published with it in the
approval's transaction, and sent back with it and the moderator's comment."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, Revision, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses import selectors, services
from courses.models import CoursePage, LessonPage, ModulePage, SubmittedDescendant

from ..auth_helpers import staff_login
from ..factories import (
    CoursePageFactory,
    CurriculumPageFactory,
    LessonPageFactory,
    ModulePageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_course(curriculum):
    """A course never published, with a module and a lesson never published."""
    course = CoursePageFactory(
        parent=curriculum,
        title="Hate crime for patrol officers",
        live=False,
        thematic_areas=["cybercrime"],
    )
    module = ModulePageFactory(parent=course, title="Recognising bias", live=False)
    LessonPageFactory(parent=module, title="Bias indicators", live=False)
    return course


def _module(course):
    return ModulePage.objects.child_of(course).get()


def _lesson(module):
    return LessonPage.objects.child_of(module).get()


def submit(page, user) -> WorkflowState:
    return page.get_workflow().start(page, user)


def carried(state) -> set[str]:
    return set(
        SubmittedDescendant.objects.filter(workflow_state=state).values_list(
            "page__title", flat=True
        )
    )


def test_a_submitted_course_takes_its_new_modules_and_lessons(
    draft_course, curriculum, course, other_academy, editor
):
    # Not taken: a sibling course's draft, another institution's draft, a live lesson without
    # changes. Taken: a live lesson with changes not yet published.
    sibling = CoursePageFactory(parent=curriculum, title="Sibling draft", live=False)
    ModulePageFactory(parent=sibling, title="Sibling module", live=False)
    foreign = CurriculumPageFactory(parent=other_academy.page)
    ModulePageFactory(
        parent=CoursePageFactory(parent=foreign, live=False), title="Foreign", live=False
    )
    module = _module(draft_course)
    LessonPageFactory(parent=module, title="Published lesson")
    changed = LessonPageFactory(parent=module, title="Changed lesson")
    changed.title = "Changed lesson, new wording"
    changed.save_revision(user=editor)

    state = submit(draft_course, editor)

    assert carried(state) == {"Recognising bias", "Bias indicators", "Changed lesson"}
    assert all(
        row.submitted_page_id == draft_course.pk
        for row in SubmittedDescendant.objects.filter(workflow_state=state)
    )


def test_approving_the_course_publishes_them_all_together(draft_course, editor, moderator):
    state = submit(draft_course, editor)
    module = _module(draft_course)
    lesson = _lesson(module)

    state.current_task_state.approve(user=moderator)

    for page in (draft_course, module, lesson):
        page.refresh_from_db()
        assert page.live and not page.has_unpublished_changes, page
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    entries = PageLogEntry.objects.filter(action="pan.submission_approve")
    assert set(entries.values_list("page_id", flat=True)) == {module.pk, lesson.pk}
    assert set(entries.values_list("user_id", flat=True)) == {moderator.pk}
    # Published by the moderator, in Wagtail's own history too.
    assert PageLogEntry.objects.filter(
        page=lesson, action="wagtail.publish", user=moderator
    ).exists()
    # Running it again publishes nothing more.
    revisions = Revision.objects.count()
    assert services.submission_publish(workflow_state=state, user=moderator) == []
    assert Revision.objects.count() == revisions
    assert PageLogEntry.objects.filter(action="pan.submission_approve").count() == 2


def test_an_approval_that_fails_halfway_changes_nothing(
    draft_course, editor, moderator, monkeypatch
):
    state = submit(draft_course, editor)
    lesson = _lesson(_module(draft_course))
    publish = Revision.publish

    def failing(revision, *args, **kwargs):
        if revision.object_id == str(lesson.pk):
            raise RuntimeError("the disk is full")
        return publish(revision, *args, **kwargs)

    monkeypatch.setattr(Revision, "publish", failing)
    with pytest.raises(RuntimeError):
        state.current_task_state.approve(user=moderator)

    assert not Page.objects.filter(pk__in=[draft_course.pk, lesson.pk], live=True).exists()
    assert not ModulePage.objects.filter(live=True, title="Recognising bias").exists()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_only_someone_who_may_publish_them_publishes_them(draft_course, editor):
    state = submit(draft_course, editor)
    with pytest.raises(PermissionDenied):
        services.submission_publish(workflow_state=state, user=editor)
    assert not ModulePage.objects.filter(live=True).exists()


def test_changes_requested_send_them_all_back_with_the_comment(draft_course, editor, moderator):
    state = submit(draft_course, editor)
    module = _module(draft_course)
    lesson = _lesson(module)

    state.current_task_state.reject(user=moderator, comment="Add sources to the lesson.")

    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    for page in (draft_course, module, lesson):
        page.refresh_from_db()
        assert not page.live and page.has_unpublished_changes
    for page in (module, lesson):
        entry = PageLogEntry.objects.get(page=page, action="pan.submission_reject")
        assert entry.data["comment"] == "Add sources to the lesson."
        assert entry.user_id == moderator.pk
        # Open to the editors again.
        assert ModulePage.objects.get(pk=module.pk).get_lock() is None
    # Resubmitted, they go with it again, with a lesson added meanwhile.
    LessonPageFactory(parent=module, title="Sources", live=False)
    state.resume(user=editor)
    assert carried(state) == {"Recognising bias", "Bias indicators", "Sources"}


def test_they_are_locked_for_their_editors_while_waiting(client, draft_course, editor, moderator):
    submit(draft_course, editor)
    module = ModulePage.objects.get(pk=_module(draft_course).pk)
    lock = module.get_lock()
    assert lock is not None
    assert lock.for_user(editor) and not lock.for_user(moderator)
    assert "Hate crime for patrol officers" in lock.get_message(editor)

    staff_login(client, editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[module.pk]))
    assert response.status_code == 200
    assert "awaiting moderation with" in response.content.decode()
    client.post(
        reverse("wagtailadmin_pages:edit", args=[module.pk]),
        nested_form_data(
            {
                "title": "Changed while waiting",
                "slug": module.slug,
                "summary": "",
                "body": streamfield([]),
            }
        ),
    )
    module.refresh_from_db()
    assert module.get_latest_revision().content["title"] == "Recognising bias"


def test_a_module_in_a_submission_of_its_own_is_decided_separately(draft_course, editor, moderator):
    module = _module(draft_course)
    module_state = submit(ModulePage.objects.get(pk=module.pk), editor)
    assert carried(module_state) == {"Bias indicators"}

    course_state = submit(draft_course, editor)
    assert carried(course_state) == set()
    outline = selectors.submission_outline(
        page=CoursePage.objects.get(pk=draft_course.pk), user=editor
    )
    assert [item["page"].pk for item in outline["own_submissions"]] == [module.pk]

    course_state.current_task_state.approve(user=moderator)
    assert not ModulePage.objects.get(pk=module.pk).live
    module_state.refresh_from_db()
    module_state.current_task_state.approve(user=moderator)
    assert ModulePage.objects.get(pk=module.pk).live
    assert LessonPage.objects.get(title="Bias indicators").live


def test_a_page_moved_out_of_the_course_is_not_published_with_it(
    draft_course, curriculum, editor, moderator
):
    state = submit(draft_course, editor)
    lesson = _lesson(_module(draft_course))
    elsewhere = ModulePageFactory(parent=CoursePageFactory(parent=curriculum), title="Elsewhere")
    Page.objects.get(pk=lesson.pk).move(elsewhere, pos="last-child")

    state.current_task_state.approve(user=moderator)

    assert ModulePage.objects.get(title="Recognising bias").live
    assert not LessonPage.objects.get(pk=lesson.pk).live


def test_the_course_editor_says_what_goes_with_it(client, draft_course, editor, moderator):
    staff_login(client, editor)
    url = reverse("wagtailadmin_pages:edit", args=[draft_course.pk])
    html = client.get(url).content.decode()
    assert "Submitting it for moderation sends them with it" in html
    assert "1 module, 1 lesson" in html

    submit(draft_course, editor)
    staff_login(client, moderator)
    html = client.get(url).content.decode()
    assert "Goes with this submission: 1 module, 1 lesson" in html
    assert "Bias indicators" in html


def test_submitting_through_the_admin_takes_them_along(client, draft_course, editor):
    from network.models import ThematicArea

    from .test_admin import course_form

    staff_login(client, editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[draft_course.pk]),
        course_form(
            draft_course,
            thematic_areas=[ThematicArea.objects.get(slug="cybercrime").pk],
            **{"action-submit": "1"},
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    state = WorkflowState.objects.get(object_id=str(draft_course.pk))
    assert carried(state) == {"Recognising bias", "Bias indicators"}
