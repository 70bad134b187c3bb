"""Catalogue benchmark: throughput and latency of the course catalogue against a minimal view.

    .venv/bin/python bench/catalogue.py [--courses 10000] [--duration 15] [--reuse]

1. (Re)creates the PostgreSQL database `pan_bench`, migrates it and fills it with
   `manage.py generate_network --courses N` (with --reuse, keeps it when it already holds exactly
   N live courses), then VACUUM ANALYZE so the planner sees the loaded tables.
2. Collects static files into a scratch directory (production settings need the manifest).
3. Starts gunicorn on a free loopback port with production-like settings (bench.settings:
   DEBUG off, persistent database connections, Redis cache, no page cache) and measures
   requests/s and median/p95 latency of (a) a minimal Django view, (b) /courses/,
   (c) /courses/ with a search and two filters, (d) one course page, with wrk (or a
   Python load generator when wrk is missing).
   Then starts gunicorn again with the page cache on (pan_network/page_cache.py) and measures
   (b)-(d) as an anonymous visitor sees them; the RESULT line stays the uncached figure.
4. Counts the SQL queries of each page in-process (Django test Client on the same settings and
   database, second request, i.e. with warm caches).

It prints a table and, last, `RESULT catalogue ratio_to_minimal_view=<r> max_queries=<n>`.
It asserts nothing. gunicorn is always stopped, also on errors.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)  # import the project (bench.settings...), not bench/'s own modules
PYTHON = sys.executable
DB_NAME = "pan_bench"
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{DB_NAME}"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own: it gets flushed
STATIC_ROOT = Path(tempfile.gettempdir()) / "pan_bench_static"
SYNTHETIC_SLUG_PREFIX = "syn-"

WRK_SCRIPT = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCHJSON {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %d, \"p95_us\": %d, " ..
    "\"connect\": %d, \"read\": %d, \"write\": %d, \"status\": %d, \"timeout\": %d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def say(message: str = "") -> None:
    print(message, flush=True)


# ---------------------------------------------------------------------------------------------
# Environment, database, static files
# ---------------------------------------------------------------------------------------------


def redis_url() -> str:
    url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return url
    except OSError:
        say(f"Redis not reachable at {url}: using the in-process memory cache instead.")
        return ""


def bench_env(cache_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=DATABASE_URL,
        DATABASE_CONN_MAX_AGE="60",
        REDIS_URL=cache_url,
        BENCH_STATIC_ROOT=str(STATIC_ROOT),
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="WARNING",
        PAN_PAGE_CACHE_SECONDS="0",  # the headline figures are uncached
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
    )
    env.setdefault("DJANGO_SECRET_KEY", "bench-only-insecure-key-never-use-in-production-0123")
    env.pop("CELERY_BROKER_URL", None)  # tasks run eagerly during generation
    return env


def manage(env: dict[str, str], *arguments: str, timeout: int = 1800) -> None:
    say(f"$ manage.py {' '.join(arguments)}")
    subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [PYTHON, str(ROOT / "manage.py"), *arguments],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=timeout,
    )


def pg_connect(dbname: str):
    import psycopg

    return psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=dbname, autocommit=True, connect_timeout=5
    )


def database_recreate(name: str) -> None:
    """Drop and create a benchmark's own database (its connections are ended first)."""
    with pg_connect("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def redis_flush(url: str) -> None:
    """Empty the Redis database a benchmark uses as its cache."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        raise SystemExit(f"Redis not usable at {url}: {error}") from None


def existing_course_count() -> int | None:
    """Live courses in pan_bench, or None when the database or its tables are missing."""
    import psycopg

    try:
        with pg_connect(DB_NAME) as conn:
            row = conn.execute(
                "SELECT count(*) FROM courses_coursepage c "
                "JOIN wagtailcore_page p ON p.id = c.page_ptr_id WHERE p.live"
            ).fetchone()
            facets = conn.execute("SELECT count(*) FROM courses_coursefacet").fetchone()
            return row[0] if facets[0] else None
    except psycopg.Error:
        return None


def prepare_database(args, env: dict[str, str]) -> str:
    """Returns a line describing what was done (with the generation time)."""
    if args.reuse:
        count = existing_course_count()
        if count == args.courses:
            say(f"Reusing database {DB_NAME}: it holds {count} live courses.")
            manage(env, "migrate", "--no-input", "-v0")
            return f"reused {DB_NAME} ({count} live courses)"
        say(
            f"--reuse: {DB_NAME} holds {count if count is not None else 'no'} live courses, "
            f"not {args.courses}; rebuilding it."
        )
    database_recreate(DB_NAME)
    start = time.perf_counter()
    manage(env, "migrate", "--no-input", "-v0")
    migrated = time.perf_counter()
    manage(env, "generate_network", "--courses", str(args.courses), "--seed", str(args.seed))
    generated = time.perf_counter()
    with pg_connect(DB_NAME) as conn:
        conn.execute("VACUUM ANALYZE")
    analysed = time.perf_counter()
    return (
        f"built {DB_NAME}: migrate {migrated - start:.0f}s, generate_network --courses "
        f"{args.courses} {generated - migrated:.0f}s, VACUUM ANALYZE {analysed - generated:.0f}s"
    )


def collect_static(args, env: dict[str, str]) -> None:
    if args.reuse and (STATIC_ROOT / "staticfiles.json").exists():
        say(f"Reusing collected static files in {STATIC_ROOT}.")
        return
    shutil.rmtree(STATIC_ROOT, ignore_errors=True)
    start = time.perf_counter()
    manage(env, "collectstatic", "--no-input", "-v0")
    say(f"collectstatic into {STATIC_ROOT}: {time.perf_counter() - start:.0f}s")


# ---------------------------------------------------------------------------------------------
# In-process Django: choosing URLs and counting queries
# ---------------------------------------------------------------------------------------------


def django_setup(env: dict[str, str]) -> None:
    for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DATABASE_CONN_MAX_AGE", "REDIS_URL"):
        os.environ[key] = env[key]
    for key in (
        "BENCH_STATIC_ROOT",
        "DJANGO_SECRET_KEY",
        "DJANGO_SECURE_SSL_REDIRECT",
        "PAN_PAGE_CACHE_SECONDS",
    ):
        os.environ[key] = env[key]
    os.environ["DJANGO_LOG_LEVEL"] = env["DJANGO_LOG_LEVEL"]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


@dataclass
class Target:
    key: str
    label: str
    url: str
    catalogue: bool
    queries: int | None = None
    note: str = ""


def choose_targets(word: str) -> list[Target]:
    from django.core.cache import cache
    from django.http import QueryDict

    from courses.catalogue import parse_catalogue_query
    from courses.models import CatalogueIndexPage, CoursePage, Level
    from courses.selectors import catalogue_search

    cache.clear()  # the database was rebuilt: forget cached site root paths and the like
    catalogue = CatalogueIndexPage.objects.live().first()
    if catalogue is None:
        raise SystemExit("No live catalogue page: did the migrations run?")
    catalogue_url = catalogue.get_url()
    locale = catalogue.locale

    def total(params: list[tuple[str, str]]) -> int:
        query = parse_catalogue_query(QueryDict(urlencode(params)))
        return catalogue_search(locale=locale, query=query).total

    all_total = total([])
    best = None
    for level in Level.values:
        params = [("q", word), ("level", level), ("language", "en")]
        n = total(params)
        if best is None or n > best[0]:
            best = (n, params)
    filtered_total, filtered_params = best
    courses = CoursePage.objects.live().filter(institution__slug__startswith=SYNTHETIC_SLUG_PREFIX)
    n_courses = courses.count()
    course = courses.order_by("pk")[n_courses // 2] if n_courses else None
    if course is None:
        course = CoursePage.objects.live().order_by("pk").first()
    if course is None:
        raise SystemExit("No live course in the database.")
    return [
        Target("a", "minimal view", "/bench/minimal/", False),
        Target("b", "catalogue", catalogue_url, True, note=f"{all_total} courses"),
        Target(
            "c",
            "search+filters",
            f"{catalogue_url}?{urlencode(filtered_params)}",
            True,
            note=f"{filtered_total} courses",
        ),
        Target("d", "course page", course.get_url(), True, note=course.title[:40]),
    ]


def count_queries(targets: list[Target], show: bool) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    for target in targets:
        first = client.get(target.url)  # warms caches, as a running worker would have them
        if first.status_code != 200:
            raise SystemExit(f"{target.url} answered {first.status_code}, not 200.")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(target.url)
        target.queries = len(captured)
        if show:
            say(f"\nQueries for {target.url} ({len(response.content)} bytes):")
            for query in captured.captured_queries:
                say(f"  [{query['time']}s] {query['sql'][:300]}")


# ---------------------------------------------------------------------------------------------
# gunicorn
# ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(port: int, path: str, timeout: float = 10.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Gunicorn:
    def __init__(self, env: dict[str, str], workers: int, log_path: Path):
        self.env, self.workers, self.log_path = env, workers, log_path
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        executable = Path(PYTHON).parent / "gunicorn"
        base = [str(executable)] if executable.exists() else [PYTHON, "-m", "gunicorn"]
        command = [
            *base,
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--chdir",
            str(ROOT),
            "--error-logfile",
            str(self.log_path),
            "--log-level",
            "warning",
            "--no-control-socket",
        ]
        shm = Path("/dev/shm")  # noqa: S108 (gunicorn's heartbeat files, as its docs advise)
        if shm.is_dir():
            command += ["--worker-tmp-dir", str(shm)]
        say(f"Starting gunicorn: {self.workers} sync workers on 127.0.0.1:{self.port}")
        # A session of its own: stopped as a group, and out of reach of the terminal's Ctrl-C
        # so that our own clean-up does it.
        self.process = subprocess.Popen(  # noqa: S603 (the venv's gunicorn, fixed arguments)
            command, env=self.env, cwd=ROOT, start_new_session=True, stdin=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                if http_get(self.port, "/bench/minimal/", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within 60s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        pgid = self.process.pid  # the session leader: its process group id is its pid
        try:
            os.killpg(pgid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass
        # Workers are in the same group; make sure none outlived the arbiter.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        say("gunicorn stopped.")


# ---------------------------------------------------------------------------------------------
# Load generation
# ---------------------------------------------------------------------------------------------


@dataclass
class Measure:
    rps: float
    median_ms: float
    p95_ms: float
    requests: int
    errors: int


def run_wrk(wrk: str, url: str, duration: float, connections: int, threads: int) -> Measure:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        command = [
            wrk,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
            url,
        ]
        done = subprocess.run(  # noqa: S603 (wrk from PATH, fixed arguments)
            command, capture_output=True, text=True, timeout=duration + 60, check=True
        )
    finally:
        os.unlink(script.name)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCHJSON ")), None)
    if line is None:
        raise SystemExit(f"Unexpected wrk output:\n{done.stdout}\n{done.stderr}")
    data = json.loads(line.removeprefix("BENCHJSON "))
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Measure(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        median_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        requests=data["requests"],
        errors=errors,
    )


def run_python(
    port: int, path: str, duration: float, connections: int, max_requests: int = 500_000
) -> Measure:
    """Fallback load generator: `connections` threads, each issuing requests back to back."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + duration
    counter = [0]

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        local: list[float] = []
        while True:
            with lock:
                if counter[0] >= max_requests:
                    break
                counter[0] += 1
            start = time.perf_counter()
            if start >= deadline:
                break
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                conn.close()
                continue
            local.append(time.perf_counter() - start)
        conn.close()
        with lock:
            latencies.extend(local)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 30)
    elapsed = time.perf_counter() - started
    if not latencies:
        return Measure(0.0, 0.0, 0.0, 0, errors[0])
    latencies.sort()
    return Measure(
        rps=len(latencies) / elapsed,
        median_ms=statistics.median(latencies) * 1000,
        p95_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))] * 1000,
        requests=len(latencies),
        errors=errors[0],
    )


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--courses", type=int, default=10_000, help="courses in pan_bench")
    parser.add_argument("--duration", type=float, default=15, help="seconds of load per page")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of load before each")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--seed", type=int, default=1, help="generate_network seed")
    parser.add_argument("--q", default="cybercrime", help="search word for page (c)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep pan_bench (and collected static files) if it holds exactly --courses courses",
    )
    parser.add_argument(
        "--load-generator", choices=["auto", "wrk", "python"], default="auto", help="default auto"
    )
    parser.add_argument("--show-queries", action="store_true", help="print each page's SQL")
    return parser.parse_args()


def measure(args, env, targets, wrk, title: str) -> dict[str, Measure]:
    """Start gunicorn with `env`, load each target in turn, stop gunicorn."""
    log_path = Path(tempfile.gettempdir()) / f"pan_bench_gunicorn_{os.getpid()}.log"
    server = Gunicorn(env, args.workers, log_path)
    results: dict[str, Measure] = {}
    say(f"Pass: {title}.")
    try:
        server.start()
        for target in targets:
            status, _body = http_get(server.port, target.url)
            if status != 200:
                raise SystemExit(
                    f"gunicorn answered {status} for {target.url}:\n{server.log_tail()}"
                )
        generator = (
            f"wrk -t1 -c{args.connections}"
            if wrk
            else f"Python threads x{args.connections} (http.client)"
        )
        say(
            f"Load: {generator}, {args.warmup:g}s warm-up then {args.duration:g}s per page, "
            "one page at a time."
        )
        for target in targets:
            url = f"http://127.0.0.1:{server.port}{target.url}"
            say(f"  ({target.key}) {target.url}")
            if wrk:
                if args.warmup > 0:
                    run_wrk(wrk, url, args.warmup, args.connections, 1)
                results[target.key] = run_wrk(wrk, url, args.duration, args.connections, 1)
            else:
                if args.warmup > 0:
                    run_python(server.port, target.url, args.warmup, args.connections)
                results[target.key] = run_python(
                    server.port, target.url, args.duration, args.connections
                )
    finally:
        server.stop()
        with contextlib.suppress(OSError):
            log_path.unlink()
    return results


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks

    wrk = shutil.which("wrk") if args.load_generator != "python" else None
    if args.load_generator == "wrk" and wrk is None:
        raise SystemExit(
            "wrk not found: install it (apt-get install -y wrk) or drop --load-generator"
        )
    if wrk is None and args.load_generator == "auto":
        say(
            "wrk not found (apt-get install -y wrk): falling back to the built-in Python load "
            "generator. It shares the 2 cores less efficiently; absolute figures will be lower."
        )

    env = bench_env(redis_url())
    database_note = prepare_database(args, env)
    collect_static(args, env)
    django_setup(env)
    targets = choose_targets(args.q)
    count_queries(targets, args.show_queries)

    load_before = os.getloadavg()[0]
    if load_before > 0.7:
        say(
            f"Note: load average {load_before:.2f} before measuring; other processes compete "
            "for the CPU and lower every figure."
        )
    results = measure(args, env, targets, wrk, "uncached")
    cached_env = {**env, "PAN_PAGE_CACHE_SECONDS": "300"}
    cached_targets = [t for t in targets if t.catalogue]
    cached = measure(args, cached_env, cached_targets, wrk, "page cache on (anonymous visitors)")

    baseline = results["a"].rps or float("nan")
    say("")
    say(f"Database: {database_note}.")
    say(
        f"Server: gunicorn, {args.workers} sync workers, bench.settings (production, DEBUG off, "
        f"CONN_MAX_AGE=60, cache {'Redis' if env['REDIS_URL'] else 'local memory'}), "
        f"{os.cpu_count()} CPU cores shared with PostgreSQL and the load generator "
        f"(1-minute load average {load_before:.2f} before measuring)."
    )
    say("")
    header = (
        f"{'page':<17} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} {'ratio':>6} "
        f"{'queries':>8} {'errors':>7}  url"
    )
    say(header)
    say("-" * len(header))
    for target in targets:
        m = results[target.key]
        say(
            f"({target.key}) {target.label:<13} {m.rps:>8.1f} {m.median_ms:>10.1f} "
            f"{m.p95_ms:>8.1f} {m.rps / baseline:>6.3f} {target.queries:>8} {m.errors:>7}  "
            f"{target.url}" + (f"  [{target.note}]" if target.note else "")
        )
    say("")
    say("With the page cache on (anonymous visitors, Redis; same minimal-view baseline):")
    for target in cached_targets:
        m = cached[target.key]
        say(
            f"({target.key}) {target.label:<13} {m.rps:>8.1f} {m.median_ms:>10.1f} "
            f"{m.p95_ms:>8.1f} {m.rps / baseline:>6.3f} {0:>8} {m.errors:>7}  {target.url}"
        )
    cached_ratio = min(cached[t.key].rps / baseline for t in cached_targets)
    say(f"cached ratio_to_minimal_view={cached_ratio:.2f}")
    say("")
    catalogue = [t for t in targets if t.catalogue]
    ratio = min(results[t.key].rps / baseline for t in catalogue)
    max_queries = max(t.queries for t in catalogue)
    say(f"RESULT catalogue ratio_to_minimal_view={ratio:.2f} max_queries={max_queries}")


if __name__ == "__main__":
    main()
