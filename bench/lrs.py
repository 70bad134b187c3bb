"""LRS benchmark: statement throughput of POST /xapi/statements, and a filtered GET over a
million stored statements.

    .venv/bin/python bench/lrs.py [--statements 1000000] [--batches 200] [--threads 4]
                                  [--gets 300] [--workers 2] [--seed 1] [--reuse] [--profile N]

What it does, in order:

1. Database `pan_bench_lrs` (its own; the other benchmarks keep theirs) is dropped, created and
   migrated, and Redis database 12 (the cache) is flushed; static files are collected once
   into bench/enrolment.py's scratch directory (or reused from it). With --reuse the database
   is kept when it already holds at least --statements statements (then only `migrate` runs).
   An LRS client with scope "all" is created or reset (xapi.models.Client, HTTP Basic).
2. Fill: the store is brought up to --statements statements with bulk SQL, not HTTP: one
   `INSERT ... SELECT FROM generate_series` per 100,000 rows, which writes the Statement rows
   together with the StatementAgent rows (actor and authority) and StatementActivity rows
   (object and parent course) that statements_store writes for such a statement, and the
   Activity rows for the lesson definitions these statements carry. The rows look
   like stored ones: the `data` JSON has actor, verb with display, object with definition,
   result with score, context with registration, platform, language and a parent
   contextActivity, plus what the LRS adds (id, stored, timestamp, authority, version);
   `stored` is spread at random over the last 90 days; actor_ifi takes the canonical form
   xapi.validation.ifi_key gives ("mbox:mailto:learner123@example.org") for a pool of
   --agents learners, with 10 verbs and activities from 50 courses x 12 lessons. On an empty
   table the secondary indexes are dropped first and rebuilt afterwards with their own
   definitions (a bulk load is much faster that way), then VACUUM ANALYZE, as autovacuum
   would leave a table of that age, and a CHECKPOINT, so that writing the load out does not
   overlap the measurements.
3. Throughput: gunicorn (bench.settings: production settings, DEBUG off, persistent database
   connections, Redis cache, eager Celery, XAPI_FORWARD_ENDPOINT empty so nothing is queued
   for forwarding) with --workers *sync* workers, one request at a time per process, on a free
   loopback port. --threads client threads in this process POST --batches pre-serialised
   batches of 100 statements each (a few warm-up batches first, not counted), one connection
   per request since sync workers close it anyway. Statements are what a player sends: an id,
   an actor mbox from a pool of 2,000 learners, one of the 10 verbs, a lesson activity with its
   definition, result with score, success, completion and duration, context with registration
   and the course as parent. Figures: statements/s over the wall clock (release of the threads
   to the last response), median/p95/max batch latency, HTTP statuses (all must be 200).
4. Raw insert, same run, same database: the same number of rows written in-process with
   Django's bulk_create, 100 statements per transaction (Statement, then its StatementAgent
   and StatementActivity rows), from as many writer threads as gunicorn has workers (and,
   for comparison, from one). That is the fairest floor for this code: statements_store
   itself ends in these three bulk_create calls, so the ratio LRS / raw is what everything
   around the insert costs (HTTP, JSON parsing, validation, authentication, hashing, the
   id lookup, activity definitions, response). The rows are not built by hand: the same
   statements (with fresh ids) go through services.statements_store with bulk_create
   intercepted inside a rolled-back transaction, so they are exactly the rows it would write.
   Building them is not timed. For scale, a psycopg COPY of the same rows is timed as well
   (the database's own floor; not used in the ratio). The raw rows are deleted afterwards.
5. Filtered GET: after a few warm-up requests, --gets GETs of /xapi/statements with agent (a
   different learner from the fill pool each time, as JSON), verb and since (30 days ago),
   sent one after the other through the same gunicorn; median/p95/max ms and how many
   statements came back. Then, in-process, the EXPLAIN (ANALYZE, BUFFERS) plan of the SQL
   that selectors.statements_query runs for the GET that returned the most statements
   (caught with an execute wrapper, so it is exactly the query the view runs, with its
   parameters as the view's own parser makes them).
6. In-process (Django test client, same settings and database): the SQL queries one POST of
   a batch and one filtered GET make. With --profile N, a cProfile of N batch POSTs through
   the test client (the whole view, in this process) is printed.

It prints machine context, fill timings and the figures, and last
`RESULT lrs statements_per_s=<n> ratio_to_raw_insert=<r> filtered_get_p95_ms=<ms>`. It asserts
nothing. gunicorn is always stopped, also on errors and Ctrl-C; its log is kept (and its path
printed) only when it holds something.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import cProfile
import http.client
import io
import json
import os
import platform
import pstats
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)  # import the project (bench.settings...), not bench/'s own modules

from bench.catalogue import (  # noqa: E402 (after the sys.path fix above)
    PG_HOST,
    PG_PORT,
    PG_USER,
    Gunicorn,
    bench_env,
    database_recreate,
    django_setup,
    manage,
    pg_connect,
    redis_flush,
    say,
)
from bench.enrolment import STATIC_ROOT, collect_static  # noqa: E402

DB_NAME = "pan_bench_lrs"
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{DB_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/12"  # a database of its own: it gets flushed
CLIENT_KEY = "bench-lrs"
CLIENT_SECRET = "bench-lrs-secret-not-for-production"  # noqa: S105 (a throwaway database)
BATCH = 100  # statements per POST and per raw-insert transaction
FILL_CHUNK = 100_000
WARMUP_BATCHES = 6
WARMUP_GETS = 20
POST_LEARNERS = 2_000
COURSES, LESSONS = 50, 12
SINCE_DAYS = 30
ACTIVITY_BASE = "https://training.pan.example.org/xapi/activities"
LESSON_TYPE = "http://adlnet.gov/expapi/activities/lesson"
PLATFORM_NAME = "PAN Training Platform"
REGISTRATION_NS = uuid.UUID("6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f")
VERBS = [
    (f"http://adlnet.gov/expapi/verbs/{name}", name)
    for name in (
        "launched",
        "initialized",
        "experienced",
        "progressed",
        "answered",
        "attempted",
        "completed",
        "passed",
        "failed",
        "terminated",
    )
]
TABLES = ("xapi_statement", "xapi_statementagent", "xapi_statementactivity")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def learner_mbox(number: int) -> str:
    return f"mailto:learner{number}@example.org"


def registration_for(learner: int, course: int) -> str:
    return str(uuid.uuid5(REGISTRATION_NS, f"{learner}/{course}"))


# ---------------------------------------------------------------------------------------------
# Database, cache, credentials
# ---------------------------------------------------------------------------------------------


def stored_statements() -> int | None:
    """Statements in pan_bench_lrs, or None when the database or its tables are missing."""
    import psycopg

    try:
        with pg_connect(DB_NAME) as conn:
            return conn.execute("SELECT count(*) FROM xapi_statement").fetchone()[0]
    except psycopg.Error:
        return None


def prepare_database(args, env: dict[str, str]) -> str:
    if args.reuse:
        count = stored_statements()
        if count is not None and count >= args.statements:
            say(f"Reusing database {DB_NAME}: it holds {count:,} statements.")
            manage(env, "migrate", "--no-input", "-v0")
            return f"reused {DB_NAME} ({count:,} statements)"
        say(
            f"--reuse: {DB_NAME} holds {'no' if count is None else f'{count:,}'} statements, "
            f"fewer than {args.statements:,}; rebuilding it."
        )
    database_recreate(DB_NAME)
    start = time.perf_counter()
    manage(env, "migrate", "--no-input", "-v0")
    return f"created {DB_NAME}, migrate {time.perf_counter() - start:.0f}s"


def lrs_client():
    """The benchmark's LRS client (scope all), created or given the known secret again."""
    from xapi.models import Client

    client = Client.objects.filter(key=CLIENT_KEY).first() or Client(key=CLIENT_KEY)
    client.name = "Benchmark player"
    client.scope = Client.Scope.ALL
    client.is_active = True
    client.set_secret(CLIENT_SECRET)
    client.save()
    return client


def basic_auth() -> str:
    return "Basic " + base64.b64encode(f"{CLIENT_KEY}:{CLIENT_SECRET}".encode()).decode()


def machine_context() -> list[str]:
    with pg_connect(DB_NAME) as conn:
        settings = dict(
            conn.execute(
                "SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
                "('shared_buffers', 'work_mem', 'synchronous_commit', 'max_connections', "
                "'random_page_cost', 'effective_cache_size')"
            ).fetchall()
        )
        version = conn.execute("SHOW server_version").fetchone()[0]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"CPU cores: {os.cpu_count()} (shared by PostgreSQL, gunicorn and this client); "
        f"load average {load}",
        f"Python {platform.python_version()}, PostgreSQL {version} on {PG_HOST}:{PG_PORT} "
        f"(shared_buffers {settings.get('shared_buffers')}, work_mem "
        f"{settings.get('work_mem')}, synchronous_commit {settings.get('synchronous_commit')}, "
        f"random_page_cost {settings.get('random_page_cost')})",
    ]


# ---------------------------------------------------------------------------------------------
# Fill (bulk SQL)
# ---------------------------------------------------------------------------------------------

FILL_SQL = """
WITH src AS (
    SELECT gen_random_uuid() AS id,
           now() - random() * interval '90 days' AS stored,
           floor(random() * %(agents)s)::int AS learner,
           1 + floor(random() * %(verbs)s)::int AS v,
           floor(random() * %(courses)s)::int AS course,
           floor(random() * %(lessons)s)::int AS lesson,
           floor(random() * 101)::int AS score
    FROM generate_series(1, %(n)s)
), prepared AS (
    SELECT id, stored, stored - random() * interval '5 minutes' AS ts, learner, course,
           lesson, score,
           'mailto:learner' || learner || '@example.org' AS mbox,
           %(base)s::text || '/course/' || course AS course_iri,
           %(base)s::text || '/course/' || course || '/lesson/' || lesson AS lesson_iri,
           (%(verb_ids)s::text[])[v] AS verb_id,
           (%(verb_names)s::text[])[v] AS verb_name,
           md5(learner || '/' || course) AS h
    FROM src
), shaped AS (
    -- a version 4 UUID derived from learner and course: one registration per enrolment
    SELECT *, (substr(h, 1, 12) || '4' || substr(h, 14, 3) || '8' || substr(h, 18))::uuid
              AS registration
    FROM prepared
), ins AS (
    INSERT INTO xapi_statement (id, stored, "timestamp", data, verb_id, actor_ifi, object_ifi,
                                activity_id, ref_id, registration, voided, client_id, user_id,
                                has_attachments, sent_hash)
    SELECT id, stored, ts,
           jsonb_build_object(
               'id', id::text,
               'actor', jsonb_build_object(
                   'objectType', 'Agent', 'name', 'Learner ' || learner, 'mbox', mbox),
               'verb', jsonb_build_object(
                   'id', verb_id, 'display', jsonb_build_object('en-US', verb_name)),
               'object', jsonb_build_object(
                   'objectType', 'Activity', 'id', lesson_iri,
                   'definition', jsonb_build_object(
                       'name', jsonb_build_object(
                           'en-US', 'Course ' || course || ', lesson ' || lesson),
                       'type', %(lesson_type)s::text)),
               'result', jsonb_build_object(
                   'score', jsonb_build_object(
                       'scaled', round(score / 100.0, 2), 'raw', score, 'min', 0, 'max', 100),
                   'success', score >= 60, 'completion', true,
                   'duration', 'PT' || (1 + score %% 40) || 'M' || (score %% 60) || 'S'),
               'context', jsonb_build_object(
                   'registration', registration::text,
                   'contextActivities', jsonb_build_object(
                       'parent', jsonb_build_array(
                           jsonb_build_object('objectType', 'Activity', 'id', course_iri))),
                   'platform', %(platform)s::text, 'language', 'en'),
               'timestamp', to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'stored', to_char(stored AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
               'authority', %(authority)s::jsonb,
               'version', '1.0.0'),
           verb_id, 'mbox:' || mbox, '', lesson_iri, NULL, registration, false, %(client)s,
           NULL, false, encode(sha256(id::text::bytea), 'hex')
    FROM shaped
    RETURNING id, actor_ifi, activity_id, data
), agents AS (
    INSERT INTO xapi_statementagent (statement_id, ifi)
    SELECT id, actor_ifi FROM ins
    UNION ALL SELECT id, %(authority_ifi)s::text FROM ins
)
INSERT INTO xapi_statementactivity (statement_id, activity_id)
SELECT id, activity_id FROM ins
UNION ALL SELECT id, data #>> '{context,contextActivities,parent,0,id}' FROM ins
"""


# The lesson definitions the filled statements carry, as statements_store would have learned
# them (xapi.models.Activity): a store of that age knows its activities.
ACTIVITIES_SQL = """
INSERT INTO xapi_activity (activity_id, definition, updated)
SELECT %(base)s::text || '/course/' || course || '/lesson/' || lesson,
       jsonb_build_object(
           'name', jsonb_build_object('en-US', 'Course ' || course || ', lesson ' || lesson),
           'type', %(lesson_type)s::text),
       now()
FROM generate_series(0, %(courses)s - 1) AS course, generate_series(0, %(lessons)s - 1) AS lesson
ON CONFLICT (activity_id) DO NOTHING
"""


@dataclass
class Fill:
    before: int
    after: int
    steps: list[tuple[str, float]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(seconds for _label, seconds in self.steps)


def fill(args, client) -> Fill:
    """Bring xapi_statement up to args.statements rows (see the module docstring)."""
    from xapi.auth import client_authority
    from xapi.validation import ifi_key

    authority = client_authority(client)
    with pg_connect(DB_NAME) as conn:
        before = conn.execute("SELECT count(*) FROM xapi_statement").fetchone()[0]
        result = Fill(before=before, after=before)
        missing = args.statements - before
        if missing <= 0:
            say(f"Fill: {before:,} statements stored already, nothing to add.")
            return result
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("SELECT setseed(%s)", (((args.seed * 7919) % 1000) / 1000,))
        indexes = []
        if before == 0:
            indexes = conn.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "JOIN pg_class c ON c.relname = i.indexname "
                "LEFT JOIN pg_constraint k ON k.conindid = c.oid "
                "WHERE i.schemaname = 'public' AND i.tablename = ANY(%s) AND k.oid IS NULL "
                "ORDER BY i.tablename, i.indexname",
                (list(TABLES),),
            ).fetchall()
            start = time.perf_counter()
            for name, _definition in indexes:
                conn.execute(f'DROP INDEX "{name}"')
            result.steps.append(
                (f"DROP INDEX x {len(indexes)} (secondary)", time.perf_counter() - start)
            )
        params = {
            "agents": args.agents,
            "verbs": len(VERBS),
            "courses": COURSES,
            "lessons": LESSONS,
            "base": ACTIVITY_BASE,
            "verb_ids": [verb_id for verb_id, _name in VERBS],
            "verb_names": [name for _verb_id, name in VERBS],
            "lesson_type": LESSON_TYPE,
            "platform": PLATFORM_NAME,
            "authority": json.dumps(authority),
            "authority_ifi": ifi_key(authority),
            "client": client.pk,
        }
        say(
            f"Fill: {before:,} statements stored, adding {missing:,} in chunks of "
            f"{FILL_CHUNK:,} (with {2 * missing:,} agent and {2 * missing:,} activity rows)."
        )
        start = time.perf_counter()
        done = 0
        while done < missing:
            n = min(FILL_CHUNK, missing - done)
            with conn.transaction():
                conn.execute(FILL_SQL, {**params, "n": n})
            done += n
            elapsed = time.perf_counter() - start
            say(f"  {before + done:>11,} statements  {elapsed:6.1f}s  ({done / elapsed:,.0f}/s)")
        result.steps.append((f"INSERT ... SELECT generate_series, {missing:,} statements", elapsed))
        start = time.perf_counter()
        learned = conn.execute(ACTIVITIES_SQL, params).rowcount
        result.steps.append(
            (
                f"INSERT {learned} activity definitions (xapi_activity)",
                time.perf_counter() - start,
            )
        )
        if indexes:
            start = time.perf_counter()
            for _name, definition in indexes:
                conn.execute(definition)
            result.steps.append(
                (f"CREATE INDEX x {len(indexes)} (as migrated)", time.perf_counter() - start)
            )
        start = time.perf_counter()
        for table in TABLES:
            conn.execute(f"VACUUM (ANALYZE) {table}")
        result.steps.append(("VACUUM (ANALYZE) of the three tables", time.perf_counter() - start))
        # Write the load's dirty pages out now rather than during the measurements.
        start = time.perf_counter()
        conn.execute("CHECKPOINT")
        result.steps.append(("CHECKPOINT", time.perf_counter() - start))
        result.after = conn.execute("SELECT count(*) FROM xapi_statement").fetchone()[0]
    return result


def table_sizes() -> tuple[list[tuple[str, int, str, str]], list[tuple[str, str, str]]]:
    """Rows and sizes of the three tables, and the size of each of their indexes."""
    with pg_connect(DB_NAME) as conn:
        tables = [
            conn.execute(
                "SELECT %s, (SELECT reltuples::bigint FROM pg_class WHERE relname = %s), "
                "pg_size_pretty(pg_table_size(%s::regclass)), "
                "pg_size_pretty(pg_indexes_size(%s::regclass))",
                (table, table, table, table),
            ).fetchone()
            for table in TABLES
        ]
        indexes = conn.execute(
            "SELECT i.indexname, pg_size_pretty(pg_relation_size(c.oid)), i.indexdef "
            "FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
            "WHERE i.schemaname = 'public' AND i.tablename = ANY(%s) "
            "ORDER BY i.tablename, pg_relation_size(c.oid) DESC",
            (list(TABLES),),
        ).fetchall()
    return tables, indexes


# ---------------------------------------------------------------------------------------------
# Statements as a player sends them
# ---------------------------------------------------------------------------------------------


def make_statement(rng: random.Random, now: datetime) -> dict:
    learner = rng.randrange(POST_LEARNERS)
    course, lesson = rng.randrange(COURSES), rng.randrange(LESSONS)
    verb_id, verb_name = rng.choice(VERBS)
    score = rng.randrange(101)
    course_iri = f"{ACTIVITY_BASE}/course/{course}"
    return {
        "id": str(uuid.uuid4()),  # random even with a seed: a rerun must not resend old ids
        "actor": {
            "objectType": "Agent",
            "name": f"Learner {learner}",
            "mbox": learner_mbox(learner),
        },
        "verb": {"id": verb_id, "display": {"en-US": verb_name}},
        "object": {
            "objectType": "Activity",
            "id": f"{course_iri}/lesson/{lesson}",
            "definition": {
                "name": {"en-US": f"Course {course}, lesson {lesson}"},
                "type": LESSON_TYPE,
            },
        },
        "result": {
            "score": {"scaled": score / 100, "raw": score, "min": 0, "max": 100},
            "success": score >= 60,
            "completion": True,
            "duration": f"PT{1 + score % 40}M{score % 60}S",
        },
        "context": {
            "registration": registration_for(learner, course),
            "contextActivities": {"parent": [{"objectType": "Activity", "id": course_iri}]},
            "platform": PLATFORM_NAME,
            "language": "en",
        },
        "timestamp": iso(now - timedelta(seconds=rng.uniform(0, 30))),
    }


def make_batches(rng: random.Random, count: int) -> list[list[dict]]:
    now = datetime.now(UTC)
    return [[make_statement(rng, now) for _ in range(BATCH)] for _ in range(count)]


def with_fresh_ids(batches: list[list[dict]]) -> list[list[dict]]:
    return [[{**statement, "id": str(uuid.uuid4())} for statement in batch] for batch in batches]


# ---------------------------------------------------------------------------------------------
# (a) Throughput through gunicorn
# ---------------------------------------------------------------------------------------------


@dataclass
class Posted:
    seconds: float
    statuses: Counter
    latencies: list[float]
    errors: list[str]
    first_failure: str = ""

    @property
    def statements(self) -> int:
        return self.statuses.get(200, 0) * BATCH


def post_headers() -> dict[str, str]:
    return {
        "Authorization": basic_auth(),
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
        "Connection": "close",
    }


def post_batches(port: int, bodies: list[bytes], threads: int) -> Posted:
    """POST every body from `threads` threads released together; seconds from the release to
    the last response."""
    headers = post_headers()
    lock = threading.Lock()
    pending = iter(range(len(bodies)))
    statuses: Counter = Counter()
    latencies: list[float] = []
    errors: list[str] = []
    failure = [""]
    clock = {"start": 0.0, "end": 0.0}
    count = max(1, min(threads, len(bodies)))
    barrier = threading.Barrier(count, action=lambda: clock.update(start=time.perf_counter()))

    def worker() -> None:
        barrier.wait()
        while True:
            with lock:
                index = next(pending, None)
            if index is None:
                return
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                conn.request("POST", "/xapi/statements", body=bodies[index], headers=headers)
                response = conn.getresponse()
                payload = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")
                continue
            finally:
                conn.close()
            finished = time.perf_counter()
            with lock:
                statuses[status] += 1
                latencies.append(finished - started)
                clock["end"] = max(clock["end"], finished)
                if status != 200 and not failure[0]:
                    failure[0] = f"{status}: {payload[:300]!r}"

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(count)]
    for thread in pool:
        thread.start()
    for thread in pool:
        while thread.is_alive():
            thread.join(timeout=0.5)
    return Posted(
        seconds=max(clock["end"] - clock["start"], 1e-9),
        statuses=statuses,
        latencies=latencies,
        errors=errors,
        first_failure=failure[0],
    )


# ---------------------------------------------------------------------------------------------
# Raw insert baseline (in-process)
# ---------------------------------------------------------------------------------------------


@dataclass
class RowBatch:
    statements: list
    agents: list
    activities: list


def rows_as_stored(batches: list[list[dict]], credentials) -> list[RowBatch]:
    """The model instances statements_store would bulk_create for each batch: it runs for real
    inside a transaction that is rolled back, with the three bulk_create calls intercepted."""
    from unittest import mock

    from django.db import transaction

    from xapi import services
    from xapi.models import Statement, StatementActivity, StatementAgent

    def catcher(into: list):
        def bulk_create(objs, *args, **kwargs):
            into.extend(objs)
            return list(objs)

        return bulk_create

    result = []
    for batch in batches:
        caught: dict = {Statement: [], StatementAgent: [], StatementActivity: []}
        with contextlib.ExitStack() as stack:
            for model, into in caught.items():
                stack.enter_context(mock.patch.object(model.objects, "bulk_create", catcher(into)))
            with transaction.atomic():
                services.statements_store(statements=batch, credentials=credentials)
                transaction.set_rollback(True)
        result.append(
            RowBatch(caught[Statement], caught[StatementAgent], caught[StatementActivity])
        )
    return result


@dataclass
class RawInsert:
    label: str
    statements: int
    seconds: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.statements / self.seconds


def raw_bulk_create(label: str, batches: list[RowBatch], threads: int) -> RawInsert:
    """bulk_create of each batch's rows in a transaction of its own, from `threads` threads
    (each with its own database connection)."""
    from django.db import connection, transaction

    from xapi.models import Statement, StatementActivity, StatementAgent

    lock = threading.Lock()
    pending = iter(batches)
    latencies: list[float] = []
    clock = {"start": 0.0, "end": 0.0}
    barrier = threading.Barrier(threads, action=lambda: clock.update(start=time.perf_counter()))
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            connection.ensure_connection()
            barrier.wait()
            while True:
                with lock:
                    batch = next(pending, None)
                if batch is None:
                    return
                started = time.perf_counter()
                with transaction.atomic():
                    Statement.objects.bulk_create(batch.statements)
                    StatementAgent.objects.bulk_create(batch.agents)
                    StatementActivity.objects.bulk_create(batch.activities)
                finished = time.perf_counter()
                with lock:
                    latencies.append(finished - started)
                    clock["end"] = max(clock["end"], finished)
        except BaseException as error:  # reported by the caller
            failures.append(error)
            barrier.abort()
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if failures:
        raise failures[0]
    return RawInsert(
        label=label,
        statements=sum(len(batch.statements) for batch in batches),
        seconds=clock["end"] - clock["start"],
        latencies=latencies,
    )


def raw_copy(batches: list[RowBatch]) -> RawInsert:
    """COPY of the same rows, one transaction per batch of 100 statements, one connection."""
    from psycopg.types.json import Jsonb

    statement_columns = (
        "id, stored, timestamp, data, verb_id, actor_ifi, object_ifi, activity_id, ref_id, "
        "registration, voided, client_id, user_id, has_attachments, sent_hash"
    )
    latencies = []
    with pg_connect(DB_NAME) as conn:
        conn.autocommit = False
        start = time.perf_counter()
        for batch in batches:
            started = time.perf_counter()
            with conn.cursor() as cursor:
                with cursor.copy(f"COPY xapi_statement ({statement_columns}) FROM STDIN") as copy:
                    for s in batch.statements:
                        copy.write_row(
                            (
                                s.id,
                                s.stored,
                                s.timestamp,
                                Jsonb(s.data),
                                s.verb_id,
                                s.actor_ifi,
                                s.object_ifi,
                                s.activity_id,
                                s.ref_id,
                                s.registration,
                                s.voided,
                                s.client_id,
                                s.user_id,
                                s.has_attachments,
                                s.sent_hash,
                            )
                        )
                with cursor.copy("COPY xapi_statementagent (statement_id, ifi) FROM STDIN") as copy:
                    for a in batch.agents:
                        copy.write_row((a.statement_id, a.ifi))
                with cursor.copy(
                    "COPY xapi_statementactivity (statement_id, activity_id) FROM STDIN"
                ) as copy:
                    for a in batch.activities:
                        copy.write_row((a.statement_id, a.activity_id))
            conn.commit()
            latencies.append(time.perf_counter() - started)
        seconds = time.perf_counter() - start
    return RawInsert(
        label="psycopg COPY, 1 connection (scale only)",
        statements=sum(len(batch.statements) for batch in batches),
        seconds=seconds,
        latencies=latencies,
    )


def delete_rows(batches: list[RowBatch]) -> int:
    ids = [str(s.id) for batch in batches for s in batch.statements]
    with pg_connect(DB_NAME) as conn, conn.transaction():
        conn.execute("DELETE FROM xapi_statementagent WHERE statement_id = ANY(%s::uuid[])", (ids,))
        conn.execute(
            "DELETE FROM xapi_statementactivity WHERE statement_id = ANY(%s::uuid[])", (ids,)
        )
        return conn.execute(
            "DELETE FROM xapi_statement WHERE id = ANY(%s::uuid[])", (ids,)
        ).rowcount


# ---------------------------------------------------------------------------------------------
# (b) Filtered GET
# ---------------------------------------------------------------------------------------------


@dataclass
class Fetched:
    latencies: list[float]
    statuses: Counter
    returned: list[int]
    more: int
    first_failure: str = ""
    busiest: str = ""  # the path that returned the most statements


def get_paths(args, count: int, rng: random.Random) -> list[str]:
    since = iso(datetime.now(UTC) - timedelta(days=SINCE_DAYS))
    paths = []
    for _ in range(count):
        agent = {"objectType": "Agent", "mbox": learner_mbox(rng.randrange(args.agents))}
        verb_id, _name = rng.choice(VERBS)
        query = urlencode({"agent": json.dumps(agent), "verb": verb_id, "since": since})
        paths.append(f"/xapi/statements?{query}")
    return paths


def fetch_all(port: int, paths: list[str]) -> Fetched:
    """GET each path in turn, one connection each (sync workers close it after a response)."""
    headers = {"Authorization": basic_auth(), "X-Experience-API-Version": "1.0.3"}
    result = Fetched(latencies=[], statuses=Counter(), returned=[], more=0)
    for path in paths:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            payload = response.read()
        finally:
            conn.close()
        result.latencies.append(time.perf_counter() - started)
        result.statuses[response.status] += 1
        if response.status == 200:
            body = json.loads(payload)
            if not result.busiest or len(body["statements"]) > max(result.returned):
                result.busiest = path
            result.returned.append(len(body["statements"]))
            result.more += bool(body["more"])
        elif not result.first_failure:
            result.first_failure = f"{response.status}: {payload[:300]!r}"
    return result


def explain_filtered_get(path: str, credentials) -> tuple[list[str], int]:
    """EXPLAIN (ANALYZE, BUFFERS) of the statement query selectors.statements_query runs for
    `path`'s parameters (parsed by the view's own parser), and how many rows it returned."""
    from urllib.parse import parse_qsl, urlsplit

    from django.db import connection

    from xapi import selectors, views

    params = dict(parse_qsl(urlsplit(path).query))
    query = views._statement_query(params)
    plans: list[list[str]] = []

    def explainer(execute, sql, sql_params, many, context):
        if not many and "xapi_statement" in sql and "ORDER BY" in sql:
            cursor = context["cursor"].cursor  # the driver's cursor: no wrappers again
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, sql_params)
            plans.append([row[0] for row in cursor.fetchall()])
        return execute(sql, sql_params, many, context)

    with connection.execute_wrapper(explainer):
        page, _cursor = selectors.statements_query(params=query, credentials=credentials)
    return (plans[0] if plans else ["(no statement query seen)"]), len(page)


# ---------------------------------------------------------------------------------------------
# In-process: queries per request, profile
# ---------------------------------------------------------------------------------------------


def test_client():
    from django.test import Client

    return Client(
        HTTP_HOST="127.0.0.1",
        HTTP_AUTHORIZATION=basic_auth(),
        HTTP_X_EXPERIENCE_API_VERSION="1.0.3",
    )


def queries_per_request(body: bytes, get_path: str) -> list[tuple[str, int, list[str], int]]:
    """(request, SQL queries, a short form of each, status) for one POST and one GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = test_client()
    result = []
    for label, send in (
        (
            f"POST /xapi/statements ({BATCH} statements)",
            lambda: client.post("/xapi/statements", data=body, content_type="application/json"),
        ),
        ("GET /xapi/statements?agent&verb&since", lambda: client.get(get_path)),
    ):
        with CaptureQueriesContext(connection) as captured:
            response = send()
        shapes = [" ".join(q["sql"].split())[:110] for q in captured.captured_queries]
        result.append((label, len(captured), shapes, response.status_code))
    return result


def profile_posts(bodies: list[bytes], top: int = 30) -> str:
    client = test_client()
    client.post("/xapi/statements", data=bodies[0], content_type="application/json")
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    for body in bodies[1:]:
        response = client.post("/xapi/statements", data=body, content_type="application/json")
        if response.status_code != 200:
            raise SystemExit(f"profile POST answered {response.status_code}: {response.content}")
    profiler.disable()
    seconds = time.perf_counter() - start
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    n = len(bodies) - 1
    header = (
        f"cProfile of {n} POSTs of {BATCH} statements in-process (test client, no gunicorn): "
        f"{seconds:.2f}s under the profiler, {n * BATCH / seconds:,.0f} statements/s\n"
    )
    return header + out.getvalue()


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--statements", type=int, default=1_000_000, help="statements stored before the GETs"
    )
    parser.add_argument("--batches", type=int, default=200, help="measured POSTs of 100")
    parser.add_argument("--threads", type=int, default=4, help="client threads for the POSTs")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--gets", type=int, default=300, help="measured filtered GETs")
    parser.add_argument("--agents", type=int, default=20_000, help="learners in the fill")
    parser.add_argument("--seed", type=int, default=1, help="choice of learners, verbs...")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep pan_bench_lrs if it holds at least --statements statements",
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="cProfile N POSTs in-process"
    )
    args = parser.parse_args()
    if min(args.statements, args.batches, args.threads, args.workers, args.gets) < 1:
        parser.error("--statements, --batches, --threads, --workers and --gets must be >= 1")
    if args.agents < 1:
        parser.error("--agents must be at least 1")
    return args


def describe_latencies(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"{statistics.median(ms):>9.1f} {percentile(ms, 0.95):>8.1f} {max(ms):>8.1f}"
        if ms
        else f"{'-':>9} {'-':>8} {'-':>8}"
    )


def main() -> None:
    started = time.perf_counter()
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    rng = random.Random(args.seed)

    env = bench_env(REDIS_URL)
    env.update(
        DATABASE_URL=DATABASE_URL,
        BENCH_STATIC_ROOT=str(STATIC_ROOT),
        XAPI_FORWARD_ENDPOINT="",
        CELERY_TASK_ALWAYS_EAGER="true",
    )
    env.pop("GUNICORN_CMD_ARGS", None)
    redis_flush(REDIS_URL)
    database_note = prepare_database(args, env)
    static_note = collect_static(env)
    os.environ["XAPI_FORWARD_ENDPOINT"] = ""
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    django_setup(env)

    from xapi.auth import authenticate

    client = lrs_client()
    credentials = authenticate(basic_auth())
    for line in machine_context():
        say(line)
    filled = fill(args, client)
    sizes, index_sizes = table_sizes()

    say(f"Preparing {WARMUP_BATCHES} + {args.batches} batches of {BATCH} statements...")
    warmup_batches = make_batches(rng, WARMUP_BATCHES)
    measured_batches = make_batches(rng, args.batches)
    bodies = [json.dumps(batch).encode() for batch in measured_batches]
    warmup_bodies = [json.dumps(batch).encode() for batch in warmup_batches]
    raw_sets = {key: with_fresh_ids(measured_batches) for key in ("threads", "one", "copy")}
    raw_sets["warm"] = with_fresh_ids(measured_batches[: max(4, 2 * args.workers)])
    build_start = time.perf_counter()
    raw_rows = {key: rows_as_stored(batches, credentials) for key, batches in raw_sets.items()}
    build_seconds = time.perf_counter() - build_start
    get_rng = random.Random(args.seed + 1)
    warmup_paths = get_paths(args, WARMUP_GETS, get_rng)
    paths = get_paths(args, args.gets, get_rng)

    log_path = Path(tempfile.gettempdir()) / f"pan_bench_lrs_gunicorn_{os.getpid()}.log"
    server_env = {**env, "GUNICORN_CMD_ARGS": "--capture-output"}
    server = Gunicorn(server_env, args.workers, log_path)
    load_before = os.getloadavg()[0]
    try:
        server.start()
        warm = post_batches(server.port, warmup_bodies, args.threads)
        if warm.statuses.get(200, 0) != len(warmup_bodies):
            raise SystemExit(
                f"Warm-up POSTs: {dict(warm.statuses)} {warm.errors[:1]} {warm.first_failure}\n"
                f"{server.log_tail()}"
            )
        say(
            f"(a) POSTing {args.batches} batches of {BATCH} statements from {args.threads} "
            f"threads to gunicorn ({args.workers} sync workers, port {server.port})..."
        )
        posted = post_batches(server.port, bodies, args.threads)

        say("Raw insert (in-process bulk_create), gunicorn idle...")
        raw_bulk_create("warm-up", raw_rows["warm"], args.workers)
        raws = [
            raw_bulk_create(
                f"bulk_create, {args.workers} threads (= workers)",
                raw_rows["threads"],
                args.workers,
            ),
            raw_bulk_create("bulk_create, 1 thread", raw_rows["one"], 1),
            raw_copy(raw_rows["copy"]),
        ]
        deleted = delete_rows([row for rows in raw_rows.values() for row in rows])

        say(f"(b) {WARMUP_GETS} warm-up and {args.gets} measured filtered GETs, sequential...")
        fetch_all(server.port, warmup_paths)
        fetched = fetch_all(server.port, paths)
    finally:
        server.stop()
        log_text = ""
        with contextlib.suppress(OSError):
            log_text = log_path.read_text(errors="replace").strip()
        if not log_text:
            with contextlib.suppress(OSError):
                log_path.unlink()

    explained = fetched.busiest or paths[0]
    plan, explained_rows = explain_filtered_get(explained, credentials)
    per_request = queries_per_request(json.dumps(make_batches(rng, 1)[0]).encode(), paths[0])
    profile = (
        profile_posts([json.dumps(b).encode() for b in make_batches(rng, args.profile + 1)])
        if args.profile
        else ""
    )

    # -- report ---------------------------------------------------------------------------
    say("")
    say(f"Database: {database_note}; static files {static_note}.")
    say(
        f"Fill: {filled.before:,} -> {filled.after:,} statements "
        f"({args.agents:,} learners, {len(VERBS)} verbs, {COURSES * LESSONS} lessons, stored "
        f"over 90 days), {filled.seconds:.0f}s in all:"
    )
    for label, seconds in filled.steps:
        say(f"  {label:<58} {seconds:7.1f}s")
    for table, rows, heap, index in sizes:
        say(f"  {table:<24} {rows:>11,} rows  table {heap:>8}  indexes {index:>8}")
    for name, size, definition in index_sizes:
        say(f"    index {size:>8}  {name} {definition.split(' USING btree ', 1)[-1]}")
    say(
        f"Server: gunicorn {args.workers} sync workers (one request at a time each), "
        "bench.settings (DEBUG off, CONN_MAX_AGE=60, Redis cache db 12, eager Celery, no "
        f"forwarding); 1-minute load average {load_before:.2f} before measuring."
    )
    say("")
    header = (
        f"{'(a) writes':<44} {'statements':>10} {'seconds':>8} {'stmts/s':>8} "
        f"{'median ms':>9} {'p95 ms':>8} {'max ms':>8}"
    )
    say(header)
    say("-" * len(header))
    lrs_rate = posted.statements / posted.seconds
    say(
        f"{f'LRS POST, {args.threads} client threads':<44} {posted.statements:>10,} "
        f"{posted.seconds:>8.2f} {lrs_rate:>8,.0f} {describe_latencies(posted.latencies)}"
    )
    for raw in raws:
        say(
            f"{'raw ' + raw.label:<44} {raw.statements:>10,} {raw.seconds:>8.2f} "
            f"{raw.rate:>8,.0f} {describe_latencies(raw.latencies)}"
        )
    say(
        "latencies per batch of 100 statements (POST: request to response; raw: one "
        "transaction). Each statement also writes 2 agent and 2 activity rows."
    )
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(posted.statuses.items()))
    say(
        f"POST statuses: {statuses}"
        + (
            f"; connection errors: {len(posted.errors)} ({posted.errors[0]})"
            if posted.errors
            else ""
        )
        + (f"; first failure {posted.first_failure}" if posted.first_failure else "")
    )
    baseline = raws[0]
    ratio = lrs_rate / baseline.rate
    say(
        f"ratio LRS / raw insert ({baseline.label}): {ratio:.2f}; "
        f"/ 1-thread bulk_create {lrs_rate / raws[1].rate:.2f}; "
        f"/ COPY {lrs_rate / raws[2].rate:.2f}"
    )
    say(
        f"(raw rows built through statements_store with bulk_create intercepted, untimed: "
        f"{build_seconds:.1f}s for {sum(len(b) for b in raw_rows.values())} batches; "
        f"{deleted:,} raw statements deleted afterwards)"
    )
    say("")
    header = (
        f"{'(b) reads':<44} {'requests':>10} {'returned':>8} {'':>8} "
        f"{'median ms':>9} {'p95 ms':>8} {'max ms':>8}"
    )
    say(header)
    say("-" * len(header))
    returned = statistics.mean(fetched.returned) if fetched.returned else float("nan")
    say(
        f"{'GET agent+verb+since (30 days), sequential':<44} {len(fetched.latencies):>10} "
        f"{returned:>8.1f} {'':>8} {describe_latencies(fetched.latencies)}"
    )
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(fetched.statuses.items()))
    say(
        f"GET statuses: {statuses}; statements returned per GET: mean {returned:.1f}, "
        f"min {min(fetched.returned, default=0)}, max {max(fetched.returned, default=0)}; "
        f"{fetched.more} with a more link"
        + (f"; first failure {fetched.first_failure}" if fetched.first_failure else "")
    )
    say("")
    say(f"EXPLAIN (ANALYZE, BUFFERS) of the query statements_query runs ({explained_rows} rows):")
    say(f"  GET {explained}")
    for line in plan:
        say(f"  {line}")
    say("")
    say("SQL queries per request (in-process, test client):")
    for label, count, shapes, status in per_request:
        say(f"  {label}: {count} queries (status {status})")
        for shape in shapes:
            say(f"    {shape}")
    if profile:
        say("")
        say(profile)
    if log_text:
        say("")
        say(f"gunicorn log (kept at {log_path}), last lines:")
        for line in log_text.splitlines()[-20:]:
            say(f"  {line}")
    say("")
    p95 = percentile([v * 1000 for v in fetched.latencies], 0.95)
    checks = [
        ("statements/s >= 3,000", lrs_rate >= 3000),
        ("ratio to raw insert >= 0.40", ratio >= 0.40),
        ("filtered GET p95 < 200 ms", p95 < 200),
    ]
    say("Targets: " + "; ".join(f"{label}: {'met' if ok else 'NOT met'}" for label, ok in checks))
    say(f"Total time: {time.perf_counter() - started:.0f}s (fill {filled.seconds:.0f}s)")
    say(
        f"RESULT lrs statements_per_s={lrs_rate:.0f} ratio_to_raw_insert={ratio:.2f} "
        f"filtered_get_p95_ms={p95:.1f}"
    )


if __name__ == "__main__":
    main()
