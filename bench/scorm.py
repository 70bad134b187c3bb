"""SCORM benchmark: commits per second of the run-time's commit endpoint under concurrent
trainees, beside the same server's minimal view in the same run.

    .venv/bin/python bench/scorm.py [--trainees 40] [--commits 50] [--threads 8] [--workers 2]

What it does, in order:

1. Database `pan_bench_scorm` (its own) is dropped, created and migrated; Redis database 11
   (the cache) is flushed; static files are collected once into bench/enrolment.py's scratch
   directory (or reused from it).
2. In-process: a course with one lesson playing a SCORM 1.2 package (one SCO, built here),
   --trainees trainees with complete profiles, and one launch each (services.scorm_launch,
   as the lesson page does), which opens each trainee's attempt.
3. gunicorn (bench.settings: production settings, DEBUG off, persistent database connections,
   Redis cache) with --workers sync workers on a free loopback port; the package origin is
   `localhost` there (PAN_PACKAGE_HOST), the platform 127.0.0.1.
4. Baseline, first half: --threads client threads GET /bench/minimal/ on the platform's host,
   as many requests as the commit phase sends, divided by two.
5. Commits: the same threads share out the trainees; each trainee's SCO commits --commits
   times in order (what scorm-again sends: {"cmi": {...}} with a location and suspend data that
   change every time; the last with ?final=true, as Terminate does), one request at a time per
   trainee, to /packages/<id>/a/<token>/~/commit with the package origin's Host header.
   Figures: commits/s over the wall clock, median/p95/max latency, HTTP statuses.
6. Baseline, second half (same as 4), so that changes in the machine's load even out.
7. Lost: afterwards every attempt must hold the data model of its last commit, its commit
   count must equal the commits sent, and its total time must be the one of the final
   session; every miss (and every non-200 answer) counts as lost.

It prints a table and, last, `RESULT scorm commits_per_s=<n> ratio_to_minimal_view=<r>
lost=<n>`. It asserts nothing; it exits non-zero only when the set-up fails. The database is
dropped at the end unless --keep.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import json
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

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

DB_NAME = "pan_bench_scorm"
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{DB_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/11"  # a database of its own: it gets flushed
PACKAGE_HOST = "localhost"

MANIFEST = """<?xml version="1.0"?>
<manifest identifier="org.example.bench.scorm12" version="1"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>Bench SCO</title>
    <item identifier="i1" identifierref="r1"><title>Bench SCO</title></item>
  </organization></organizations>
  <resources><resource identifier="r1" type="webcontent" adlcp:scormtype="sco"
    href="index.html"><file href="index.html"/></resource></resources></manifest>"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=40)
    parser.add_argument("--commits", type=int, default=50, help="commits per trainee")
    parser.add_argument("--threads", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args()


def package_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", MANIFEST)
        archive.writestr("index.html", "<!doctype html><title>SCO</title><p>SCO</p>")
    return buffer.getvalue()


def set_up(trainees: int, port: int) -> list[tuple[str, int]]:
    """The lesson, the trainees and one launch each: [(commit path, package id)]."""
    from django.test import override_settings

    from elearning import services as elearning_services
    from tests.factories import LessonPageFactory, academy_module, trainee

    academy, module = academy_module(name="Bench academy", short_name="bench-scorm", course="SCORM")
    with override_settings(PAN_PACKAGE_HOST=PACKAGE_HOST):
        package = elearning_services.package_upload(
            content=package_zip(), filename="bench.zip", institution=academy
        )
        lesson = LessonPageFactory(parent=module, title="Bench SCO", package=package)
        lesson.save_revision().publish()
        paths = []
        for _ in range(trainees):
            launch = elearning_services.scorm_launch(
                user=trainee(), lesson=lesson, base_url=f"http://127.0.0.1:{port}/"
            )
            path = launch["url"].split(f"{PACKAGE_HOST}:{port}", 1)[1]
            paths.append(path.replace("~/player", "~/commit"))
    return paths


def request(port: int, method: str, path: str, host: str, body: bytes | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": f"{host}:{port}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    start = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, (time.perf_counter() - start) * 1000
    except OSError:
        return 0, (time.perf_counter() - start) * 1000
    finally:
        conn.close()


def cmi(step: int, total: int) -> dict:
    final = step == total - 1
    return {
        "core": {
            "lesson_status": "completed" if final else "incomplete",
            "lesson_location": str(step),
            "exit": "" if final else "suspend",
            "session_time": "00:05:00.00",
            "score": {"raw": str(step % 100), "min": "0", "max": "100"},
        },
        "suspend_data": f"step={step};" + "x" * 2000,
    }


def run_threads(count: int, work) -> tuple[float, list[tuple[int, float]]]:
    results: list[tuple[int, float]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(count + 1)

    def runner(index: int) -> None:
        barrier.wait()
        mine = work(index)
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, results


def minimal_phase(port: int, threads: int, total: int) -> tuple[float, list[tuple[int, float]]]:
    per = max(1, total // threads)
    return run_threads(
        threads,
        lambda _i: [request(port, "GET", "/bench/minimal/", "127.0.0.1") for _ in range(per)],
    )


def commit_phase(port: int, threads: int, paths: list[str], commits: int):
    def work(index: int):
        out = []
        for path in paths[index::threads]:
            for step in range(commits):
                final = step == commits - 1
                body = json.dumps({"cmi": cmi(step, commits)}).encode()
                target = path + ("?final=true" if final else "")
                out.append(request(port, "POST", target, PACKAGE_HOST, body))
        return out

    return run_threads(threads, work)


def lost_commits(commits: int) -> tuple[int, list[str]]:
    from elearning.models import ScormAttempt

    lost, notes = 0, []
    for attempt in ScormAttempt.objects.all():
        location = attempt.cmi.get("core", {}).get("lesson_location")
        if location != str(commits - 1) or attempt.commits != commits:
            lost += 1
            notes.append(f"attempt {attempt.pk}: location {location}, {attempt.commits} commits")
        elif attempt.total_seconds != 300:
            lost += 1
            notes.append(f"attempt {attempt.pk}: total time {attempt.total_seconds}")
    return lost, notes


def summary(label: str, seconds: float, results: list[tuple[int, float]]) -> dict:
    latencies = sorted(ms for _status, ms in results)
    bad = sum(1 for status, _ms in results if status != 200)
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else 0.0
    line = {
        "label": label,
        "requests": len(results),
        "per_s": len(results) / seconds if seconds else 0.0,
        "median": statistics.median(latencies) if latencies else 0.0,
        "p95": p95,
        "max": latencies[-1] if latencies else 0.0,
        "bad": bad,
    }
    say(
        f"{label:<34} {line['requests']:>7} {line['per_s']:>9.1f} {line['median']:>8.1f} "
        f"{line['p95']:>8.1f} {line['max']:>8.1f} {bad:>5}"
    )
    return line


def main() -> None:
    args = parse_args()
    env = bench_env(REDIS_URL)
    env.update(
        DATABASE_URL=DATABASE_URL, PAN_PACKAGE_HOST=PACKAGE_HOST, BENCH_STATIC_ROOT=str(STATIC_ROOT)
    )
    redis_flush(REDIS_URL)
    database_recreate(DB_NAME)
    manage(env, "migrate", "--no-input", "-v0")
    say(f"Static files: {collect_static(env)}")
    log = Path(tempfile.gettempdir()) / "pan_bench_scorm_gunicorn.log"
    server = Gunicorn(env, args.workers, log)
    try:
        django_setup(env)
        start = time.perf_counter()
        paths = set_up(args.trainees, server.port)
        say(f"{args.trainees} trainees launched the SCO: {time.perf_counter() - start:.1f}s")
        server.start()
        total = args.trainees * args.commits
        with contextlib.suppress(Exception):
            minimal_phase(server.port, args.threads, args.threads * 20)  # warm-up
        say("")
        say(
            f"{'phase':<34} {'requests':>7} {'per s':>9} {'median':>8} {'p95':>8} "
            f"{'max':>8} {'bad':>5}"
        )
        first = summary(
            "minimal view, first half", *minimal_phase(server.port, args.threads, total // 2)
        )
        commit = summary(
            "SCORM commits", *commit_phase(server.port, args.threads, paths, args.commits)
        )
        second = summary(
            "minimal view, second half", *minimal_phase(server.port, args.threads, total // 2)
        )
        lost, notes = lost_commits(args.commits)
        lost += commit["bad"]
        baseline = (first["requests"] + second["requests"]) / (
            first["requests"] / first["per_s"] + second["requests"] / second["per_s"]
        )
        ratio = commit["per_s"] / baseline if baseline else 0.0
        say("")
        for note in notes[:10]:
            say(f"  {note}")
        say(
            f"{args.trainees} trainees x {args.commits} commits through {args.threads} clients, "
            f"{args.workers} gunicorn workers; each commit ~2.3 KB of data model."
        )
        say(
            f"RESULT scorm commits_per_s={commit['per_s']:.1f} "
            f"ratio_to_minimal_view={ratio:.2f} lost={lost}"
        )
    finally:
        server.stop()
        if not args.keep:
            from django.db import connections

            connections.close_all()
            with pg_connect("postgres") as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()
