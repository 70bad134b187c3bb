"""Reads for the network's figures: dashboards for the network, an institution or a country,
from the run tallies (a fixed number of grouped queries, whatever the size of the network),
and the catalogue's coverage from the course facets.

Periods are by the month a run started. People are counted once per run they took part in."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from core import disclosure
from network.names import translated
from network.selectors import area_names

from .models import RunTally

GENDERS = ("women", "men", "other")
MEASURES = (
    "enrolled",
    "certified",
    "participation",
    "completion",
    "trainer",
    "attendance_lines",
    "attended",
    "followups_sent",
    "followups_answered",
    "applying",
    "trained_others",
    "people_trained",
)
_MONTH = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def slot(gender: str) -> str:
    return {"woman": "women", "man": "men"}.get(gender, "other")


@dataclass
class Filters:
    """What a dashboard is narrowed to. Built by `filters_parse`, which names every value it
    cannot use."""

    start: dt.date | None = None  # first month included
    end: dt.date | None = None  # last month included
    theme: str = ""
    country: object = None  # pan_network.Country (of the trainees)
    institution: object = None  # pan_network.Institution (organising the runs)
    errors: dict[str, str] = field(default_factory=dict)

    def query(self) -> dict:
        """The filters as GET parameters (for download links)."""
        values = {
            "from": self.start.strftime("%Y-%m") if self.start else "",
            "to": self.end.strftime("%Y-%m") if self.end else "",
            "theme": self.theme,
            "country": self.country.code if self.country else "",
            "institution": str(self.institution.pk) if self.institution else "",
        }
        return {k: v for k, v in values.items() if v}


def _month(raw: str, *, last: bool) -> dt.date:
    match = _MONTH.match(raw)
    if not match:
        raise ValueError
    year, month = int(match.group(1)), match.group(2)
    if month is None:
        return dt.date(year, 12 if last else 1, 1)
    if not 1 <= int(month) <= 12:
        raise ValueError
    return dt.date(year, int(month), 1)


def filters_parse(params) -> Filters:
    """Dashboard filters from GET parameters: from and to (a year, YYYY, or a month, YYYY-MM),
    theme (a thematic area's slug), country (an ISO code), institution (an id). A value that
    cannot be used is left out and named in `errors` with the rule it breaks."""
    from network.models import Country, Institution, ThematicArea

    filters = Filters()
    for name, last in (("from", False), ("to", True)):
        raw = (params.get(name) or "").strip()
        if not raw:
            continue
        try:
            value = _month(raw, last=last)
            if not 1990 <= value.year <= 2100:
                raise ValueError
        except ValueError:
            filters.errors[name] = _(
                "“%(value)s” is not a year (YYYY) or a month (YYYY-MM) between 1990 and 2100."
            ) % {"value": raw[:20]}
            continue
        setattr(filters, "start" if name == "from" else "end", value)
    if filters.start and filters.end and filters.start > filters.end:
        filters.errors["to"] = _("The period ends before it starts.")
        filters.end = None
    theme = (params.get("theme") or "").strip()
    if theme:
        if ThematicArea.objects.filter(slug=theme).exists():
            filters.theme = theme
        else:
            filters.errors["theme"] = _("There is no thematic area “%(value)s”.") % {
                "value": theme[:40]
            }
    code = (params.get("country") or "").strip().upper()
    if code:
        filters.country = Country.objects.filter(code=code).first()
        if filters.country is None:
            filters.errors["country"] = _(
                "“%(value)s” is not a country of the network (use its two-letter ISO code)."
            ) % {"value": code[:10]}
    raw = (params.get("institution") or "").strip()
    if raw:
        filters.institution = Institution.objects.filter(pk=raw).first() if raw.isdigit() else None
        if filters.institution is None:
            filters.errors["institution"] = _("There is no institution “%(value)s”.") % {
                "value": raw[:20]
            }
    return filters


def _tallies(*, scope: dict, filters: Filters):
    rows = RunTally.objects.all()
    if scope.get("institutions") is not None:
        rows = rows.filter(organiser_id__in=scope["institutions"])
    if scope.get("countries") is not None:
        rows = rows.filter(country_id__in=scope["countries"])
    if filters.start:
        rows = rows.filter(start_month__gte=filters.start)
    if filters.end:
        rows = rows.filter(start_month__lte=filters.end)
    if filters.country is not None:
        rows = rows.filter(country=filters.country)
    if filters.institution is not None:
        rows = rows.filter(organiser=filters.institution)
    if filters.theme:
        rows = rows.filter(course__facets__facet="theme", course__facets__value=filters.theme)
    return rows


_SUMS = {name: Sum(name) for name in MEASURES}


def _grouped(rows, key: str) -> dict:
    """{key value: {"women": n, "men": n, "other": n, measure: n...}} from one grouped query."""
    out: dict = defaultdict(lambda: dict.fromkeys((*GENDERS, *MEASURES), 0))
    for row in rows.values(key, "gender").annotate(**_SUMS).order_by():
        entry = out[row[key]]
        for name in MEASURES:
            entry[name] += row[name] or 0
        entry[slot(row["gender"])] += row["enrolled"] or 0
    return dict(out)


_rate = disclosure.rate


def dashboard(*, scope: dict, filters: Filters, areas: dict[str, str] | None = None) -> dict:
    """The figures of a dashboard: totals; by month, country of the trainees, organising
    institution and thematic area, each by gender; the catalogue's coverage. `scope` limits the
    runs (institutions) or trainees (countries) counted; ten queries whatever the size."""
    from network.models import Country, Institution

    suppress = scope.get("suppress", True)
    rows = _tallies(scope=scope, filters=filters)
    totals = rows.aggregate(
        runs=Count("run_id", distinct=True),
        courses=Count("course_id", distinct=True),
        women=Sum("enrolled", filter=Q(gender="woman")),
        men=Sum("enrolled", filter=Q(gender="man")),
        **_SUMS,
    )
    totals = {k: v or 0 for k, v in totals.items()}
    totals["other"] = totals["enrolled"] - totals["women"] - totals["men"]
    totals["certified_rate"] = _rate(totals["certified"], totals["enrolled"], suppress=suppress)
    totals["attendance_rate"] = _rate(
        totals["attended"], totals["attendance_lines"], suppress=suppress
    )
    totals["women_share"] = _rate(totals["women"], totals["enrolled"], suppress=suppress)
    totals["response_rate"] = _rate(
        totals["followups_answered"], totals["followups_sent"], suppress=suppress
    )
    totals["applying_share"] = _rate(
        totals["applying"], totals["followups_answered"], suppress=suppress
    )
    totals["trained_others_share"] = _rate(
        totals["trained_others"], totals["followups_answered"], suppress=suppress
    )

    months = _grouped(rows, "start_month")
    countries = _grouped(rows, "country_id")
    institutions = _grouped(rows, "organiser_id")
    themes = _grouped(rows.filter(course__facets__facet="theme"), "course__facets__value")
    country_names = {
        pk: translated(name)
        for pk, name in Country.objects.filter(pk__in=[k for k in countries if k]).values_list(
            "pk", "name"
        )
    }
    institution_names = dict(
        Institution.objects.filter(pk__in=list(institutions)).values_list("pk", "name")
    )
    theme_names = areas if areas is not None else area_names()
    return {
        "totals": totals,
        "months": sorted(months.items()),
        "countries": sorted(
            ((country_names.get(k, "—"), v) for k, v in countries.items()),
            key=lambda item: (-item[1]["enrolled"], item[0]),
        ),
        "institutions": sorted(
            ((institution_names.get(k, "—"), v) for k, v in institutions.items()),
            key=lambda item: (-item[1]["enrolled"], item[0]),
        ),
        "themes": sorted(
            ((theme_names.get(k, k), v) for k, v in themes.items()),
            key=lambda item: (-item[1]["enrolled"], item[0]),
        ),
        "coverage": coverage(scope=scope, filters=filters, areas=theme_names),
    }


def coverage(*, scope: dict, filters: Filters, areas: dict[str, str] | None = None) -> dict:
    """The live catalogue (in the default language) by thematic area and by the country of
    the publishing institution: courses, institutions and countries (three queries)."""
    from wagtail.models import Locale

    from courses.models import CourseFacet, CoursePage

    pages = CoursePage.objects.live().filter(locale=Locale.get_default())
    institutions = scope.get("institutions")
    if institutions is not None:
        pages = pages.filter(institution_id__in=institutions)
    if filters.institution is not None:
        pages = pages.filter(institution=filters.institution)
    countries = scope.get("countries")
    if countries is not None:
        pages = pages.filter(institution__country_id__in=countries)
    if filters.country is not None:
        pages = pages.filter(institution__country=filters.country)
    courses = {
        pk: {"inst": inst, "country": translated(country) if country else "", "themes": set()}
        for pk, inst, country in pages.values_list(
            "pk", "institution_id", "institution__country__name"
        )
    }
    for page_id, value in CourseFacet.objects.filter(
        facet=CourseFacet.Facet.THEME, page_id__in=list(courses)
    ).values_list("page_id", "value"):
        courses[page_id]["themes"].add(value)
    if filters.theme:
        courses = {k: v for k, v in courses.items() if filters.theme in v["themes"]}
    by_theme: dict[str, dict] = defaultdict(lambda: {"courses": 0, "inst": set(), "where": set()})
    by_country: dict[str, dict] = defaultdict(
        lambda: {"courses": 0, "inst": set(), "themes": set()}
    )
    for course in courses.values():
        for theme in course["themes"]:
            entry = by_theme[theme]
            entry["courses"] += 1
            entry["inst"].add(course["inst"])
            if course["country"]:
                entry["where"].add(course["country"])
        if course["country"]:
            entry = by_country[course["country"]]
            entry["courses"] += 1
            entry["inst"].add(course["inst"])
            entry["themes"] |= course["themes"]
    areas = areas if areas is not None else area_names()
    return {
        "courses": len(courses),
        "themes": [
            {
                "theme": name,
                "courses": by_theme[slug]["courses"],
                "institutions": len(by_theme[slug]["inst"]),
                "countries": sorted(by_theme[slug]["where"]),
            }
            for slug, name in areas.items()
        ],
        "countries": sorted(
            (
                {
                    "country": name,
                    "courses": entry["courses"],
                    "institutions": len(entry["inst"]),
                    "themes": len(entry["themes"]),
                }
                for name, entry in by_country.items()
            ),
            key=lambda r: (-r["courses"], r["country"]),
        ),
        "uncovered": [name for slug, name in areas.items() if not by_theme[slug]["courses"]],
    }


# ---------------------------------------------------------------------------------------------
# The run tallies for the apps above (cascades), which read them here rather than by table
# ---------------------------------------------------------------------------------------------

# The columns of `tally_rows`: the names a statement that joins it may use.
TALLY_ROW_COLUMNS = (
    "run_id",
    "run_row",  # true on exactly one row of each run not cancelled: summing it counts runs
    "gender",  # of the trainees
    "country_id",  # of the trainees
    "host_country_id",
    "language",
    "end_month",
    "enrolled",
    "certified",
    "attendance_lines",
    "attended",
    "followups_answered",
    "applying",
    "trained_others",
    "people_trained",
)


def tally_rows():
    """The run tallies, one row per run, gender and country of the trainees, as values with the
    columns TALLY_ROW_COLUMNS (an unevaluated queryset). An app whose runs come from SQL of its
    own (the cascades' recursive walk of a tree) joins it as a subquery through
    `tally_rows_sql`, so that one statement still sums the tallies of any number of runs."""
    return RunTally.objects.values(*TALLY_ROW_COLUMNS).order_by()


def tally_rows_sql() -> tuple[str, list]:
    """`tally_rows` as SQL and parameters, to be joined as `JOIN (<sql>) alias ON ...`. It
    selects plain columns of one table, which PostgreSQL and SQLite fold into the statement
    around it: the plan is that of a join on the table itself."""
    sql, params = tally_rows().query.sql_with_params()
    return sql, list(params)


def tally_sums_by_run(*, run_ids) -> list[dict]:
    """For each of these runs and each gender of its trainees: enrolled, certified,
    attendance_lines and attended, summed over the trainees' countries (one query)."""
    return list(
        RunTally.objects.filter(run_id__in=list(run_ids))
        .values("run_id", "gender")
        .annotate(
            enrolled=Sum("enrolled"),
            certified=Sum("certified"),
            attendance_lines=Sum("attendance_lines"),
            attended=Sum("attended"),
        )
        .order_by()
    )
