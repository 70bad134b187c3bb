"""Writes for cascades: links derived from trainer certificates, and links organisers attach
by hand (to a run or to a training of trainers held before the platform)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from . import permissions as cascade_permissions
from . import selectors
from .models import CascadeLink, ExternalTraining


def _candidate_certificates(run):
    """Valid trainer certificates of the run's trainers, for the same course or a course of the
    same curriculum, from runs that ended before this one starts."""
    from certificates.models import Certificate

    course = run.course
    curriculum_path = course.path[: -course.steplen]
    return (
        Certificate.objects.filter(
            kind="trainer",
            status=Certificate.Status.VALID,
            user__in=run.trainers.all(),
            run__course__path__startswith=curriculum_path,
            run__course__depth=course.depth,
            run__end_date__lte=run.start_date,
        )
        .exclude(run_id=run.pk)
        .exclude(run__status="cancelled")
        .values_list("user_id", "run_id")
    )


@transaction.atomic
def links_sync(*, run_ids) -> int:
    """Recompute the certificate-derived links of these runs (after their trainers or dates
    changed, or a trainer's certificate was issued, revoked or corrected). A link that would
    close a cycle is left out. Returns how many links the runs now have from certificates."""
    from courses.models import CourseRun

    total = 0
    for run in CourseRun.objects.filter(pk__in=list(run_ids)).select_related("course"):
        CascadeLink.objects.filter(run=run, source=CascadeLink.Source.CERTIFICATE).delete()
        if run.status == "cancelled":
            continue
        below = selectors.descendant_ids(run_id=run.pk)
        rows = [
            CascadeLink(
                run=run,
                parent_run_id=parent_id,
                trainer_id=trainer_id,
                source=CascadeLink.Source.CERTIFICATE,
            )
            for trainer_id, parent_id in set(_candidate_certificates(run))
            if parent_id not in below
        ]
        CascadeLink.objects.bulk_create(rows, ignore_conflicts=True)
        total += len(rows)
    return total


def trainers_changed(*, user_ids) -> int:
    """A trainer certificate of these people changed: resync the runs they deliver."""
    from courses.models import CourseRun

    runs = CourseRun.objects.filter(trainers__in=list(user_ids)).values_list("pk", flat=True)
    return links_sync(run_ids=set(runs))


@transaction.atomic
def link_attach(*, run, actor, parent_run=None, external: ExternalTraining | None = None):
    """An organiser attaches a run to a ToT run or to an external ToT. A link that would make
    a cycle (the parent grew from this run) is refused."""

    if not cascade_permissions.can_attach_cascade(actor):
        raise ValidationError({"run": _("Only network organisers attach runs to a cascade.")})
    if (parent_run is None) == (external is None):
        raise ValidationError(
            {"parent": _("Choose either a training-of-trainers run or an external one.")}
        )
    if parent_run is not None:
        if parent_run.pk == run.pk:
            raise ValidationError({"parent": _("A run cannot be its own parent.")})
        if parent_run.pk in selectors.descendant_ids(run_id=run.pk):
            raise ValidationError(
                {
                    "parent": _("“%(parent)s” grew from this run: attaching it would make a cycle.")
                    % {"parent": parent_run.display_title}
                },
                code="cycle",
            )
    link, _created = CascadeLink.objects.get_or_create(
        run=run,
        parent_run=parent_run,
        external=external,
        source=CascadeLink.Source.MANUAL,
        defaults={"trainer": None},
    )
    log(instance=run, action="pan.cascade_attach", user=actor, data={"link": link.pk})
    return link


@transaction.atomic
def external_create(
    *, title: str, organiser: str, country, year: int | None, actor
) -> ExternalTraining:
    """An organiser records a training of trainers held before the platform."""
    from django.utils import timezone

    if not cascade_permissions.can_attach_cascade(actor):
        raise ValidationError({"title": _("Only network organisers record earlier ToT courses.")})
    external = ExternalTraining(
        title=(title or "").strip(),
        organiser=(organiser or "").strip(),
        country=country,
        year=year,
        created_by=actor,
    )
    errors = {}
    if year is not None and not 1990 <= year <= timezone.localdate().year:
        errors["year"] = [
            _("Give the year it was held, between 1990 and this year (%(year)s).")
            % {"year": timezone.localdate().year}
        ]
    try:
        external.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    external.save()
    log(instance=external, action="wagtail.create", user=actor)
    return external


@transaction.atomic
def trainer_listing_save(*, user, listed: bool, languages: list[str]):
    """A trainer chooses whether other institutions may find them, and their languages."""
    from core.languages import LANGUAGE_NAMES

    from .models import TrainerListing

    unknown = [code for code in languages if code not in LANGUAGE_NAMES]
    if unknown:
        raise ValidationError(
            {"languages": _("Unknown language codes: %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    listing, _created = TrainerListing.objects.select_for_update().get_or_create(user=user)
    listing.listed = bool(listed)
    listing.languages = sorted(set(languages))
    listing.save()
    return listing
