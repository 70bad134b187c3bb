"""Background work through a real broker and a real worker process (CI's PostgreSQL pass)."""

import pytest

from courses.models import CourseFacet
from courses.tasks import catalogue_rebuild

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_catalogue_rebuild_runs_on_a_worker(celery_worker_process, course):
    expected = set(CourseFacet.objects.values_list("page_id", "facet", "value"))
    assert expected
    CourseFacet.objects.all().delete()

    result = catalogue_rebuild.delay()
    assert result.get(timeout=60) == len(expected)
    assert set(CourseFacet.objects.values_list("page_id", "facet", "value")) == expected
