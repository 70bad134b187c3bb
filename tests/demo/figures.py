"""What the demo loader makes, as figures that can be compared with a recorded copy
(demo_figures.json): rows per model, the page tree with each page's blocks, the logins and
their roles, the runs with their sessions, enrolments and certificates, the cascade's summary.

Record them again after a deliberate change to the demo data:
    .venv/bin/python manage.py shell -c "from tests.demo.figures import record; record()"
on a database where `load_demo_data` has just run."""

from __future__ import annotations

import json
from pathlib import Path

RECORDED = Path(__file__).with_name("demo_figures.json")
# The models the demo fills; others (permissions, content types, search index) follow the
# installed apps or the database engine rather than the demo, and xAPI statements are stored
# after the commit, which a test's transaction never reaches.
COUNTED = {
    "pan_network",
    "website",
    "courses",
    "trainees",
    "elearning",
    "certificates",
    "cascades",
    "reports",
    "account",
    "mfa",
}
EXTRA = ("wagtailcore.Page", "wagtailcore.Revision", "wagtailcore.Collection", "auth.Group")


def _blocks(page) -> list[str]:
    return [
        f"{name}:{[block.block_type for block in getattr(page, name)]}"
        for name in ("body", "learning_outcomes")
        if hasattr(page, name)
    ]


def figures() -> dict:
    from django.apps import apps
    from wagtail.models import Page

    from certificates.models import Certificate
    from courses.models import CourseRun
    from network.models import Membership, User

    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in COUNTED or model._meta.label in EXTRA
    }
    pages = [
        [page.depth, page.slug, page.title, page.locale.language_code, type(page).__name__,
         page.live, *_blocks(page)]
        for page in Page.objects.order_by("path").select_related("locale").specific()
    ]  # fmt: skip
    roles: dict[str, list] = {}
    for membership in Membership.objects.select_related("user", "institution", "country"):
        scope = membership.institution.slug if membership.institution else None
        scope = scope or (membership.country.code if membership.country else None)
        roles.setdefault(membership.user.email, []).append([membership.role, scope])
    logins = [
        [user.email, user.is_superuser, user.is_staff, user.has_usable_password(),
         sorted(roles.get(user.email, []))]
        for user in User.objects.order_by("email")
    ]  # fmt: skip
    runs = []
    for run in CourseRun.objects.order_by("title").select_related("course", "organiser"):
        states = sorted(run.enrolments.values_list("user__email", "role", "state"))
        kinds = sorted(Certificate.objects.filter(run=run).values_list("user__email", "kind"))
        runs.append(
            [run.title, run.course.slug, run.organiser.slug, run.enrolment_policy,
             run.sessions.count(), [list(s) for s in states], [list(k) for k in kinds]]
        )  # fmt: skip
    from cascades import selectors as cascade_selectors

    root = CourseRun.objects.filter(is_training_of_trainers=True, cascade_parents=None)
    summaries = [
        [run.title, cascade_selectors.cascade(root=run)["summary"]]
        for run in root.order_by("title")
    ]
    return {"counts": counts, "pages": pages, "logins": logins, "runs": runs,
            "cascades": summaries}  # fmt: skip


def recorded() -> dict:
    return json.loads(RECORDED.read_text())


def record() -> None:
    RECORDED.write_text(json.dumps(figures(), indent=1, ensure_ascii=False) + "\n")
