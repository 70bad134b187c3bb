"""The admin dashboard as academy editors and network moderators use it: an editor's curricula,
courses, drafts and submissions with "New course"; a moderator's queue grouped by course with
each one's institution; Wagtail's own dashboard for organisers and superusers. Each costs the
same number of queries however many pages there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import WorkflowState

from courses import selectors
from network import services
from network.models import Membership

from ..auth_helpers import staff_login
from ..factories import (
    CoursePageFactory,
    CurriculumPageFactory,
    LessonPageFactory,
    ModulePageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

STOCK = {
    "workflow_objects_to_moderate",
    "user_objects_in_workflow_moderation",
    "recent_edits",
    "locked_pages",
}


def submit(page, user) -> WorkflowState:
    return page.get_workflow().start(page, user)


def draft_course(curriculum, title, *, modules=1, lessons=1):
    course = CoursePageFactory(parent=curriculum, title=title, live=False)
    for m in range(modules):
        module = ModulePageFactory(parent=course, title=f"{title}: module {m + 1}", live=False)
        for n in range(lessons):
            LessonPageFactory(parent=module, title=f"{title}: lesson {m + 1}.{n + 1}", live=False)
    return course


def dashboard(client, user):
    staff_login(client, user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response


def panel_names(response) -> set[str]:
    return {getattr(p, "name", "") for p in response.context["panels"]}


def test_an_editor_sees_their_institution_and_new_course(
    client, editor, course, curriculum, other_academy, moderator
):
    CurriculumPageFactory(parent=other_academy.page, title="Border management")
    waiting = draft_course(curriculum, "Hate crime for patrol officers")
    submit(waiting, editor)
    sent_back = draft_course(curriculum, "Community policing basics", modules=2)
    state = submit(sent_back, editor)
    state.current_task_state.reject(user=moderator, comment="Name the sources of lesson 2.")
    draft = LessonPageFactory(parent=ModulePageFactory(parent=course), title="Open lesson")
    draft.title = "Open lesson, revised"
    draft.save_revision(user=editor)

    response = dashboard(client, editor)
    html = response.content.decode()

    names = panel_names(response)
    assert {"pan_new_course", "pan_submissions", "pan_drafts", "pan_curricula"} <= names
    assert not names & {"workflow_objects_to_moderate", "user_objects_in_workflow_moderation"}
    assert "pan_moderation_queue" not in names
    assert reverse("courses_new") in html
    # Curricula and courses: their own only.
    assert "Cybercrime investigation for trainers" in html
    assert "Border management" not in html
    # Submissions: waiting, and sent back with the comment, each with what went with it.
    assert "Goes with this submission: 1 module, 1 lesson" in html
    assert "Sent back with it: 2 modules, 2 lessons" in html
    assert "Name the sources of lesson 2." in html
    # Drafts: the pages with unpublished changes outside the submissions, listed above.
    drafts = [d["page"].draft_title for d in selectors.editor_dashboard(user=editor)["drafts"]]
    assert drafts == ["Open lesson, revised"]


def test_another_institutions_editor_sees_none_of_it(client, other_editor, curriculum, editor):
    submit(draft_course(curriculum, "Hate crime for patrol officers"), editor)
    html = dashboard(client, other_editor).content.decode()
    assert "Hate crime for patrol officers" not in html
    assert "Cybercrime investigation" not in html


def test_a_moderator_sees_submissions_by_course_with_their_institution(
    client, moderator, editor, other_editor, curriculum, course, other_academy
):
    submit(draft_course(curriculum, "Hate crime for patrol officers"), editor)
    # A module added to a live course of another institution, submitted on its own, and a
    # lesson of that course submitted on its own: one group, that course.
    foreign = CoursePageFactory(
        parent=CurriculumPageFactory(parent=other_academy.page), title="Border checks"
    )
    module = ModulePageFactory(parent=foreign, title="Document fraud", live=False)
    submit(module, other_editor)
    live_module = ModulePageFactory(parent=foreign, title="Risk analysis")
    lesson = LessonPageFactory(parent=live_module, title="Profiles", live=False)
    submit(lesson, other_editor)

    groups = selectors.moderation_queue(user=moderator)

    assert [g["page"].title for g in groups] == ["Hate crime for patrol officers", "Border checks"]
    first, second = groups
    assert first["institution"].name == "Police Academy of Serbia"
    assert [s["page"].title for s in first["submissions"]] == ["Hate crime for patrol officers"]
    assert first["submissions"][0]["carried_summary"] == "1 module, 1 lesson"
    assert second["institution"] == other_academy
    assert [s["page"].title for s in second["submissions"]] == ["Document fraud", "Profiles"]
    assert {a[0] for a in second["submissions"][0]["actions"]} == {"approve", "reject"}

    response = dashboard(client, moderator)
    html = response.content.decode()
    assert "pan_moderation_queue" in panel_names(response)
    assert "workflow_objects_to_moderate" not in panel_names(response)
    assert "Academy of the Ministry of Internal Affairs of Georgia" in html
    assert "Awaiting your review (3 submissions)" in html
    assert "data-workflow-action-url" in html


def test_an_editor_sees_no_moderation_queue(editor, curriculum):
    submit(draft_course(curriculum, "Hate crime for patrol officers"), editor)
    assert selectors.moderation_queue(user=editor) == []


@pytest.mark.parametrize("role", ["organiser", "superuser"])
def test_organisers_and_superusers_keep_wagtails_dashboard(client, home, role):
    if role == "superuser":
        user = UserFactory(is_superuser=True, is_staff=True)
    else:
        user = UserFactory()
        services.membership_grant(user=user, role=Membership.Role.ORGANISER)
    names = panel_names(dashboard(client, user))
    assert names == STOCK


def test_new_course_goes_straight_to_the_editor_with_one_curriculum(client, editor, curriculum):
    staff_login(client, editor)
    response = client.get(reverse("courses_new"))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_pages:add", args=["courses", "coursepage", curriculum.pk]
    )


def test_new_course_asks_for_the_curriculum_among_several(client, editor, curriculum, academy):
    other = CurriculumPageFactory(parent=academy.page, title="Public order")
    staff_login(client, editor)
    response = client.get(reverse("courses_new"))
    assert response.status_code == 200
    html = response.content.decode()
    for page in (curriculum, other):
        assert reverse("wagtailadmin_pages:add", args=["courses", "coursepage", page.pk]) in html


def test_new_course_without_a_curriculum_offers_to_start_one(client, editor, academy):
    staff_login(client, editor)
    html = client.get(reverse("courses_new")).content.decode()
    add = reverse("wagtailadmin_pages:add", args=["courses", "curriculumpage", academy.page.pk])
    assert add in html


def test_new_course_for_someone_who_writes_for_no_institution(client, moderator):
    staff_login(client, moderator)
    response = client.get(reverse("courses_new"))
    assert response.status_code == 200
    assert "You do not write for any institution" in response.content.decode()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
    return len(captured.captured_queries)


def _grow(curriculum, editor, other_editor, other_academy, n: int) -> None:
    """n more submitted courses (each with two modules of two lessons), n drafts, n live
    courses, and n more lessons submitted on their own in another institution."""
    foreign = CoursePageFactory(parent=CurriculumPageFactory(parent=other_academy.page))
    foreign_module = ModulePageFactory(parent=foreign)
    for i in range(n):
        submit(draft_course(curriculum, f"Submitted {i}", modules=2, lessons=2), editor)
        draft_course(curriculum, f"Draft {i}")
        CoursePageFactory(parent=curriculum, title=f"Live {i}")
        submit(LessonPageFactory(parent=foreign_module, live=False), other_editor)


def test_the_dashboards_cost_the_same_queries_whatever_the_number_of_pages(
    editor, other_editor, moderator, curriculum, other_academy, course
):
    from django.test import Client

    clients = {"editor": Client(), "moderator": Client()}
    staff_login(clients["editor"], editor)
    staff_login(clients["moderator"], moderator)
    _grow(curriculum, editor, other_editor, other_academy, 1)
    for c in clients.values():
        c.get(reverse("wagtailadmin_home"))  # the first visit makes the user's admin profile
    few = {name: _queries(c) for name, c in clients.items()}
    _grow(curriculum, editor, other_editor, other_academy, 6)
    many = {name: _queries(c) for name, c in clients.items()}
    assert many == few
    # The whole page (63 and 68 queries today, most of them Wagtail's and the other apps' menu
    # items asking about the person's roles), with some room for a menu item more.
    assert few["editor"] <= 70 and few["moderator"] <= 75, few
    # The panels' own reads.
    with CaptureQueriesContext(connection) as editor_reads:
        selectors.editor_dashboard(user=editor)
    with CaptureQueriesContext(connection) as moderator_reads:
        selectors.moderation_queue(user=moderator)
    assert len(editor_reads.captured_queries) <= 9
    # Wagtail's own reviewable_by() asks each active workflow task (two here) about the user.
    assert len(moderator_reads.captured_queries) <= 11
