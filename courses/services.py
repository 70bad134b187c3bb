"""Writes for curricula and courses. Keyword-only, atomic."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Locale, Page

from core import events
from core.languages import LANGUAGE_NAMES
from courses import permissions as course_permissions
from network.models import Institution

from .models import (
    Audience,
    CatalogueIndexPage,
    CourseFacet,
    CoursePage,
    CourseRun,
    CurriculumPage,
    DeliveryMode,
    FacetCount,
    Level,
    RunQuota,
    Session,
)

Facet = CourseFacet.Facet


def catalogue_index_ensure(*, home: Page) -> CatalogueIndexPage:
    existing = CatalogueIndexPage.objects.child_of(home).first()
    if existing is not None:
        return existing
    return home.add_child(
        instance=CatalogueIndexPage(
            title=_("Course catalogue"),
            slug="courses",
            locale=home.locale,
            intro=_(
                "<p>Courses offered by the academies and training institutions of the network. "
                "Search, or narrow the list with the filters.</p>"
            ),
        )
    )


def course_facet_rows(*, course: CoursePage, institution: Institution | None = None) -> list:
    """The facet rows a live course should have. `institution` (with its country) may be given
    to spare a query when many courses are processed."""
    if institution is None and course.institution_id:
        institution = Institution.objects.select_related("country").get(pk=course.institution_id)
    modes = dict(DeliveryMode.choices)
    audiences = dict(Audience.choices)
    rows = [
        (Facet.LEVEL, course.level, str(Level(course.level).label)),
        (
            Facet.TOT,
            "yes" if course.is_training_of_trainers else "no",
            _("Training of trainers") if course.is_training_of_trainers else _("Other courses"),
        ),
    ]
    if institution is not None:
        rows.append((Facet.INSTITUTION, institution.slug, institution.name))
        if institution.country_id:
            rows.append((Facet.COUNTRY, institution.country.code, institution.country.name))
    rows += [
        (Facet.LANGUAGE, code, str(LANGUAGE_NAMES.get(code, code))) for code in course.languages
    ]
    rows += [(Facet.MODE, code, str(modes.get(code, code))) for code in course.delivery_modes]
    rows += [
        (Facet.AUDIENCE, code, str(audiences.get(code, code))) for code in course.target_audience
    ]
    rows += [(Facet.THEME, area.slug, area.name) for area in course.thematic_areas.all()]
    seen = set()
    facets = []
    for facet, value, label in rows:
        if (facet, value) not in seen:
            seen.add((facet, value))
            facets.append(CourseFacet(page=course, facet=facet, value=value, label=label[:200]))
    return facets


@transaction.atomic
def course_facets_sync(*, course: CoursePage) -> int:
    """Bring a course's facet rows, and the catalogue's counts, in line with its live state."""
    created = _facet_rows_replace(course=course)
    facet_counts_refresh(locale_id=course.locale_id)
    return created


def _facet_rows_replace(*, course: CoursePage, institution: Institution | None = None) -> int:
    CourseFacet.objects.filter(page=course).delete()
    if not course.live:
        return 0
    rows = course_facet_rows(course=course, institution=institution)
    return len(CourseFacet.objects.bulk_create(rows))


@transaction.atomic
def facet_counts_refresh(*, locale_id: int) -> int:
    """Recompute the unfiltered catalogue's counts for one locale.

    The locale's row is locked first, so concurrent publications take turns: each recount
    starts after the previous one committed and sees its facet rows."""
    Locale.objects.select_for_update().filter(pk=locale_id).first()
    rows = (
        CourseFacet.objects.filter(page__locale_id=locale_id, page__live=True)
        .values("facet", "value")
        .annotate(n=Count("page_id"), label=Max("label"))
        .order_by()
    )
    FacetCount.objects.filter(locale_id=locale_id).delete()
    return len(
        FacetCount.objects.bulk_create(
            FacetCount(
                locale_id=locale_id,
                facet=row["facet"],
                value=row["value"],
                label=row["label"],
                count=row["n"],
            )
            for row in rows
        )
    )


@transaction.atomic
def course_owner_sync(*, moved: Page) -> int:
    """After a page move: give each course at or below the moved page the institution it now
    sits in, and refresh its facet rows. Returns the number of courses updated."""
    from network import selectors as network_selectors

    courses = CoursePage.objects.filter(path__startswith=moved.path)
    # Every course at or below an institution's page (or a page within it) belongs to that
    # institution: one lookup serves them all. Only a move above the institutions (rare) needs
    # one lookup per course.
    shared_owner = network_selectors.institution_for_descendant(page=moved)
    locales = set()
    updated = 0
    for course in courses:
        owner = shared_owner or network_selectors.institution_for_descendant(page=course)
        if owner is not None and owner.pk != course.institution_id:
            CoursePage.objects.filter(pk=course.pk).update(institution=owner)
            course.institution = owner
            _facet_rows_replace(course=course, institution=owner)
            locales.add(course.locale_id)
            updated += 1
    for locale_id in locales:
        facet_counts_refresh(locale_id=locale_id)
    return updated


@transaction.atomic
def catalogue_rebuild() -> int:
    """Recompute every course's facet rows, e.g. after a bulk import. Returns the number of rows."""
    CourseFacet.objects.all().delete()
    institutions = {i.pk: i for i in Institution.objects.select_related("country")}
    rows: list[CourseFacet] = []
    courses = CoursePage.objects.live().prefetch_related("thematic_areas").iterator(chunk_size=500)
    for course in courses:
        rows += course_facet_rows(
            course=course, institution=institutions.get(course.institution_id)
        )
        if len(rows) >= 5000:
            CourseFacet.objects.bulk_create(rows)
            rows = []
    CourseFacet.objects.bulk_create(rows)
    for locale_id in Locale.objects.values_list("pk", flat=True):
        facet_counts_refresh(locale_id=locale_id)
    return CourseFacet.objects.count()


def _free_slug(parent: Page, slug: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{n}"[:255]
        n += 1
    return candidate


@transaction.atomic
def course_adapt(*, source: CoursePage, destination: CurriculumPage, user) -> CoursePage:
    """Copy another institution's published course, with its modules and lessons, as a draft
    in one of the user's own curricula, crediting the original."""
    from . import selectors

    if not course_permissions.can_adapt_course(user, source):
        raise PermissionDenied(_("You may not adapt this course."))
    if not selectors.adaptation_destinations(user=user).filter(pk=destination.pk).exists():
        raise ValidationError(
            {"destination": _("Choose a curriculum of an institution whose pages you edit.")}
        )
    copy = source.copy(
        recursive=True,
        to=destination,
        update_attrs={
            "slug": _free_slug(destination, source.slug),
            "adapted_from": source,
            "adapted_from_institution_id": source.institution_id,
            "institution": None,
        },
        copy_revisions=False,
        keep_live=False,
        user=user,
    )
    return CoursePage.objects.get(pk=copy.pk)


# ---------------------------------------------------------------------------------------------
# Course runs
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def run_create(
    *,
    course: CoursePage,
    organiser: Institution,
    delivery_mode: str,
    language: str,
    start_date,
    end_date,
    capacity: int,
    enrolment_policy: str = CourseRun.Policy.APPROVAL,
    sessions: list[dict] = (),
    quotas: dict | None = None,
    trainers=(),
    actor=None,
    **fields,
) -> CourseRun:
    """Schedule a run with its sessions, quotas ({country: places}) and trainers."""
    run = CourseRun(
        course=course,
        organiser=organiser,
        delivery_mode=delivery_mode,
        language=language,
        start_date=start_date,
        end_date=end_date,
        capacity=capacity,
        enrolment_policy=enrolment_policy,
        **fields,
    )
    run.full_clean()
    run.save()
    for values in sessions:
        session = Session(run=run, **values)
        session.full_clean(exclude=["run", "starts_at", "ends_at"])
        session.save()
    for country, places in (quotas or {}).items():
        RunQuota.objects.create(run=run, country=country, places=places)
    if trainers:
        run.trainers.set(trainers)
        # Their trainer enrolments and the cascades the run grows from follow.
        events.run_trainers_changed.send(run_ids=[run.pk])
    log(instance=run, action="wagtail.create", user=actor)
    return run


def run_snapshot(*, run: CourseRun) -> dict:
    """What notifications compare after an edit: status, places and each session's time and
    place."""
    return {
        "status": run.status,
        "capacity": run.capacity,
        "sessions": {
            s.pk: (s.starts_at.isoformat(), s.place, s.meeting_url, s.cancelled, str(s))
            for s in Session.objects.filter(run_id=run.pk)
        },
    }


@transaction.atomic
def run_saved(*, run: CourseRun, before: dict | None, actor=None) -> None:
    """After a run was edited (admin or service), the apps above are told (`run_changed`):
    trainers' enrolments follow the trainers list, the cascades and tallies follow its dates
    and status, a cancellation or a changed session is told to the enrolled, more places go to
    the waitlist, certificate rules are checked again."""
    newly_cancelled = (
        before is not None and run.is_cancelled and before["status"] != CourseRun.Status.CANCELLED
    )
    changes = [] if before is None or run.is_cancelled else _session_changes(run, before)
    events.run_changed.send(
        run=run,
        before=before,
        changes=changes,
        cancelled=newly_cancelled,
        more_places=before is not None and run.capacity > before["capacity"],
        actor=actor,
    )


def _session_changes(run: CourseRun, before: dict) -> list[dict]:
    """What changed in a run's sessions since `before`, as lines to tell the enrolled."""
    after = run_snapshot(run=run)["sessions"]
    changes = []
    for pk, old in before["sessions"].items():
        new = after.get(pk)
        if new is None:
            changes.append({"when": old[0], "what": _("Cancelled: %(s)s") % {"s": old[4]}})
        elif new[3] and not old[3]:
            changes.append({"when": new[0], "what": _("Cancelled: %(s)s") % {"s": new[4]}})
        elif new[:3] != old[:3]:
            changes.append({"when": new[0], "what": _("Changed: %(s)s") % {"s": new[4]}})
    for pk, new in after.items():
        if pk not in before["sessions"]:
            changes.append({"when": new[0], "what": _("New session: %(s)s") % {"s": new[4]}})
    return changes


@transaction.atomic
def run_cancel(*, run: CourseRun, reason: str, actor=None) -> CourseRun:
    if not reason.strip():
        raise ValidationError({"cancellation_reason": _("Say why the run is cancelled.")})
    run = CourseRun.objects.select_for_update().get(pk=run.pk)
    run.status = CourseRun.Status.CANCELLED
    run.cancellation_reason = reason.strip()
    run.save(update_fields=["status", "cancellation_reason"])
    events.run_cancelled.send(run=run, actor=actor)
    log(instance=run, action="pan.run_cancel", user=actor, data={"reason": reason})
    return run


# ---------------------------------------------------------------------------------------------
# A course goes to moderation with its new modules and lessons
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def submission_descendants_record(*, workflow_state, user=None) -> list[Page]:
    """A course (or module) has entered a moderation task: record the pages below it that go
    with it (never published, or with changes not yet published, editable by the submitter, not
    in a submission of their own). Run again at each task and resubmission, it brings the record
    up to date. Returns the pages recorded."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import WorkflowState

    from . import selectors
    from .models import SubmittedDescendant

    if workflow_state.status != WorkflowState.STATUS_IN_PROGRESS:
        return []
    if workflow_state.base_content_type_id != ContentType.objects.get_for_model(Page).pk:
        return []  # a snippet's workflow
    page = Page.objects.filter(pk=int(workflow_state.object_id)).first()
    if page is None or not selectors.is_carrier(page):
        return []
    pages = selectors.submission_candidates(
        page=page, user=user or workflow_state.requested_by, workflow_state=workflow_state
    )
    SubmittedDescendant.objects.filter(workflow_state=workflow_state).exclude(
        page_id__in=[p.pk for p in pages]
    ).delete()
    SubmittedDescendant.objects.bulk_create(
        [
            SubmittedDescendant(workflow_state=workflow_state, submitted_page=page, page=p)
            for p in pages
        ],
        ignore_conflicts=True,
    )
    return pages


@transaction.atomic
def submission_publish(*, workflow_state, user=None) -> list[Page]:
    """The moderators approved a course (or module): publish, with it and in the same
    transaction, the latest revision of each page that went with it, parents first. A page
    since published, moved out of the course or sent in a submission of its own is left as it
    is; one the approver may not publish stops the whole approval. Running it again publishes
    nothing more. Returns the pages published."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import WorkflowState

    from . import permissions as course_permissions
    from .models import SubmittedDescendant

    rows = list(
        SubmittedDescendant.objects.filter(workflow_state=workflow_state)
        .select_related("submitted_page")
        .order_by("page__path")
    )
    if not rows:
        return []
    submitted = rows[0].submitted_page
    pages = Page.objects.filter(pk__in=[r.page_id for r in rows]).order_by("path").specific()
    in_own = set(
        WorkflowState.objects.active()
        .filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(r.page_id) for r in rows],
        )
        .exclude(pk=workflow_state.pk)
        .values_list("object_id", flat=True)
    )
    published = []
    for page in pages:
        if (
            not page.has_unpublished_changes
            or str(page.pk) in in_own
            or not page.path.startswith(submitted.path)
            or page.latest_revision_id is None
        ):
            continue
        if user is not None and not course_permissions.can_publish_with_submission(user, page):
            raise PermissionDenied(
                _("You may not publish “%(title)s”, which was submitted with “%(course)s”.")
                % {"title": page.get_admin_display_title(), "course": submitted.title}
            )
        page.latest_revision.publish(user=user)
        log(
            instance=page,
            action="pan.submission_approve",
            user=user,
            data={"submitted_page": {"id": submitted.pk, "title": submitted.title}},
        )
        published.append(page)
    return published


@transaction.atomic
def submission_changes_requested(*, workflow_state, user=None) -> list[Page]:
    """The moderators asked for changes to a course (or module): the pages that went with it stay
    drafts, open to their editors again, and each page's history keeps the moderator's comment.
    Returns those pages."""
    from .models import SubmittedDescendant

    task_state = workflow_state.current_task_state
    comment = task_state.comment if task_state else ""
    rows = list(
        SubmittedDescendant.objects.filter(workflow_state=workflow_state)
        .select_related("submitted_page")
        .order_by("page__path")
    )
    if not rows:
        return []
    submitted = rows[0].submitted_page
    pages = list(Page.objects.filter(pk__in=[r.page_id for r in rows]).order_by("path").specific())
    for page in pages:
        log(
            instance=page,
            action="pan.submission_reject",
            user=user,
            data={
                "submitted_page": {"id": submitted.pk, "title": submitted.title},
                "comment": comment,
            },
        )
    return pages
