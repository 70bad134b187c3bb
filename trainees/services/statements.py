"""The platform's own events (registered, attended) as xAPI statements in its LRS."""

from __future__ import annotations

from core.public_url import public_base_url

from ..models import (
    Enrolment,
    EnrolmentTransition,
)

# ---------------------------------------------------------------------------------------------
# The platform's own events as xAPI statements
# ---------------------------------------------------------------------------------------------


def _run_activity(run) -> str:
    return f"{public_base_url()}/runs/{run.pk}/"


def statement_registered(*, transition_id: int) -> str | None:
    """`registered`: a person took a place in a course run."""
    from xapi import services as xapi_services

    transition = (
        EnrolmentTransition.objects.select_related("enrolment__run__course", "enrolment__user")
        .filter(pk=transition_id)
        .first()
    )
    if transition is None:
        return None
    enrolment = transition.enrolment
    return xapi_services.platform_statement(
        user=enrolment.user,
        verb="registered",
        activity_id=_run_activity(enrolment.run),
        name=enrolment.run.display_title,
        key=f"registered:transition:{transition.pk}",
    )


def statements_attended(*, session_id: int, enrolment_ids: list[int]) -> int:
    """`attended`: present or late at a session."""
    from courses.models import Session
    from xapi import services as xapi_services

    session = Session.objects.select_related("run__course").filter(pk=session_id).first()
    if session is None:
        return 0
    statements = [
        xapi_services.platform_statement_data(
            user=enrolment.user,
            verb="attended",
            activity_id=f"{_run_activity(session.run)}sessions/{session.pk}",
            name=f"{session.run.display_title}: {session.label}",
            key=f"attended:session:{session.pk}:enrolment:{enrolment.pk}",
        )
        for enrolment in Enrolment.objects.filter(pk__in=enrolment_ids).select_related("user")
    ]
    if statements:
        xapi_services.statements_store(
            statements=statements, credentials=xapi_services.platform_credentials()
        )
    return len(statements)
