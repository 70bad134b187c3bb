"""The admin dashboard for the people who write and approve courses.

An academy editor sees "New course", their institutions' submissions (waiting, or sent back with
the moderator's comment), their drafts, and their curricula and courses; a network moderator sees
the submissions waiting for them, grouped by course with each one's institution. Wagtail's own
panels that these replace are removed for them; organisers and superusers keep Wagtail's
dashboard."""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.ui.components import Component

from . import permissions, selectors

# Wagtail's panels that the ones below stand in for.
REPLACED_FOR_EDITORS = {
    "workflow_objects_to_moderate",
    "user_objects_in_workflow_moderation",
    "recent_edits",
}
REPLACED_FOR_MODERATORS = {"workflow_objects_to_moderate"}


class _Panel(Component):
    def __init__(self, data: dict):
        self.data = data

    def get_context_data(self, parent_context):
        return {**self.data, "request": parent_context["request"]}

    class Media:
        css = {"all": ["css/admin-dashboard.css"]}


class NewCoursePanel(_Panel):
    name = "pan_new_course"
    template_name = "courses/admin/dashboard/new_course.html"
    order = 50


class SubmissionsPanel(_Panel):
    name = "pan_submissions"
    template_name = "courses/admin/dashboard/submissions.html"
    order = 60


class DraftsPanel(_Panel):
    name = "pan_drafts"
    template_name = "courses/admin/dashboard/drafts.html"
    order = 70


class CurriculaPanel(_Panel):
    name = "pan_curricula"
    template_name = "courses/admin/dashboard/curricula.html"
    order = 80


class ModerationQueuePanel(_Panel):
    name = "pan_moderation_queue"
    template_name = "courses/admin/dashboard/moderation_queue.html"
    order = 40


def panels_for(request, panels: list) -> None:
    """Put this person's panels on the dashboard (construct_homepage_panels)."""
    user = request.user
    editing = selectors.editor_dashboard(user=user)
    moderating = permissions.sees_moderation_queue(user)
    replaced = set()
    if moderating:
        groups = selectors.moderation_queue(user=user)
        panels.append(
            ModerationQueuePanel(
                {"groups": groups, "count": sum(len(g["submissions"]) for g in groups)}
            )
        )
        replaced |= REPLACED_FOR_MODERATORS
    if editing is not None:
        editing["new_course_url"] = reverse("courses_new")
        panels.extend(
            [
                NewCoursePanel(editing),
                SubmissionsPanel(editing),
                DraftsPanel(editing),
                CurriculaPanel(editing),
            ]
        )
        replaced |= REPLACED_FOR_EDITORS
    panels[:] = [p for p in panels if getattr(p, "name", None) not in replaced]
