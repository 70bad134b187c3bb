"""A course goes to moderation with its new modules and lessons: the pages below it that were not
yet published when it was submitted are recorded with its workflow state, locked for everyone but
the reviewers while it waits, and published with it when it is approved."""

from __future__ import annotations

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.locks import BaseLock


class SubmittedDescendant(models.Model):
    """A page below a submitted course (or module) that goes to moderation with it: it had
    never been published, or had changes not yet published, when the submission was made."""

    workflow_state = models.ForeignKey(
        "wagtailcore.WorkflowState",
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    submitted_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("submitted page"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("page submitted with a course")
        verbose_name_plural = _("pages submitted with a course")
        constraints = [
            models.UniqueConstraint(
                fields=["workflow_state", "page"], name="submitted_descendant_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.page_id} with {self.submitted_page_id} ({self.workflow_state_id})"


class SubmissionLock(BaseLock):
    """A page that waits for moderation with the course above it: only that submission's
    reviewers may change it, as for the course itself (Wagtail's workflow lock)."""

    def __init__(self, page, *, submitted_page, task):
        super().__init__(page)
        self.submitted_page = submitted_page
        self.task = task

    def for_user(self, user):
        return self.task.locked_for_user(self.submitted_page, user)

    def get_message(self, user):
        if not self.for_user(user):
            return None
        return capfirst(
            gettext(
                "This page is awaiting moderation with “%(title)s”. Only its reviewers can "
                "edit it until they have decided."
            )
            % {"title": self.submitted_page.get_admin_display_title()}
        )

    def get_locked_by(self, user):
        return gettext("Awaiting moderation")

    def get_description(self, user):
        return capfirst(
            gettext("Only reviewers can change it while “%(title)s” is awaiting moderation.")
            % {"title": self.submitted_page.get_admin_display_title()}
        )


class SubmittedWithParentMixin:
    """For modules and lessons: locked while they wait for moderation with the course (or
    module) above them. One query, and only for a page that has changes not yet published."""

    def get_lock(self):
        if lock := super().get_lock():
            return lock
        if not self.has_unpublished_changes or not self.pk:
            return None
        from ..selectors import submission_carrying

        carrying = submission_carrying(page=self)
        if carrying is None:
            return None
        return SubmissionLock(self, submitted_page=carrying["page"], task=carrying["task"])
