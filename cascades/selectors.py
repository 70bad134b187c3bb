"""Reads for cascades: the tree below a training-of-trainers run, by generation, with each
run's figures disaggregated by gender, a summary, reach over time and per country. A fixed
number of queries whatever the depth or width of the tree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q

MAX_DEPTH = 30  # a guard: no cascade is this deep, and it stops a cycle's recursion
SMALL_CELL = 5


def _tree_rows(root_id: int) -> list[tuple[int, int, int | None]]:
    """(run id, generation, parent id) for every run below `root_id` (one recursive query).
    A run reached through several parents is at its smallest generation."""
    from .models import CascadeLink

    table = CascadeLink._meta.db_table
    sql = f"""
        WITH RECURSIVE tree(run_id, generation, parent_id) AS (
            SELECT CAST(%s AS BIGINT), 0, CAST(NULL AS BIGINT)
            UNION
            SELECT l.run_id, t.generation + 1, l.parent_run_id
            FROM {table} l JOIN tree t ON l.parent_run_id = t.run_id
            WHERE t.generation < %s
        )
        SELECT run_id, generation, parent_id FROM tree
    """  # noqa: S608 (the table name is the model's own; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [root_id, MAX_DEPTH])
        return cursor.fetchall()


def descendant_ids(*, run_id: int) -> set[int]:
    return {row[0] for row in _tree_rows(run_id)}


def cell(value: int, *, suppress: bool) -> str | int:
    """Counts under 5 are shown as "<5" to viewers who are not organisers."""
    if suppress and 0 < value < SMALL_CELL:
        return "<5"
    return value


@dataclass
class Node:
    run: object
    generation: int
    parents: list[int] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    women: int = 0
    men: int = 0
    other: int = 0
    participants: int = 0
    certified: int = 0
    attendance_rate: int | None = None
    trainers: list = field(default_factory=list)
    visible: bool = True

    @property
    def completion_rate(self) -> int | None:
        return round(100 * self.certified / self.participants) if self.participants else None


def cascade(*, root, scope: dict | None = None) -> dict:
    """The cascade below `root`. `scope` limits what a viewer sees: {"countries": ids} shows
    only runs hosted in those countries (others are counted, not listed); "suppress": True
    writes small counts as "<5". Nine queries whatever the size of the tree."""
    from certificates.models import Certificate
    from courses.models import CourseRun
    from trainees.models import Attendance, Enrolment

    scope = scope or {}
    rows = _tree_rows(root.pk)
    generation: dict[int, int] = {}
    parents: dict[int, set[int]] = defaultdict(set)
    for run_id, gen, parent_id in rows:
        generation[run_id] = min(gen, generation.get(run_id, gen))
        if parent_id is not None:
            parents[run_id].add(parent_id)
    runs = {
        run.pk: run
        for run in CourseRun.objects.filter(pk__in=list(generation))
        .exclude(status="cancelled")
        .select_related("course", "organiser", "host_country")
    }
    ids = list(runs)
    gender_rows = (
        Enrolment.objects.filter(
            run_id__in=ids, role=Enrolment.Role.TRAINEE, state=Enrolment.State.ENROLLED
        )
        .values("run_id", "user__trainee_profile__gender")
        .annotate(n=Count("pk"))
    )
    trainer_rows = (
        CourseRun.trainers.through.objects.filter(courserun_id__in=ids)
        .select_related("user")
        .order_by("user__last_name")
    )
    attended = {
        row["enrolment__run_id"]: row
        for row in Attendance.objects.filter(
            enrolment__run_id__in=ids,
            enrolment__role=Enrolment.Role.TRAINEE,
            session__cancelled=False,
        )
        .values("enrolment__run_id")
        .annotate(lines=Count("pk"), attended=Count("pk", filter=Q(status__in=Attendance.ATTENDED)))
    }
    certified = dict(
        Certificate.objects.filter(run_id__in=ids, status=Certificate.Status.VALID)
        .values("run_id")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("run_id", "n")
    )
    reached = list(
        Enrolment.objects.filter(
            run_id__in=[i for i in ids if generation[i] > 0],
            role=Enrolment.Role.TRAINEE,
            state=Enrolment.State.ENROLLED,
        )
        .values_list(
            "user_id",
            "user__trainee_profile__gender",
            "user__trainee_profile__country__name",
            "run__end_date",
        )
        .order_by("run__end_date")
    )

    nodes = {i: Node(run=runs[i], generation=generation[i]) for i in ids}
    for row in gender_rows:
        node = nodes[row["run_id"]]
        gender = row["user__trainee_profile__gender"]
        node.participants += row["n"]
        if gender == "woman":
            node.women += row["n"]
        elif gender == "man":
            node.men += row["n"]
        else:
            node.other += row["n"]
    for row in trainer_rows:
        nodes[row.courserun_id].trainers.append(row.user)
    for run_id, row in attended.items():
        if row["lines"]:
            nodes[run_id].attendance_rate = round(100 * row["attended"] / row["lines"])
    for run_id, n in certified.items():
        nodes[run_id].certified = n
    countries = scope.get("countries")
    for node in nodes.values():
        node.parents = sorted(p for p in parents[node.run.pk] if p in nodes)
        if countries is not None and node.generation > 0:
            node.visible = node.run.host_country_id in countries
    for node in sorted(nodes.values(), key=lambda n: (n.generation, n.run.start_date)):
        if node.parents:
            # Shown under its first parent; other parents are named on the node.
            nodes[node.parents[0]].children.append(node)

    # Summary: reach is everyone trained below the ToT run (generation 1 and on), once each.
    people: dict[int, tuple[str, str]] = {}
    by_month: dict[str, set[int]] = defaultdict(set)
    for user_id, gender, country, end in reached:
        people.setdefault(user_id, (gender or "", country or ""))
        by_month[end.strftime("%Y-%m")].add(user_id)
    seen: set[int] = set()
    timeline = []
    for month in sorted(by_month):
        seen |= by_month[month]
        timeline.append({"month": month, "reached": len(seen)})
    per_country: dict[str, dict] = defaultdict(lambda: {"trainees": 0, "women": 0, "men": 0})
    for gender, country in people.values():
        entry = per_country[country or "—"]
        entry["trainees"] += 1
        if gender == "woman":
            entry["women"] += 1
        elif gender == "man":
            entry["men"] += 1
    below = [n for n in nodes.values() if n.generation > 0]
    women = sum(1 for g, _c in people.values() if g == "woman")
    summary = {
        "generations": max((n.generation for n in nodes.values()), default=0),
        "runs": len(below),
        "trainers": len({t.pk for n in below for t in n.trainers}),
        "trainees": len(people),
        "countries": len({c for _g, c in people.values() if c}),
        "women_share": round(100 * women / len(people)) if people else None,
    }
    generations = defaultdict(list)
    for node in sorted(nodes.values(), key=lambda n: (n.generation, n.run.start_date, n.run.pk)):
        generations[node.generation].append(node)
    return {
        "root": nodes.get(root.pk),
        "nodes": nodes,
        "generations": dict(generations),
        "summary": summary,
        "timeline": timeline,
        "countries": sorted(
            ({"country": k, **v} for k, v in per_country.items()), key=lambda r: -r["trainees"]
        ),
    }


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


def attachable_runs(*, root, exclude: set[int], limit: int = 300) -> list:
    """Runs an organiser may attach below `root`: of the same curriculum, starting after it
    ended, not cancelled, not in the tree already (one query)."""
    from courses.models import CourseRun

    course = root.course
    curriculum_path = course.path[: -course.steplen]
    return list(
        CourseRun.objects.filter(
            course__path__startswith=curriculum_path,
            course__depth=course.depth,
            start_date__gte=root.end_date,
        )
        .exclude(status="cancelled")
        .exclude(pk__in=exclude)
        .select_related("organiser")
        .order_by("start_date")[:limit]
    )
