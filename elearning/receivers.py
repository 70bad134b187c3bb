"""What e-learning does when the apps below it tell of a change (core.events), and what it
adds to their pages (core.hooks)."""

from __future__ import annotations

from core import events, hooks
from xapi import services as xapi_services

from . import selectors, services


def _statements_stored(*, statements, launch, **kwargs) -> None:
    """A launch's statements move the learner's progress in its lesson (one path for packages
    and authored lessons); a cmi5 AU whose moveOn criteria become true is then satisfied by a
    statement of the platform's own."""
    if launch is None or launch.lesson_id is None:
        return
    satisfied = services.progress_record(
        user_id=launch.user_id,
        lesson_id=launch.lesson_id,
        activity_id=launch.activity_id,
        statements=statements,
    )
    if satisfied:
        statement = xapi_services.cmi5_statement(
            xapi_services.learner_agent(launch.user),
            "satisfied",
            launch.activity_id,
            str(launch.registration),
            launch.key,
        )
        xapi_services.statements_store(
            statements=[statement], credentials=xapi_services.platform_credentials()
        )


def _lesson_page_context(*, request, lesson, **kwargs) -> dict:
    """A signed-in person's lesson page carries the lesson player (not in a preview)."""
    if not request.user.is_authenticated or getattr(request, "is_preview", False):
        return {}
    player = services.lesson_player(
        user=request.user, lesson=lesson, base_url=request.build_absolute_uri("/")
    )
    return {"player": player}


def _lesson_progress(*, user_ids, lesson_ids, **kwargs) -> dict:
    return selectors.lesson_progress_with_time(user_ids=user_ids, lesson_ids=lesson_ids)


def _learning_paths(*, user, enrolments, **kwargs) -> dict:
    return selectors.learning_paths(user=user, enrolments=enrolments)


def _my_learning_context(*, request, **kwargs) -> dict:
    """The lessons the person touched last, on My learning."""
    return {"lessons": selectors.recent_lessons(user=request.user)}


def connect() -> None:
    # In the LRS's transaction: a statement accepted is a step of progress recorded.
    events.statements_stored.connect(_statements_stored, atomic=True)
    hooks.lesson_page_context.register(_lesson_page_context)
    hooks.lesson_progress.register(_lesson_progress)
    hooks.learning_paths.register(_learning_paths)
    hooks.my_learning_context.register(_my_learning_context)
    hooks.run_manage_page.register(_run_manage_part)


def _run_manage_part(**kwargs) -> dict:
    from . import views

    return views.run_manage_part(**kwargs)
