"""Signal receivers: keep the catalogue's facet rows in step with what is live."""

from wagtail.signals import page_published, page_unpublished

from . import services
from .models import CoursePage


def _sync(sender, instance, **kwargs) -> None:
    services.course_facets_sync(course=instance)


page_published.connect(_sync, sender=CoursePage, dispatch_uid="course_facets_on_publish")
page_unpublished.connect(_sync, sender=CoursePage, dispatch_uid="course_facets_on_unpublish")
