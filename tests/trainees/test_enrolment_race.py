"""Places and quotas hold when many people ask at the same moment: the run's row lock decides,
one request at a time (PostgreSQL; SQLite serialises writers anyway and is skipped).

One test function on purpose: threads need committed data, so this is a transactional test, and
the database it leaves behind is emptied. pytest-django runs such tests after all others."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from network.models import Country
from trainees import services
from trainees.models import Enrolment

from ..factories import course_run, trainee

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is measured on PostgreSQL")


def race(run, users):
    """Every user asks at once, each in its own thread and database connection."""
    barrier = threading.Barrier(len(users))
    outcomes = []

    def ask(user):
        try:
            barrier.wait()
            outcomes.append(services.enrolment_request(run=run, user=user).state)
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_places_and_quotas_hold_under_concurrent_requests(course, academy):
    # Capacity: 24 people, 5 places.
    run = course_run(course, academy, capacity=5, enrolment_policy="open")
    outcomes = race(run, [trainee() for _ in range(24)])
    assert outcomes.count("enrolled") == 5
    assert outcomes.count("waitlisted") == 19
    assert Enrolment.objects.filter(run=run, state="enrolled").count() == 5

    # A country's quota: 12 people from Georgia, 3 places for Georgia among 20.
    georgia = Country.objects.get(code="GE")
    run = course_run(course, academy, capacity=20, quotas={georgia: 3}, enrolment_policy="open")
    outcomes = race(run, [trainee("GE") for _ in range(12)])
    assert outcomes.count("enrolled") == 3
    assert Enrolment.objects.filter(run=run, state="enrolled", country=georgia).count() == 3

    # One person pressing the button eight times at once.
    run = course_run(course, academy, capacity=5, enrolment_policy="open")
    person = trainee()
    outcomes = race(run, [person] * 8)
    assert outcomes.count("enrolled") == 1
    assert Enrolment.objects.filter(run=run, user=person).count() == 1
    assert all("already enrolled" in o for o in outcomes if o != "enrolled")

    # The same xAPI statement sent six times at the same moment (retried requests): all are
    # accepted and it is stored once.
    from xapi import services as xapi_services
    from xapi.models import Statement

    statement = {
        "id": "0b7f3c8e-5d7a-4f61-9a3e-2f1c6d8e9a10",
        "actor": {"mbox": "mailto:racer@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"id": "http://example.org/activity/race"},
    }
    barrier = threading.Barrier(6)
    answers = []

    def send():
        try:
            barrier.wait()
            xapi_services.statements_store(
                statements=[dict(statement)], credentials=xapi_services.platform_credentials()
            )
            answers.append("ok")
        except Exception as error:  # noqa: BLE001 - the assertion shows what went wrong
            answers.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == ["ok"] * 6
    assert Statement.objects.filter(id=statement["id"]).count() == 1
