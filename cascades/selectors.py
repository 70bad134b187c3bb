"""Reads for cascades: the runs below one or more training-of-trainers runs (or a ToT held
before the platform), by generation, with figures disaggregated by gender; a summary, reach
over time and per country; the first levels of the tree, the rest on demand.

Figures come from the runs' tallies, read through the reports app's selectors (the statement
that sums them joins `reports.selectors.tally_rows_sql` as a subquery), so a cascade of twenty
thousand runs costs a handful of queries and no walk over enrolments. The number of queries
does not depend on the depth or width of the tree. A trainee is counted once per run they took
part in.

Over 500 lines: every figure here reads the rows of one recursive walk of the tree, and they
are kept beside it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count

from core import disclosure
from reports import selectors as report_selectors

MAX_DEPTH = 30  # a guard: no cascade is this deep, and it stops a cycle's recursion
SHOWN_LEVELS = 2  # generations below the roots shown at first; deeper ones open on demand

_TALLY_SUMS = (
    "enrolled",
    "certified",
    "attendance_lines",
    "attended",
    "followups_answered",
    "applying",
    "trained_others",
    "people_trained",
)


def _tables():
    from courses.models import CourseRun

    from .models import CascadeLink

    return {
        "link": CascadeLink._meta.db_table,
        "run": CourseRun._meta.db_table,
        "trainers": CourseRun.trainers.through._meta.db_table,
    }


def _seed_sql(*, runs=None, external=None) -> tuple[str, list]:
    """The roots of a tree: these runs at generation 0, or the runs attached to an earlier
    (external) ToT at generation 1."""
    if external is not None:
        link = _tables()["link"]
        return (
            f"SELECT CAST(run_id AS BIGINT), 1, CAST(NULL AS BIGINT), trainer_id FROM {link} "  # noqa: S608
            "WHERE external_id = %s",
            [external],
        )
    ids = [int(i) for i in runs] or [0]
    run = _tables()["run"]
    return (
        f"SELECT CAST(id AS BIGINT), 0, CAST(NULL AS BIGINT), CAST(NULL AS BIGINT) FROM {run} "  # noqa: S608
        f"WHERE id IN ({', '.join(['%s'] * len(ids))})",
        ids,
    )


def _tree_cte(seed: tuple[str, list], *, depth: int = MAX_DEPTH) -> tuple[str, list]:
    """WITH RECURSIVE tree(run_id, generation, parent_id) ... nodes(run_id, generation): one
    row per run (a run reached through several parents is at its smallest generation)."""
    link = _tables()["link"]
    seed_sql, params = seed
    return (
        f"""WITH RECURSIVE tree(run_id, generation, parent_id, trainer_id) AS (
            {seed_sql}
            UNION
            SELECT l.run_id, t.generation + 1, l.parent_run_id, l.trainer_id
            FROM {link} l JOIN tree t ON l.parent_run_id = t.run_id
            WHERE t.generation < %s AND l.parent_run_id IS NOT NULL
        ),
        nodes AS MATERIALIZED (
            SELECT run_id, MIN(generation) AS generation FROM tree GROUP BY run_id
        )""",  # noqa: S608 (table names are the models' own; values are parameters)
        [*params, depth],
    )


def _tree_rows(root_id: int) -> list[tuple[int, int, int | None]]:
    """(run id, generation, parent id) for every run below `root_id` (one recursive query)."""
    cte, params = _tree_cte(_seed_sql(runs=[root_id]))
    with connection.cursor() as cursor:
        cursor.execute(f"{cte} SELECT run_id, generation, parent_id FROM tree", params)  # noqa: S608
        return cursor.fetchall()


def descendant_ids(*, run_id: int) -> set[int]:
    return {row[0] for row in _tree_rows(run_id)}


cell = disclosure.cell
_rate = disclosure.rate


@dataclass
class Node:
    run: object
    generation: int
    parents: list[int] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    child_count: int = 0
    women: int = 0
    men: int = 0
    other: int = 0
    participants: int = 0
    certified: int = 0
    attendance_lines: int = 0
    attended: int = 0
    trainers: list = field(default_factory=list)
    visible: bool = True

    @property
    def completion_rate(self) -> int | None:
        return _rate(self.certified, self.participants)

    @property
    def attendance_rate(self) -> int | None:
        return _rate(self.attended, self.attendance_lines)

    @property
    def more_below(self) -> bool:
        """Children exist that are not loaded yet (they open on demand)."""
        return self.child_count > len(self.children)


def _visible(run, countries) -> bool:
    return countries is None or run.host_country_id in countries


def _country_filter(countries, alias: str) -> tuple[str, list]:
    if countries is None:
        return "", []
    ids = sorted(countries) or [0]
    return f" AND {alias}.host_country_id IN ({', '.join(['%s'] * len(ids))})", ids


def _figures(seed, *, countries=None) -> dict:
    """Everything the summary, the generations table, the timeline and the per-country table
    need, from one statement over the tallies of the tree's runs (each run not cancelled has
    at least one, with its host country and language): sums by generation, month, country
    and gender of the trainees, host country and language; distinct trainers below the roots."""
    cte, params = _tree_cte(seed)
    tally, tally_params = report_selectors.tally_rows_sql()
    in_countries, country_params = _country_filter(countries, "y")
    # A viewer limited to some countries counts only the runs held there (the roots too).
    visible = in_countries if countries is not None else ""
    sums = ", ".join(f"SUM(y.{name})" for name in _TALLY_SUMS)
    pad = ", ".join(["0"] * len(_TALLY_SUMS))
    # Trainers are counted on the links the tree walks: each certified trainer who carried the
    # cascade into a run (for a viewer limited to some countries, into a run held there).
    trainer_join, trainer_params = "", []
    if countries is not None:
        trainer_join = f" JOIN ({tally}) y ON y.run_id = tree.run_id AND y.run_row"
        trainer_params = tally_params
    sql = f"""{cte}
        SELECT 'tally', n.generation, y.end_month, y.country_id, y.gender, y.host_country_id,
               y.language, SUM(CASE WHEN y.run_row THEN 1 ELSE 0 END), {sums}
        FROM nodes n JOIN ({tally}) y ON y.run_id = n.run_id
        WHERE 1 = 1{visible}
        GROUP BY n.generation, y.end_month, y.country_id, y.gender, y.host_country_id,
                 y.language
        UNION ALL
        SELECT 'trainers', 0, NULL, NULL, NULL, NULL, NULL, COUNT(DISTINCT tree.trainer_id),
               {pad}
        FROM tree{trainer_join}
        WHERE tree.generation > 0{visible}
    """  # noqa: S608 (column names are the models' own; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [*params, *tally_params, *country_params, *trainer_params, *country_params]
        )
        rows = cursor.fetchall()

    by_generation: dict[int, dict] = defaultdict(
        lambda: (
            {"runs": 0, "participants": 0, "women": 0, "men": 0, "other": 0}
            | dict.fromkeys(_TALLY_SUMS, 0)
        )
    )
    months: dict[str, int] = defaultdict(int)
    per_country: dict[int | None, dict] = defaultdict(lambda: {"trainees": 0, "women": 0, "men": 0})
    trainers = 0
    hosts: set = set()
    languages: set = set()
    for kind, generation, month, country_id, gender, host, language, runs, *values in rows:
        if kind == "trainers":
            trainers = int(runs or 0)
            continue
        entry = by_generation[generation]
        entry["runs"] += int(runs or 0)
        figures = dict(zip(_TALLY_SUMS, (int(v or 0) for v in values), strict=True))
        for name, value in figures.items():
            entry[name] += value
        enrolled = figures["enrolled"]
        entry["participants"] += enrolled
        slot = {"woman": "women", "man": "men"}.get(gender, "other")
        entry[slot] += enrolled
        if generation > 0:
            hosts.add(host)
            languages.add(language)
            if enrolled:
                months[str(month)[:7]] += enrolled
                row = per_country[country_id]
                row["trainees"] += enrolled
                if slot != "other":
                    row[slot] += enrolled
    return {
        "by_generation": dict(by_generation),
        "months": dict(months),
        "per_country": dict(per_country),
        "trainers": trainers,
        "languages": len(languages - {""}),
        "host_countries": len(hosts - {None}),
    }


def _level_nodes(seed, *, depth: int, countries=None) -> tuple[list[Node], dict[int, Node]]:
    """The runs from the seeds down to `depth` generations below them, with their figures, as
    nested nodes (five queries whatever the size of the tree)."""
    from courses.models import CourseRun

    from .models import CascadeLink

    cte, params = _tree_cte(seed, depth=depth)
    with connection.cursor() as cursor:
        cursor.execute(f"{cte} SELECT run_id, generation, parent_id FROM tree", params)  # noqa: S608
        rows = cursor.fetchall()
    generation: dict[int, int] = {}
    parents: dict[int, set[int]] = defaultdict(set)
    for run_id, gen, parent_id in rows:
        generation[run_id] = min(gen, generation.get(run_id, gen))
        if parent_id is not None:
            parents[run_id].add(parent_id)
    ids = list(generation)
    runs = {
        run.pk: run
        for run in CourseRun.objects.filter(pk__in=ids)
        .exclude(status=CourseRun.Status.CANCELLED)
        .select_related("course", "organiser", "host_country")
    }
    nodes = {pk: Node(run=run, generation=generation[pk]) for pk, run in runs.items()}
    for row in report_selectors.tally_sums_by_run(run_ids=nodes):
        node = nodes[row["run_id"]]
        node.participants += row["enrolled"]
        node.certified += row["certified"]
        node.attendance_lines += row["attendance_lines"]
        node.attended += row["attended"]
        slot = report_selectors.slot(row["gender"])
        setattr(node, slot, getattr(node, slot) + row["enrolled"])
    for row in CourseRun.trainers.through.objects.filter(
        courserun_id__in=list(nodes)
    ).select_related("user"):
        nodes[row.courserun_id].trainers.append(row.user)
    for row in (
        CascadeLink.objects.filter(parent_run_id__in=list(nodes))
        .exclude(run__status=CourseRun.Status.CANCELLED)
        .values("parent_run_id")
        .annotate(n=Count("run_id", distinct=True))
    ):
        nodes[row["parent_run_id"]].child_count = row["n"]
    for node in nodes.values():
        node.trainers.sort(key=lambda user: (user.last_name, user.first_name))
        node.parents = sorted(p for p in parents[node.run.pk] if p in nodes)
        node.visible = _visible(node.run, countries)
    top = []
    for node in sorted(nodes.values(), key=lambda n: (n.generation, n.run.start_date, n.run.pk)):
        if node.parents:
            # Shown under its first parent; other parents are named on the node.
            nodes[node.parents[0]].children.append(node)
        else:
            top.append(node)
    return top, nodes


def _country_names(ids) -> dict[int, str]:
    from network.models import Country
    from network.names import translated

    return {
        pk: translated(name)
        for pk, name in Country.objects.filter(pk__in=[i for i in ids if i]).values_list(
            "pk", "name"
        )
    }


def _assemble(seed, *, scope: dict, top_generation: int) -> dict:
    countries = scope.get("countries")
    suppress = scope.get("suppress", False)
    figures = _figures(seed, countries=countries)
    top, nodes = _level_nodes(seed, depth=top_generation + SHOWN_LEVELS, countries=countries)
    by_generation = figures["by_generation"]
    below = {g: e for g, e in by_generation.items() if g > 0}
    reached = sum(e["participants"] for e in below.values())
    women = sum(e["women"] for e in below.values())
    names = _country_names(figures["per_country"])
    running = 0
    timeline = []
    for month in sorted(figures["months"]):
        running += figures["months"][month]
        timeline.append({"month": month, "reached": running})
    generations = [
        {
            "generation": g,
            "runs": e["runs"],
            "participants": e["participants"],
            "women": e["women"],
            "men": e["men"],
            "other": e["other"],
            "certified_rate": _rate(e["certified"], e["participants"], suppress=suppress),
            "attendance_rate": _rate(e["attended"], e["attendance_lines"], suppress=suppress),
        }
        for g, e in sorted(by_generation.items())
        if e["runs"]
    ]
    answered = sum(e["followups_answered"] for e in below.values())
    summary = {
        "generations": max((g for g, e in below.items() if e["runs"]), default=0),
        "runs": sum(e["runs"] for e in below.values()),
        "trainers": figures["trainers"],
        "trainees": reached,
        "countries": sum(
            1 for pk, row in figures["per_country"].items() if pk is not None and row["trainees"]
        ),
        "languages": figures["languages"],
        "women_share": _rate(women, reached, suppress=suppress),
        "followups_answered": answered,
        "applying_share": _rate(
            sum(e["applying"] for e in below.values()), answered, suppress=suppress
        ),
        "trained_others_share": _rate(
            sum(e["trained_others"] for e in below.values()), answered, suppress=suppress
        ),
    }
    return {
        "top": top,
        "nodes": nodes,
        "generations": generations,
        "summary": summary,
        "timeline": timeline,
        "countries": sorted(
            ({"country": names.get(pk, "—"), **row} for pk, row in figures["per_country"].items()),
            key=lambda r: (-r["trainees"], r["country"]),
        ),
        "hidden": sum(1 for n in nodes.values() if not n.visible),
    }


def cascade(*, root, scope: dict | None = None) -> dict:
    """The cascade below the ToT run `root`. `scope` limits what a viewer sees:
    {"countries": ids} counts and shows only runs hosted in those countries (the others are
    drawn as placeholders in the tree); "suppress": True is for the caller, which writes small
    counts as "<5". A fixed number of queries whatever the size of the tree."""
    data = _assemble(_seed_sql(runs=[root.pk]), scope=scope or {}, top_generation=0)
    data["root"] = data["nodes"].get(root.pk)
    return data


def cascade_forest(*, roots, scope: dict | None = None) -> dict:
    """The cascades below several ToT runs taken as one (a course or a thematic area as a
    whole)."""
    data = _assemble(_seed_sql(runs=[r.pk for r in roots]), scope=scope or {}, top_generation=0)
    data["root"] = None
    return data


def cascade_external(*, external, scope: dict | None = None) -> dict:
    """The cascade of runs attached to a ToT held before the platform (generation 1 and on)."""
    data = _assemble(_seed_sql(external=external.pk), scope=scope or {}, top_generation=1)
    data["root"] = None
    return data


def children(*, run, scope: dict | None = None) -> list[Node]:
    """The runs that grew directly from `run`, with one more level below them (opened when a
    viewer expands a node deeper than the first levels)."""
    countries = (scope or {}).get("countries")
    top, _nodes = _level_nodes(_seed_sql(runs=[run.pk]), depth=2, countries=countries)
    return top[0].children if top else []


def all_runs(seed_runs=None, *, external=None, countries=None) -> list[Node]:
    """Every run of a cascade with its figures, by generation (exports; not paged)."""
    seed = _seed_sql(external=external.pk) if external is not None else _seed_sql(runs=seed_runs)
    _top, nodes = _level_nodes(seed, depth=MAX_DEPTH, countries=countries)
    return sorted(nodes.values(), key=lambda n: (n.generation, n.run.start_date, n.run.pk))


def roots_of(*, course_ids) -> list:
    """The ToT runs of these courses that did not themselves grow from another run: the roots
    of the courses' cascades (one query)."""
    from courses.models import CourseRun

    return list(
        CourseRun.objects.filter(course_id__in=list(course_ids), is_training_of_trainers=True)
        .exclude(status=CourseRun.Status.CANCELLED)
        .filter(cascade_parents__isnull=True)
        .select_related("course", "organiser", "host_country")
        .order_by("start_date", "pk")
    )


def tot_runs(*, institution_ids=None) -> list:
    """Training-of-trainers runs (those that can root a cascade), newest first (one query)."""
    from courses.models import CourseRun

    runs = CourseRun.objects.filter(is_training_of_trainers=True).exclude(status="cancelled")
    if institution_ids is not None:
        runs = runs.filter(organiser_id__in=list(institution_ids))
    return list(
        runs.select_related("course", "organiser", "host_country")
        .annotate(children=Count("cascade_children", distinct=True))
        .order_by("-start_date")
    )


def external_trainings() -> list:
    """ToT courses held before the platform, with the number of runs attached (one query)."""
    from .models import ExternalTraining

    return list(
        ExternalTraining.objects.select_related("country")
        .annotate(children=Count("links", distinct=True))
        .order_by("-year", "title")
    )


def attachable_runs(*, root=None, after=None, exclude: set[int], limit: int = 300):
    """Runs an organiser may attach below a ToT: of the same curriculum as the ToT run (any
    curriculum for a ToT held before the platform), starting after it, not cancelled, and not
    yet in any cascade (runs whose trainers hold certificates are linked already). One query."""
    from courses.models import CourseRun

    runs = (
        CourseRun.objects.exclude(status="cancelled")
        .exclude(pk__in=exclude)
        .filter(cascade_parents__isnull=True)
    )
    if root is not None:
        course = root.course
        curriculum_path = course.path[: -course.steplen]
        runs = runs.filter(
            course__path__startswith=curriculum_path,
            course__depth=course.depth,
            start_date__gte=root.end_date,
        ).exclude(pk=root.pk)
    elif after is not None:
        runs = runs.filter(start_date__year__gte=after)
    return list(runs.select_related("organiser").order_by("start_date")[:limit])


# ---------------------------------------------------------------------------------------------
# The trainer registry
# ---------------------------------------------------------------------------------------------


@dataclass
class Trainer:
    user: object
    country: str = ""
    institution: str = ""
    languages: list[str] = field(default_factory=list)
    listed: bool = False
    certificates: list[dict] = field(default_factory=list)
    themes: set[str] = field(default_factory=set)
    runs: list = field(default_factory=list)
    country_id: int | None = None
    institution_id: int | None = None

    @property
    def name(self) -> str:
        profile = getattr(self.user, "trainee_profile", None)
        return str(profile) if profile else self.user.get_full_name()


def trainer_registry(*, scope: dict, course=None, theme: str = "", country=None, language=""):
    """Certified trainers (a valid trainer certificate) with their courses, thematic areas,
    country, languages and the runs they have delivered. `scope`: {"all": True} for
    organisers; otherwise {"institutions": ids, "countries": ids}: trainers of those
    institutions or countries, and anyone who chose to be listed. Five queries."""
    from certificates.models import Certificate
    from courses.models import CoursePage, CourseRun

    from .models import TrainerListing

    certificates = Certificate.objects.filter(
        kind="trainer", status=Certificate.Status.VALID, user__isnull=False
    ).select_related(
        "user__trainee_profile__country",
        "user__trainee_profile__institution",
        "run__course",
    )
    if course is not None:
        certificates = certificates.filter(run__course=course)
    if theme:
        certificates = certificates.filter(run__course__thematic_areas__slug=theme).distinct()
    if country is not None:
        certificates = certificates.filter(user__trainee_profile__country=country)
    from django.utils import timezone

    now = timezone.now()
    trainers: dict[int, Trainer] = {}
    for certificate in certificates.order_by("-issued_at"):
        user = certificate.user
        trainer = trainers.get(user.pk)
        if trainer is None:
            profile = getattr(user, "trainee_profile", None)
            trainer = trainers[user.pk] = Trainer(user=user)
            if profile is not None:
                trainer.country, trainer.country_id = profile.country.label, profile.country_id
                trainer.institution_id = profile.institution_id
                trainer.institution = (
                    profile.institution.name
                    if profile.institution_id
                    else profile.institution_other
                )
        trainer.certificates.append(
            {
                "course": certificate.run.course.title,
                "course_id": certificate.run.course_id,
                "run": certificate.run,
                "issued_at": certificate.issued_at,
                "code": certificate.code,
                # A trainer certificate with a validity is current until it expires.
                "expires_at": certificate.expires_at,
                "current": certificate.expires_at is None or certificate.expires_at > now,
            }
        )
    listings = {
        row.user_id: row for row in TrainerListing.objects.filter(user_id__in=list(trainers))
    }
    themes = defaultdict(set)
    course_ids = {c["course_id"] for t in trainers.values() for c in t.certificates}
    for page_id, name in CoursePage.thematic_areas.through.objects.filter(
        coursepage_id__in=course_ids
    ).values_list("coursepage_id", "thematicarea__name"):
        themes[page_id].add(name)
    delivered = defaultdict(list)
    for row in (
        CourseRun.trainers.through.objects.filter(user_id__in=list(trainers))
        .exclude(courserun__status="cancelled")
        .select_related("courserun__host_country")
        .order_by("-courserun__start_date")
    ):
        delivered[row.user_id].append(row.courserun)
    everyone = scope.get("all", False)
    institutions = scope.get("institutions") or set()
    countries = scope.get("countries") or set()
    shown = []
    for trainer in trainers.values():
        listing = listings.get(trainer.user.pk)
        trainer.listed = bool(listing and listing.listed)
        run_languages = {run.language for run in delivered[trainer.user.pk]}
        trainer.languages = sorted(set(listing.languages if listing else []) | run_languages)
        trainer.runs = delivered[trainer.user.pk]
        for item in trainer.certificates:
            trainer.themes |= themes[item["course_id"]]
        own = trainer.institution_id in institutions or trainer.country_id in countries
        if not (everyone or own or trainer.listed):
            continue
        if language and language not in trainer.languages:
            continue
        shown.append(trainer)
    return sorted(shown, key=lambda t: (t.country, t.name))
