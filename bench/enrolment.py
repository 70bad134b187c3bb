"""Enrolment benchmark: a race for the places of one run, and saving a whole attendance register.

    .venv/bin/python bench/enrolment.py [--requests 1000] [--places 50] [--repeats 100]
                                        [--threads 150] [--workers 2] [--worker-threads 16]
                                        [--lines 200] [--rounds 5] [--seed 1]

(a) The race. The PostgreSQL database `pan_bench_enrolment` is dropped, created and migrated
    (it is separate from the catalogue benchmark's `pan_bench`), and Redis database 13 (the
    cache) is flushed. In-process, one institution, course and open run with --places places
    are created, with (--requests - --repeats) trainees holding complete profiles, and a
    signed-in session for each (written straight to the session store, no sign-in over HTTP).
    gunicorn serves bench.settings (production-like: DEBUG off, persistent connections, Redis
    cache, Celery tasks run eagerly in-process, e-mail to the dummy backend) with threaded
    workers, so that many requests are in flight at once. A few other trainees first enrol in
    a separate warm-up run (the first of them checks that the session and CSRF set-up works:
    302 to the run page and an enrolment in the database).
    Then --requests POSTs to /my/runs/<run>/enrol/ are fired from --threads client threads
    released together by a barrier, each request on a connection of its own: one request per
    trainee in shuffled order, plus --repeats trainees whose second request comes right after
    their first, so that the two are taken by two threads at the same moment. The CSRF check
    passes with a fixed 32-character secret sent as both the csrftoken cookie and the
    X-CSRFToken header. The same number of GETs of the minimal view /bench/minimal/ (anonymous,
    no database), fired the same way at the same server, is the baseline.
    Figures: wall-clock seconds from the barrier to the last response, latencies, HTTP statuses
    and where the redirects went, the most requests in flight (client side) and the most open
    and lock-waiting transactions PostgreSQL saw; then, from the database, the run's trainee
    enrolments by state. "duplicates" is the sum of two things that must never happen:
    trainees holding more than one enrolment row in the run (the unique constraint should make
    this impossible) and enrolled trainees beyond the run's places. Both are printed apart.
(b) The register. In-process on the same database, gunicorn stopped: a run with --lines places
    and five sessions, --lines trainees enrolled through enrolments_import. Saving a register of
    --lines lines (present, late, absent and excused mixed) with trainees.services.register_save
    is timed against a naive loop of Attendance.objects.update_or_create, one call per line,
    inside one transaction (so that both are all-or-nothing). Each is run --rounds times on a
    session of its own (the first round inserts the lines, the later ones change every
    status) and timed with time.perf_counter() outside any query capture; queries are counted
    with CaptureQueriesContext on two more sessions (first save and re-save).

It prints tables, `RESULT register_save lines=<n> queries=<n> ms=<ms> baseline_queries=<n>
baseline_ms=<ms>` and, last, `RESULT enrolment_race enrolled=<n> waitlisted=<n> duplicates=<n>
seconds=<s>`. It asserts nothing. gunicorn is always stopped, also on errors and Ctrl-C; its
log is kept (and its path printed) only when it shows errors.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import logging
import os
import random
import re
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

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
    http_get,
    manage,
    pg_connect,
    redis_flush,
    say,
)

DB_NAME = "pan_bench_enrolment"
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{DB_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own: it gets flushed
STATIC_ROOT = Path(tempfile.gettempdir()) / "pan_bench_enrolment_static"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# Django accepts an unmasked 32-character secret in both the cookie and the header.
CSRF_SECRET = "BenchEnrolmentCsrf0123456789abcd"  # noqa: S105 (not a password)
COUNTRY_CODES = ("RS", "GE", "AM", "KZ", "UA")
STATUSES = ("present", "late", "absent", "excused")


# ---------------------------------------------------------------------------------------------
# Database, cache, static files
# ---------------------------------------------------------------------------------------------


def recreate_database(env: dict[str, str]) -> float:
    database_recreate(DB_NAME)
    start = time.perf_counter()
    manage(env, "migrate", "--no-input", "-v0")
    return time.perf_counter() - start


def collect_static(env: dict[str, str]) -> str:
    """Production storage needs the manifest as soon as a template says {% static %} (error
    pages, say). Collected into a scratch directory of our own at every run (a few seconds;
    files already there are kept), so that a static file added since is in the manifest."""
    start = time.perf_counter()
    manage(env, "collectstatic", "--no-input", "-v0")
    return f"collected into {STATIC_ROOT} in {time.perf_counter() - start:.0f}s"


# ---------------------------------------------------------------------------------------------
# In-process set-up (after django_setup)
# ---------------------------------------------------------------------------------------------


@dataclass
class Network:
    race_run: object
    warmup_run: object
    register_run: object
    trainees: list  # users in the race (and, the first --lines of them, in the register)
    warmup_trainees: list
    coordinator: object
    seconds: float


def publish_child(parent, page):
    """Add a page under `parent` and publish it through a revision, as editors do."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def make_trainees(prefix: str, count: int) -> list:
    """Accounts without a usable password, each with a complete profile (the profile service
    validates every field)."""
    from network.models import User
    from trainees import services as trainee_services

    users = [
        User(email=f"{prefix}{i:04d}@bench.example", first_name="Ana", last_name=f"Officer{i}")
        for i in range(count)
    ]
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users, batch_size=500)
    for i, user in enumerate(users):
        trainee_services.profile_save(
            user=user,
            given_name="Ana" if i % 2 else "Marko",
            family_name="Petrović",
            given_name_latin="Ana" if i % 2 else "Marko",
            family_name_latin="Petrovic",
            gender="woman" if i % 2 else "man",
            country_code=COUNTRY_CODES[i % len(COUNTRY_CODES)],
            institution_other="Police",
            rank_or_position="Inspector",
            preferred_language="en",
        )
    return users


def bench_course(*, title: str, summary: str):
    """The site, one academy in Serbia, a curriculum and a published course: (institution,
    Serbia, course). Shared by the benchmarks that need a course to run."""
    from courses.models import CoursePage, CurriculumPage
    from network import services as network_services
    from network.models import Country, Institution
    from website import services as website_services

    website_services.site_ensure()
    serbia = Country.objects.get(code="RS")
    institution = network_services.institution_create(
        name="Bench Academy",
        kind=Institution.Kind.ACADEMY,
        country=serbia,
        city="Belgrade",
        working_languages=["en"],
    )
    curriculum = publish_child(
        institution.page,
        CurriculumPage(title="Bench curriculum", slug="bench-curriculum", summary="Benchmarks."),
    )
    course = publish_child(
        curriculum,
        CoursePage(
            title=title,
            slug="bench-course",
            summary=summary,
            duration_hours=24,
            languages=["en"],
            delivery_modes=["residential"],
            target_audience=["police"],
            level="introductory",
        ),
    )
    return institution, serbia, course


def build_network(args, trainees: int, warmup: int) -> Network:
    from courses import services as course_services
    from network.models import User

    start = time.perf_counter()
    institution, serbia, course = bench_course(
        title="Bench course", summary="A course whose places are raced for."
    )
    first_day = dt.date.today() + dt.timedelta(days=10)

    def run(title: str, capacity: int, sessions: int):
        return course_services.run_create(
            course=course,
            organiser=institution,
            title=title,
            delivery_mode="residential",
            language="en",
            host_country=serbia,
            venue="Bench",
            start_date=first_day,
            end_date=first_day + dt.timedelta(days=2),
            capacity=capacity,
            enrolment_policy="open",
            time_zone="Europe/Belgrade",
            sessions=[
                {
                    "date": first_day + dt.timedelta(days=i % 3),
                    "start_time": dt.time(9 + 4 * (i // 3), 0),
                    "duration_minutes": 180,
                    "topic": f"Session {i + 1}",
                }
                for i in range(sessions)
            ],
        )

    race_run = run("Bench race", args.places, 1)
    warmup_run = run("Bench warm-up", warmup, 1)
    register_run = run("Bench register", args.lines, 5)
    coordinator = User.objects.create_user(email="coordinator@bench.example", password=None)
    return Network(
        race_run=race_run,
        warmup_run=warmup_run,
        register_run=register_run,
        trainees=make_trainees("trainee", trainees),
        warmup_trainees=make_trainees("warmup", warmup),
        coordinator=coordinator,
        seconds=time.perf_counter() - start,
    )


def signed_in_sessions(users: list) -> dict[int, str]:
    """{user id: session key} of a signed-in session per user, as a password sign-in leaves it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    keys = {}
    for user in users:
        store = store_class()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        keys[user.pk] = store.session_key
    return keys


def enrol_path(run) -> str:
    from django.urls import reverse

    return reverse("trainees:run_enrol", args=[run.pk])


def run_path(run) -> str:
    from django.urls import reverse

    return reverse("run_detail", args=[run.pk])


def post_headers(session_key: str) -> dict[str, str]:
    from django.conf import settings

    return {
        "Cookie": f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}; "
        f"{settings.SESSION_COOKIE_NAME}={session_key}",
        "X-CSRFToken": CSRF_SECRET,
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": "0",
    }


# ---------------------------------------------------------------------------------------------
# Firing requests
# ---------------------------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Fired:
    seconds: float
    statuses: Counter
    codes: list[int | None]  # per request, None when the connection failed
    locations: list[str]
    latencies: list[float]
    errors: list[str]
    max_in_flight: int

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


def send(port: int, request: Request, timeout: float = 120.0) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(
            request.method, request.path, headers={**request.headers, "Connection": "close"}
        )
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        conn.close()


def fire(port: int, requests: list[Request], threads: int) -> Fired:
    """Send every request from `threads` threads released together, one connection each;
    seconds run from the release to the last response."""
    lock = threading.Lock()
    pending = iter(range(len(requests)))
    statuses: list[int | None] = [None] * len(requests)
    locations = [""] * len(requests)
    latencies: list[float] = []
    errors: list[str] = []
    in_flight = [0, 0]  # now, most
    clock = {"start": 0.0, "end": 0.0}

    def release() -> None:
        clock["start"] = time.perf_counter()

    count = max(1, min(threads, len(requests)))
    barrier = threading.Barrier(count, action=release)

    def worker() -> None:
        barrier.wait()
        while True:
            with lock:
                index = next(pending, None)
                if index is None:
                    return
                in_flight[0] += 1
                in_flight[1] = max(in_flight[1], in_flight[0])
            started = time.perf_counter()
            try:
                status, location = send(port, requests[index])
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")
                    in_flight[0] -= 1
                continue
            finished = time.perf_counter()
            with lock:
                statuses[index], locations[index] = status, location
                latencies.append(finished - started)
                clock["end"] = max(clock["end"], finished)
                in_flight[0] -= 1

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(count)]
    for thread in pool:
        thread.start()
    for thread in pool:
        while thread.is_alive():
            thread.join(timeout=0.5)
    return Fired(
        seconds=clock["end"] - clock["start"],
        statuses=Counter(s for s in statuses if s is not None),
        codes=statuses,
        locations=locations,
        latencies=latencies,
        errors=errors,
        max_in_flight=in_flight[1],
    )


class PostgresSampler:
    """Samples pg_stat_activity while requests are fired: the most transactions open at once
    and the most waiting for a lock (the run's row lock, here)."""

    QUERY = (
        "SELECT count(*) FILTER (WHERE state <> 'idle'), "
        "count(*) FILTER (WHERE wait_event_type = 'Lock') FROM pg_stat_activity "
        "WHERE datname = %s AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
    )

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.open = self.waiting = self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psycopg

        try:
            with pg_connect(DB_NAME) as conn:
                while not self._stop.is_set():
                    open_, waiting = conn.execute(self.QUERY, (DB_NAME,)).fetchone()
                    self.open, self.waiting = max(self.open, open_), max(self.waiting, waiting)
                    self.samples += 1
                    self._stop.wait(self.interval)
        except psycopg.Error as error:  # the figures are extras: say so, measure on
            say(f"pg_stat_activity sampling stopped: {error}")

    def __enter__(self) -> PostgresSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def worker_threads(arbiter_pid: int) -> list[int]:
    """Threads of each gunicorn worker process (Linux /proc; empty elsewhere)."""
    counts = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if ppid == arbiter_pid:
                counts.append(sum(1 for _ in (entry / "task").iterdir()))
        except (OSError, ValueError, IndexError):
            continue
    return sorted(counts)


@dataclass
class LogSummary:
    """What gunicorn's log (which also captures Django's own log) says went wrong."""

    markers: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)  # "Internal Server Error: <path>" lines
    exceptions: Counter = field(default_factory=Counter)  # final lines of tracebacks
    sites: Counter = field(default_factory=Counter)  # innermost project frame of each error
    first_deadlock: str = ""

    def __bool__(self) -> bool:
        return bool(self.markers or self.errors or self.exceptions)


FRAME = re.compile(r'File "(?P<path>[^"]+)", line (?P<line>\d+), in (?P<function>\S+)')
EXCEPTION = re.compile(r"^(?P<name>[A-Za-z_][\w.]*(?:Error|Exception|Detected|Retry|Timeout))\b")


def project_frame(line: str) -> str:
    match = FRAME.search(line)
    if not match or "/site-packages/" in match["path"]:
        return ""
    with contextlib.suppress(ValueError):
        path = Path(match["path"]).resolve().relative_to(ROOT)
        return f"{path}:{match['line']} {match['function']}"
    return ""


def log_summary(log_path: Path) -> LogSummary:
    try:
        lines = log_path.read_text(errors="replace").splitlines()
    except OSError:
        return LogSummary()
    summary = LogSummary()
    markers = ("WORKER TIMEOUT", "CRITICAL", "Forbidden", "Error handling request")
    summary.markers = Counter(m for line in lines for m in markers if m in line)
    summary.exceptions = Counter(
        match["name"] for line in lines if (match := EXCEPTION.match(line))
    )
    starts = [i for i, line in enumerate(lines) if line.startswith("Internal Server Error: ")]
    for n, start in enumerate(starts):
        summary.errors[lines[start].split(": ", 1)[1]] += 1
        entry = lines[start : starts[n + 1] if n + 1 < len(starts) else len(lines)]
        # The first traceback of the chain holding project code ends where the error arose.
        blocks, block = [], []
        for line in entry:
            if line.startswith("Traceback (most recent call last)"):
                blocks.append(block)
                block = []
            elif frame := project_frame(line):
                block.append(frame)
        blocks.append(block)
        site = next((b[-1] for b in blocks if b), "no project frame")
        summary.sites[site] += 1
    first = next((i for i, line in enumerate(lines) if "deadlock detected" in line), None)
    if first is not None:
        detail = []
        for line in lines[first + 1 : first + 12]:
            if line.startswith("HINT"):
                break
            detail.append(line)
        summary.first_deadlock = name_relations("\n".join(detail))
    return summary


def name_relations(text: str) -> str:
    """PostgreSQL names tables by oid in deadlock reports: add their names."""
    oids = set(re.findall(r"relation (\d+)", text))
    if not oids:
        return text
    with contextlib.suppress(Exception), pg_connect(DB_NAME) as conn:
        for oid in oids:
            (name,) = conn.execute("SELECT %s::oid::regclass::text", (int(oid),)).fetchone()
            if name != oid:
                text = text.replace(f"relation {oid} ", f"relation {oid} ({name}) ")
    return text


# ---------------------------------------------------------------------------------------------
# Part (a): the race
# ---------------------------------------------------------------------------------------------


@dataclass
class Race:
    minimal: Fired
    enrol: Fired
    minimal_pg: PostgresSampler
    enrol_pg: PostgresSampler
    senders: list  # the user id of each enrolment request
    threads_per_worker: list[int]
    log: LogSummary
    log_path: Path | None


def race_requests(args, network: Network, keys: dict[int, str]) -> tuple[list[Request], list]:
    """The requests, and the user id of each."""
    rng = random.Random(args.seed)
    users = list(network.trainees)
    rng.shuffle(users)
    repeated = {user.pk for user in rng.sample(users, args.repeats)}
    path = enrol_path(network.race_run)
    requests, senders = [], []
    for user in users:
        for _ in range(2 if user.pk in repeated else 1):
            # A repeat comes right behind the first request: both are taken at the same moment.
            requests.append(Request("POST", path, post_headers(keys[user.pk])))
            senders.append(user.pk)
    return requests, senders


def check_setup(port: int, network: Network, keys: dict[int, str], log_tail) -> None:
    """One enrolment by hand: it must redirect to the run page and leave an enrolment."""
    from trainees.models import Enrolment

    user = network.warmup_trainees[0]
    request = Request("POST", enrol_path(network.warmup_run), post_headers(keys[user.pk]))
    status, location = send(port, request)
    enrolment = Enrolment.objects.filter(run=network.warmup_run, user=user).first()
    if status != 302 or urlsplit(location).path != run_path(network.warmup_run) or not enrolment:
        raise SystemExit(
            f"Set-up check failed: POST {request.path} answered {status} to {location!r}; "
            f"enrolment: {enrolment}.\n{log_tail()}"
        )
    say(f"Set-up check: POST {request.path} -> {status} {location}, enrolment {enrolment.state}.")


def race(args, env: dict[str, str], network: Network) -> Race:
    say("Signing in every trainee (session store)...")
    keys = signed_in_sessions(network.trainees + network.warmup_trainees)
    requests, senders = race_requests(args, network, keys)
    minimal = [Request("GET", "/bench/minimal/")] * len(requests)
    warmup = [
        Request("POST", enrol_path(network.warmup_run), post_headers(keys[user.pk]))
        for user in network.warmup_trainees[1:]
    ]

    log_path = Path(tempfile.gettempdir()) / f"pan_bench_enrolment_gunicorn_{os.getpid()}.log"
    server_env = {
        **env,
        # sync workers with more than one thread are gthread workers; Django's own log (500s,
        # CSRF refusals) goes to gunicorn's log file rather than this terminal.
        "GUNICORN_CMD_ARGS": f"--threads {args.worker_threads} --capture-output",
    }
    server = Gunicorn(server_env, args.workers, log_path)
    keep_log = False
    try:
        server.start()
        say(
            f"(gthread: {args.workers} workers x {args.worker_threads} threads, "
            "--capture-output to the log)"
        )
        check_setup(server.port, network, keys, server.log_tail)
        say(f"Warm-up: {len(warmup)} enrolments in the warm-up run, {len(minimal)} minimal GETs.")
        fire(server.port, warmup, args.threads)
        fire(server.port, minimal, args.threads)
        say(f"Baseline: {len(minimal)} GETs of /bench/minimal/ from {args.threads} threads.")
        with PostgresSampler() as minimal_pg:
            minimal_fired = fire(server.port, minimal, args.threads)
        say(f"Race: {len(requests)} POSTs to {requests[0].path} from {args.threads} threads.")
        with PostgresSampler() as enrol_pg:
            enrol_fired = fire(server.port, requests, args.threads)
        threads = worker_threads(server.process.pid) if server.process else []
        status, _body = http_get(server.port, "/bench/minimal/")
        if status != 200:
            say(f"After the race the minimal view answered {status}.")
    finally:
        server.stop()
        summary = log_summary(log_path)
        keep_log = bool(summary)
        if not keep_log:
            with contextlib.suppress(OSError):
                log_path.unlink()
    return Race(
        minimal=minimal_fired,
        enrol=enrol_fired,
        minimal_pg=minimal_pg,
        enrol_pg=enrol_pg,
        senders=senders,
        threads_per_worker=threads,
        log=summary,
        log_path=log_path if keep_log else None,
    )


@dataclass
class Outcome:
    enrolled: int
    waitlisted: int
    other_states: Counter
    multiple: int
    over_capacity: int
    without_enrolment: int
    told_error_but_holding: int  # every answer was an error, yet an enrolment row exists
    told_error_but_enrolled: int  # ... and it is a place
    transitions: int
    notifications: int
    notifications_sent: int

    @property
    def duplicates(self) -> int:
        return self.multiple + self.over_capacity


def outcome(network: Network, result: Race) -> Outcome:
    from django.db.models import Count

    from trainees.models import Enrolment, EnrolmentTransition, Notification

    run = network.race_run
    rows = Enrolment.objects.filter(run=run)
    states = Counter(
        {
            (row["role"], row["state"]): row["n"]
            for row in rows.values("role", "state").annotate(n=Count("pk")).order_by()
        }
    )
    enrolled = states.pop(("trainee", "enrolled"), 0)
    waitlisted = states.pop(("trainee", "waitlisted"), 0)
    multiple = rows.values("user_id").annotate(n=Count("pk")).filter(n__gt=1).order_by().count()
    ids = [user.pk for user in network.trainees]
    with_enrolment = rows.filter(user_id__in=ids).values("user_id").distinct().count()
    notifications = Notification.objects.filter(enrolment__run=run)
    answered = Counter()  # user id -> requests answered with the expected redirect
    for user_id, code in zip(result.senders, result.enrol.codes, strict=True):
        answered[user_id] += code == 302
    only_errors = [user_id for user_id, ok in answered.items() if not ok]
    holding = dict(rows.filter(user_id__in=only_errors).values_list("user_id", "state"))
    return Outcome(
        enrolled=enrolled,
        waitlisted=waitlisted,
        other_states=Counter({f"{role}/{state}": n for (role, state), n in states.items()}),
        multiple=multiple,
        over_capacity=max(enrolled - run.capacity, 0),
        without_enrolment=len(ids) - with_enrolment,
        told_error_but_holding=len(holding),
        told_error_but_enrolled=sum(1 for state in holding.values() if state == "enrolled"),
        transitions=EnrolmentTransition.objects.filter(enrolment__run=run).count(),
        notifications=notifications.count(),
        notifications_sent=notifications.exclude(sent_at=None).count(),
    )


# ---------------------------------------------------------------------------------------------
# Part (b): the register
# ---------------------------------------------------------------------------------------------


@dataclass
class RegisterFigures:
    label: str
    first_queries: int
    resave_queries: int
    first_control: int  # of which BEGIN, COMMIT, SAVEPOINT, RELEASE SAVEPOINT
    resave_control: int
    first_ms: float
    median_ms: float

    @property
    def queries(self) -> int:
        return max(self.first_queries, self.resave_queries)


def register_entries(enrolment_ids: list[int], round_: int) -> dict[int, tuple[str, str]]:
    return {
        pk: (STATUSES[(i + round_) % len(STATUSES)], f"round {round_}" if i % 10 == 0 else "")
        for i, pk in enumerate(enrolment_ids)
    }


def naive_register_save(*, session, entries: dict[int, tuple[str, str]], actor) -> int:
    """The baseline: one update_or_create per line, in one transaction like register_save."""
    from django.db import transaction

    from trainees.models import Attendance

    with transaction.atomic():
        for enrolment_id, (status, note) in entries.items():
            Attendance.objects.update_or_create(
                session=session,
                enrolment_id=enrolment_id,
                defaults={"status": status, "note": note[:300], "recorded_by": actor},
            )
    return len(entries)


def is_control(sql: str) -> bool:
    return sql.split(None, 1)[0].upper() in {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}


def register(args, network: Network) -> tuple[list[RegisterFigures], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trainees import services as trainee_services
    from trainees.models import Attendance

    run = network.register_run
    people = network.trainees[: args.lines]
    enrolled = trainee_services.enrolments_import(
        run=run, rows=[{"email": user.email} for user in people], actor=network.coordinator
    )
    ids = [enrolment.pk for enrolment in enrolled]
    warm, timed_a, timed_b, counted_a, counted_b = list(run.sessions.order_by("starts_at", "pk"))
    actor = network.coordinator
    approaches = [
        ("register_save", trainee_services.register_save, timed_a, counted_a),
        ("naive update_or_create loop", naive_register_save, timed_b, counted_b),
    ]
    for _label, save, *_sessions in approaches:  # imports, statement caches, connection
        save(session=warm, entries=register_entries(ids, 0), actor=actor)
        save(session=warm, entries=register_entries(ids, 1), actor=actor)
    figures = []
    for label, save, timed, counted in approaches:
        timings = []
        for round_ in range(args.rounds):
            entries = register_entries(ids, round_)
            start = time.perf_counter()
            save(session=timed, entries=entries, actor=actor)
            timings.append((time.perf_counter() - start) * 1000)
        counts, control = [], []
        for round_ in range(2):
            with CaptureQueriesContext(connection) as captured:
                save(session=counted, entries=register_entries(ids, round_), actor=actor)
            counts.append(len(captured))
            control.append(sum(1 for q in captured.captured_queries if is_control(q["sql"])))
        figures.append(
            RegisterFigures(
                label=label,
                first_queries=counts[0],
                resave_queries=counts[1],
                first_control=control[0],
                resave_control=control[1],
                first_ms=timings[0],
                median_ms=statistics.median(timings),
            )
        )
    lines = Attendance.objects.filter(session__in=[timed_a, timed_b]).count()
    return figures, lines


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="enrolment requests fired")
    parser.add_argument("--places", type=int, default=50, help="places in the raced run")
    parser.add_argument(
        "--repeats", type=int, default=100, help="trainees who send a second request"
    )
    parser.add_argument("--threads", type=int, default=150, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--worker-threads", type=int, default=16, help="threads per worker")
    parser.add_argument("--lines", type=int, default=200, help="register lines in part (b)")
    parser.add_argument("--rounds", type=int, default=5, help="timed register saves")
    parser.add_argument("--seed", type=int, default=1, help="order of the requests")
    args = parser.parse_args()
    trainees = args.requests - args.repeats
    if args.repeats < 0 or trainees < 1 or args.repeats > trainees:
        parser.error("need 0 <= --repeats <= --requests - --repeats")
    if not 1 <= args.lines <= trainees:
        parser.error(f"--lines must be between 1 and the {trainees} trainees")
    if args.places < 1 or args.threads < 1 or args.workers < 1 or args.worker_threads < 2:
        parser.error("--places, --threads, --workers must be >= 1 and --worker-threads >= 2")
    if args.rounds < 1:
        parser.error("--rounds must be >= 1")
    return args


def report_race(args, network: Network, result: Race, done: Outcome, load_before: float) -> None:
    run = network.race_run
    say("")
    say(
        f"(a) Enrolment race: run #{run.pk}, {run.capacity} places, open enrolment; "
        f"{len(network.trainees)} trainees with complete profiles in "
        f"{len(COUNTRY_CODES)} countries, {args.repeats} of them sending a second simultaneous "
        f"request: {args.requests} requests."
    )
    say(
        f"Server: gunicorn {args.workers} workers x {args.worker_threads} threads (gthread), "
        "bench.settings (DEBUG off, CONN_MAX_AGE=60, Redis cache db 13, eager Celery, dummy "
        f"e-mail backend); {os.cpu_count()} CPU cores shared with PostgreSQL and the client "
        f"(1-minute load average {load_before:.2f} before measuring)."
    )
    say(
        f"Client: {args.threads} threads released by one barrier, one connection per request; "
        f"threads seen per worker process after the race: {result.threads_per_worker or 'n/a'}."
    )
    say("")
    header = (
        f"{'requests':<24} {'n':>5} {'seconds':>8} {'req/s':>7} {'median ms':>10} {'p95 ms':>8} "
        f"{'max ms':>8} {'in flight':>9} {'PG open/lock':>12}  statuses"
    )
    say(header)
    say("-" * len(header))
    for label, fired, sampler in (
        ("(1) minimal view GET", result.minimal, result.minimal_pg),
        ("(2) enrolment POST", result.enrol, result.enrol_pg),
    ):
        n = sum(fired.statuses.values())
        rate = n / fired.seconds if fired.seconds else float("nan")
        statuses = ", ".join(f"{code}: {count}" for code, count in sorted(fired.statuses.items()))
        if fired.errors:
            statuses += f", connection errors: {len(fired.errors)}"
        median = statistics.median(fired.latencies) * 1000 if fired.latencies else float("nan")
        say(
            f"{label:<24} {n:>5} {fired.seconds:>8.2f} {rate:>7.1f} {median:>10.1f} "
            f"{fired.percentile(0.95):>8.1f} "
            f"{max(fired.latencies, default=float('nan')) * 1000:>8.1f} {fired.max_in_flight:>9} "
            f"{f'{sampler.open}/{sampler.waiting}':>12}  {statuses}"
        )
    ratio = result.enrol.seconds / result.minimal.seconds if result.minimal.seconds else 0.0
    say(f"ratio enrolment seconds / minimal view seconds: {ratio:.2f}")
    where = Counter()
    target = run_path(run)
    for location in result.enrol.locations:
        path = urlsplit(location).path
        if path == target:
            where["run page"] += 1
        elif "/accounts/login/" in path:
            where["sign-in (session not accepted)"] += 1
        elif path.endswith("/my/profile/"):
            where["profile"] += 1
        elif location:
            where[f"other ({path})"] += 1
        else:
            where["no redirect"] += 1
    say("enrolment responses went to: " + ", ".join(f"{k} {v}" for k, v in where.items()))
    if result.enrol.errors or result.minimal.errors:
        say(f"first connection error: {(result.enrol.errors or result.minimal.errors)[0]}")
    say("")
    say("From the database (the raced run):")
    rows = [
        ("enrolled trainees", done.enrolled),
        ("waitlisted trainees", done.waitlisted),
        ("other role/state", ", ".join(f"{k}: {v}" for k, v in done.other_states.items()) or 0),
        ("trainees with more than one enrolment row", done.multiple),
        (f"enrolled beyond the {run.capacity} places", done.over_capacity),
        ("duplicates (the two lines above added)", done.duplicates),
        ("trainees left without any enrolment", done.without_enrolment),
        (
            "trainees told only of errors, yet enrolled / waitlisted",
            f"{done.told_error_but_enrolled} / "
            f"{done.told_error_but_holding - done.told_error_but_enrolled}",
        ),
        ("state transitions recorded", done.transitions),
        ("notifications owed / sent", f"{done.notifications} / {done.notifications_sent}"),
    ]
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        say(f"  {label:<{width}} {value}")
    log = result.log
    if log:
        say("")
        say(f"gunicorn log (kept at {result.log_path}):")
        for path, count in log.errors.items():
            say(f"  {count} x Internal Server Error: {path}")
        for label, counter in (("where they arose", log.sites), ("exceptions", log.exceptions)):
            if counter:
                say(f"  {label}: " + "; ".join(f"{k} x{v}" for k, v in counter.most_common()))
        if log.markers:
            say("  also: " + "; ".join(f"{k} x{v}" for k, v in log.markers.most_common()))
        if log.first_deadlock:
            say("  first deadlock reported:")
            for line in log.first_deadlock.splitlines():
                say(f"    {line}")
    else:
        say("gunicorn log: no errors, tracebacks, timeouts or refusals.")


def report_register(args, network: Network, figures: list[RegisterFigures], lines: int) -> None:
    say("")
    say(
        f"(b) Register of {args.lines} enrolled trainees (run #{network.register_run.pk}), "
        f"statuses present/late/absent/excused mixed; {args.rounds} timed saves each (the first "
        f"inserts the lines, the others change every status), in-process, gunicorn stopped."
    )
    header = (
        f"{'save':<28} {'queries first':>13} {'queries re-save':>15} {'first ms':>9} "
        f"{'median ms':>10}"
    )
    say(header)
    say("-" * len(header))
    for figure in figures:
        first = f"{figure.first_queries} ({figure.first_control})"
        resave = f"{figure.resave_queries} ({figure.resave_control})"
        say(
            f"{figure.label:<28} {first:>13} {resave:>15} "
            f"{figure.first_ms:>9.1f} {figure.median_ms:>10.1f}"
        )
    say(
        "queries as CaptureQueriesContext counts them; in brackets, how many of them are BEGIN, "
        "COMMIT or SAVEPOINT statements. median ms: all the timed saves."
    )
    service, baseline = figures
    say(
        f"ratio naive / register_save: queries {baseline.queries / max(service.queries, 1):.1f}, "
        f"median ms {baseline.median_ms / service.median_ms:.1f}  "
        f"({lines} register lines stored on the two timed sessions)"
    )


def main() -> None:
    started = time.perf_counter()
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks

    env = bench_env(REDIS_URL)
    env.update(
        DATABASE_URL=DATABASE_URL,
        BENCH_STATIC_ROOT=str(STATIC_ROOT),
        DJANGO_EMAIL_BACKEND=EMAIL_BACKEND,
    )
    env.pop("GUNICORN_CMD_ARGS", None)
    redis_flush(REDIS_URL)
    migrate_seconds = recreate_database(env)
    static_note = collect_static(env)
    os.environ["DJANGO_EMAIL_BACKEND"] = EMAIL_BACKEND  # notifications sent in-process in (b)
    django_setup(env)
    # kombu warns of the empty broker URL when eager tasks run; nothing goes to a broker.
    logging.getLogger("kombu.connection").setLevel(logging.ERROR)

    trainees = args.requests - args.repeats
    warmup = 2 * args.workers * args.worker_threads + 1
    say(f"Creating the network: {trainees} trainees and {warmup} warm-up trainees...")
    network = build_network(args, trainees, warmup)
    say(
        f"Database {DB_NAME}: migrate {migrate_seconds:.0f}s, set-up {network.seconds:.0f}s; "
        f"static files {static_note}."
    )

    load_before = os.getloadavg()[0]
    result = race(args, env, network)
    done = outcome(network, result)
    figures, lines = register(args, network)

    report_race(args, network, result, done, load_before)
    report_register(args, network, figures, lines)
    service, baseline = figures
    say("")
    say(f"Total time: {time.perf_counter() - started:.0f}s")
    say(
        f"RESULT register_save lines={args.lines} queries={service.queries} "
        f"ms={service.median_ms:.1f} baseline_queries={baseline.queries} "
        f"baseline_ms={baseline.median_ms:.1f}"
    )
    say(
        f"RESULT enrolment_race enrolled={done.enrolled} waitlisted={done.waitlisted} "
        f"duplicates={done.duplicates} seconds={result.enrol.seconds:.2f}"
    )


if __name__ == "__main__":
    main()
