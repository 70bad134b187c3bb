"""Signal receivers: keep the catalogue's facet rows in step with what is live, and let a course
go through moderation with its new modules and lessons."""

from wagtail.models import WorkflowState
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    task_submitted,
    workflow_approved,
    workflow_rejected,
)

from . import services
from .models import CoursePage


def _sync(sender, instance, **kwargs) -> None:
    services.course_facets_sync(course=instance)


page_published.connect(_sync, sender=CoursePage, dispatch_uid="course_facets_on_publish")
page_unpublished.connect(_sync, sender=CoursePage, dispatch_uid="course_facets_on_unpublish")


def _moved(sender, instance, **kwargs) -> None:
    # A course moved (alone or with its curriculum) to another institution changes owner.
    services.course_owner_sync(moved=instance)


post_page_move.connect(_moved, dispatch_uid="course_owner_on_move")


# A submission (or resubmission) enters a task: record what goes with it. Approved: publish it
# all in the approval's transaction. Sent back: the pages that went with it keep the comment.
def _task_started(sender, instance, user=None, **kwargs) -> None:
    services.submission_descendants_record(workflow_state=instance.workflow_state, user=user)


def _approved(sender, instance, user=None, **kwargs) -> None:
    services.submission_publish(workflow_state=instance, user=user)


def _rejected(sender, instance, user=None, **kwargs) -> None:
    services.submission_changes_requested(workflow_state=instance, user=user)


# Task states are sent by their specific class (GroupApprovalTask's is TaskState itself).
task_submitted.connect(_task_started, dispatch_uid="course_submission_record")
workflow_approved.connect(_approved, sender=WorkflowState, dispatch_uid="course_submission_publish")
workflow_rejected.connect(
    _rejected, sender=WorkflowState, dispatch_uid="course_submission_changes_requested"
)
