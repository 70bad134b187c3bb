"""Panels of the page editor: what goes to moderation with a course or module."""

from __future__ import annotations

from django.utils.functional import cached_property
from wagtail.admin.panels import Panel


class SubmissionOutlinePanel(Panel):
    """On a course's (or module's) editor: the modules and lessons that go to moderation with it
    (already submitted, or that would go if it were submitted now), and those below it that wait
    in a submission of their own. Shown only when there are any."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/submission_outline_panel.html"

        @cached_property
        def outline(self):
            from . import selectors

            if self.instance is None or not self.instance.pk:
                return None
            return selectors.submission_outline(page=self.instance, user=self.request.user)

        def is_shown(self):
            return self.outline is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["outline"] = self.outline
            return context
