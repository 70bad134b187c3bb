"""Cascades and dashboards benchmark: the explorer and the network dashboard over a synthetic
network of five generations, 20,000 runs and 500,000 enrolments on PostgreSQL.

    .venv/bin/python bench/cascades.py [--runs 20000] [--per-run 25] [--repeat 30] [--reuse]

1. (Re)creates the PostgreSQL database `pan_bench_cascades`, migrates it, makes 20
   institutions in 20 countries and one training-of-trainers course (through the services),
   then writes with bulk SQL: one ToT run at the root and five generations of 6, 60, 600,
   6,000 and the rest below it (each run linked to its parent through its trainer, one trainer per
   run), one session per run, `--per-run` enrolments per run (people from the run's country,
   one in ten from a neighbouring one, some in several runs), a register line per enrolment
   (85% present) and a participation certificate for those present.
2. Builds the run tallies with the platform's own service (reports.services.tallies_rebuild)
   and reports how long that took.
3. Measures in-process, through Django's test client as a signed-in organiser (two factors),
   on production settings: (a) the cascade page of the root ToT run (summary, generations,
   reach, countries, the first two generations of the tree), (b) the network dashboard.
   Beside them, (c) the baseline: the same cascade summary computed straight from the
   enrolments, registers and certificates of the tree (one SQL statement, no tallies), as a
   platform without tallies would have to. The three take turns, --repeat rounds after a
   warm-up round (the baseline every fifth round), so the machine's other load falls on all
   alike; median and p95 in milliseconds, and the queries each page uses.
4. Counts the queries of cascade pages rooted at generations 0, 2 and 3 (trees of 6, 4 and 3
   levels): constant in the depth of the tree.

Last line: `RESULT cascades cascade_p95_ms=<ms> dashboard_p95_ms=<ms> cascade_queries=<n>
dashboard_queries=<n>`. It asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)

from bench import catalogue as base  # noqa: E402

DB_NAME = "pan_bench_cascades"
COUNTRIES = ["RS", "GE", "AM", "KZ", "MD", "MK", "UA", "TR", "KG", "TJ", "AL", "BA", "ME", "UZ",
             "AZ", "RO", "BG", "GR", "PL", "LT"]  # fmt: skip
TARGETS = {"cascade_p95_ms": 300, "dashboard_p95_ms": 500}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=20_000)
    parser.add_argument("--per-run", type=int, default=25, help="enrolments per run")
    parser.add_argument("--repeat", type=int, default=60, help="measured requests per page")
    parser.add_argument("--reuse", action="store_true", help="keep a database already built")
    return parser.parse_args()


def env_for() -> dict[str, str]:
    env = base.bench_env(base.redis_url())
    env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + f"/{DB_NAME}"
    return env


def built_runs() -> int | None:
    import psycopg

    try:
        with base.pg_connect(DB_NAME) as conn:
            runs = conn.execute("SELECT count(*) FROM courses_courserun").fetchone()[0]
            tallies = conn.execute("SELECT count(*) FROM reports_runtally").fetchone()[0]
            return runs if tallies else None
    except psycopg.Error:
        return None


def generations(total: int) -> list[int]:
    """Sizes of generations 0..5: the root ToT run, then 6, 60, 600, 6,000 runs and the rest:
    five generations below the root."""
    sizes = [1, 6, 60, 600, 6000]
    return [*sizes, max(total - sum(sizes), 0)]


def build(args) -> dict[str, float]:
    """The network, through the services for what has pages and bulk SQL for the rest."""
    import datetime as dt

    from django.db import connection, transaction

    from courses.models import CoursePage, CurriculumPage
    from network import services as network_services
    from network.models import Country, Institution, ThematicArea
    from website import services as website_services

    timings = {}
    start = time.perf_counter()
    with transaction.atomic():
        website_services.site_ensure()
        countries = {c.code: c for c in Country.objects.filter(code__in=COUNTRIES)}
        institutions = []
        for index, code in enumerate(COUNTRIES):
            institutions.append(
                Institution.objects.filter(short_name=f"bench-{index}").first()
                or network_services.institution_create(
                    name=f"Police Academy {index} ({code})",
                    short_name=f"bench-{index}",
                    kind=Institution.Kind.ACADEMY,
                    country=countries[code],
                    city="Capital",
                    working_languages=("en",),
                )
            )
        parent = institutions[0].page
        curriculum = parent.add_child(
            instance=CurriculumPage(title="Cybercrime investigation", slug="bench-cyber")
        )
        curriculum.save_revision().publish()
        course = curriculum.add_child(
            instance=CoursePage(
                title="Cybercrime investigation for trainers",
                slug="bench-cyber-tot",
                summary="Synthetic course for the cascade benchmark.",
                is_training_of_trainers=True,
                languages=["en"],
                delivery_modes=["residential"],
                level="intermediate",
                duration_hours=40,
            )
        )
        course.thematic_areas.set(ThematicArea.objects.filter(slug="cybercrime"))
        course.save_revision().publish()
    timings["pages"] = time.perf_counter() - start

    sizes = generations(args.runs)
    runs = sum(sizes)
    per = args.per_run
    people = max(runs * per * 4 // 5, 1)  # one enrolment in five is a person's second run
    people -= people % len(COUNTRIES)
    inst_ids = [i.pk for i in institutions]
    country_ids = [countries[c].pk for c in COUNTRIES]
    today = dt.date.today()
    sql = {}
    sql["users"] = f"""
        INSERT INTO pan_network_user (password, is_superuser, first_name, last_name, is_staff,
            is_active, date_joined, email)
        SELECT '!', false, 'Officer', 'N' || g, false, true, now(), 'p' || g || '@bench.example'
        FROM generate_series(1, {people + runs}) g"""
    sql["profiles"] = f"""
        INSERT INTO trainees_traineeprofile (user_id, given_name, family_name, given_name_latin,
            family_name_latin, name_order, gender, country_id, institution_other,
            rank_or_position, preferred_language, updated_at)
        SELECT u.id, 'Officer', u.last_name, 'Officer', u.last_name, 'given_first',
            CASE WHEN g % 50 = 0 THEN 'undisclosed' WHEN g % 20 < 9 THEN 'woman' ELSE 'man' END,
            (ARRAY{country_ids}::bigint[])[1 + g % {len(COUNTRIES)}], 'Police', '', 'en', now()
        FROM (SELECT id, last_name, row_number() OVER (ORDER BY id) AS g
              FROM pan_network_user WHERE email LIKE '%@bench.example') u"""
    # Runs 1..N: generation by position; a run's parent is chosen among the runs of the
    # generation above; its organiser, host country and language follow its number.
    bounds, first = [], 1
    for size in sizes:
        bounds.append((first, first + size - 1))
        first += size
    gen_case = " ".join(
        f"WHEN g BETWEEN {lo} AND {hi} THEN {n}" for n, (lo, hi) in enumerate(bounds)
    )
    sql["runs"] = f"""
        INSERT INTO courses_courserun (course_id, title, organiser_id, host_country_id, venue,
            delivery_mode, language, time_zone, start_date, end_date, capacity,
            enrolment_policy, attendance_threshold, is_training_of_trainers, offer_hours,
            reminder_days, status, cancellation_reason, created_at)
        SELECT {course.pk}, 'Cybercrime investigation, run ' || g,
            (ARRAY{inst_ids}::bigint[])[1 + g % {len(inst_ids)}],
            (ARRAY{country_ids}::bigint[])[1 + g % {len(country_ids)}], 'Academy',
            'residential', (ARRAY['en','ka','hy','ru','ro','mk','uk','tr','ky','tg'])[1 + g % 10],
            'UTC', d, d + 2, 30, 'approval', 80, gen < 5, 48, 3, 'scheduled', '', now()
        FROM (SELECT g, CASE {gen_case} END AS gen FROM generate_series(1, {runs}) g) s,
        LATERAL (SELECT DATE '{today}' - 1500 + gen * 250 + (g % 250) AS d) dates
        ORDER BY g"""
    sql["links"] = f"""
        INSERT INTO cascades_cascadelink (run_id, parent_run_id, trainer_id, source, created_at)
        SELECT r.id, p.id, NULL, 'certificate', now()
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS g FROM courses_courserun) r
        JOIN (SELECT id, row_number() OVER (ORDER BY id) AS g FROM courses_courserun) p
          ON p.g = CASE {
        " ".join(
            f"WHEN r.g BETWEEN {lo} AND {hi} THEN {plo} + (r.g - {lo}) % {phi - plo + 1}"
            for (lo, hi), (plo, phi) in zip(bounds[1:], bounds[:-1], strict=True)
        )
    } END
        WHERE r.g > 1"""
    trainer_offset = people  # the last `runs` bench users are the trainers, one per run
    sql["trainers"] = f"""
        INSERT INTO courses_courserun_trainers (courserun_id, user_id)
        SELECT r.id, u.id
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS g FROM courses_courserun) r
        JOIN (SELECT id, row_number() OVER (ORDER BY id) AS g FROM pan_network_user
              WHERE email LIKE '%@bench.example') u ON u.g = {trainer_offset} + r.g"""
    sql["link_trainers"] = """
        UPDATE cascades_cascadelink l SET trainer_id = t.user_id
        FROM courses_courserun_trainers t WHERE t.courserun_id = l.run_id"""
    sql["sessions"] = """
        INSERT INTO courses_session (run_id, date, start_time, duration_minutes, topic, place,
            meeting_url, cancelled, starts_at, ends_at)
        SELECT id, start_date, '09:00', 360, 'Day 1', '', '', false,
            start_date + TIME '09:00', start_date + TIME '15:00'
        FROM courses_courserun"""
    # Trainee k of run g: a person of the run's country (nine in ten) or the next country.
    n = len(COUNTRIES)
    sql["enrolments"] = f"""
        INSERT INTO trainees_enrolment (run_id, user_id, role, state, country_id, reason,
            created_at, updated_at)
        SELECT r.id, u.id, 'trainee', 'enrolled', p.country_id, '', now(), now()
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS g FROM courses_courserun) r
        CROSS JOIN generate_series(0, {per - 1}) k
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS g FROM pan_network_user
              WHERE email LIKE '%@bench.example') u
          ON u.g = (((r.g / {n}) * {per} + k) % {people // n}) * {n}
                   + (r.g + CASE WHEN k % 10 = 9 THEN 1 ELSE 0 END) % {n}
        JOIN trainees_traineeprofile p ON p.user_id = u.id
        ON CONFLICT DO NOTHING"""
    sql["attendance"] = """
        INSERT INTO trainees_attendance (session_id, enrolment_id, status, note, via_check_in,
            recorded_at)
        SELECT s.id, e.id, CASE WHEN e.id % 20 < 17 THEN 'present' ELSE 'absent' END, '',
            false, now()
        FROM trainees_enrolment e JOIN courses_session s ON s.run_id = e.run_id"""
    sql["certificates"] = """
        INSERT INTO certificates_certificate (code, user_id, run_id, kind, version, status,
            snapshot, language, pdf, sha256, issued_at, revocation_reason)
        SELECT upper(substr(md5(e.id::text), 1, 13)), e.user_id, e.run_id, 'participation', 1,
            'valid', '{}'::jsonb, 'en', '', '', now(), ''
        FROM trainees_enrolment e JOIN trainees_attendance a ON a.enrolment_id = e.id
        WHERE a.status = 'present'
        ON CONFLICT DO NOTHING"""
    with connection.cursor() as cursor:
        for name, statement in sql.items():
            began = time.perf_counter()
            cursor.execute(statement)
            timings[name] = time.perf_counter() - began
            base.say(f"  {name:<14} {cursor.rowcount:>9,} rows  {timings[name]:6.1f}s")
    with base.pg_connect(DB_NAME) as conn:
        began = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
        timings["vacuum"] = time.perf_counter() - began
    from reports import services as report_services

    began = time.perf_counter()
    rows = report_services.tallies_rebuild()
    timings["tallies"] = time.perf_counter() - began
    base.say(f"  tallies_rebuild {rows:>8,} tally rows  {timings['tallies']:6.1f}s")
    with base.pg_connect(DB_NAME) as conn:
        conn.execute("VACUUM ANALYZE reports_runtally")
    return timings


def signed_in_client():
    """A test client signed in as an organiser through the site's form and a TOTP code."""
    import base64
    import secrets

    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP
    from django.test import Client

    from network import services as network_services
    from network.auth import totp_code
    from network.models import User

    email = "organiser@bench.example.org"
    user = User.objects.filter(email=email).first()
    password = secrets.token_urlsafe(16)
    if user is None:
        user = User.objects.create_user(email=email, password=password, first_name="Org")
        network_services.membership_grant(user=user, role="organiser")
    else:
        user.set_password(password)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    user.authenticator_set.all().delete()
    TOTP.activate(user, secret)
    client = Client(HTTP_HOST="127.0.0.1")
    client.post("/accounts/login/", {"login": email, "password": password})
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    if response.status_code != 302:
        raise SystemExit("could not sign the benchmark's organiser in")
    return client


def queries_of(call) -> int:
    """The SQL queries of one call (a whole request, with its middleware)."""
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    # Django empties its query log when a request starts; counting needs the whole request.
    request_started.disconnect(reset_queries)
    try:
        with CaptureQueriesContext(connection) as queries:
            call()
        return len(queries.captured_queries)  # read now: it is a view of the log
    finally:
        request_started.connect(reset_queries)


def timed(calls: dict, repeat: int, *, every: dict | None = None) -> dict[str, list[float]]:
    """Milliseconds of each call, `repeat` rounds after a warm-up round, the calls taking turns
    within a round so that the machine's other load falls on all of them alike. `every`: how
    many rounds between two timings of a call (for the slow baseline)."""
    import gc

    every = every or {}
    for call in calls.values():
        call()
    gc.collect()
    times: dict[str, list[float]] = {name: [] for name in calls}
    for index in range(repeat):
        for name, call in calls.items():
            if index % every.get(name, 1):
                continue
            began = time.perf_counter()
            call()
            times[name].append(1000 * (time.perf_counter() - began))
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def baseline_summary(root_id: int) -> tuple:
    """The cascade summary straight from enrolments, registers and certificates."""
    from django.db import connection

    from cascades.selectors import _seed_sql, _tree_cte

    cte, params = _tree_cte(_seed_sql(runs=[root_id]))
    sql = f"""{cte}
        SELECT COUNT(*), COUNT(DISTINCT e.user_id),
               COUNT(*) FILTER (WHERE p.gender = 'woman'),
               COUNT(DISTINCT e.country_id),
               (SELECT COUNT(*) FROM trainees_attendance a JOIN trainees_enrolment e2
                  ON e2.id = a.enrolment_id JOIN nodes n2 ON n2.run_id = e2.run_id
                 WHERE n2.generation > 0 AND a.status IN ('present', 'late')),
               (SELECT COUNT(*) FROM certificates_certificate c JOIN nodes n3
                  ON n3.run_id = c.run_id WHERE n3.generation > 0 AND c.status = 'valid')
        FROM nodes n JOIN trainees_enrolment e ON e.run_id = n.run_id
        JOIN trainees_traineeprofile p ON p.user_id = e.user_id
        WHERE n.generation > 0 AND e.role = 'trainee' AND e.state = 'enrolled'
    """  # noqa: S608 (the project's own tables; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def main() -> None:
    args = parse_args()
    env = env_for()
    started = time.perf_counter()
    base.say(f"Cascades benchmark: {args.runs:,} runs, {args.per_run} enrolments each.")
    reuse = args.reuse and built_runs() == sum(generations(args.runs))
    if not reuse:
        base.database_recreate(DB_NAME)
    base.manage(env, "migrate", "--no-input", "-v0")
    base.collect_static(args, env)
    base.django_setup(env)
    timings = {}
    if reuse:
        base.say(f"Reusing {DB_NAME}.")
    else:
        timings = build(args)

    from django.test.utils import override_settings

    from courses.models import CourseRun

    root = CourseRun.objects.order_by("pk").first()
    sizes = generations(args.runs)
    first_of = [sum(sizes[:g]) for g in range(len(sizes))]
    by_generation = list(
        CourseRun.objects.order_by("pk").values_list("pk", flat=True)[: sum(sizes[:4]) + 1]
    )
    with override_settings(ALLOWED_HOSTS=["127.0.0.1", "testserver"]):
        client = signed_in_client()

        def cascade_page():
            response = client.get(f"/manage/cascades/{root.pk}/")
            assert response.status_code == 200, response.status_code

        def dashboard_page():
            response = client.get("/manage/reports/")
            assert response.status_code == 200, response.status_code

        times = timed(
            {
                "cascade": cascade_page,
                "dashboard": dashboard_page,
                "baseline": lambda: baseline_summary(root.pk),
            },
            args.repeat,
            every={"baseline": 5},
        )
        cascade_ms, dashboard_ms, baseline_ms = (
            times["cascade"],
            times["dashboard"],
            times["baseline"],
        )
        cascade_queries = queries_of(cascade_page)
        dashboard_queries = queries_of(dashboard_page)
        depth_queries = {}
        for label, run_id in (("6 levels (gen 0)", by_generation[first_of[0]]),
                              ("4 levels (gen 2)", by_generation[first_of[2]]),
                              ("3 levels (gen 3)", by_generation[first_of[3]])):  # fmt: skip
            depth_queries[label] = queries_of(
                lambda run_id=run_id: client.get(f"/manage/cascades/{run_id}/")
            )
    from cascades import selectors as cascade_selectors

    summary = cascade_selectors.cascade(root=root)["summary"]
    exact = baseline_summary(root.pk)

    from reports.models import RunTally
    from trainees.models import Enrolment

    base.say("")
    base.say(
        f"Network: {CourseRun.objects.count():,} runs in {len(generations(args.runs))} "
        f"generations, {Enrolment.objects.count():,} enrolments, "
        f"{RunTally.objects.count():,} tally rows."
    )
    if timings:
        base.say("Set-up: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
    base.say(
        f"Cascade summary (root): {summary['generations']} generations, {summary['runs']:,} runs, "
        f"{summary['trainees']:,} participations, {summary['countries']} countries, "
        f"{summary['women_share']}% women; from enrolments directly: {exact[0]:,} "
        f"participations by {exact[1]:,} people"
    )
    base.say("")
    base.say(f"{'page (in-process, signed in)':<44}{'median ms':>10}{'p95 ms':>9}{'queries':>9}")
    base.say("-" * 72)
    rows = [
        ("(a) cascade page of the root ToT run", cascade_ms, cascade_queries),
        ("(b) network dashboard", dashboard_ms, dashboard_queries),
        ("(c) baseline: summary from enrolments", baseline_ms, 1),
    ]
    for label, values, queries in rows:
        base.say(f"{label:<44}{statistics.median(values):>10.1f}{p95(values):>9.1f}{queries:>9}")
    ratio = statistics.median(cascade_ms) / statistics.median(baseline_ms)
    base.say(f"ratio (a) / (c), medians: {ratio:.2f} (the whole page against one summary query)")
    base.say("")
    base.say("Queries of a cascade page by depth of its tree: " + ", ".join(
        f"{label}: {n}" for label, n in depth_queries.items()
    ))  # fmt: skip
    results = {"cascade_p95_ms": p95(cascade_ms), "dashboard_p95_ms": p95(dashboard_ms)}
    met = [
        f"{name} < {limit}: {'met' if results[name] < limit else 'NOT met'}"
        for name, limit in TARGETS.items()
    ]
    constant = len(set(depth_queries.values())) == 1
    met.append(f"queries constant in depth: {'met' if constant else 'NOT met'}")
    base.say("Targets: " + "; ".join(met))
    base.say(f"Total time: {time.perf_counter() - started:.0f}s")
    base.say(
        f"RESULT cascades cascade_p95_ms={results['cascade_p95_ms']:.1f} "
        f"dashboard_p95_ms={results['dashboard_p95_ms']:.1f} "
        f"cascade_queries={cascade_queries} dashboard_queries={dashboard_queries}"
    )


if __name__ == "__main__":
    main()
