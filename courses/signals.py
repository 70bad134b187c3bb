"""Signal receivers: keep the catalogue's facet rows in step with what is live."""

from wagtail.signals import page_published, page_unpublished, post_page_move

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
