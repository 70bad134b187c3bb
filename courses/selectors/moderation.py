"""Reads for editing and moderation in the admin: what goes to moderation with a course, the
academy editor's dashboard (curricula and courses, drafts, pages in moderation) and the
moderator's queue grouped by course. Each costs a fixed number of queries, whatever the number
of pages."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page, Task, TaskState, WorkflowState

from network.models import Institution

from .. import permissions
from ..models import CoursePage, CurriculumPage, LessonPage, ModulePage, SubmittedDescendant

# Pages whose submission takes along the pages below them that are not yet published.
CARRIERS = (CoursePage, ModulePage)
DRAFTS_SHOWN = 20
COURSES_SHOWN = 200
_PAGE_FIELDS = (
    "title", "draft_title", "path", "depth", "live", "has_unpublished_changes", "content_type_id",
    "locale_id", "translation_key", "latest_revision_created_at", "owner_id", "url_path",
)  # fmt: skip


def _types() -> dict[int, type]:
    """Page models by content type id (one query the first time, then Django's cache)."""
    models = (CurriculumPage, CoursePage, ModulePage, LessonPage)
    return {ct.pk: model for model, ct in ContentType.objects.get_for_models(*models).items()}


def _page_ct_id() -> int:
    return ContentType.objects.get_for_model(Page).pk


def _ids_as_text(pages: QuerySet) -> QuerySet:
    # A workflow state names its page by a text id.
    return pages.annotate(text_id=Cast("pk", CharField())).values("text_id")


def _active_states(pages: QuerySet) -> QuerySet[WorkflowState]:
    """In-progress or needs-changes workflow states of these pages."""
    return WorkflowState.objects.active().filter(
        base_content_type_id=_page_ct_id(), object_id__in=_ids_as_text(pages)
    )


def type_counts(pages, types: dict[int, type] | None = None) -> str:
    """“1 module, 2 lessons” for a list of pages."""
    types = types or _types()
    modules = sum(1 for p in pages if types.get(p.content_type_id) is ModulePage)
    lessons = sum(1 for p in pages if types.get(p.content_type_id) is LessonPage)
    others = len(pages) - modules - lessons
    parts = []
    if modules:
        parts.append(ngettext("%(n)d module", "%(n)d modules", modules) % {"n": modules})
    if lessons:
        parts.append(ngettext("%(n)d lesson", "%(n)d lessons", lessons) % {"n": lessons})
    if others:
        parts.append(ngettext("%(n)d other page", "%(n)d other pages", others) % {"n": others})
    return ", ".join(parts)


def type_label(page, types: dict[int, type] | None = None) -> str:
    model = (types or _types()).get(page.content_type_id)
    return str(model._meta.verbose_name) if model else _("page")


# ---------------------------------------------------------------------------------------------
# What goes to moderation with a course
# ---------------------------------------------------------------------------------------------


def is_carrier(page) -> bool:
    model = _types().get(page.content_type_id)
    return model in CARRIERS


def submission_candidates(*, page: Page, user, workflow_state=None) -> list[Page]:
    """The pages below `page` that go to moderation with it when `user` submits it: never
    published or with changes not yet published, not an alias, not in a submission of their
    own nor going with another one (a module submitted with its lessons), and editable by the
    one who submits (always within the course, so within its institution's space). Parents
    come before their children (three queries, and the user's page permissions)."""
    below = Page.objects.descendant_of(page).filter(
        has_unpublished_changes=True, alias_of__isnull=True
    )
    in_own = set(_active_states(below).values_list("object_id", flat=True))
    elsewhere = SubmittedDescendant.objects.filter(
        page__in=below,
        workflow_state__status__in=[
            WorkflowState.STATUS_IN_PROGRESS,
            WorkflowState.STATUS_NEEDS_CHANGES,
        ],
    )
    if workflow_state is not None:
        elsewhere = elsewhere.exclude(workflow_state=workflow_state)
    taken = set(elsewhere.values_list("page_id", flat=True))
    pages = [p for p in below.order_by("path") if str(p.pk) not in in_own and p.pk not in taken]
    if user is None:
        return pages
    return [p for p in pages if permissions.can_send_with_submission(user, p)]


def submission_carrying(*, page: Page) -> dict | None:
    """The in-progress submission this page waits in, with the course (or module) above it:
    that page and the task it waits for (three queries), or None."""
    row = (
        SubmittedDescendant.objects.filter(
            page_id=page.pk, workflow_state__status=WorkflowState.STATUS_IN_PROGRESS
        )
        .select_related("submitted_page", "workflow_state__current_task_state")
        .first()
    )
    if row is None or row.workflow_state.current_task_state is None:
        return None
    task = Task.objects.filter(pk=row.workflow_state.current_task_state.task_id).specific().first()
    if task is None:
        return None
    return {"page": row.submitted_page, "task": task, "workflow_state": row.workflow_state}


def submission_outline(*, page: Page, user) -> dict | None:
    """For a course's (or module's) editor: the pages that go with its submission in progress,
    or that would go if it were submitted now, and those below it in a submission of their own.
    None for other pages or when nothing below it waits."""
    if not isinstance(page, CARRIERS) or not page.pk:
        return None
    types = _types()
    state = (
        _active_states(Page.objects.filter(pk=page.pk)).select_related("current_task_state").first()
    )
    below_in_own = _pages_in_own_submission(page)
    if state is not None:
        carried = [
            row.page
            for row in SubmittedDescendant.objects.filter(workflow_state=state)
            .select_related("page")
            .order_by("page__path")
        ]
    else:
        carried = submission_candidates(page=page, user=user)
    if not carried and not below_in_own:
        return None
    return {
        "state": state,
        "pages": [{"page": p, "type": type_label(p, types)} for p in carried],
        "summary": type_counts(carried, types),
        "own_submissions": [{"page": p, "type": type_label(p, types)} for p in below_in_own],
    }


def _pages_in_own_submission(page: Page) -> list[Page]:
    below = Page.objects.descendant_of(page)
    ids = [int(i) for i in _active_states(below).values_list("object_id", flat=True)]
    return list(Page.objects.filter(pk__in=ids).order_by("path")) if ids else []


# ---------------------------------------------------------------------------------------------
# The academy editor's dashboard
# ---------------------------------------------------------------------------------------------


def _space_condition(paths) -> Q:
    """Pages at or below any of these paths (none at all for no path)."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def _submission_rows(states: list[WorkflowState], pages: dict[int, Page], types) -> list[dict]:
    """Each submission with its page, what went with it and where it stands."""
    carried = defaultdict(list)
    for row in (
        SubmittedDescendant.objects.filter(workflow_state_id__in=[s.pk for s in states])
        .select_related("page")
        .only("workflow_state_id", *(f"page__{f}" for f in _PAGE_FIELDS))
        .order_by("page__path")
    ):
        carried[row.workflow_state_id].append(row.page)
    rows = []
    for state in states:
        page = pages.get(int(state.object_id))
        if page is None:
            continue
        task_state = state.current_task_state
        rows.append(
            {
                "page": page,
                "type": type_label(page, types),
                "state": state,
                "task_state": task_state,
                "needs_changes": state.status == WorkflowState.STATUS_NEEDS_CHANGES,
                "comment": task_state.comment if task_state else "",
                "carried": [{"page": p, "type": type_label(p, types)} for p in carried[state.pk]],
                "carried_summary": type_counts(carried[state.pk], types),
            }
        )
    return rows


def editor_dashboard(*, user) -> dict | None:
    """What an academy editor's dashboard shows, or None for someone who edits no institution:
    their institutions' curricula and courses (with where each stands), the submissions waiting
    or sent back for changes, with what went with each, and the other pages with changes not
    yet published (newest first). Ten queries, whatever the number of pages."""
    institutions = list(
        permissions.dashboard_institutions(user)
        .filter(page__isnull=False)
        .select_related("page")
        .order_by("name")
    )
    if not institutions:
        return None
    types = _types()
    by_key = {i.page.translation_key: i for i in institutions}
    # Each institution's space: its page and that page's translations.
    spaces = list(
        Page.objects.filter(translation_key__in=list(by_key)).values_list("path", "translation_key")
    )
    space = _space_condition(path for path, _key in spaces)
    cts = {model: pk for pk, model in types.items()}

    # Curricula and courses, as the institution's editors wrote them (its own language).
    tree = list(
        Page.objects.filter(
            _space_condition(i.page.path for i in institutions),
            content_type_id__in=[cts[CurriculumPage], cts[CoursePage]],
        )
        .only(*_PAGE_FIELDS)
        .order_by("path")[: COURSES_SHOWN + 1]
    )
    states = list(
        _active_states(Page.objects.filter(space))
        .select_related("current_task_state__task", "requested_by")
        .order_by("-created_at")
    )
    state_pages = Page.objects.filter(pk__in=[int(s.object_id) for s in states]).only(*_PAGE_FIELDS)
    submissions = _submission_rows(states, {p.pk: p for p in state_pages}, types)
    # A page in a submission, or going with one, is listed there rather than among the drafts.
    waiting = {row["page"].pk for row in submissions}
    waiting |= {c["page"].pk for row in submissions for c in row["carried"]}
    status = {row["page"].pk: row for row in submissions}

    tree.sort(key=lambda p: (p.depth, p.draft_title.casefold()))
    curricula = []
    by_curriculum = {}
    institution_of = {i.page.path: i for i in institutions}
    for page in tree[:COURSES_SHOWN]:
        entry = {"page": page, "submission": status.get(page.pk)}
        if types.get(page.content_type_id) is CurriculumPage:
            item = {
                **entry,
                "institution": institution_of.get(page.path[: -Page.steplen]),
                "courses": [],
            }
            by_curriculum[page.path] = item
            curricula.append(item)
        elif page.path[: -Page.steplen] in by_curriculum:
            by_curriculum[page.path[: -Page.steplen]]["courses"].append(entry)

    drafts_query = (
        Page.objects.filter(space, has_unpublished_changes=True)
        .exclude(pk__in=waiting)
        .select_related("latest_revision__user")
        .only(*_PAGE_FIELDS, "latest_revision__user")
    )
    drafts = list(drafts_query.order_by("-latest_revision_created_at", "-pk")[:DRAFTS_SHOWN])
    draft_count = drafts_query.count()
    course_depth = institutions[0].page.depth + 2
    course_paths = {p.path[: course_depth * Page.steplen] for p in drafts if p.depth > course_depth}
    courses = (
        {
            c.path: c
            for c in Page.objects.filter(path__in=course_paths).only("title", "draft_title", "path")
        }
        if course_paths
        else {}
    )
    return {
        "institutions": institutions,
        "curricula": curricula,
        "more_courses": len(tree) > COURSES_SHOWN,
        "drafts": [
            {
                "page": p,
                "type": type_label(p, types),
                "course": courses.get(p.path[: course_depth * Page.steplen])
                if p.depth > course_depth
                else None,
                "edited_by": p.latest_revision.user if p.latest_revision else None,
                "never_published": not p.live,
            }
            for p in drafts
        ],
        "draft_count": draft_count,
        "submissions": submissions,
        "several_institutions": len(institutions) > 1,
    }


# ---------------------------------------------------------------------------------------------
# The moderator's queue
# ---------------------------------------------------------------------------------------------


def moderation_queue(*, user) -> list[dict]:
    """The submissions waiting for this user's review, grouped by course (a module's or lesson's
    own submission under the course it belongs to; a curriculum or other page on its own),
    each group with its institution and the oldest waiting first. Each submission carries the
    pages that went with it and the actions this user may take. A fixed number of queries."""
    types = _types()
    task_states = list(
        TaskState.objects.reviewable_by(user)
        .filter(workflow_state__base_content_type_id=_page_ct_id())
        .select_related(
            "workflow_state__requested_by", "workflow_state__workflow", "revision__user"
        )
        .order_by("started_at", "pk")
    )
    if not task_states:
        return []
    tasks = {
        t.pk: t for t in Task.objects.filter(pk__in={s.task_id for s in task_states}).specific()
    }
    pages = {
        p.pk: p
        for p in Page.objects.filter(
            pk__in=[int(s.workflow_state.object_id) for s in task_states]
        ).only(*_PAGE_FIELDS)
    }
    # Every page's ancestors from the institutions' level down: its course and institution.
    level = Page.steplen * 2
    prefixes = {p.path[:i] for p in pages.values() for i in range(level, len(p.path), Page.steplen)}
    ancestors = (
        {a.path: a for a in Page.objects.filter(path__in=prefixes).only(*_PAGE_FIELDS)}
        if prefixes
        else {}
    )
    # An institution's space starts at its page, in any language (one query).
    institutions = (
        {
            i.page.translation_key: i
            for i in Institution.objects.filter(
                page__translation_key__in={a.translation_key for a in ancestors.values()}
            ).select_related("country", "page")
        }
        if ancestors
        else {}
    )
    for state in task_states:
        state.workflow_state.current_task_state = state
    rows = {
        row["state"].pk: row
        for row in _submission_rows([s.workflow_state for s in task_states], pages, types)
    }

    groups: dict[int, dict] = {}
    for task_state in task_states:
        row = rows.get(task_state.workflow_state_id)
        if row is None:
            continue
        page = row["page"]
        lineage = [ancestors[path] for path in sorted(ancestors) if page.path.startswith(path)]
        lineage.append(page)
        course = next((a for a in lineage if types.get(a.content_type_id) is CoursePage), page)
        institution_page = next(
            (a for a in reversed(lineage) if a.translation_key in institutions), None
        )
        task = tasks.get(task_state.task_id)
        group = groups.setdefault(
            course.pk,
            {
                "page": course,
                "type": type_label(course, types),
                "institution": institutions.get(institution_page.translation_key)
                if institution_page
                else None,
                "waiting_since": task_state.started_at,
                "submissions": [],
            },
        )
        group["submissions"].append(
            {
                **row,
                "task_state": task_state,
                "task": task,
                "submitted_by": task_state.revision.user or row["state"].requested_by,
                "actions": task.get_actions(page, user) if task else [],
            }
        )
    for group in groups.values():
        group["submissions"].sort(key=lambda s: s["page"].path)
    return sorted(groups.values(), key=lambda g: g["waiting_since"])
