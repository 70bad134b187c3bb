"""Catalogue benchmark: throughput and latency of the course catalogue against a minimal view.

    .venv/bin/python bench/catalogue.py [--courses 10000] [--duration 15] [--reuse]
                                        [--database pan_bench]

1. (Re)creates the PostgreSQL database `pan_bench` (or --database), migrates it and fills it with
   `manage.py generate_network --courses N` (with --reuse, keeps it when it already holds exactly
   N live courses), then VACUUM ANALYZE so the planner sees the loaded tables.
2. Collects static files into a scratch directory (production settings need the manifest).
3. Starts gunicorn on a free loopback port with production-like settings (bench.settings:
   DEBUG off, persistent database connections, Redis cache, no page cache) and measures
   requests/s and median/p95 latency of (a) a minimal Django view, (b) /courses/,
   (c) /courses/ with a search and two filters, (d) one course page, with wrk (or a
   Python load generator when wrk is missing).
   Then starts gunicorn again with the caches on as in production (the page cache for
   visitors without a session and the fragment cache, core/page_cache.py) and measures
   (b)-(d) for a signed-in trainee (a real session of a trainee in Django's session store, its
   cookie sent with every request, so never the page cache) and as an anonymous visitor sees
   them, beside the minimal view again.
4. Counts the SQL queries of each page in-process (Django test Client on the same settings and
   database): anonymous without caches, and the signed-in trainee with the caches on, both on
   the first request after a content change (cold fragments) and on the next one.

It prints a table and, last,
`RESULT catalogue ratio_to_minimal_view=<r> search_p95_ms=<n> max_queries=<n> courses=<n>`,
where the ratio is the lowest of the signed-in trainee's pages, the p95 is the signed-in
trainee's search with two filters and the queries the most any page cost.
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
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)  # import the project (bench.settings...), not bench/'s own modules
PYTHON = sys.executable
DB_NAME = "pan_bench"  # --database replaces it
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own: it gets flushed
SYNTHETIC_SLUG_PREFIX = "syn-"
TRAINEE_EMAIL = "bench-trainee@bench.example"
CSRF_SECRET = "BenchCatalogueCsrf0123456789abcd"  # noqa: S105 (not a password)
PAGE_CACHE_SECONDS = "300"  # the production default


def database_url() -> str:
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{DB_NAME}"


def static_root() -> Path:
    return Path(tempfile.gettempdir()) / f"{DB_NAME}_static"


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
        DATABASE_URL=database_url(),
        DATABASE_CONN_MAX_AGE="60",
        REDIS_URL=cache_url,
        BENCH_STATIC_ROOT=str(static_root()),
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_LOG_LEVEL="WARNING",
        PAN_PAGE_CACHE_SECONDS="0",  # the first pass is uncached
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
    """Live courses in the benchmark's database, or None when it or its tables are missing."""
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
    # Collected every time (a few seconds), --reuse too: a manifest from before a static file
    # was added fails every page that names it.
    root = static_root()
    shutil.rmtree(root, ignore_errors=True)
    start = time.perf_counter()
    manage(env, "collectstatic", "--no-input", "-v0")
    say(f"collectstatic into {root}: {time.perf_counter() - start:.0f}s")


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
    signed_in_queries: int | None = None
    signed_in_cold_queries: int | None = None
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


def bench_trainee() -> str:
    """A trainee account with a complete profile (kept across --reuse) and a fresh signed-in
    session for it in the session store, as a password sign-in leaves it: the session key."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from network.models import User
    from trainees import services as trainee_services
    from trainees.models import TraineeProfile

    user = User.objects.filter(email=TRAINEE_EMAIL).first()
    if user is None:
        user = User(email=TRAINEE_EMAIL, first_name="Ana", last_name="Officer")
        user.set_unusable_password()
        user.save()
    if not TraineeProfile.objects.filter(user=user).exists():
        trainee_services.profile_save(
            user=user,
            given_name="Ana",
            family_name="Petrović",
            given_name_latin="Ana",
            family_name_latin="Petrovic",
            gender="woman",
            country_code="RS",
            institution_other="Police",
            rank_or_position="Inspector",
            preferred_language="en",
        )
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def trainee_cookie(session_key: str) -> str:
    """The Cookie header a trainee's browser sends: the session and the CSRF cookie it was given."""
    from django.conf import settings

    return (
        f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}; {settings.SESSION_COOKIE_NAME}={session_key}"
    )


def count_queries(targets: list[Target], show: bool, session_key: str) -> None:
    """Anonymous pages without any cache, then the signed-in trainee's with the caches on as in
    production: the first request after a content change (cold fragments), then the next."""
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core import page_cache

    def capture(client, url):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}, not 200.")
        return captured, response

    def show_queries(title, url, captured, response):
        if show:
            say(f"\nQueries for {url}, {title} ({len(response.content)} bytes):")
            for query in captured.captured_queries:
                say(f"  [{query['time']}s] {query['sql'][:300]}")

    anonymous = Client(HTTP_HOST="127.0.0.1")
    for target in targets:
        capture(anonymous, target.url)  # warms caches, as a running worker would have them
        captured, response = capture(anonymous, target.url)
        target.queries = len(captured)
        show_queries("anonymous, no cache", target.url, captured, response)

    trainee = Client(HTTP_HOST="127.0.0.1", HTTP_COOKIE=trainee_cookie(session_key))
    previous = settings.PAN_PAGE_CACHE_SECONDS
    settings.PAN_PAGE_CACHE_SECONDS = int(PAGE_CACHE_SECONDS)
    try:
        for target in targets:
            if not target.catalogue:
                continue
            capture(trainee, target.url)  # routing and site caches, as in a running worker
            cache.set(page_cache.VERSION_KEY, time.time_ns(), timeout=None)  # content changed
            captured, response = capture(trainee, target.url)
            target.signed_in_cold_queries = len(captured)
            show_queries("signed-in trainee, cold fragments", target.url, captured, response)
            captured, response = capture(trainee, target.url)
            target.signed_in_queries = len(captured)
            show_queries("signed-in trainee, warm fragments", target.url, captured, response)
            if "Log out" not in response.content.decode():
                raise SystemExit(f"{target.url}: the trainee's session was not accepted.")
    finally:
        settings.PAN_PAGE_CACHE_SECONDS = previous


# ---------------------------------------------------------------------------------------------
# gunicorn
# ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(
    port: int, path: str, timeout: float = 10.0, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
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


def run_wrk(
    wrk: str,
    url: str,
    duration: float,
    connections: int,
    threads: int,
    headers: dict[str, str] | None = None,
) -> Measure:
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
            *[arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")],
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
    port: int,
    path: str,
    duration: float,
    connections: int,
    max_requests: int = 500_000,
    headers: dict[str, str] | None = None,
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
                conn.request("GET", path, headers=headers or {})
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
    parser.add_argument("--courses", type=int, default=10_000, help="courses in the database")
    parser.add_argument("--duration", type=float, default=15, help="seconds of load per page")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of load before each")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--seed", type=int, default=1, help="generate_network seed")
    parser.add_argument("--q", default="cybercrime", help="search word for page (c)")
    parser.add_argument(
        "--database",
        default=DB_NAME,
        help=f"PostgreSQL database to (re)build and serve (default {DB_NAME}); its collected "
        "static files go to a scratch directory named after it",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database (and collected static files) if it holds exactly --courses courses",
    )
    parser.add_argument(
        "--load-generator", choices=["auto", "wrk", "python"], default="auto", help="default auto"
    )
    parser.add_argument("--show-queries", action="store_true", help="print each page's SQL")
    return parser.parse_args()


@dataclass
class Load:
    """One page loaded by one kind of visitor."""

    key: str
    target: Target
    headers: dict[str, str] = field(default_factory=dict)


def measure(args, env, loads: list[Load], wrk, title: str) -> dict[str, Measure]:
    """Start gunicorn with `env`, load each page in turn, stop gunicorn."""
    log_path = Path(tempfile.gettempdir()) / f"pan_bench_gunicorn_{os.getpid()}.log"
    server = Gunicorn(env, args.workers, log_path)
    results: dict[str, Measure] = {}
    say(f"Pass: {title}.")
    try:
        server.start()
        for load in loads:
            status, _body = http_get(server.port, load.target.url, headers=load.headers)
            if status != 200:
                raise SystemExit(
                    f"gunicorn answered {status} for {load.target.url}:\n{server.log_tail()}"
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
        for load in loads:
            path = load.target.url
            url = f"http://127.0.0.1:{server.port}{path}"
            say(f"  {load.key}: {path}")
            if wrk:
                if args.warmup > 0:
                    run_wrk(wrk, url, args.warmup, args.connections, 1, load.headers)
                results[load.key] = run_wrk(
                    wrk, url, args.duration, args.connections, 1, load.headers
                )
            else:
                if args.warmup > 0:
                    run_python(
                        server.port, path, args.warmup, args.connections, headers=load.headers
                    )
                results[load.key] = run_python(
                    server.port, path, args.duration, args.connections, headers=load.headers
                )
    finally:
        server.stop()
        with contextlib.suppress(OSError):
            log_path.unlink()
    return results


def main() -> None:
    global DB_NAME
    args = parse_args()
    DB_NAME = args.database
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
    session_key = bench_trainee()
    count_queries(targets, args.show_queries, session_key)
    catalogue = [t for t in targets if t.catalogue]
    signed_in = {"Cookie": trainee_cookie(session_key)}

    load_before = os.getloadavg()[0]
    if load_before > 0.7:
        say(
            f"Note: load average {load_before:.2f} before measuring; other processes compete "
            "for the CPU and lower every figure."
        )
    minimal = targets[0]
    results = measure(
        args,
        env,
        [Load(t.key, t) for t in targets],
        wrk,
        "no page cache, no fragment cache (anonymous visitors)",
    )
    cached_env = {**env, "PAN_PAGE_CACHE_SECONDS": PAGE_CACHE_SECONDS}
    cached = measure(
        args,
        cached_env,
        [Load("a2", minimal)]
        + [Load(f"{t.key}-trainee", t, signed_in) for t in catalogue]
        + [Load(f"{t.key}-cached", t) for t in catalogue],
        wrk,
        "caches on as in production: signed-in trainee, then anonymous visitors",
    )

    baseline = results["a"].rps or float("nan")
    say("")
    say(f"Database: {database_note}.")
    say(
        f"Server: gunicorn, {args.workers} sync workers, bench.settings (production, DEBUG off, "
        f"CONN_MAX_AGE=60, cache {'Redis' if env['REDIS_URL'] else 'local memory'}), "
        f"{os.cpu_count()} CPU cores shared with PostgreSQL and the load generator "
        f"(1-minute load average {load_before:.2f} before measuring)."
    )
    say(
        f"Minimal view: {results['a'].rps:.1f} req/s in the first pass, {cached['a2'].rps:.1f} "
        "in the second; ratios are to the first."
    )
    header = (
        f"{'page':<17} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} {'ratio':>6} "
        f"{'queries':>8} {'errors':>7}  url"
    )

    def row(target: Target, m: Measure, queries) -> None:
        say(
            f"({target.key}) {target.label:<13} {m.rps:>8.1f} {m.median_ms:>10.1f} "
            f"{m.p95_ms:>8.1f} {m.rps / baseline:>6.3f} {queries!s:>8} {m.errors:>7}  "
            f"{target.url}" + (f"  [{target.note}]" if target.note else "")
        )

    say("")
    say("Signed-in trainee (session cookie; fresh pages, fragment cache on; queries warm/cold):")
    say(header)
    say("-" * len(header))
    row(minimal, results["a"], 0)
    for target in catalogue:
        queries = f"{target.signed_in_queries}/{target.signed_in_cold_queries}"
        row(target, cached[f"{target.key}-trainee"], queries)
    say("")
    say("Anonymous visitors, no page cache and no fragment cache:")
    for target in catalogue:
        row(target, results[target.key], target.queries)
    say("")
    say("Anonymous visitors with the page cache (Redis):")
    for target in catalogue:
        row(target, cached[f"{target.key}-cached"], 0)
    uncached_ratio = min(results[t.key].rps / baseline for t in catalogue)
    cached_ratio = min(cached[f"{t.key}-cached"].rps / baseline for t in catalogue)
    say(
        f"anonymous uncached ratio_to_minimal_view={uncached_ratio:.3f}, "
        f"page cache ratio_to_minimal_view={cached_ratio:.3f}"
    )
    say("")
    ratio = min(cached[f"{t.key}-trainee"].rps / baseline for t in catalogue)
    search_p95 = cached["c-trainee"].p95_ms
    max_queries = max(
        max(t.queries, t.signed_in_queries, t.signed_in_cold_queries) for t in catalogue
    )
    say(
        f"RESULT catalogue ratio_to_minimal_view={ratio:.3f} search_p95_ms={search_p95:.0f} "
        f"max_queries={max_queries} courses={args.courses}"
    )


if __name__ == "__main__":
    main()
