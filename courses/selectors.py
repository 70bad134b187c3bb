"""Reads for curricula, courses and the catalogue. Each page's reads cost a fixed number of
queries, whatever the number of courses."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, F, FloatField, OuterRef, Q, QuerySet, Value
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from core import hooks
from core.languages import LANGUAGE_NAMES
from core.public_url import public_base_url
from pan_network.models import Institution, ThematicArea

from .catalogue import FILTER_ORDER, ROW_PATTERNS, CatalogueQuery
from .models import (
    CourseFacet,
    CoursePage,
    CourseRun,
    CurriculumPage,
    FacetCount,
    LessonPage,
    ModulePage,
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
    from pan_network.selectors import area_names

    from .models import Audience, DeliveryMode, Level

    labels = {
        Facet.LEVEL: {k: str(v) for k, v in Level.choices},
        Facet.MODE: {k: str(v) for k, v in DeliveryMode.choices},
        Facet.AUDIENCE: {k: str(v) for k, v in Audience.choices},
        Facet.LANGUAGE: {k: str(v) for k, v in LANGUAGE_NAMES.items()},
        Facet.TOT: {"yes": _("Training of trainers"), "no": _("Other courses")},
    }
    if translation.get_language() != settings.LANGUAGE_CODE:
        from pan_network.names import COUNTRY_NAMES, translated

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


def institution_of(*, page: Page) -> Institution | None:
    from pan_network import selectors as network_selectors

    return network_selectors.institution_for_descendant(page=page)


def curriculum_list_for_institution_page(*, page: Page) -> list[dict]:
    """An institution's curricula and their courses. In another language's tree the
    institution's whole space is listed, each page in that language where it is translated."""
    source = _source(page, Page)
    curricula = list(CurriculumPage.objects.live().child_of(source).order_by("title"))
    courses = list(
        CoursePage.objects.live()
        .descendant_of(source)
        .filter(depth=source.depth + 2)
        .order_by("title")
        .only(
            "title", "path", "url_path", "depth", "summary", "level", "is_training_of_trainers",
            "locale_id", "translation_key",
        )
    )  # fmt: skip
    by_parent = defaultdict(list)
    for course in courses:
        by_parent[course.path[: -Page.steplen]].append(course)
    if source.pk != page.pk:
        swap = _translated(curricula + courses, locale_id=page.locale_id)
        return [
            {
                "curriculum": swap.get(c.translation_key, c),
                "courses": [swap.get(x.translation_key, x) for x in by_parent.get(c.path, [])],
            }
            for c in curricula
        ]
    return [{"curriculum": c, "courses": by_parent.get(c.path, [])} for c in curricula]


def course_list_for_curriculum(*, curriculum: CurriculumPage) -> list[CoursePage]:
    """A curriculum's courses; in another language's tree, all of the source curriculum's,
    each in that language where translated."""
    source = _source(curriculum, CurriculumPage)
    courses = list(CoursePage.objects.live().child_of(source).order_by("title"))
    if source.pk != curriculum.pk:
        swap = _translated(courses, locale_id=curriculum.locale_id)
        courses = [swap.get(c.translation_key, c) for c in courses]
    return courses


def _source(page: Page, model) -> Page:
    """The page a translation was made from: its version in the default language (one query,
    none for a page in the default language or one that has no such version)."""
    default = Locale.get_default()
    if page.locale_id == default.pk:
        return page
    return (
        model.objects.filter(translation_key=page.translation_key, locale=default).first() or page
    )


def _translated(pages: list, *, locale_id: int) -> dict:
    """Live translations of these pages into one locale, by translation key (one query)."""
    keys = [p.translation_key for p in pages if p.locale_id != locale_id]
    if not keys:
        return {}
    return {
        p.translation_key: p
        for model in {type(p) for p in pages if p.locale_id != locale_id}
        for p in model.objects.live().filter(locale_id=locale_id, translation_key__in=keys)
    }


def course_detail(*, course: CoursePage) -> dict:
    """What a course page shows to everyone (all but its runs), in a fixed number of queries.

    A translated course shows the modules and lessons of the course it was translated from,
    each in the course's language where an editor has translated it: a translator starts with
    the course page and need not copy the whole tree before the course is usable (and a
    trainee's progress stays on one lesson whichever language the course was opened in)."""
    # The course in each of its languages (one query): the default language's is the source.
    versions = list(
        CoursePage.objects.filter(translation_key=course.translation_key)
        .select_related("locale")
        .only("title", "url_path", "path", "depth", "live", "locale__language_code")
    )
    source = next((v for v in versions if v.locale.language_code == settings.LANGUAGE_CODE), course)
    modules = list(ModulePage.objects.live().child_of(source).order_by("path"))
    lessons = list(LessonPage.objects.live().descendant_of(source).order_by("path"))
    by_module = defaultdict(list)
    for lesson in lessons:
        by_module[lesson.path[: -Page.steplen]].append(lesson)
    if source.pk != course.pk:
        swap = _translated(modules + lessons, locale_id=course.locale_id)
        by_module = {
            path: [swap.get(lesson.translation_key, lesson) for lesson in items]
            for path, items in by_module.items()
        }
        modules = [(swap.get(m.translation_key, m), by_module.get(m.path, [])) for m in modules]
    else:
        modules = [(m, by_module.get(m.path, [])) for m in modules]
    institution = (
        Institution.objects.select_related("country", "page")
        .filter(pk=course.institution_id)
        .first()
    )
    adapted_from = None
    if course.adapted_from_institution_id:
        source = (
            CoursePage.objects.live()
            .filter(pk=course.adapted_from_id)
            .only("title", "url_path", "path", "depth")
            .first()
        )
        adapted_from = {
            "institution": Institution.objects.filter(pk=course.adapted_from_institution_id)
            .only("name", "page")
            .first(),
            "course": source,
        }
    return {
        "institution": institution,
        "curriculum": CurriculumPage.objects.filter(path=course.path[: -Page.steplen]).first(),
        "modules": [{"module": m, "lessons": items} for m, items in modules],
        "thematic_area_list": list(course.thematic_areas.order_by("sort_order", "name")),
        "adapted_from": adapted_from,
        "translations": [v for v in versions if v.live and v.pk != course.pk],
    }


def module_detail(*, module: ModulePage) -> dict:
    """A module's course and lessons; a translated module lists the lessons of the module it
    was translated from, each in the module's language where there is a translation."""
    course = CoursePage.objects.filter(path=module.path[: -Page.steplen]).first()
    lessons = list(LessonPage.objects.live().child_of(module).order_by("path"))
    source = _source(module, ModulePage) if not lessons else module
    if source.pk != module.pk:
        lessons = list(LessonPage.objects.live().child_of(source).order_by("path"))
        swap = _translated(lessons, locale_id=module.locale_id)
        lessons = [swap.get(lesson.translation_key, lesson) for lesson in lessons]
    return {"course": course, "lessons": lessons}


def course_lessons(*, course_id: int) -> list[LessonPage]:
    """A course's live lessons in their order in the page tree (two queries)."""
    course = CoursePage.objects.filter(pk=course_id).only("path", "depth").first()
    if course is None:
        return []
    return list(
        LessonPage.objects.live()
        .filter(path__startswith=course.path, depth__gt=course.depth)
        .order_by("path")
        .only("title", "path", "depth", "url_path", "package_id")
    )


def lesson_detail(*, lesson: LessonPage) -> dict:
    """A lesson's module and course, and the lessons before and after it in the whole course,
    across module boundaries (three queries)."""
    module_path = lesson.path[: -Page.steplen]
    course_path = module_path[: -Page.steplen]
    siblings = list(
        LessonPage.objects.live()
        .filter(path__startswith=course_path, depth=lesson.depth)
        .order_by("path")
        .only("title", "path", "url_path", "depth")
    )
    index = next((i for i, s in enumerate(siblings) if s.pk == lesson.pk), None)
    next_lesson = siblings[index + 1] if index is not None and index + 1 < len(siblings) else None
    return {
        "module": ModulePage.objects.filter(path=module_path).first(),
        "course": CoursePage.objects.filter(path=course_path).first(),
        "previous_lesson": siblings[index - 1] if index else None,
        "next_lesson": next_lesson,
        "next_in_new_module": bool(next_lesson)
        and next_lesson.path[: -Page.steplen] != module_path,
        "lesson_number": index + 1 if index is not None else None,
        "lesson_count": len(siblings),
    }


def adaptation_destinations(*, user) -> QuerySet[CurriculumPage]:
    """Curricula in the institutions this user edits: where they may put an adapted course."""
    from pan_network import permissions

    paths = list(
        permissions.editable_institutions(user)
        .filter(page__isnull=False)
        .values_list("page__path", flat=True)
    )
    if not paths:
        return CurriculumPage.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return CurriculumPage.objects.filter(condition).order_by("title")


# ---------------------------------------------------------------------------------------------
# Course runs
# ---------------------------------------------------------------------------------------------


def with_places(runs: QuerySet[CourseRun]) -> QuerySet[CourseRun]:
    """Runs with what the apps above keep about them (places left, from the enrolments that
    hold a place: core.hooks.run_annotations)."""
    return runs.annotate(**hooks.run_annotations.collect())


def upcoming_runs(*, course: CoursePage) -> list[CourseRun]:
    """Scheduled runs of a course (in any of its languages: runs hang on the page they were
    scheduled for) that have not ended, with places left (one query)."""
    today = timezone.localdate()
    runs = CourseRun.objects.filter(
        course__translation_key=course.translation_key,
        status=CourseRun.Status.SCHEDULED,
        end_date__gte=today,
    ).select_related("course", "organiser", "host_country")
    return list(with_places(runs).order_by("start_date", "pk"))


def lesson_activity_id(lesson) -> str:
    """The stable activity IRI of an authored lesson, derived from its page URL."""
    base = public_base_url()
    return f"{base}{lesson.url_path.removeprefix('/home')}" if lesson.url_path else base


def course_outlines(*, course_ids, language_code: str | None = None) -> dict[int, list[dict]]:
    """The live modules and lessons of several courses, in page-tree order, by course id
    (four queries whatever the number of courses): ``[{"module": m, "lessons": [...]}]``.

    Like a course page, a translated course lists the modules and lessons of the course it was
    translated from; each is shown in ``language_code`` where it has been translated, and every
    lesson keeps ``source_id``, the lesson in the default language, where progress is kept."""
    course_ids = list(set(course_ids))
    if not course_ids:
        return {}
    courses = list(
        CoursePage.objects.filter(pk__in=course_ids).only("translation_key", "locale_id", "path")
    )
    default = Locale.get_default()
    sources = {
        c.translation_key: c
        for c in CoursePage.objects.filter(
            translation_key__in=[c.translation_key for c in courses], locale=default
        ).only("translation_key", "path", "depth")
    }
    source_of = {c.pk: sources.get(c.translation_key, c) for c in courses}
    condition = Q()
    for source in source_of.values():
        condition |= Q(path__startswith=source.path, depth__gt=len(source.path) // Page.steplen)
    modules = list(ModulePage.objects.live().filter(condition).order_by("path"))
    lessons = list(LessonPage.objects.live().filter(condition).order_by("path").defer("body"))
    for lesson in lessons:
        lesson.source_id = lesson.pk
    locale = Locale.objects.filter(language_code=language_code).first() if language_code else None
    swap = _translated(modules + lessons, locale_id=locale.pk) if locale else {}
    by_module = defaultdict(list)
    for lesson in lessons:
        shown = swap.get(lesson.translation_key, lesson)
        shown.source_id = lesson.pk
        by_module[lesson.path[: -Page.steplen]].append(shown)
    outlines: dict[int, list[dict]] = {}
    for course_id, source in source_of.items():
        outlines[course_id] = [
            {"module": swap.get(m.translation_key, m), "lessons": by_module.get(m.path, [])}
            for m in modules
            if m.path[: -Page.steplen] == source.path
        ]
    return outlines
