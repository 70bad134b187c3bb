"""Load test: a morning wave of trainees and a check-in burst, with Locust, against gunicorn,
PostgreSQL, Redis and a Celery worker on loopback.

    .venv/bin/python bench/load/run.py [--trainees 300] [--burst 200] [--wave-seconds 240]

1. (Re)creates the PostgreSQL database `pan_bench_load`, migrates it, collects the static files
   and builds through the services: an academy, a course with an authored lesson, a run with a
   session under way now, and --trainees + --burst trainees with complete profiles, enrolled.
2. Starts gunicorn (gthread: 2 workers of 4 threads, production settings) and a Celery worker
   (2 processes, queues celery and certificates) on Redis. The baseline is the same server's
   minimal view (no database, no session), asked twice a second during each phase and with
   the server idle afterwards.
3. Wave: --trainees simulated trainees arrive over the first half of --wave-seconds (about 20
   requests a second in all once they are there): each signs in through the site's form, then
   opens My learning, the course page and the lesson, and sends the lesson player's xAPI
   statements, at a reading pace, until the wave ends.
4. Burst: --burst other trainees, signed in beforehand, arrive over ten seconds, each opening
   the session's check-in page and pressing "I am here" once.
5. Counts, in the database: every statement the LRS answered 200 for, every check-in answered
   as done (once the worker has caught up). Lost = accepted but not there.

Prints p50/p95/p99 and errors per page and, last,
`RESULT load p95_ms=<ms> errors=<n> lost=<n>`. Targets: p95 under 800 ms, no errors, none lost.
It asserts nothing; the processes it starts are always stopped."""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import catalogue as base  # noqa: E402

DB_NAME = "pan_bench_load"
PASSWORD = "load-test-password-2026"
BROKER = "redis://127.0.0.1:6379/11"
HERE = Path(__file__).resolve().parent
TARGET_P95_MS = 800


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--trainees", type=int, default=300)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--wave-seconds", type=int, default=240)
    parser.add_argument("--skip-wave", action="store_true", help="the check-in burst only")
    return parser.parse_args()


def ensure_locust() -> str:
    locust = Path(sys.executable).parent / "locust"
    if not locust.exists():
        base.say("Installing Locust into the project's environment (bench/load/requirements.txt)")
        subprocess.run(  # noqa: S603 (our own interpreter)
            [sys.executable, "-m", "pip", "install", "--quiet", "-r", str(HERE / "requirements.txt")],
            check=True,
        )  # fmt: skip
    return str(locust)


def environment() -> dict[str, str]:
    env = base.bench_env(base.redis_url())
    env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + f"/{DB_NAME}"
    env["CELERY_BROKER_URL"] = BROKER
    env["CELERY_TASK_ALWAYS_EAGER"] = "0"
    env["BENCH_PLAIN_HTTP"] = "1"  # cookies over loopback HTTP (bench/settings.py)
    env["PAN_BREACHED_PASSWORD_CHECK"] = "false"
    # The mail server is the outside world: e-mails are composed and dropped.
    env["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    return env


def build(args) -> dict:
    """The course, its run and session, and the trainees, through the platform's services."""
    import datetime as dt
    import json as jsonlib

    from django.utils import timezone

    from courses import services as course_services
    from courses.models import CoursePage, CurriculumPage, LessonPage, ModulePage
    from network import services as network_services
    from network.models import Country, Institution, User
    from trainees import services as trainee_services
    from website import services as website_services

    website_services.site_ensure()
    academy = Institution.objects.filter(short_name="load-academy").first()
    if academy is None:
        academy = network_services.institution_create(
            name="Police Training Centre (load test)", short_name="load-academy",
            kind=Institution.Kind.ACADEMY, country=Country.objects.get(code="RS"),
            city="Belgrade", working_languages=("en",),
        )  # fmt: skip
    curriculum = academy.page.add_child(instance=CurriculumPage(title="Frontline", slug="front"))
    curriculum.save_revision().publish()
    course = curriculum.add_child(
        instance=CoursePage(
            title="Digital evidence (load test)", slug="digital-evidence-load",
            summary="A course for the load test.", languages=["en"],
            delivery_modes=["blended"], level="introductory", duration_hours=8,
        )
    )  # fmt: skip
    course.save_revision().publish()
    module = course.add_child(instance=ModulePage(title="Basics", slug="basics"))
    module.save_revision().publish()
    lesson = module.add_child(
        instance=LessonPage(
            title="What counts as digital evidence", slug="what-counts",
            body=jsonlib.dumps([{"type": "paragraph", "value": "<p>" + "Evidence. " * 200 + "</p>"}]),
        )
    )  # fmt: skip
    lesson.save_revision().publish()
    started = timezone.now() - dt.timedelta(minutes=10)
    run = course_services.run_create(
        course=course, organiser=academy, title="Digital evidence, morning cohort",
        delivery_mode="blended", language="en", host_country=academy.country,
        venue="Belgrade", time_zone="UTC", start_date=started.date(),
        end_date=(started + dt.timedelta(minutes=180)).date(),
        capacity=args.trainees + args.burst + 10, enrolment_policy="open",
        sessions=[{"date": started.date(), "start_time": started.time().replace(microsecond=0),
                   "duration_minutes": 180, "topic": "Morning session"}],
    )  # fmt: skip
    from django.contrib.auth.hashers import make_password

    people = []
    total = args.trainees + args.burst
    hashed = make_password(PASSWORD)  # once: the same password for every simulated trainee
    for index in range(total):
        user = User.objects.create(
            email=f"trainee{index}@load.example", password=hashed, first_name="Trainee",
            last_name=f"Number{index}",
        )  # fmt: skip
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        trainee_services.profile_save(
            user=user, given_name="Trainee", family_name="Load",
            given_name_latin="Trainee", family_name_latin="Load",
            gender="woman" if index % 2 else "man", country_code="RS",
            institution_other="Ministry of Interior",
        )  # fmt: skip
        people.append(user)
    trainee_services.enrolments_import(
        run=run, rows=[{"email": p.email} for p in people], actor=None
    )
    return {
        "course_url": course.url,
        "lesson_url": lesson.url,
        "session": run.sessions.get(),
        "wave": [p.email for p in people[: args.trainees]],
        "burst": [p.email for p in people[args.trainees :]],
    }


def start(command: list[str], env, log: Path) -> subprocess.Popen:
    handle = log.open("w")
    return subprocess.Popen(  # noqa: S603 (the venv's own programs, fixed arguments)
        command, env=env, cwd=ROOT, start_new_session=True, stdin=subprocess.DEVNULL,
        stdout=handle, stderr=subprocess.STDOUT,
    )  # fmt: skip


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def sign_in_sessions(port: int, emails: list[str]) -> list[str]:
    """Sign the burst's trainees in before the session (their phones stay signed in)."""
    import re
    from concurrent.futures import ThreadPoolExecutor

    import requests

    def one(email: str) -> str:
        session = requests.Session()
        page = session.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = session.post(
            f"http://127.0.0.1:{port}/accounts/login/",
            data={"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=30,
        )
        if answer.status_code != 302 or "sessionid" not in session.cookies:
            raise SystemExit(f"could not sign {email} in ({answer.status_code})")
        return session.cookies["sessionid"]

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(one, emails))


class Baseline:
    """The minimal view, asked twice a second from this process while a phase runs: the
    server's floor under the same load (the pages' figures are read beside it)."""

    def __init__(self, port: int):
        import threading

        self.port, self.times, self.failures = port, [], 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            began = time.perf_counter()
            try:
                status = base.http_get(self.port, "/bench/minimal/", timeout=10)[0]
            except OSError:
                status = 0
            if status == 200:
                self.times.append((time.perf_counter() - began) * 1000)
            else:
                self.failures += 1

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=15)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def locust(locust_bin, env, port, *, kind, users, spawn_rate, seconds, accounts, extra, out):
    folder = Path(tempfile.mkdtemp(prefix=f"pan-load-{kind}-"))
    run_env = {**env, "LOAD_KIND": kind, "LOAD_ACCOUNTS": json.dumps(accounts),
               "LOAD_PASSWORD": PASSWORD, "LOAD_OUT": str(out), **extra}  # fmt: skip
    command = [
        locust_bin, "-f", str(HERE / "locustfile.py"), "--headless", "--host",
        f"http://127.0.0.1:{port}", "--users", str(users), "--spawn-rate", str(spawn_rate),
        "--run-time", f"{seconds}s", "--stop-timeout", "10", "--csv", str(folder / "stats"),
        "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    base.say(f"locust {kind}: {users} users, {spawn_rate}/s, {seconds}s")
    subprocess.run(command, env=run_env, cwd=ROOT, check=True, timeout=seconds + 120)  # noqa: S603
    with (folder / "stats_stats.csv").open() as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    args = parse_args()
    locust_bin = ensure_locust()
    env = environment()
    started = time.perf_counter()
    base.database_recreate(DB_NAME)
    base.redis_flush(BROKER)
    base.manage(env, "migrate", "--no-input", "-v0")
    base.collect_static(argparse.Namespace(reuse=False), env)
    for key in ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "BENCH_PLAIN_HTTP",
                "DJANGO_EMAIL_BACKEND"):  # fmt: skip
        os.environ[key] = env[key]
    base.django_setup(env)
    from config.celery_app import app

    app.conf.task_always_eager = True  # building the network here runs its tasks in-process
    began = time.perf_counter()
    data = build(args)
    app.conf.task_always_eager = False
    base.say(f"Built the course, the run and {args.trainees + args.burst} enrolled trainees "
             f"in {time.perf_counter() - began:.0f}s.")  # fmt: skip

    port = base.free_port()
    logs = Path(tempfile.mkdtemp(prefix="pan-load-logs-"))
    bin_dir = Path(sys.executable).parent
    server = worker = None
    out = logs / "accepted.jsonl"
    try:
        server = start(
            [str(bin_dir / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--threads", "4", "--worker-class", "gthread", "--timeout", "60",
             "--chdir", str(ROOT), "--log-level", "warning"],
            env, logs / "gunicorn.log",
        )  # fmt: skip
        worker = start(
            [str(bin_dir / "celery"), "-A", "config", "worker", "-Q", "celery,certificates",
             "-c", "2", "--loglevel=WARNING", "--without-gossip", "--without-mingle"],
            env, logs / "worker.log",
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if base.http_get(port, "/bench/minimal/", timeout=2)[0] == 200:
                    break
            time.sleep(0.3)
        base.say(f"gunicorn on 127.0.0.1:{port}, Celery worker started; logs in {logs}")

        baselines = {}
        wave = []
        if not args.skip_wave:
            with Baseline(port) as baselines["wave"]:
                wave = locust(
                    locust_bin, env, port, kind="morning", users=args.trainees,
                    spawn_rate=max(1, round(args.trainees / (args.wave_seconds / 2))),
                    seconds=args.wave_seconds, accounts=[{"email": e} for e in data["wave"]],
                    extra={"LOAD_COURSE_URL": data["course_url"],
                           "LOAD_LESSON_URL": data["lesson_url"]},
                    out=out,
                )  # fmt: skip
        base.say(f"Signing the {args.burst} trainees of the burst in beforehand...")
        cookies = sign_in_sessions(port, data["burst"])
        from trainees import services as trainee_services

        session = data["session"]
        token = trainee_services.check_in_token(session=session)
        with Baseline(port) as baselines["burst"]:
            burst = locust(
                locust_bin, env, port, kind="checkin", users=args.burst,
                spawn_rate=max(1, args.burst // 10), seconds=20,
                accounts=[{"email": e, "session": c}
                          for e, c in zip(data["burst"], cookies, strict=True)],
                extra={"LOAD_CHECK_IN_URL": f"/my/sessions/{session.pk}/check-in/{token}/"},
                out=out,
            )  # fmt: skip
        with Baseline(port) as baselines["idle"]:
            time.sleep(10)
    finally:
        stop(server)
        # The worker finishes what the requests set off before it is stopped.
        time.sleep(5)
        stop(worker)

    from trainees.models import Attendance
    from xapi.models import Statement

    accepted = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    statement_ids = {a["value"] for a in accepted if a["kind"] == "statement"}
    check_ins = {a["value"] for a in accepted if a["kind"] == "check_in"}
    stored = {
        str(pk)
        for pk in Statement.objects.filter(id__in=list(statement_ids)).values_list("id", flat=True)
    }
    present = set(
        Attendance.objects.filter(session=data["session"], via_check_in=True).values_list(
            "enrolment__user__email", flat=True
        )
    )
    lost = len(statement_ids - stored) + len(check_ins - present)

    base.say("")
    base.say(
        f"{'page':<22}{'requests':>9}{'errors':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'req/s':>8}"
    )
    base.say("-" * 71)
    errors = 0
    worst = 0.0
    totals = {}
    for label, rows in (("wave", wave), ("burst", burst)):
        for row in rows:
            if row["Name"] == "Aggregated":
                totals[label] = row
                continue
            fails = int(row["Failure Count"])
            errors += fails
            p95 = float(row["95%"])
            worst = max(worst, p95)
            base.say(
                f"{label + ': ' + row['Name']:<22}{int(row['Request Count']):>9}{fails:>8}"
                f"{float(row['50%']):>8.0f}{p95:>8.0f}{float(row['99%']):>8.0f}"
                f"{float(row['Requests/s']):>8.1f}"
            )
    for label, row in totals.items():
        base.say(
            f"{label + ': all requests':<22}{int(row['Request Count']):>9}"
            f"{int(row['Failure Count']):>8}{float(row['50%']):>8.0f}{float(row['95%']):>8.0f}"
            f"{float(row['99%']):>8.0f}{float(row['Requests/s']):>8.1f}"
        )
    overall = max(float(row["95%"]) for row in totals.values()) if totals else 0.0
    for label, floor in baselines.items():
        errors += floor.failures
        ratio = float(totals[label]["95%"]) / floor.percentile(0.95) if label in totals else None
        base.say(
            f"{label + ': minimal view':<22}{len(floor.times) + floor.failures:>9}"
            f"{floor.failures:>8}{floor.percentile(0.5):>8.0f}{floor.percentile(0.95):>8.0f}"
            f"{floor.percentile(0.99):>8.0f}{'':>8}"
            + (f"   (phase p95 / this p95: {ratio:.1f})" if ratio else "   (server idle)")
        )
    base.say(
        f"statements accepted {len(statement_ids)}, stored {len(stored)}; check-ins answered "
        f"{len(check_ins)} of {args.burst}, recorded {len(present & check_ins)}"
    )
    base.say(
        f"Targets: p95 < {TARGET_P95_MS} ms (all requests of each phase): "
        f"{'met' if overall < TARGET_P95_MS else 'NOT met'} (slowest page's p95: {worst:.0f} ms); "
        f"errors 0: {'met' if not errors else 'NOT met'}; lost 0: {'met' if not lost else 'NOT met'}"
    )
    base.say(f"Total time: {time.perf_counter() - started:.0f}s")
    base.say(f"RESULT load p95_ms={overall:.0f} errors={errors} lost={lost}")


if __name__ == "__main__":
    main()
