"""Contributions: a lower app asks the apps above it for what they add, without knowing them
(the mirror of core.events, for reads). A provider is registered in its app's
``AppConfig.ready()`` and takes keyword arguments only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Hook:
    name: str
    doc: str = ""
    _providers: list[Callable[..., dict]] = field(default_factory=list, repr=False)

    def register(self, provider: Callable[..., dict]) -> Callable[..., dict]:
        if provider not in self._providers:
            self._providers.append(provider)
        return provider

    def collect(self, **kwargs) -> dict:
        """Every provider's contribution, merged in registration order."""
        merged: dict = {}
        for provider in self._providers:
            merged.update(provider(**kwargs) or {})
        return merged


lesson_page_context = Hook(
    "lesson_page_context",
    "Extra context for a lesson page (request, lesson) -> dict, e.g. the lesson player.",
)

lesson_progress = Hook(
    "lesson_progress",
    "Where people stand in lessons (user_ids, lesson_ids) -> {(user_id, lesson_id): progress},"
    " for the run register's lesson columns: e-learning's progress rows with the time spent.",
)

learning_paths = Hook(
    "learning_paths",
    "Each enrolment's course outline with the trainee's progress (user, enrolments) ->"
    " {enrolment id: path}, for My learning and the run page: e-learning's.",
)

run_annotations = Hook(
    "run_annotations",
    "Figures other apps keep about course runs, as annotations for a queryset of runs () ->"
    " {name: expression}, e.g. places_left from the enrolments that hold a place.",
)

run_form_limit = Hook(
    "run_form_limit",
    "Limit the choices of the course-run admin form's inline parts to what the person may use"
    " (form, institutions) -> {}; institutions is None for people who may use everything.",
)

run_form_check = Hook(
    "run_form_check",
    "Check the course-run admin form's inline parts against the run's cleaned data"
    " (form, data) -> {}; problems are added to the form.",
)

home_page_context = Hook(
    "home_page_context",
    "Extra context for the home page (request, page) -> dict, e.g. the thematic areas with"
    " their course counts and the number of live courses (network_counts).",
)

institution_page_context = Hook(
    "institution_page_context",
    "Extra context for an institution's page (request, page) -> dict, e.g. its curricula.",
)

run_manage_page = Hook(
    "run_manage_page",
    "The parts apps above add to a run's Manage page (request, run, table: the attendance"
    " table, can_manage) -> dict: their context (the waiver form, certificate standings). A"
    " part that handled the page's POST (a waiver, a certificate action) returns handled=True,"
    " and the page redirects to itself; one that took the POST but shows it again with its"
    " errors returns claimed=True. POSTs reach the parts only from the run's managers.",
)

my_learning_context = Hook(
    "my_learning_context",
    "What apps above add to a person's My learning page (request) -> dict, e.g. their"
    " certificates with share links.",
)

run_page_context = Hook(
    "run_page_context",
    "What apps above add to a run's public page for the signed-in person (request, run,"
    " enrolment) -> dict, e.g. the certificate they hold from the run.",
)

sign_in_first_stop = Hook(
    "sign_in_first_stop",
    "Where a person must go first once signed in, before where they were going (request,"
    " user, next_url) -> {'url': ...} or {}, e.g. a trainee's profile until it is complete.",
)
