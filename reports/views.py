"""Dashboards (/manage/reports/: the network for organisers, an institution for coordinators, a
country for focal points), their downloads, and the follow-up questionnaire participants open
from their e-mail (/follow-up/<token>/, no sign-in)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core import disclosure, exports
from network.models import Country, Institution
from reports import permissions as report_permissions
from trainees.views import staff_page

from . import selectors, services
from .forms import FollowUpForm
from .models import FollowUp

EXPORT_FORMATS = {"csv", "xlsx"}


def _cell(value, suppress: bool):
    return disclosure.cell(value, suppress=suppress)


def _pct(value) -> str:
    return "" if value is None else value


def _by_gender_rows(items, suppress: bool) -> list[list]:
    rows = []
    for label, figures in items:
        rows.append(
            [
                label,
                _cell(figures["enrolled"], suppress),
                _cell(figures["women"], suppress),
                _cell(figures["men"], suppress),
                _cell(figures["other"], suppress),
                _cell(figures["certified"], suppress),
                _pct(
                    selectors._rate(
                        figures["attended"], figures["attendance_lines"], suppress=suppress
                    )
                ),
                _cell(figures["followups_answered"], suppress),
                _pct(
                    selectors._rate(
                        figures["trained_others"], figures["followups_answered"], suppress=suppress
                    )
                ),
            ]
        )
    return rows


def _tables(data: dict, *, suppress: bool) -> dict[str, tuple[str, list, list]]:
    """Every table of the dashboard: name -> (title, header, rows), the same on the page and in
    the downloads."""
    measures = [
        _("Enrolled"),
        _("Women"),
        _("Men"),
        _("Another or undisclosed"),
        _("Certified"),
        _("Attendance (%)"),
        _("Follow-up answers"),
        _("Trained others (%)"),
    ]
    months = [(month.strftime("%Y-%m"), figures) for month, figures in data["months"]]
    coverage = data["coverage"]
    return {
        "months": (_("By month the run started"), [_("Month"), *measures],
                   _by_gender_rows(months, suppress)),
        "countries": (_("By country of the trainees"), [_("Country"), *measures],
                      _by_gender_rows(data["countries"], suppress)),
        "institutions": (_("By organising institution"), [_("Institution"), *measures],
                         _by_gender_rows(data["institutions"], suppress)),
        "themes": (_("By thematic area"), [_("Thematic area"), *measures],
                   _by_gender_rows(data["themes"], suppress)),
        "coverage_themes": (
            _("Catalogue by thematic area"),
            [_("Thematic area"), _("Courses"), _("Institutions"), _("Countries")],
            [[r["theme"], r["courses"], r["institutions"], ", ".join(r["countries"])]
             for r in coverage["themes"]],
        ),
        "coverage_countries": (
            _("Catalogue by country"),
            [_("Country"), _("Courses"), _("Institutions"), _("Thematic areas covered")],
            [[r["country"], r["courses"], r["institutions"], r["themes"]]
             for r in coverage["countries"]],
        ),
    }  # fmt: skip


def _charts(data: dict, *, suppress: bool) -> dict:
    """Chart specifications (charts.js) for what people would rather look at than read. Viewers
    who see suppressed figures get no chart of cells that are suppressed in the table."""

    def series(items, key):
        return [
            figures[key] if disclosure.base_shown(figures[key], suppress=suppress) else 0
            for _label, figures in items
        ]

    def by_gender(items):
        return [
            {"label": _("Women"), "values": series(items, "women")},
            {"label": _("Men"), "values": series(items, "men")},
            {"label": _("Another or undisclosed"), "values": series(items, "other")},
        ]

    months = [(m.strftime("%Y-%m"), f) for m, f in data["months"]]
    themes = data["themes"][:12]
    return {
        "months": {"type": "bar", "stacked": True, "labels": [m for m, _f in months],
                   "series": by_gender(months)},
        "themes": {"type": "bar", "stacked": True, "horizontal": True,
                   "labels": [t for t, _f in themes], "series": by_gender(themes)},
    }  # fmt: skip


def _scope_for(request, filters):
    try:
        scope = report_permissions.report_scope(
            request.user, institution=filters.institution, country=filters.country
        )
    except PermissionDenied:
        raise PermissionDenied(
            _("These figures belong to another institution or country than yours.")
        ) from None
    if scope is None:
        raise PermissionDenied
    return scope


@staff_page
def dashboard(request):
    filters = selectors.filters_parse(request.GET)
    scope = _scope_for(request, filters)
    suppress = scope["suppress"]
    if filters.errors:
        for name, problem in filters.errors.items():
            messages.error(request, f"{name}: {problem}")
        response = _render(
            request, None, filters=filters, scope=scope, tables={}, charts={},
            areas=selectors.area_names(),
        )  # fmt: skip
        response.status_code = 400
        return response
    areas = selectors.area_names()
    data = selectors.dashboard(scope=scope, filters=filters, areas=areas)
    tables = _tables(data, suppress=suppress)
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in EXPORT_FORMATS:
            raise Http404
        return _export(tables, fmt, request.GET.get("table", ""))
    return _render(
        request, data, filters=filters, scope=scope, tables=tables,
        charts=_charts(data, suppress=suppress), areas=areas,
    )  # fmt: skip


def _export(tables, fmt: str, name: str):
    if fmt == "csv":
        if name not in tables:
            raise Http404
        title, header, rows = tables[name]
        return exports.csv_response(header, rows, filename=f"figures-{name}.csv")
    chosen = [name] if name in tables else list(tables)
    return exports.xlsx_response(
        [(tables[n][0][:31], tables[n][1], tables[n][2]) for n in chosen],
        filename=f"figures-{name or 'all'}.xlsx",
    )


def _render(request, data, *, filters, scope, tables, charts, areas):
    user = request.user
    network = scope["kind"] == "network"
    if network:
        heading = _("Network figures")
    elif scope["kind"] == "institution":
        names = Institution.objects.filter(pk__in=scope["institutions"]).values_list(
            "name", flat=True
        )
        heading = _("Figures for %(names)s") % {"names": ", ".join(sorted(names))}
    else:
        names = Country.objects.filter(pk__in=scope["countries"]).values_list("name", flat=True)
        heading = _("Figures for trainees from %(names)s") % {"names": ", ".join(sorted(names))}
    query = filters.query()
    return TemplateResponse(
        request,
        "reports/dashboard.html",
        {
            "heading": heading,
            "data": data,
            "totals": _suppress_totals(data["totals"], scope["suppress"]) if data else None,
            "tables": tables,
            "charts": charts,
            "filters": filters,
            "query": query,
            "suppress": scope["suppress"],
            "areas": areas.items(),
            "countries": Country.objects.order_by("name").only("code", "name")
            if scope["kind"] != "country"
            else Country.objects.filter(pk__in=scope["countries"]).order_by("name"),
            "institutions": Institution.objects.order_by("name").only("pk", "name")
            if network or scope["kind"] == "country"
            else Institution.objects.filter(pk__in=scope["institutions"]).order_by("name"),
            "user": user,
        },
    )


def _suppress_totals(totals: dict, suppress: bool) -> dict:
    return {
        k: _cell(v, suppress) if not k.endswith(("_rate", "_share")) else v
        for k, v in totals.items()
    }


# ---------------------------------------------------------------------------------------------
# The follow-up questionnaire
# ---------------------------------------------------------------------------------------------


@never_cache
def followup(request, token: str):
    """Open from the e-mail's link: the questions, answerable (and correctable) without signing
    in. The link is the participant's; it shows their course run and nothing else."""
    item = get_object_or_404(
        FollowUp.objects.select_related("enrolment__run__course", "enrolment__run__organiser"),
        token=token,
    )
    form = FollowUpForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_answer(followup=item, **form.answers())
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            messages.success(request, _("Thank you: your answers are recorded."))
            return redirect("followup", token=token)
    return TemplateResponse(
        request,
        "reports/followup.html",
        {"form": form, "followup": item, "run": item.enrolment.run},
        status=400 if form.errors else 200,
    )
