"""The cascade explorer (/manage/cascades/): for organisers, coordinators and focal points, each
limited by pan_network.permissions.cascade_scope; exports in CSV, XLSX and JSON."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from courses.models import CourseRun
from pan_network import exports, permissions
from trainees.views import staff_page

from . import selectors


@staff_page
def cascade_list(request):
    institutions = permissions.cascade_roots_visible(request.user)
    runs = selectors.tot_runs(institution_ids=institutions)
    return TemplateResponse(request, "cascades/list.html", {"runs": runs})


def _rows(data: dict, *, suppress: bool, show_trainers: bool) -> tuple[list[str], list[list]]:
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
    for generation, nodes in sorted(data["generations"].items()):
        for node in nodes:
            if not node.visible:
                continue
            run = node.run
            rows.append(
                [
                    generation,
                    run.display_title,
                    ", ".join(str(p) for p in node.parents),
                    run.host_country.name if run.host_country_id else _("online"),
                    run.language,
                    run.start_date.isoformat(),
                    run.end_date.isoformat(),
                    ", ".join(t.get_full_name() for t in node.trainers) if show_trainers else "",
                    selectors.cell(node.participants, suppress=suppress),
                    selectors.cell(node.women, suppress=suppress),
                    selectors.cell(node.men, suppress=suppress),
                    selectors.cell(node.other, suppress=suppress),
                    node.completion_rate if node.completion_rate is not None else "",
                    node.attendance_rate if node.attendance_rate is not None else "",
                ]
            )
    return header, rows


def _suppressed(values: dict, *, suppress: bool) -> dict:
    """The same figures with counts under 5 written as "<5" when the viewer must not see them."""
    return {
        k: selectors.cell(v, suppress=suppress) if isinstance(v, int) else v
        for k, v in values.items()
    }


def _export(data: dict, root, fmt: str, *, suppress: bool, show_trainers: bool) -> HttpResponse:
    header, rows = _rows(data, suppress=suppress, show_trainers=show_trainers)
    filename = f"cascade-{root.pk}.{fmt}"
    countries = [_suppressed(row, suppress=suppress) for row in data["countries"]]
    if fmt == "json":
        body = {
            "root": root.pk,
            "summary": _suppressed(data["summary"], suppress=suppress),
            "runs": [dict(zip(["generation", *header[1:]], row, strict=True)) for row in rows],
            "links": [
                {"run": node.run.pk, "parents": node.parents}
                for node in data["nodes"].values()
                if node.visible and node.parents
            ],
            "countries": countries,
        }
        return exports.json_response(body, filename=filename)
    if fmt == "csv":
        return exports.csv_response(header, rows, filename=filename)
    country_rows = [[row[k] for k in ("country", "trainees", "women", "men")] for row in countries]
    return exports.xlsx_response(
        [
            ("Runs", header, rows),
            ("Countries", [_("Country"), _("Trainees"), _("Women"), _("Men")], country_rows),
        ],
        filename=filename,
    )


def _attach(request, root):
    """An organiser attaches a run to this ToT by hand (e.g. its trainer was certified before
    the platform kept certificates). A cycle or a bad choice is refused with its reason."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    from . import services

    raw = request.POST.get("run", "")
    run = CourseRun.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if run is None:
        messages.error(request, _("Choose a course run to attach."))
        return redirect("cascade_detail", run_id=root.pk)
    try:
        services.link_attach(run=run, parent_run=root, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("“%(run)s” is attached to this cascade.") % {"run": run.display_title}
        )
    return redirect("cascade_detail", run_id=root.pk)


@staff_page
def cascade_detail(request, run_id: int):
    root = CourseRun.objects.select_related("course", "organiser").filter(pk=run_id).first()
    if root is None:
        raise Http404
    scope = permissions.cascade_scope(request.user, root)
    if scope is None:
        raise PermissionDenied
    if request.method == "POST":
        return _attach(request, root)
    suppress = scope.get("suppress", True)
    data = selectors.cascade(root=root, scope=scope)
    show_trainers = not suppress
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in {"csv", "xlsx", "json"}:
            raise Http404
        return _export(data, root, fmt, suppress=suppress, show_trainers=show_trainers)
    header, rows = _rows(data, suppress=suppress, show_trainers=show_trainers)
    hidden = sum(1 for n in data["nodes"].values() if not n.visible)
    for node in data["nodes"].values():
        node.participants_cell = selectors.cell(node.participants, suppress=suppress)
        node.women_cell = selectors.cell(node.women, suppress=suppress)
        node.men_cell = selectors.cell(node.men, suppress=suppress)
    # Viewers who see suppressed figures get the curve from the point it reaches 5.
    points = [
        (p["month"], p["reached"])
        for p in data["timeline"]
        if not suppress or p["reached"] >= selectors.SMALL_CELL
    ]
    return TemplateResponse(
        request,
        "cascades/detail.html",
        {
            "root": root,
            "data": data,
            "suppress": suppress,
            "show_trainers": show_trainers,
            "summary": _suppressed(data["summary"], suppress=suppress),
            "countries": [_suppressed(row, suppress=suppress) for row in data["countries"]],
            "header": header,
            "rows": rows,
            "hidden": hidden,
            "points": points,
            "can_attach": permissions.can_attach_cascade(request.user),
            "attachable": selectors.attachable_runs(root=root, exclude=set(data["nodes"]))
            if permissions.can_attach_cascade(request.user)
            else [],
            "chart": {"labels": [m for m, _v in points], "values": [v for _m, v in points]},
        },
    )
