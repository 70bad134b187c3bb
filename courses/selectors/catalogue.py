"""The catalogue's reads: one pass for the matches, their facet counts and the page's ids;
facet groups as the filters show them; thematic areas with their course counts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, F, FloatField, OuterRef, Q, QuerySet, Value
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.models import Locale

from core.languages import LANGUAGE_NAMES
from network.models import ThematicArea

from ..catalogue import FILTER_ORDER, ROW_PATTERNS, CatalogueQuery
from ..models import (
    CourseFacet,
    CoursePage,
    FacetCount,
)

Facet = CourseFacet.Facet
FACET_LINKS = 10


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class FacetGroup:
    """A filter's values with counts. Long lists (institutions, countries) show their most
    frequent values as links and offer all of them in a select, so a page with hundreds of
    institutions stays light."""

    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)
    # Other parameters to keep when the select form is submitted.
    other_params: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_selection(self) -> bool:
        return any(option.selected for option in self.options)

    @property
    def links(self) -> list[FacetOption]:
        return [o for i, o in enumerate(self.options) if i < FACET_LINKS or o.selected]

    @property
    def has_more(self) -> bool:
        return len(self.options) > FACET_LINKS


@dataclass
class CatalogueResult:
    page: PaginatorPage
    total: int
    facets: list[FacetGroup]
    query: CatalogueQuery

    shown: list = field(default_factory=list)

    @property
    def courses(self):
        """The page's courses, each in the visitor's language where it has been translated."""
        return self.shown or self.page.object_list

    @property
    def previous_url(self) -> str:
        return (
            self.query.page_url(self.page.previous_page_number())
            if self.page.has_previous()
            else ""
        )

    @property
    def next_url(self) -> str:
        return self.query.page_url(self.page.next_page_number()) if self.page.has_next() else ""

    @property
    def sort_links(self) -> list[dict]:
        labels = {"relevance": _("relevance"), "title": _("title"), "newest": _("newest")}
        keys = ["relevance", "title", "newest"] if self.query.q else ["title", "newest"]
        current = self.query.effective_sort
        return [
            {"label": labels[key], "url": self.query.url(sort=key), "current": key == current}
            for key in keys
        ]


# Long fields a result card never shows.
_LISTING_DEFERRED = ("body", "learning_outcomes", "prerequisites")


class _CountedPaginator(Paginator):
    """A paginator told its count instead of asking the database for it."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _in_locale(locale: Locale | int | str) -> Q:
    """A locale given as a Locale, its id, or its language code (no query for the last)."""
    return Q(locale__language_code=locale) if isinstance(locale, str) else Q(locale=locale)


def live_courses(*, locale: Locale | int | str) -> QuerySet[CoursePage]:
    return CoursePage.objects.live().filter(_in_locale(locale))


def _other_language(locale: Locale | int | str) -> bool:
    """Whether the visitor's language is not the catalogue's (no query when it is given by its
    language code)."""
    if isinstance(locale, str):
        return translation.get_language() != locale
    return Locale.get_active().pk != getattr(locale, "pk", locale)


def _drop_unknown_row_values(*, query: CatalogueQuery) -> None:
    """Filters that name rows (thematic areas, countries, institutions) are kept only when some
    published course carries the value; the rest are reported as ignored."""
    wanted = {name: values for name, values in query.filters.items() if name in ROW_PATTERNS}
    if not wanted:
        return
    condition = Q()
    for name, values in wanted.items():
        condition |= Q(facet=name, value__in=values)
    known = set(CourseFacet.objects.filter(condition).values_list("facet", "value").distinct())
    for name, values in wanted.items():
        for value in list(values):
            if (name, value) not in known:
                query.ignore(name, value, _("no published course has this value."))


def _matching(*, locale: Locale | int | str, query: CatalogueQuery) -> QuerySet[CoursePage]:
    """The courses the query matches, with their search rank as `_rank` (0 where there is no
    ranking: no search words, or a search through translations)."""
    courses = live_courses(locale=locale)
    ranked = False
    if query.search_text:
        matches = courses.search(
            query.search_text, operator="and", order_by_relevance=True
        ).annotate_score("_rank")
        if _other_language(locale):
            # A search in another language also finds the courses through their translations.
            translated = (
                CoursePage.objects.live()
                .exclude(_in_locale(locale))
                .search(query.search_text, operator="and")
                .get_queryset()
                .values("translation_key")
            )
            courses = courses.filter(
                Q(pk__in=matches.get_queryset().values("pk")) | Q(translation_key__in=translated)
            )
        else:
            courses = matches.get_queryset()
            ranked = True
    elif query.q:
        courses = courses.none()  # nothing but punctuation: nothing to find
    for name, values in query.filters.items():
        courses = courses.filter(
            Exists(CourseFacet.objects.filter(page=OuterRef("pk"), facet=name, value__in=values))
        )
    if not ranked:
        courses = courses.annotate(_rank=Value(0.0, output_field=FloatField()))
    return courses.order_by()


# The order of a page of results, over the matches' columns (id, title, published, rank).
_WINDOW_ORDER = {
    "relevance": "m.rank DESC, m.id DESC",
    "title": "m.title, m.id",
    "newest": "m.published DESC, m.id",
}


def _one_pass(
    matching: QuerySet[CoursePage], *, sort: str, page: int, per_page: int
) -> tuple[list[dict], list[int]]:
    """The facet counts of every match and the ids of one page of them, in one query: the
    matches (and their search rank) are computed once, as a materialised common table
    expression, then grouped for the counts and numbered for the page. A page past the last
    gives the last page, as the paginator will."""
    try:
        inner, inner_params = matching.values_list(
            "pk", "title", "first_published_at", "_rank"
        ).query.sql_with_params()
    except EmptyResultSet:  # nothing can match (a search of punctuation alone): no query
        return [], []
    offset = (page - 1) * per_page
    facet_table = CourseFacet._meta.db_table
    sql = f"""
        WITH m (id, title, published, rank) AS MATERIALIZED ({inner}),
        w (lo) AS (
            SELECT CASE WHEN COUNT(*) > %s THEN %s ELSE (COUNT(*) - 1) / %s * %s END FROM m
        )
        SELECT NULL AS pos, f.facet, f.value, f.label, COUNT(*) AS n
        FROM {facet_table} f INNER JOIN m ON f.page_id = m.id
        GROUP BY f.facet, f.value, f.label
        UNION ALL
        SELECT x.pos, NULL, NULL, NULL, x.id
        FROM (SELECT m.id, ROW_NUMBER() OVER (ORDER BY {_WINDOW_ORDER[sort]}) AS pos FROM m) x,
            w
        WHERE x.pos > w.lo AND x.pos <= w.lo + %s
    """  # noqa: S608 (table and order names are ours; every value is a parameter)
    params = [*inner_params, offset, offset, per_page, per_page, per_page]
    counts: list[dict] = []
    ids: list[tuple[int, int]] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pos, facet, value, label, n in cursor.fetchall():
            if pos is None:
                counts.append({"facet": facet, "value": value, "label": label, "n": n})
            else:
                ids.append((pos, n))
    return counts, [pk for _pos, pk in sorted(ids)]


def catalogue_search(*, locale: Locale | int | str, query: CatalogueQuery) -> CatalogueResult:
    """The catalogue: the courses of `locale` (the default language's, which every course
    has), searched in any language they are published in, filtered and counted; each shown in
    the visitor's language where translated.

    A search or filter costs one query for the counts and the page's ids together (the search
    ranks once), and one for the page's courses; the whole catalogue reads the counts kept
    up to date on publication."""
    _drop_unknown_row_values(query=query)
    sort = query.effective_sort
    per_page = settings.CATALOGUE_PAGE_SIZE
    listing = CoursePage.objects.select_related("institution__country").defer(*_LISTING_DEFERRED)

    if query.q or query.filters:
        counts, ids = _one_pass(
            _matching(locale=locale, query=query),
            sort=sort,
            page=int(query.page),
            per_page=per_page,
        )
        by_pk = {course.pk: course for course in listing.filter(pk__in=ids)} if ids else {}
        rows = [by_pk[pk] for pk in ids if pk in by_pk]
    else:
        # The whole catalogue: counts kept up to date on publication; the page read through
        # the (title, id) index.
        counts = list(
            FacetCount.objects.filter(_in_locale(locale)).values(
                "facet", "value", "label", n=F("count")
            )
        )
        rows = None
    # Every live course has exactly one training-of-trainers row ("yes" or "no"), so the
    # facet counts already hold the total: no separate COUNT query.
    total = sum(row["n"] for row in counts if row["facet"] == Facet.TOT)
    if rows is None:
        courses = live_courses(locale=locale).select_related("institution__country")
        courses = courses.defer(*_LISTING_DEFERRED).order_by(
            *(("title", "pk") if sort == "title" else ("-first_published_at", "pk"))
        )
        paginator = _CountedPaginator(courses, per_page, count=total)
        page = paginator.get_page(query.page)
    else:
        paginator = _CountedPaginator([], per_page, count=total)
        number = min(int(query.page), paginator.num_pages)
        page = PaginatorPage(rows, number, paginator)
    if query.page != "1" and int(query.page) > paginator.num_pages:
        query.notices.append(
            _("There are only %(n)d pages of results; showing the last.")
            % {"n": paginator.num_pages}
        )

    return CatalogueResult(
        page=page,
        total=total,
        facets=_facet_groups(counts=counts, query=query),
        query=query,
        shown=in_language(list(page.object_list)) if _other_language(locale) else [],
    )


def in_language(courses: list, *, locale: Locale | None = None) -> list:
    """The same courses, each replaced by its live translation into `locale` (the active
    language by default) where there is one (one query)."""
    locale = locale or Locale.get_active()
    keys = [c.translation_key for c in courses if c.locale_id != locale.pk]
    if not keys:
        return courses
    translated = {
        page.translation_key: page
        for page in CoursePage.objects.live()
        .filter(locale=locale, translation_key__in=keys)
        .select_related("institution__country")
        .defer(*_LISTING_DEFERRED)
    }
    return [translated.get(c.translation_key, c) for c in courses]


_FIXED_ORDER = {
    Facet.LEVEL: ["introductory", "intermediate", "advanced", "specialist"],
    Facet.MODE: ["residential", "online", "blended", "self_paced"],
    Facet.TOT: ["yes", "no"],
}


def _facet_labels() -> dict[str, dict[str, str]]:
    """Labels of facet values in the visitor's language (the rows keep the label they were
    published with). Names of countries and institutions are shown as they are kept."""
    from network.selectors import area_names

    from ..models import Audience, DeliveryMode, Level

    labels = {
        Facet.LEVEL: {k: str(v) for k, v in Level.choices},
        Facet.MODE: {k: str(v) for k, v in DeliveryMode.choices},
        Facet.AUDIENCE: {k: str(v) for k, v in Audience.choices},
        Facet.LANGUAGE: {k: str(v) for k, v in LANGUAGE_NAMES.items()},
        Facet.TOT: {"yes": _("Training of trainers"), "no": _("Other courses")},
    }
    if translation.get_language() != settings.LANGUAGE_CODE:
        from network.names import COUNTRY_NAMES, translated

        labels[Facet.THEME] = area_names()  # rows carry the default language's names
        labels["country_names"] = {name: translated(name) for name in COUNTRY_NAMES}
    return labels


def _facet_groups(*, counts, query: CatalogueQuery) -> list[FacetGroup]:
    by_facet: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)
    for row in counts:
        value, label, n = row["value"], row["label"], row["n"]
        previous = by_facet[row["facet"]].get(value)
        by_facet[row["facet"]][value] = (label, n + (previous[1] if previous else 0))

    labels = dict(Facet.choices)
    translate = _facet_labels() if by_facet else {}
    groups = []
    for name in FILTER_ORDER:
        values = by_facet.get(name, {})
        selected = query.filters.get(name, [])
        for value in selected:
            values.setdefault(value, (value, 0))
        if name in _FIXED_ORDER:
            order = _FIXED_ORDER[name]
            ordered = sorted(values, key=lambda v: order.index(v) if v in order else len(order))
        else:
            ordered = sorted(values, key=lambda v: (-values[v][1], values[v][0]))
        group = FacetGroup(name=str(name), label=str(labels[name]))
        for position, value in enumerate(ordered):
            label, n = values[value]
            label = translate.get(name, {}).get(value, label)
            if name == Facet.COUNTRY:
                label = translate.get("country_names", {}).get(label, label)
            chosen = value in selected
            group.options.append(
                FacetOption(
                    value=value,
                    label=label,
                    count=n,
                    selected=chosen,
                    # Links only for what is shown as a link; the rest go through the select.
                    url=query.toggled(name, value) if position < FACET_LINKS or chosen else "",
                )
            )
        if len(group.options) > FACET_LINKS:
            group.other_params = [
                (key, value) for key, value in query.params() if key not in {name, "page"}
            ]
        if group.options:
            groups.append(group)
    return groups


def thematic_areas_with_course_counts(*, locale: Locale) -> list[dict]:
    """Thematic areas with the number of live courses in each, for the home page."""
    counts = dict(
        FacetCount.objects.filter(facet=Facet.THEME, locale=locale).values_list("value", "count")
    )
    areas = ThematicArea.objects.filter(locale=locale).order_by("sort_order", "name")
    return [
        {"slug": area.slug, "name": str(area), "kind": area.kind, "count": counts.get(area.slug, 0)}
        for area in areas
    ]
