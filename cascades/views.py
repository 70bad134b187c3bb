"""The cascade explorer (/manage/cascades/): for organisers, coordinators and focal points, each
limited by network.permissions; from a ToT run, a ToT held before the platform, a course or
a thematic area as a whole. Exports in CSV, XLSX and JSON.

Over 500 lines: the explorer's pages and their CSV, XLSX and JSON exports are kept together, each
export being the page's own tables."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from cascades import permissions as cascade_permissions
from core import disclosure, exports
from core.languages import LANGUAGE_NAMES
from courses.models import CoursePage, CourseRun
from network.models import ThematicArea
from trainees.views import staff_page

from . import selectors, services
from .models import ExternalTraining

EXPORTS = {"csv", "xlsx", "json"}


@staff_page
def cascade_list(request):
    institutions = cascade_permissions.cascade_roots_visible(request.user)
    runs = selectors.tot_runs(institution_ids=institutions)
    wide = cascade_permissions.cascade_forest_scope(request.user) is not None
    courses = {run.course_id: run.course for run in runs}
    return TemplateResponse(
        request,
        "cascades/list.html",
        {
            "runs": runs,
            "courses": sorted(courses.values(), key=lambda c: c.title) if wide else [],
            "themes": ThematicArea.objects.filter(courses__runs__is_training_of_trainers=True)
            .distinct()
            .order_by("sort_order", "name")
            if wide
            else [],
            "externals": selectors.external_trainings()
            if cascade_permissions.can_view_external_cascades(request.user)
            else [],
            "can_attach": cascade_permissions.can_attach_cascade(request.user),
            "countries": _country_choices()
            if cascade_permissions.can_attach_cascade(request.user)
            else [],
        },
    )


def _country_choices():
    from network.models import Country

    return Country.objects.order_by("name").only("pk", "name")


def _run_rows(nodes, *, suppress: bool, show_trainers: bool) -> tuple[list[str], list[list]]:
    header = [
        _("Generation"),
        _("Run"),
        _("Parent runs"),
        _("Country"),
        _("Language"),
        _("Start"),
        _("End"),
        _("Trainers"),
        _("Participants"),
        _("Women"),
        _("Men"),
        _("Another or undisclosed"),
        _("Certified (%)"),
        _("Attendance (%)"),
    ]
    rows = []
    for node in nodes:
        if not node.visible:
            continue
        run = node.run
        rows.append(
            [
                node.generation,
                run.display_title,
                ", ".join(str(p) for p in node.parents),
                run.host_country.label if run.host_country_id else _("online"),
                run.language,
                run.start_date.isoformat(),
                run.end_date.isoformat(),
                ", ".join(t.get_full_name() for t in node.trainers) if show_trainers else "",
                selectors.cell(node.participants, suppress=suppress),
                selectors.cell(node.women, suppress=suppress),
                selectors.cell(node.men, suppress=suppress),
                selectors.cell(node.other, suppress=suppress),
                _shown_rate(node.completion_rate, node.participants, suppress),
                _shown_rate(node.attendance_rate, node.attendance_lines, suppress),
            ]
        )
    return header, rows


def _shown_rate(rate, base: int, suppress: bool):
    if rate is None or not disclosure.base_shown(base, suppress=suppress):
        return ""
    return rate


PEOPLE_COUNTS = {"trainers", "trainees", "followups_answered"}


def _suppressed(values: dict, *, suppress: bool) -> dict:
    """The same figures with counts of people under 5 written as "<5" when the viewer must not
    see them (runs, generations, countries and languages are not people)."""
    return {
        k: disclosure.cell(v, suppress=suppress) if k in PEOPLE_COUNTS else v
        for k, v in values.items()
    }


def _tables(data: dict, *, suppress: bool) -> dict[str, tuple[list, list]]:
    """The page's tables as (header, rows), the same on the page and in the downloads."""
    generations = (
        [
            _("Generation"),
            _("Runs"),
            _("Participants"),
            _("Women"),
            _("Men"),
            _("Another or undisclosed"),
            _("Certified (%)"),
            _("Attendance (%)"),
        ],
        [
            [
                g["generation"],
                g["runs"],
                selectors.cell(g["participants"], suppress=suppress),
                selectors.cell(g["women"], suppress=suppress),
                selectors.cell(g["men"], suppress=suppress),
                selectors.cell(g["other"], suppress=suppress),
                "" if g["certified_rate"] is None else g["certified_rate"],
                "" if g["attendance_rate"] is None else g["attendance_rate"],
            ]
            for g in data["generations"]
        ],
    )
    countries = (
        [_("Country (of the trainee)"), _("Trainees"), _("Women"), _("Men")],
        [
            [
                row["country"],
                selectors.cell(row["trainees"], suppress=suppress),
                selectors.cell(row["women"], suppress=suppress),
                selectors.cell(row["men"], suppress=suppress),
            ]
            for row in data["countries"]
        ],
    )
    points = [p for p in data["timeline"] if disclosure.base_shown(p["reached"], suppress=suppress)]
    reach = (
        [_("Month"), _("Trainees reached (cumulative)")],
        [[p["month"], p["reached"]] for p in points],
    )
    return {"generations": generations, "countries": countries, "reach": reach}


def _export(request, data, fmt, *, name, seed_runs=None, external=None, scope):
    suppress = scope.get("suppress", True)
    show_trainers = not suppress
    nodes = selectors.all_runs(seed_runs, external=external, countries=scope.get("countries"))
    header, rows = _run_rows(nodes, suppress=suppress, show_trainers=show_trainers)
    tables = _tables(data, suppress=suppress)
    filename = f"cascade-{name}.{fmt}"
    if fmt == "json":
        body = {
            "cascade": name,
            "summary": _suppressed(data["summary"], suppress=suppress),
            "generations": [
                dict(zip(["generation", *tables["generations"][0][1:]], r, strict=True))
                for r in tables["generations"][1]
            ],
            "runs": [dict(zip(["generation", *header[1:]], row, strict=True)) for row in rows],
            "links": [
                {"run": node.run.pk, "parents": node.parents}
                for node in nodes
                if node.visible and node.parents
            ],
            "countries": [
                dict(zip(["country", "trainees", "women", "men"], r, strict=True))
                for r in tables["countries"][1]
            ],
            "reach": [dict(zip(["month", "reached"], r, strict=True)) for r in tables["reach"][1]],
        }
        return exports.json_response(body, filename=filename)
    if fmt == "csv":
        return exports.csv_response(header, rows, filename=filename)
    return exports.xlsx_response(
        [
            (_("Runs"), header, rows),
            (_("Generations"), *tables["generations"]),
            (_("Countries"), *tables["countries"]),
            (_("Reach over time"), *tables["reach"]),
        ],
        filename=filename,
    )


def _page(
    request,
    data,
    *,
    scope,
    title,
    subtitle="",
    export_name,
    seed_runs=None,
    external=None,
    root=None,
    attach_url="",
):
    """Render an explorer page (or its download, with ?format=)."""
    suppress = scope.get("suppress", True)
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in EXPORTS:
            raise Http404
        return _export(
            request,
            data,
            fmt,
            name=export_name,
            seed_runs=seed_runs,
            external=external,
            scope=scope,
        )
    tables = _tables(data, suppress=suppress)
    for node in data["nodes"].values():
        _decorate(node, suppress=suppress)
    reach = tables["reach"][1]
    return TemplateResponse(
        request,
        "cascades/detail.html",
        {
            "title": title,
            "subtitle": subtitle,
            "root": root,
            "external": external,
            "data": data,
            "top": data["top"],
            "suppress": suppress,
            "show_trainers": not suppress,
            "summary": _suppressed(data["summary"], suppress=suppress),
            "tables": tables,
            "hidden": data["hidden"],
            "chart": {"labels": [m for m, _v in reach]},
            "reach_spec": {
                "type": "line",
                "stepped": True,
                "labels": [m for m, _v in reach],
                "series": [{"label": _("Trainees reached"), "values": [v for _m, v in reach]}],
            },
            "attach_url": attach_url,
            "labels": node_labels(),
        },
    )


def node_labels() -> dict:
    """The words of a tree node, translated once for the page rather than once per node."""
    return {
        "outside": _("A run outside your country"),
        "generation": _("generation"),
        "online": _("online"),
        "trainers": _("Trainers"),
        "participants": _("Participants"),
        "women": _("women"),
        "men": _("men"),
        "certified": _("certified"),
        "attendance": _("attendance"),
        "also": _("also grew from runs"),
        "run_page": _("The run's page"),
    }


def _decorate(node, *, suppress: bool) -> None:
    # A dictionary lookup: get_language_display would translate the whole list of languages for
    # every node.
    node.language_name = LANGUAGE_NAMES.get(node.run.language, node.run.language)
    node.participants_cell = selectors.cell(node.participants, suppress=suppress)
    node.women_cell = selectors.cell(node.women, suppress=suppress)
    node.men_cell = selectors.cell(node.men, suppress=suppress)
    node.completion_cell = _shown_rate(node.completion_rate, node.participants, suppress)
    node.attendance_cell = _shown_rate(node.attendance_rate, node.attendance_lines, suppress)


def _attach_run(request, *, back, parent_run=None, external=None):
    """An organiser attaches a run to a ToT run or an earlier ToT by hand. A cycle or a bad
    choice is refused with its reason."""
    raw = request.POST.get("run", "")
    run = CourseRun.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if run is None:
        messages.error(request, _("Choose a course run to attach."))
        return redirect(back)
    try:
        services.link_attach(run=run, parent_run=parent_run, external=external, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("“%(run)s” is attached to this cascade.") % {"run": run.display_title}
        )
    return redirect(back)


@staff_page
def cascade_detail(request, run_id: int):
    root = CourseRun.objects.select_related("course", "organiser").filter(pk=run_id).first()
    if root is None:
        raise Http404
    scope = cascade_permissions.cascade_scope(request.user, root)
    if scope is None:
        raise PermissionDenied
    data = selectors.cascade(root=root, scope=scope)
    return _page(
        request,
        data,
        scope=scope,
        title=_("Cascade of %(run)s") % {"run": root.display_title},
        subtitle=f"{root.organiser.name} · {root.start_date:%d.%m.%Y} – {root.end_date:%d.%m.%Y}",
        export_name=str(root.pk),
        seed_runs=[root.pk],
        root=root,
        attach_url=reverse("cascade_attach", args=[root.pk])
        if cascade_permissions.can_attach_cascade(request.user)
        else "",
    )


@staff_page
def cascade_attach(request, run_id: int = None, external_id: int = None):
    """An organiser attaches a run by hand: to a ToT run whose trainer holds no certificate on
    the platform, or to a ToT held before it. The choice is of runs in no cascade yet."""
    if not cascade_permissions.can_attach_cascade(request.user):
        raise PermissionDenied
    root = external = None
    if external_id is not None:
        external = get_object_or_404(ExternalTraining, pk=external_id)
        back = reverse("cascade_external", args=[external.pk])
        runs = selectors.attachable_runs(after=external.year, exclude=set())
        help_text = _(
            "Attach the runs delivered by trainers this course trained before the platform kept "
            "certificates; runs that grew from them follow on their own."
        )
        title = external.title
    else:
        root = get_object_or_404(CourseRun.objects.select_related("course"), pk=run_id)
        back = reverse("cascade_detail", args=[root.pk])
        runs = selectors.attachable_runs(root=root, exclude=set())
        help_text = _(
            "For a run whose trainer was trained here but holds no certificate on the platform. "
            "A run this ToT grew from cannot be attached (that would be a cycle)."
        )
        title = root.display_title
    if request.method == "POST":
        _attach_run(request, back=back, parent_run=root, external=external)
        return redirect(back)
    return TemplateResponse(
        request,
        "cascades/attach.html",
        {"runs": runs, "help": help_text, "title": title, "back": back},
    )


@staff_page
def cascade_children(request, run_id: int, node_id: int):
    """The runs that grew from one node of a cascade, as a fragment the explorer opens in
    place (or a page of its own without JavaScript)."""
    root = get_object_or_404(CourseRun, pk=run_id)
    scope = cascade_permissions.cascade_scope(request.user, root)
    if scope is None:
        raise PermissionDenied
    generations: dict[int, int] = {}
    for pk, generation, _parent in selectors._tree_rows(root.pk):
        generations[pk] = min(generation, generations.get(pk, generation))
    if node_id not in generations:
        raise Http404
    node = get_object_or_404(CourseRun.objects.select_related("host_country"), pk=node_id)
    if node.pk != root.pk and not selectors._visible(node, scope.get("countries")):
        raise PermissionDenied
    suppress = scope.get("suppress", True)
    children = selectors.children(run=node, scope=scope)
    offset = generations[node.pk]
    for child in children:
        for each in (child, *child.children):
            each.generation += offset
            _decorate(each, suppress=suppress)
    fragment = request.headers.get("X-Requested-With") == "fetch"
    return TemplateResponse(
        request,
        "cascades/children_fragment.html" if fragment else "cascades/children.html",
        {
            "root": root,
            "nodes": children,
            "show_trainers": not suppress,
            "parent": node,
            "labels": node_labels(),
        },
    )


@staff_page
def cascade_course(request, course_id: int):
    course = get_object_or_404(CoursePage, pk=course_id)
    scope = cascade_permissions.cascade_forest_scope(request.user)
    if scope is None:
        raise PermissionDenied
    roots = _visible_roots(selectors.roots_of(course_ids=[course.pk]), scope)
    data = selectors.cascade_forest(roots=roots, scope=scope)
    return _page(
        request,
        data,
        scope=scope,
        title=_("Cascades of the course %(course)s") % {"course": course.title},
        subtitle=_("%(n)s training-of-trainers runs at the top") % {"n": len(roots)},
        export_name=f"course-{course.pk}",
        seed_runs=[r.pk for r in roots],
    )


@staff_page
def cascade_theme(request, slug: str):
    areas = list(ThematicArea.objects.filter(slug=slug))
    if not areas:
        raise Http404
    scope = cascade_permissions.cascade_forest_scope(request.user)
    if scope is None:
        raise PermissionDenied
    course_ids = CoursePage.objects.filter(thematic_areas__in=areas).values_list("pk", flat=True)
    roots = _visible_roots(selectors.roots_of(course_ids=course_ids), scope)
    data = selectors.cascade_forest(roots=roots, scope=scope)
    return _page(
        request,
        data,
        scope=scope,
        title=_("Cascades in %(area)s") % {"area": areas[0].name},
        subtitle=_("%(n)s training-of-trainers runs at the top") % {"n": len(roots)},
        export_name=f"theme-{slug}",
        seed_runs=[r.pk for r in roots],
    )


def _visible_roots(roots, scope):
    institutions = scope.get("institutions")
    if institutions is None:
        return roots
    return [r for r in roots if r.organiser_id in institutions]


@staff_page
def cascade_external(request, external_id: int):
    external = get_object_or_404(ExternalTraining.objects.select_related("country"), pk=external_id)
    scope = cascade_permissions.external_cascade_scope(request.user)
    if scope is None:
        raise PermissionDenied
    data = selectors.cascade_external(external=external, scope=scope)
    return _page(
        request,
        data,
        scope=scope,
        title=_("Cascade of %(training)s") % {"training": external.title},
        subtitle=_("Held before the platform: %(organiser)s, %(country)s, %(year)s")
        % {
            "organiser": external.organiser,
            "country": external.country.label,
            "year": external.year,
        },
        export_name=f"earlier-{external.pk}",
        external=external,
        attach_url=reverse("cascade_external_attach", args=[external.pk])
        if cascade_permissions.can_attach_cascade(request.user)
        else "",
    )


@staff_page
def external_create(request):
    """An organiser records a ToT held before the platform, then attaches runs to it."""
    from network.models import Country

    if request.method != "POST" or not cascade_permissions.can_attach_cascade(request.user):
        raise PermissionDenied
    country = Country.objects.filter(pk=request.POST.get("country") or None).first()
    raw_year = request.POST.get("year", "")
    try:
        external = services.external_create(
            title=request.POST.get("title", ""),
            organiser=request.POST.get("organiser", ""),
            country=country,
            year=int(raw_year) if raw_year.isdigit() else None,
            actor=request.user,
        )
    except ValidationError as error:
        for name, problems in error.message_dict.items():
            for problem in problems:
                messages.error(request, f"{_field_label(name)}: {problem}")
        return redirect("cascade_list")
    messages.success(request, _("Recorded. Now attach the runs its trainers delivered."))
    return redirect("cascade_external", external_id=external.pk)


def _field_label(name: str) -> str:
    try:
        return str(ExternalTraining._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:
        return _("Earlier ToT")
