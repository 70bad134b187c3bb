"""Certificates benchmark: bulk issuance of a run's certificates end to end through a real Celery
worker, against rendering the same PDFs with the bare renderer; duplicates; the verification
page.

    .venv/bin/python bench/certificates.py [--certificates 10000] [--processes 2]
                                           [--verify-requests 500] [--seed 1] [--keep]
                                           [--timeout 900]

Everything runs in one invocation, in this order (the baseline of step 4 runs half before
step 2 and half after step 3):

1. Set-up (not timed; its duration is printed). PostgreSQL database `pan_bench_certificates` is
   dropped, created and migrated (its own: the other benchmarks keep theirs); Redis database 11
   is the Celery broker *and* result backend, Redis database 10 the Django cache (both flushed
   at the start and the end; databases 12-14 belong to the other benchmarks); a temporary
   directory is the media root (DJANGO_MEDIA_ROOT), where the PDFs go; e-mail goes to Django's
   dummy backend; static files are collected once into bench/enrolment.py's scratch directory
   (or reused from it), since production settings need the manifest to render pages.
   Settings are bench.settings (production: DEBUG off, persistent connections, Redis cache),
   with CELERY_TASK_ALWAYS_EAGER=0 in this process and in the worker.
   In-process: the site, one institution, a curriculum and a course (as bench/enrolment.py),
   a course run in English whose single session was 30 days ago (so the run is over), a
   CertificateTemplate with an English CertificateText whose body uses eight of the nine
   placeholders and two Signatory rows (no images), and a CertificateRule(kind=participation,
   min_attendance=80, automatic=False), so that nothing is issued before the clock starts.
   --certificates trainees with complete TraineeProfiles are written with bulk_create (users,
   profiles, enrolments as trainee/enrolled, one attendance line "present" each): names drawn
   with --seed from pools in Latin with diacritics (South Slavic, Central European, Turkish),
   Cyrillic (Russian, Ukrainian, Kazakh, Serbian/Macedonian), Georgian, Armenian and Greek,
   with their passport transliterations, about 3% very long compound names, and about 10% in
   the Partners' scripts (Arabic script with Dari and Pashto letters, Hebrew, Han characters,
   Hangul, Thai). Every name is
   checked with the profile service's own rules (letters; Latin letters for the Latin fields).
   A second, small run ("race run") with the same rule and the first 400 of those trainees
   serves the duplicate test in step 3. The set-up ends with run_standings: every trainee must
   be owed a certificate (otherwise the reasons are printed and the script exits with 1).
2. Issuance (timed). `celery -A config worker -Q certificates -c <--processes> --pool=prefork
   --loglevel=WARNING --without-gossip --without-mingle --without-heartbeat` is started with
   the same environment and must answer a control ping first (not timed). Then the clock starts,
   services.run_certify(run=run, actor=coordinator) runs inside transaction.atomic() here
   (run_standings of the whole run, then one certificates.tasks.issue_chunk task per CHUNK
   enrolment ids, sent on commit), and Certificate.objects.filter(run=run).count() is polled
   every 0.5 s until it reaches the number of trainees; the clock stops at the poll that sees
   it. So the figure covers the standings, the queueing, and in the worker every chunk's
   standings, PDF rendering, file writes, row inserts, xAPI "earned" statements, notification
   rows (and their e-mail tasks, queued to the `celery` queue, which no worker here consumes),
   and the admin log entries. The wait also ends when every issuing task has reached a final
   state in the result backend with the count short, when the worker dies, or after
   --timeout seconds. From the result backend: the tasks' states and the sum of what they
   returned; the worker's own rate is certificates / (last task's date_done - first
   certificate's issued_at), i.e. without the standings and queueing in this process. CPU
   seconds (from /proc) of the worker processes, the PostgreSQL backends of this database and
   this process, and how busy the machine's cores were on average, are printed (and, for the
   baseline, of the render pool). Other work on the machine slows both timed steps; the CPU
   milliseconds per certificate, and their ratio, are less sensitive to it than wall time.
3. Duplicates (worker still running). (a) Twin deliveries racing: every chunk of the race run
   (not issued yet) is sent twice at the same moment, from two threads released by a barrier,
   so the worker's two processes render and insert the same chunk concurrently. (b)
   Redelivery: every chunk of the main run is sent once more with the same ids, as run_certify
   cuts them (same order: family name in Latin letters, then id). All these tasks are awaited
   through the result backend. Counted from the database, over both runs: rows beyond one per
   (person, run, kind), (person, run, kind) with more than one valid row, and how far the main
   run's count moved from what it was after issuance; `duplicates` is the sum. Also printed:
   certificates the twin tasks together say they issued (must equal the race run's trainees)
   and, per pair, what each returned and how many seconds apart they finished (well under the
   time a chunk takes to render: both rendered it at once, and the loser's insert waited),
   notification rows and xAPI statements made, PDF files on disk without a row (what a lost
   race leaves behind if its files are not deleted) and rows without a file. Then every
   certificate's PDF is read back and its SHA-256 compared with the stored one (all of them;
   if that takes more than 60 s, the rest are skipped and the number checked says so).
4. Baseline (timed, in two halves around the issuance). Right after the set-up, the same
   trainees' certificates are prepared exactly as the service prepares them:
   services.issuing._prepare() is called for each standing of the main run with rendering.render
   intercepted, which captures the Layout and Content objects and returns nothing (so the codes
   differ from the issued ones; they have the same length). The first half of these chunks (of
   CHUNK certificates) is rendered with rendering.render before the worker starts, the second
   half after the duplicate test, once the worker is stopped; each time in a fresh `spawn`
   multiprocessing Pool of --processes processes (started before its clock, importing only
   certificates.rendering, so that the fonts are loaded inside the clock, as in the worker),
   returning only sizes. Bracketing the issuance this way evens out drifts in the load other
   work puts on the machine; the two halves are printed apart. baseline seconds = the sum of
   the halves. ratio_to_bare_render = baseline seconds / issuance seconds: 1.0 means issuing
   costs no more than rendering alone; higher is better.
5. Verification page (worker stopped). In-process with Django's test Client (the whole
   middleware stack, no HTTP server), PAN_VERIFY_RATE=100000/m and
   PAN_VERIFY_RATE_HOURLY=1000000/h so that the rate limit (still counted in Redis) never
   answers 429: after 20 warm-up requests of each, --verify-requests GETs of /verify/<code>/
   for random issued codes, alternating with as many GETs of the minimal view
   /bench/minimal/ (the baseline: no database) and of /healthz (one SELECT 1); each answer is
   checked (200, and "Valid certificate" on the verification page). SQL queries per
   verification request are counted on 20 more requests.

It prints a table of figures, `RESULT certificates_verify p95_ms=<ms> median_ms=<ms>
baseline_p95_ms=<ms>` and, last, `RESULT certificates issued=<n> duplicates=<n> seconds=<s>
ratio_to_bare_render=<r> largest_pdf_kb=<n>`. It asserts nothing; it exits non-zero only when
the set-up fails.
The worker (and the Pool) are always stopped, also on errors and Ctrl-C; the worker's log is
kept (and its path printed) when it holds warnings or errors. At the end the media directory is
removed, the Redis databases flushed and the database dropped, unless --keep (which keeps the
database and the media directory for inspection and prints where they are).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)  # import the project (bench.settings...), not bench/'s own modules

from bench.catalogue import (  # noqa: E402 (after the sys.path fix above)
    PG_HOST,
    PG_PORT,
    PG_USER,
    PYTHON,
    bench_env,
    database_recreate,
    django_setup,
    manage,
    pg_connect,
    redis_flush,
    say,
)
from bench.enrolment import STATIC_ROOT, bench_course, collect_static  # noqa: E402

DB_NAME = "pan_bench_certificates"
DATABASE_URL = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{DB_NAME}"
CACHE_URL = "redis://127.0.0.1:6379/10"  # databases of their own: both get flushed
BROKER_URL = "redis://127.0.0.1:6379/11"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
QUEUE = "certificates"
KIND = "participation"
RACE_CHUNKS = 4  # chunks of the race run, each delivered twice at once
HASH_BUDGET_SECONDS = 60.0
VERIFY_WARMUP = 20
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


# ---------------------------------------------------------------------------------------------
# Names: (native, Latin) pairs per script; family names as (man, woman) pairs
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NamePool:
    label: str
    countries: tuple[str, ...]
    women: tuple[tuple[str, str], ...]
    men: tuple[tuple[str, str], ...]
    families: tuple[tuple[tuple[str, str], tuple[str, str]], ...]  # (man's, woman's)
    weight: float = 1.0


def _same(*names: str) -> tuple[tuple[str, str], ...]:
    """Names written in Latin letters: the passport spelling is the name itself."""
    return tuple((name, name) for name in names)


def _unisex(*pairs: tuple[str, str]) -> tuple[tuple[tuple[str, str], tuple[str, str]], ...]:
    return tuple((pair, pair) for pair in pairs)


NAME_POOLS = (
    NamePool(
        "Latin, South Slavic",
        ("RS", "HR", "BA", "ME", "SI"),
        _same("Ana", "Ivana", "Jelena", "Milica", "Snežana", "Dragana", "Maša", "Tijana"),
        _same("Đorđe", "Marko", "Nikola", "Željko", "Dušan", "Miloš", "Luka", "Stefan"),
        _unisex(
            *_same(
                "Petrović",
                "Jovanović",
                "Kovačević",
                "Šimić",
                "Đurić",
                "Marković",
                "Živković",
                "Čolić",
                "Babić",
                "Hadžić",
                "Mujagić",
                "Žagar",
            )
        ),
    ),
    NamePool(
        "Latin, Central Europe",
        ("PL", "CZ", "SK", "HU", "RO", "AL", "LT"),
        _same(
            "Małgorzata",
            "Zuzana",
            "Réka",
            "Ioana",
            "Agnieszka",
            "Kateřina",
            "Erzsébet",
            "Lăcrămioara",
            "Jūratė",
            "Blerta",
        ),
        _same(
            "Łukasz",
            "Jiří",
            "Árpád",
            "Ștefan",
            "Gëzim",
            "Tomáš",
            "Dariusz",
            "Žydrūnas",
            "Ľubomír",
            "Bogdan",
        ),
        (
            (("Wiśniewski", "Wiśniewski"), ("Wiśniewska", "Wiśniewska")),
            (("Dvořák", "Dvořák"), ("Dvořáková", "Dvořáková")),
            (("Szőke", "Szőke"), ("Szőke", "Szőke")),
            (("Popescu", "Popescu"), ("Popescu", "Popescu")),
            (("Hoxha", "Hoxha"), ("Hoxha", "Hoxha")),
            (("Țăranu", "Țăranu"), ("Țăranu", "Țăranu")),
            (("Kazlauskas", "Kazlauskas"), ("Kazlauskienė", "Kazlauskienė")),
            (("Ďurovčík", "Ďurovčík"), ("Ďurovčíková", "Ďurovčíková")),
            (("Kovács", "Kovács"), ("Kovács", "Kovács")),
            (
                ("Brzęczyszczykiewicz", "Brzęczyszczykiewicz"),
                ("Brzęczyszczykiewicz", "Brzęczyszczykiewicz"),
            ),
        ),
    ),
    NamePool(
        "Latin, Turkish",
        ("TR",),
        _same("Ayşe", "Gülşen", "Şule", "Özlem", "Çiğdem", "Büşra", "İpek", "Ebru"),
        _same("Çağrı", "İbrahim", "Mehmet", "Oğuz", "Ümit", "Şükrü", "Ertuğrul", "Gökhan"),
        _unisex(*_same("Yılmaz", "Öztürk", "Şahin", "Doğan", "Çelik", "Aydın", "Küçük", "Güneş")),
    ),
    NamePool(
        "Cyrillic, Russian",
        ("RU", "BY"),
        (
            ("Анна", "Anna"),
            ("Екатерина", "Ekaterina"),
            ("Ольга", "Olga"),
            ("Юлия", "Iuliia"),
            ("Наталья", "Natalia"),
            ("Ксения", "Kseniia"),
        ),
        (
            ("Александр", "Aleksandr"),
            ("Дмитрий", "Dmitrii"),
            ("Сергей", "Sergei"),
            ("Алексей", "Aleksei"),
            ("Михаил", "Mikhail"),
            ("Эдуард", "Eduard"),
        ),
        (
            (("Иванов", "Ivanov"), ("Иванова", "Ivanova")),
            (("Смирнов", "Smirnov"), ("Смирнова", "Smirnova")),
            (("Кузнецов", "Kuznetsov"), ("Кузнецова", "Kuznetsova")),
            (("Воробьёв", "Vorobev"), ("Воробьёва", "Vorobeva")),
            (("Фёдоров", "Fedorov"), ("Фёдорова", "Fedorova")),
            (("Щербаков", "Shcherbakov"), ("Щербакова", "Shcherbakova")),
            (("Лукашенко", "Lukashenko"), ("Лукашенко", "Lukashenko")),
        ),
    ),
    NamePool(
        "Cyrillic, Ukrainian",
        ("UA",),
        (
            ("Олена", "Olena"),
            ("Ірина", "Iryna"),
            ("Ганна", "Hanna"),
            ("Юлія", "Yuliia"),
            ("Оксана", "Oksana"),
        ),
        (
            ("Олександр", "Oleksandr"),
            ("Андрій", "Andrii"),
            ("Євген", "Yevhen"),
            ("Григорій", "Hryhorii"),
            ("Ігор", "Ihor"),
        ),
        _unisex(
            ("Коваленко", "Kovalenko"),
            ("Шевченко", "Shevchenko"),
            ("Ткачук", "Tkachuk"),
            ("Бойко", "Boiko"),
            ("Гнатюк", "Hnatiuk"),
            ("Їжакевич", "Yizhakevych"),
            ("Мельник", "Melnyk"),
        ),
    ),
    NamePool(
        "Cyrillic, Kazakh",
        ("KZ",),
        (
            ("Айгерім", "Aigerim"),
            ("Әсел", "Asel"),
            ("Гүлнар", "Gulnar"),
            ("Мөлдір", "Moldir"),
            ("Жұлдыз", "Zhuldyz"),
        ),
        (
            ("Нұрлан", "Nurlan"),
            ("Қайрат", "Kairat"),
            ("Ерлан", "Yerlan"),
            ("Ғалым", "Galym"),
            ("Дәулет", "Daulet"),
        ),
        (
            (("Қасымов", "Kassymov"), ("Қасымова", "Kassymova")),
            (("Жұмабаев", "Zhumabayev"), ("Жұмабаева", "Zhumabayeva")),
            (("Өтебаев", "Otebayev"), ("Өтебаева", "Otebayeva")),
            (("Сүлейменов", "Suleimenov"), ("Сүлейменова", "Suleimenova")),
            (("Әбдірахманов", "Abdirakhmanov"), ("Әбдірахманова", "Abdirakhmanova")),
        ),
    ),
    NamePool(
        "Cyrillic, Serbian/Macedonian",
        ("RS", "MK"),
        (
            ("Јелена", "Jelena"),
            ("Љиљана", "Ljiljana"),
            ("Драгана", "Dragana"),
            ("Снежана", "Snežana"),
            ("Ѓурѓа", "Gjurgja"),
        ),
        (
            ("Ђорђе", "Đorđe"),
            ("Љубомир", "Ljubomir"),
            ("Ѓорѓи", "Gjorgji"),
            ("Никола", "Nikola"),
            ("Џемал", "Džemal"),
        ),
        (
            (("Петровић", "Petrović"), ("Петровић", "Petrović")),
            (("Ђурђевић", "Đurđević"), ("Ђурђевић", "Đurđević")),
            (("Јовановски", "Jovanovski"), ("Јовановска", "Jovanovska")),
            (("Љубичић", "Ljubičić"), ("Љубичић", "Ljubičić")),
            (("Ѕвездовски", "Dzvezdovski"), ("Ѕвездовска", "Dzvezdovska")),
        ),
    ),
    NamePool(
        "Georgian",
        ("GE",),
        (
            ("ნინო", "Nino"),
            ("თამარ", "Tamar"),
            ("მარიამ", "Mariam"),
            ("ეკატერინე", "Ekaterine"),
            ("ქეთევან", "Ketevan"),
        ),
        (
            ("გიორგი", "Giorgi"),
            ("ლევან", "Levan"),
            ("დავით", "Davit"),
            ("ზურაბ", "Zurab"),
            ("ირაკლი", "Irakli"),
        ),
        _unisex(
            ("ბერიძე", "Beridze"),
            ("მაისურაძე", "Maisuradze"),
            ("ჯაფარიძე", "Japaridze"),
            ("კაპანაძე", "Kapanadze"),
            ("ღლონტი", "Ghlonti"),
            ("ჭავჭავაძე", "Chavchavadze"),
            ("ხუციშვილი", "Khutsishvili"),
        ),
    ),
    NamePool(
        "Armenian",
        ("AM",),
        (
            ("Անի", "Ani"),
            ("Նարինե", "Narine"),
            ("Լիլիթ", "Lilit"),
            ("Գայանե", "Gayane"),
            ("Շուշան", "Shushan"),
        ),
        (
            ("Արմեն", "Armen"),
            ("Նարեկ", "Narek"),
            ("Տիգրան", "Tigran"),
            ("Հայկ", "Hayk"),
            ("Վարդան", "Vardan"),
        ),
        _unisex(
            ("Հովհաննիսյան", "Hovhannisyan"),
            ("Գրիգորյան", "Grigoryan"),
            ("Պետրոսյան", "Petrosyan"),
            ("Սարգսյան", "Sargsyan"),
            ("Ղազարյան", "Ghazaryan"),
            ("Մկրտչյան", "Mkrtchyan"),
        ),
    ),
    NamePool(
        "Greek",
        ("GR", "CY"),
        (
            ("Μαρία", "Maria"),
            ("Ελένη", "Eleni"),
            ("Αικατερίνη", "Aikaterini"),
            ("Δέσποινα", "Despoina"),
            ("Ευαγγελία", "Evangelia"),
        ),
        (
            ("Γιώργος", "Georgios"),
            ("Δημήτρης", "Dimitrios"),
            ("Νικόλαος", "Nikolaos"),
            ("Χρήστος", "Christos"),
            ("Ευάγγελος", "Evangelos"),
        ),
        (
            (("Παπαδόπουλος", "Papadopoulos"), ("Παπαδοπούλου", "Papadopoulou")),
            (("Κωνσταντίνου", "Konstantinou"), ("Κωνσταντίνου", "Konstantinou")),
            (("Οικονόμου", "Oikonomou"), ("Οικονόμου", "Oikonomou")),
            (("Καραγιάννης", "Karagiannis"), ("Καραγιάννη", "Karagianni")),
            (("Αλεξανδρόπουλος", "Alexandropoulos"), ("Αλεξανδροπούλου", "Alexandropoulou")),
        ),
    ),
    NamePool(
        "Arabic script (Arabic, Dari, Pashto)",
        ("AF", "DZ", "EG", "JO", "MA", "TN"),
        (
            ("فرشته", "Fereshta"),
            ("مریم", "Maryam"),
            ("ملالۍ", "Malalai"),
            ("فاطمة", "Fatima"),
            ("زرغونه", "Zarghuna"),
        ),
        (
            ("محمد", "Mohammad"),
            ("ځلمی", "Zalmai"),
            ("احمد‌شاه", "Ahmadshah"),
            ("عبد الله", "Abdullah"),
            ("ګل‌آغا", "Gulagha"),
        ),
        _unisex(
            ("نوری‌زاده", "Noorizada"),
            ("ښکلی", "Shkuli"),
            ("الهاشمي", "Al-Hashimi"),
            ("ډېروال", "Derwal"),
            ("بن عبد الرحمن", "Ben Abderrahmane"),
        ),
        weight=0.23,
    ),
    NamePool(
        "Hebrew",
        ("IL",),
        (("מרים", "Miriam"), ("נועה", "Noa"), ("שירה", "Shira")),
        (("יוסף", "Yosef"), ("דוד", "David"), ("אברהם", "Avraham")),
        _unisex(("כהן", "Cohen"), ("לוי", "Levi"), ("בן־דוד", "Ben-David")),
        weight=0.23,
    ),
    NamePool(
        "Han characters (Japanese and Chinese names)",
        ("JP",),
        (("花子", "Hanako"), ("美咲", "Misaki"), ("秀英", "Xiuying")),
        (("太郎", "Taro"), ("健一", "Kenichi"), ("伟", "Wei")),
        _unisex(("山田", "Yamada"), ("佐藤", "Sato"), ("王", "Wang"), ("李", "Li")),
        weight=0.23,
    ),
    NamePool(
        "Korean",
        ("KR",),
        (("서연", "Seoyeon"), ("지우", "Jiwoo"), ("민서", "Minseo")),
        (("민준", "Minjun"), ("도윤", "Doyun"), ("현우", "Hyunwoo")),
        _unisex(("김", "Kim"), ("이", "Lee"), ("박", "Park"), ("최", "Choi")),
        weight=0.23,
    ),
    NamePool(
        "Thai",
        ("TH",),
        (("สุดารัตน์", "Sudarat"), ("น้ำทิพย์", "Namthip"), ("กาญจนา", "Kanchana")),
        (("สมชาย", "Somchai"), ("ประยุทธ์", "Prayut"), ("ธนากร", "Thanakorn")),
        _unisex(("ใจดี", "Jaidee"), ("ศรีสุข", "Srisuk"), ("วงศ์สวัสดิ์", "Wongsawat")),
        weight=0.23,
    ),
    NamePool(
        "long compound names",
        ("ES", "PT", "RU", "GE", "DE", "AM"),
        (
            ("María de los Ángeles", "María de los Ángeles"),
            ("Александра-Мария Константиновна", "Aleksandra-Mariia Konstantinovna"),
            ("ქეთევან-ელისაბედ", "Ketevan-Elisabed"),
            ("Աստղիկ-Մարգարիտ", "Astghik-Margarit"),
        ),
        (
            ("João Pedro Maria", "João Pedro Maria"),
            ("Karl-Theodor Maria Nikolaus Johann", "Karl-Theodor Maria Nikolaus Johann"),
            ("ალექსანდრე-ბესარიონ", "Aleksandre-Besarion"),
            ("Константин-Эммануил Вениаминович", "Konstantin-Emmanuil Veniaminovich"),
        ),
        _unisex(
            (
                "Fernández-Villaverde y Rodríguez de la Fuente",
                "Fernández-Villaverde y Rodríguez de la Fuente",
            ),
            (
                "Gonçalves de Albuquerque e Vasconcelos Sotto-Maior",
                "Gonçalves de Albuquerque e Vasconcelos Sotto-Maior",
            ),
            (
                "Freiherr von und zu Guttenberg-Oberstdorf",
                "Freiherr von und zu Guttenberg-Oberstdorf",
            ),
            ("ჯავახიშვილი-მესხიშვილი-ორბელიანი", "Javakhishvili-Meskhishvili-Orbeliani"),
            ("Տեր-Հովհաննիսյան-Մելիք-Շահնազարյան", "Ter-Hovhannisyan-Melik-Shahnazaryan"),
            ("Верховенская-Задунайская-Оболенская", "Verkhovenskaia-Zadunaiskaia-Obolenskaia"),
        ),
        weight=0.3,  # about 3% of the trainees
    ),
)

POSITIONS = (
    "Police Inspector",
    "Senior Investigator, Cybercrime Unit",
    "Border Police Officer",
    "Criminal Intelligence Analyst",
    "Head of Division for Trafficking in Human Beings",
    "Training Officer",
    "Prosecutor",
    "Sergeant",
)
AGENCIES = (
    "Ministry of Interior",
    "General Police Directorate",
    "State Border Service",
    "National Police Academy",
    "Financial Intelligence Unit",
    "Office of the Prosecutor General",
)


@dataclass
class Person:
    given: str
    family: str
    given_latin: str
    family_latin: str
    gender: str
    country: str
    script: str


def people(count: int, seed: int) -> list[Person]:
    rng = random.Random(seed)
    weights = [pool.weight for pool in NAME_POOLS]
    drawn = []
    for _ in range(count):
        pool = rng.choices(NAME_POOLS, weights)[0]
        woman = rng.random() < 0.45
        given, given_latin = rng.choice(pool.women if woman else pool.men)
        family, family_latin = rng.choice(pool.families)[1 if woman else 0]
        drawn.append(
            Person(
                given=given,
                family=family,
                given_latin=given_latin,
                family_latin=family_latin,
                gender="woman" if woman else "man",
                country=rng.choice(pool.countries),
                script=pool.label,
            )
        )
    return drawn


def check_names() -> None:
    """Every name in the pools must pass the profile service's own checks and be printable."""
    from certificates.rendering import missing_characters
    from trainees import services as trainee_services

    is_name = getattr(trainee_services, "_is_name", None)
    is_latin = getattr(trainee_services, "_is_latin", None)
    problems = []
    for pool in NAME_POOLS:
        pairs = [*pool.women, *pool.men, *(p for family in pool.families for p in family)]
        for native, latin in pairs:
            if is_name and not (is_name(native) and is_name(latin)):
                problems.append(f"not a name: {native!r} / {latin!r}")
            if is_latin and not is_latin(latin):
                problems.append(f"not Latin letters: {latin!r}")
            if missing := missing_characters(f"{native} {latin}"):
                problems.append(f"not printable in {native!r}: {' '.join(missing)}")
            if max(len(native), len(latin)) > 150:
                problems.append(f"longer than 150 characters: {native!r}")
    if problems:
        raise SystemExit("Set-up error in the name pools:\n  " + "\n  ".join(problems))


# ---------------------------------------------------------------------------------------------
# Set-up (in-process, after django_setup)
# ---------------------------------------------------------------------------------------------


@dataclass
class Setup:
    run: object
    rule: object
    race_run: object
    race_rule: object
    coordinator: object
    trainees: int
    race_trainees: int
    scripts: Counter
    seconds: float


BODY = (
    "This is to certify that {name} ({name_latin}) took part in the course {course}, "
    "{run}, held in {country} on {dates}, a course of {hours} hours organised by "
    "{institution}.\n\n"
    "The participant attended the sessions required by the rules of the OSCE Police "
    "Academies Network for this certificate."
)


def make_template(institution):
    from certificates.models import CertificateTemplate, CertificateText, Signatory

    template = CertificateTemplate(
        institution=institution,
        name="Bench certificate",
        orientation="landscape",
        primary_colour="#1F3A5F",
        accent_colour="#B08D57",
        sample_name="Đorđe Petrović",
    )
    template.full_clean()
    template.save()
    text = CertificateText(
        template=template,
        language="en",
        participation_title="Certificate of participation",
        body=BODY,
        sort_order=0,
    )
    text.full_clean()
    text.save()
    for order, (name, position) in enumerate(
        [
            ("Dr. Ana Marković", "Director, Bench Academy"),
            ("Giorgi Beridze", "Head of Training and International Co-operation"),
        ]
    ):
        signatory = Signatory(template=template, name=name, position=position, sort_order=order)
        signatory.full_clean()
        signatory.save()
    return template


def make_run(course, institution, country, title: str, rule_template):
    import datetime as dt

    from certificates.models import CertificateRule
    from courses import services as course_services

    first_day = dt.date.today() - dt.timedelta(days=30)
    run = course_services.run_create(
        course=course,
        organiser=institution,
        title=title,
        delivery_mode="residential",
        language="en",
        host_country=country,
        venue="Bench Academy, Belgrade",
        start_date=first_day,
        end_date=first_day,
        capacity=100_000,
        enrolment_policy="open",
        time_zone="Europe/Belgrade",
        sessions=[
            {
                "date": first_day,
                "start_time": dt.time(9, 0),
                "duration_minutes": 180,
                "topic": "Investigating cybercrime",
            }
        ],
    )
    rule = CertificateRule(
        run=run, kind=KIND, template=rule_template, min_attendance=80, automatic=False
    )
    rule.full_clean()
    rule.save()
    return run, rule


def build(args) -> Setup:
    from certificates import selectors
    from network.models import Country, User
    from trainees.models import Attendance, Enrolment, TraineeProfile

    start = time.perf_counter()
    check_names()
    institution, serbia, course = bench_course(
        title="Investigating cybercrime and digital evidence",
        summary="A course whose participants all earn a certificate.",
    )
    template = make_template(institution)
    run, rule = make_run(
        course, institution, serbia, "Cybercrime investigation, Belgrade", template
    )
    race_run, race_rule = make_run(course, institution, serbia, "Bench race run", template)
    coordinator = User.objects.create_user(
        email="coordinator@bench.example", first_name="Bench", last_name="Coordinator"
    )
    say(f"  site, institution, course, template, 2 runs: {time.perf_counter() - start:.1f}s")

    drawn = people(args.certificates, args.seed)
    countries = {c.code: c for c in Country.objects.filter(code__in={p.country for p in drawn})}
    mark = time.perf_counter()
    users = [
        User(
            email=f"trainee{i:05d}@bench.example",
            first_name=person.given_latin,
            last_name=person.family_latin,
        )
        for i, person in enumerate(drawn)
    ]
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users, batch_size=2000)
    rng = random.Random(args.seed + 1)
    TraineeProfile.objects.bulk_create(
        [
            TraineeProfile(
                user=user,
                given_name=person.given,
                family_name=person.family,
                given_name_latin=person.given_latin,
                family_name_latin=person.family_latin,
                gender=person.gender,
                country=countries[person.country],
                institution_other=rng.choice(AGENCIES),
                rank_or_position=rng.choice(POSITIONS),
                preferred_language="ru" if person.script.startswith("Cyrillic") else "en",
            )
            for user, person in zip(users, drawn, strict=True)
        ],
        batch_size=2000,
    )
    race_count = min(len(users), RACE_CHUNKS * chunk_size())
    for target_run, members in ((run, users), (race_run, users[:race_count])):
        enrolments = Enrolment.objects.bulk_create(
            [
                Enrolment(
                    run=target_run,
                    user=user,
                    role=Enrolment.Role.TRAINEE,
                    state=Enrolment.State.ENROLLED,
                    country=countries[person.country],
                )
                for user, person in zip(members, drawn, strict=False)
            ],
            batch_size=2000,
        )
        session = target_run.sessions.get()
        Attendance.objects.bulk_create(
            [
                Attendance(
                    session=session,
                    enrolment=enrolment,
                    status=Attendance.Status.PRESENT,
                    recorded_by=coordinator,
                )
                for enrolment in enrolments
            ],
            batch_size=2000,
        )
    say(
        f"  {len(users)} trainees (users, profiles, enrolments, attendance) and {race_count} "
        f"race-run enrolments by bulk_create: {time.perf_counter() - mark:.1f}s"
    )
    with pg_connect(DB_NAME) as conn:
        conn.execute("VACUUM ANALYZE")

    mark = time.perf_counter()
    for label, target_run, target_rule, expected in (
        ("main run", run, rule, len(users)),
        ("race run", race_run, race_rule, race_count),
    ):
        standings = selectors.run_standings(run=target_run, rules=[target_rule])
        owed = sum(1 for standing in standings if standing.owed)
        if owed != expected or len(standings) != expected:
            reasons = Counter(r for s in standings for r in s.reasons)
            raise SystemExit(
                f"Set-up error: run_standings of the {label} finds {len(standings)} standings, "
                f"{owed} owed a certificate, not {expected}. Reasons: {dict(reasons) or 'none'}"
            )
    say(
        f"  run_standings check (all {len(users)} + {race_count} owed a certificate): "
        f"{time.perf_counter() - mark:.1f}s"
    )
    return Setup(
        run=run,
        rule=rule,
        race_run=race_run,
        race_rule=race_rule,
        coordinator=coordinator,
        trainees=len(users),
        race_trainees=race_count,
        scripts=Counter(person.script for person in drawn),
        seconds=time.perf_counter() - start,
    )


def chunk_size() -> int:
    from certificates.services import issuing

    return issuing.CHUNK


# ---------------------------------------------------------------------------------------------
# CPU accounting from /proc (Linux; zeros elsewhere)
# ---------------------------------------------------------------------------------------------


def _stat_fields(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def process_ticks(pid: int) -> int:
    fields = _stat_fields(pid)
    return int(fields[11]) + int(fields[12]) if fields else 0


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat_fields(int(entry.name))
        if fields and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def postgres_pids() -> list[int]:
    """The PostgreSQL backends serving this benchmark's database (other work on the machine
    may use the same server)."""
    with pg_connect(DB_NAME) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (DB_NAME,),
        ).fetchall()
    return [pid for (pid,) in rows]


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all cores."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values[:8]) - idle, sum(values[:8])


class CpuMeter:
    """CPU seconds of groups of processes between start() and stop(), plus machine busy %."""

    def __init__(self, groups: dict[str, callable]):
        self.groups = groups
        self.before: dict[str, dict[int, int]] = {}
        self.seconds: dict[str, float] = {}
        self.busy_cores = 0.0
        self._machine = (0, 0)
        self._wall = 0.0

    def _take(self) -> dict[str, dict[int, int]]:
        return {
            name: {pid: process_ticks(pid) for pid in pids()} for name, pids in self.groups.items()
        }

    def start(self) -> None:
        self.before = self._take()
        self._machine = machine_ticks()
        self._wall = time.perf_counter()

    def stop(self) -> None:
        after = self._take()
        busy, total = machine_ticks()
        wall = time.perf_counter() - self._wall
        for name, ticks in after.items():
            previous = self.before.get(name, {})
            self.seconds[name] = sum(t - previous.get(pid, 0) for pid, t in ticks.items()) / (
                CLOCK_TICKS
            )
        if total > self._machine[1] and wall > 0:
            share = (busy - self._machine[0]) / (total - self._machine[1])
            self.busy_cores = share * (os.cpu_count() or 1)

    def line(self, wall: float) -> str:
        parts = [f"{name} {s:.1f}s ({100 * s / wall:.0f}%)" for name, s in self.seconds.items()]
        return (
            "CPU seconds (share of one core): "
            + ", ".join(parts)
            + f"; all cores busy on average: {self.busy_cores:.2f} of {os.cpu_count()}"
        )

    def total(self) -> float:
        return sum(self.seconds.values())


# ---------------------------------------------------------------------------------------------
# The Celery worker
# ---------------------------------------------------------------------------------------------


class Worker:
    def __init__(self, env: dict[str, str], processes: int, log_path: Path):
        self.env, self.processes, self.log_path = env, processes, log_path
        self.name = f"bench-certificates-{os.getpid()}@{socket.gethostname()}"
        self.process: subprocess.Popen | None = None
        self._log = None

    def start(self) -> float:
        executable = Path(PYTHON).parent / "celery"
        base = [str(executable)] if executable.exists() else [PYTHON, "-m", "celery"]
        command = [
            *base,
            "-A",
            "config",
            "worker",
            "-Q",
            QUEUE,
            "-c",
            str(self.processes),
            "--pool=prefork",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            self.name,
        ]
        say(f"Starting the Celery worker: {' '.join(command[1:])}")
        started = time.perf_counter()
        self._log = self.log_path.open("w")
        # A session of its own: stopped as a group by our clean-up, out of reach of Ctrl-C.
        self.process = subprocess.Popen(  # noqa: S603 (the venv's celery, fixed arguments)
            command,
            env=self.env,
            cwd=ROOT,
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        from config.celery_app import app

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"The Celery worker exited ({self.process.returncode}):\n{self.log_tail()}"
                )
            with contextlib.suppress(Exception):
                if app.control.ping(destination=[self.name], timeout=1.0):
                    return time.perf_counter() - started
            time.sleep(0.2)
        raise SystemExit(f"The Celery worker did not answer a ping within 90s:\n{self.log_tail()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def pids(self) -> list[int]:
        if not self.alive():
            return []
        return [self.process.pid, *children_of(self.process.pid)]

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:]) or "(empty log)"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            pgid = self.process.pid  # the session leader: its process group id is its pid
            try:
                os.killpg(pgid, signal.SIGTERM)  # warm shutdown: running tasks finish
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                say("The worker did not stop within 60s of SIGTERM: killing it.")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pgid, signal.SIGKILL)
                self.process.wait(timeout=10)
            except ProcessLookupError:
                pass
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)  # pool processes that outlived the parent
            say("Celery worker stopped.")
        if self._log is not None:
            self._log.close()
            self._log = None


# ---------------------------------------------------------------------------------------------
# Broker and result backend
# ---------------------------------------------------------------------------------------------


def broker():
    import redis

    return redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2)


def queue_lengths() -> dict[str, int]:
    client = broker()
    return {name: client.llen(name) for name in (QUEUE, "celery")}


def task_metas() -> list[dict]:
    client = broker()
    metas = []
    for key in client.scan_iter(match="celery-task-meta-*", count=1000):
        raw = client.get(key)
        if raw:
            with contextlib.suppress(ValueError):
                metas.append(json.loads(raw))
    return metas


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ---------------------------------------------------------------------------------------------
# Step 2: issuance
# ---------------------------------------------------------------------------------------------


@dataclass
class Issuance:
    seconds: float
    issued: int
    owed: int
    certify_seconds: float
    tasks: Counter
    returned: int
    worker_seconds: float | None
    ended: str
    cpu: CpuMeter
    progress: list[tuple[float, int]] = field(default_factory=list)


def issue(args, setup: Setup, worker: Worker) -> Issuance:
    from django.db import transaction

    from certificates import services
    from certificates.models import Certificate

    run = setup.run
    cpu = CpuMeter(
        {"worker": worker.pids, "postgres": postgres_pids, "this": lambda: [os.getpid()]}
    )
    say(f"Issuance: run_certify for {setup.trainees} trainees, worker {args.processes} processes.")
    cpu.start()
    start = time.perf_counter()
    with transaction.atomic():
        owed = services.run_certify(run=run, actor=setup.coordinator)
    certified = time.perf_counter()
    chunks = math.ceil(owed / chunk_size()) if owed else 0
    count, ended = 0, "timeout"
    progress = []
    next_report = start + 10
    while True:
        now = time.perf_counter()
        count = Certificate.objects.filter(run=run).count()
        if count >= setup.trainees:
            ended = "all issued"
            break
        if now - start > args.timeout:
            break
        if not worker.alive():
            ended = "worker died"
            break
        if now >= next_report:
            progress.append((now - start, count))
            say(f"  {now - start:6.1f}s  {count:>6} certificates  ({count / (now - start):.0f}/s)")
            next_report += 10
            metas = task_metas()
            final = [m for m in metas if m.get("status") in ("SUCCESS", "FAILURE")]
            if len(final) >= chunks and queue_lengths()[QUEUE] == 0:
                ended = "tasks finished short"
                break
        time.sleep(0.5)
    seconds = time.perf_counter() - start
    cpu.stop()
    # The last task stores its result just after its transaction commits.
    deadline = time.monotonic() + 15
    metas = task_metas()
    while time.monotonic() < deadline and sum(m.get("status") == "SUCCESS" for m in metas) < chunks:
        time.sleep(0.3)
        metas = task_metas()
    states = Counter(m.get("status") for m in metas)
    returned = sum(m["result"] for m in metas if m.get("status") == "SUCCESS")
    done = [parse_time(m.get("date_done")) for m in metas if m.get("status") == "SUCCESS"]
    first = Certificate.objects.filter(run=run).order_by("issued_at").first()
    worker_seconds = None
    if done and first is not None:
        worker_seconds = (max(d for d in done if d) - first.issued_at).total_seconds()
    return Issuance(
        seconds=seconds,
        issued=count,
        owed=owed,
        certify_seconds=certified - start,
        tasks=states,
        returned=returned,
        worker_seconds=worker_seconds,
        ended=ended,
        cpu=cpu,
        progress=progress,
    )


# ---------------------------------------------------------------------------------------------
# Step 3: duplicates
# ---------------------------------------------------------------------------------------------


@dataclass
class Duplicates:
    rows_beyond_one: int
    multiple_valid: int
    count_moved: int
    main_before: int
    main_after: int
    race_rows: int
    race_returned: int
    race_expected: int
    twins: list[str]  # per race chunk: what each twin returned, seconds between their ends
    redelivered_returned: int
    task_states: Counter
    wait_seconds: float
    notifications: int
    statements: int | None
    files: int
    largest_pdf: int  # bytes
    orphan_files: int
    rows_without_file: int
    hashed: int
    hash_mismatches: list[str]
    hash_seconds: float

    @property
    def total(self) -> int:
        return self.rows_beyond_one + self.multiple_valid + self.count_moved


def ordered_chunks(run) -> list[list[int]]:
    """The run's certifiable enrolment ids as run_certify cuts them (run_standings' order)."""
    from trainees.models import Enrolment

    ids = list(
        Enrolment.objects.filter(
            run_id=run.pk, role=Enrolment.Role.TRAINEE, state=Enrolment.State.ENROLLED
        )
        .order_by("user__trainee_profile__family_name_latin", "pk")
        .values_list("pk", flat=True)
    )
    size = chunk_size()
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def wait_for(results: list, timeout: float, worker: Worker) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout and worker.alive():
        if all(result.ready() for result in results):
            break
        time.sleep(0.5)
    return time.perf_counter() - start


def twin_summary(results: list) -> list[str]:
    """Per pair of twin tasks: "a+b (gap s)": what each returned and how far apart they ended.
    A gap well under a chunk's rendering time means both rendered the chunk at the same time
    and the loser's insert waited for the winner's commit."""
    summary = []
    for first, second in zip(results[::2], results[1::2], strict=True):
        if first is None or second is None:
            continue
        ends = [r.date_done for r in (first, second)]
        gap = abs((ends[0] - ends[1]).total_seconds()) if all(ends) else float("nan")
        summary.append(f"{first.result}+{second.result} ({gap:.1f}s)")
    return summary


def duplicates(args, setup: Setup, media_root: Path, worker: Worker) -> Duplicates:
    from django.db.models import Count

    from certificates import tasks
    from certificates.models import Certificate
    from trainees.models import Notification

    runs = [setup.run.pk, setup.race_run.pk]
    actor = setup.coordinator.pk
    main_before = Certificate.objects.filter(run=setup.run).count()

    race = ordered_chunks(setup.race_run)
    race_results: list = [None] * (2 * len(race))
    barrier = threading.Barrier(2)

    def send_race(offset: int) -> None:
        barrier.wait()
        for i, chunk in enumerate(race):
            race_results[2 * i + offset] = tasks.issue_chunk.delay(
                setup.race_run.pk, KIND, chunk, actor
            )

    say(
        f"Duplicates: {len(race)} race-run chunks sent twice at once from two threads, then "
        f"every chunk of the main run again."
    )
    senders = [threading.Thread(target=send_race, args=(n,)) for n in range(2)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    redelivered = [
        tasks.issue_chunk.delay(setup.run.pk, KIND, chunk, actor)
        for chunk in ordered_chunks(setup.run)
    ]
    results = [r for r in race_results if r is not None] + redelivered
    waited = wait_for(results, args.timeout, worker)
    states = Counter(result.state for result in results)

    def total(of: list) -> int:
        return sum(r.result for r in of if r.state == "SUCCESS" and isinstance(r.result, int))

    certificates = Certificate.objects.filter(run_id__in=runs)
    groups = certificates.values("user_id", "run_id", "kind").annotate(n=Count("pk")).order_by()
    rows_beyond_one = sum(g["n"] - 1 for g in groups.filter(n__gt=1))
    multiple_valid = (
        certificates.filter(status=Certificate.Status.VALID)
        .values("user_id", "run_id", "kind")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by()
        .count()
    )
    main_after = Certificate.objects.filter(run=setup.run).count()
    statements = None
    with contextlib.suppress(Exception):
        from xapi.models import Statement

        statements = Statement.objects.count()

    # Files: every row's PDF on disk, and nothing else.
    names = dict(certificates.values_list("pdf", "sha256"))
    private_root = media_root / "private"
    folder = private_root / "certificates"
    on_disk = {f"certificates/{p.name}" for p in folder.iterdir()} if folder.is_dir() else set()
    mismatches, hashed = [], 0
    start = time.perf_counter()
    import hashlib

    for name, digest in names.items():
        if time.perf_counter() - start > HASH_BUDGET_SECONDS:
            break
        path = private_root / name
        if name not in on_disk:
            continue
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            mismatches.append(name)
        hashed += 1
    return Duplicates(
        rows_beyond_one=rows_beyond_one,
        multiple_valid=multiple_valid,
        count_moved=abs(main_after - main_before),
        main_before=main_before,
        main_after=main_after,
        race_rows=Certificate.objects.filter(run=setup.race_run).count(),
        race_returned=total([r for r in race_results if r is not None]),
        race_expected=setup.race_trainees,
        twins=twin_summary(race_results),
        redelivered_returned=total(redelivered),
        task_states=states,
        wait_seconds=waited,
        notifications=Notification.objects.filter(enrolment__run_id__in=runs).count(),
        statements=statements,
        files=len(on_disk),
        largest_pdf=max(((private_root / n).stat().st_size for n in on_disk), default=0),
        orphan_files=len(on_disk - set(names)),
        rows_without_file=len(set(names) - on_disk),
        hashed=hashed,
        hash_mismatches=mismatches,
        hash_seconds=time.perf_counter() - start,
    )


# ---------------------------------------------------------------------------------------------
# Step 4: the bare renderer
# ---------------------------------------------------------------------------------------------

_POOL_LAYOUT = None


def _pool_init(layout) -> None:
    global _POOL_LAYOUT
    _POOL_LAYOUT = layout


def _pool_ready(_: int) -> int:
    return os.getpid()


def _render_chunk(contents: list) -> tuple[int, int]:
    from certificates.rendering import render

    total = 0
    for content in contents:
        total += len(render(_POOL_LAYOUT, content))
    return len(contents), total


@dataclass
class Half:
    label: str
    seconds: float
    rendered: int
    bytes: int
    cpu: CpuMeter


@dataclass
class Baseline:
    halves: list[Half]
    prepare_seconds: float

    @property
    def seconds(self) -> float:
        return sum(half.seconds for half in self.halves)

    @property
    def rendered(self) -> int:
        return sum(half.rendered for half in self.halves)

    @property
    def bytes(self) -> int:
        return sum(half.bytes for half in self.halves)

    def cpu_total(self) -> float:
        return sum(half.cpu.total() for half in self.halves)


def prepared_contents(setup: Setup) -> tuple[object, list]:
    """(layout, contents) exactly as services.issuing._prepare builds them for the main run."""
    from django.utils import timezone

    from certificates import rendering, selectors
    from certificates.models import CertificateRule
    from certificates.services import issuing
    from courses.models import CourseRun

    run = CourseRun.objects.select_related("course", "organiser", "host_country").get(
        pk=setup.run.pk
    )
    rule = (
        CertificateRule.objects.select_related("template")
        .prefetch_related("template__texts")
        .get(pk=setup.rule.pk)
    )
    standings = selectors.run_standings(run=run, rules=[rule])
    captured = []
    real_render = rendering.render

    def capture(layout, content):
        captured.append((layout, content))
        return b""

    rendering.render = capture
    try:
        now = timezone.now()
        for standing in standings:
            issuing._prepare(standing, run=run, now=now, actor=None)
    finally:
        rendering.render = real_render
    layouts = {id(layout) for layout, _content in captured}
    if len(layouts) != 1:
        say(f"Note: {len(layouts)} different Layout objects; the first is used for all.")
    return captured[0][0], [content for _layout, content in captured]


def baseline_chunks(setup: Setup) -> tuple[object, list[list], float]:
    """(layout, chunks of contents, seconds it took): prepared before the issuance, not timed."""
    mark = time.perf_counter()
    layout, contents = prepared_contents(setup)
    size = chunk_size()
    chunks = [contents[i : i + size] for i in range(0, len(contents), size)]
    return layout, chunks, time.perf_counter() - mark


def bare_render(args, layout, chunks: list[list], label: str) -> Half:
    """Render `chunks` with the bare renderer in a fresh `spawn` Pool; only the map is timed."""
    from django.db import connections

    connections.close_all()
    count = sum(len(chunk) for chunk in chunks)
    context = multiprocessing.get_context("spawn")
    with context.Pool(args.processes, initializer=_pool_init, initargs=(layout,)) as pool:
        pool.map(_pool_ready, range(args.processes * 4))  # every process started and ready
        pool_pids = [process.pid for process in getattr(pool, "_pool", [])] or children_of(
            os.getpid()
        )
        cpu = CpuMeter({"render pool": lambda: pool_pids, "this": lambda: [os.getpid()]})
        say(
            f"Baseline, {label}: {count} certificates with the bare renderer in a Pool of "
            f"{args.processes} processes, {len(chunks)} chunks."
        )
        cpu.start()
        start = time.perf_counter()
        done = pool.map(_render_chunk, chunks, chunksize=1)
        seconds = time.perf_counter() - start
        cpu.stop()
    return Half(
        label=label,
        seconds=seconds,
        rendered=sum(n for n, _ in done),
        bytes=sum(b for _, b in done),
        cpu=cpu,
    )


# ---------------------------------------------------------------------------------------------
# Step 5: verification page
# ---------------------------------------------------------------------------------------------


@dataclass
class Latency:
    label: str
    times: list[float]
    bad: int
    queries: tuple[int, int] | None = None

    def percentile(self, share: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000

    @property
    def median(self) -> float:
        return statistics.median(self.times) * 1000


def verification(args, setup: Setup) -> list[Latency]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from certificates.models import Certificate

    codes = list(
        Certificate.objects.filter(run=setup.run, status=Certificate.Status.VALID).values_list(
            "code", flat=True
        )
    )
    if not codes:
        return []
    rng = random.Random(args.seed)
    picked = [rng.choice(codes) for _ in range(args.verify_requests + VERIFY_WARMUP + 20)]
    client = Client(HTTP_HOST="127.0.0.1")
    targets = {
        "verify": lambda i: reverse("verify", args=[picked[i]]),
        "minimal": lambda i: "/bench/minimal/",
        "healthz": lambda i: "/healthz",
    }
    checks = {"verify": b"Valid certificate", "minimal": b"ok", "healthz": b"ok"}
    times = {name: [] for name in targets}
    bad = Counter()
    first_bad = {}
    for i in range(VERIFY_WARMUP + args.verify_requests):
        for name, url in targets.items():
            path = url(i)
            start = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - start
            if i < VERIFY_WARMUP:
                continue
            times[name].append(elapsed)
            if response.status_code != 200 or checks[name] not in response.content:
                bad[name] += 1
                first_bad.setdefault(name, f"{path} -> {response.status_code}")
    for name, detail in first_bad.items():
        say(f"  first unexpected answer ({name}): {detail}")
    counts = []
    for i in range(VERIFY_WARMUP + args.verify_requests, len(picked)):
        with CaptureQueriesContext(connection) as captured:
            client.get(targets["verify"](i))
        counts.append(len(captured))
    return [
        Latency(
            "/verify/<code>/",
            times["verify"],
            bad["verify"],
            (min(counts), max(counts)) if counts else None,
        ),
        Latency("/bench/minimal/ (baseline)", times["minimal"], bad["minimal"], (0, 0)),
        Latency("/healthz (SELECT 1)", times["healthz"], bad["healthz"], (1, 1)),
    ]


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--certificates", type=int, default=10_000, help="trainees to certify")
    parser.add_argument(
        "--processes", type=int, default=2, help="worker processes, and render pool size"
    )
    parser.add_argument("--verify-requests", type=int, default=500, help="verification GETs")
    parser.add_argument("--seed", type=int, default=1, help="names and verified codes")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for tasks")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and the PDFs for inspection"
    )
    args = parser.parse_args()
    if args.certificates < 1 or args.processes < 1 or args.verify_requests < 1:
        parser.error("--certificates, --processes and --verify-requests must be >= 1")
    return args


def environment(media_root: Path) -> dict[str, str]:
    env = bench_env(CACHE_URL)
    env.update(
        DATABASE_URL=DATABASE_URL,
        BENCH_STATIC_ROOT=str(STATIC_ROOT),
        DJANGO_EMAIL_BACKEND=EMAIL_BACKEND,
        DJANGO_MEDIA_ROOT=str(media_root / "public"),
        # Certificate PDFs are private files: kept beside the media tree, never in it.
        DJANGO_PRIVATE_MEDIA_ROOT=str(media_root / "private"),
        CELERY_BROKER_URL=BROKER_URL,
        CELERY_RESULT_BACKEND=BROKER_URL,
        CELERY_TASK_ALWAYS_EAGER="0",
        PAN_VERIFY_RATE="100000/m",
        PAN_VERIFY_RATE_HOURLY="1000000/h",
        XAPI_FORWARD_ENDPOINT="",
    )
    return env


def worker_log_summary(worker: Worker) -> tuple[Counter, list[str]]:
    text = worker.log_text()
    markers = ("ERROR", "CRITICAL", "WARNING", "Traceback", "Retry in", "IntegrityError")
    found = Counter(m for line in text.splitlines() for m in markers if m in line)
    lines = [line for line in text.splitlines() if any(m in line for m in markers)][:8]
    return found, lines


def report(
    args,
    setup: Setup,
    issued: Issuance,
    dup: Duplicates,
    base: Baseline | None,
    latencies: list[Latency],
    notes: list[str],
) -> None:
    n = setup.trainees
    say("")
    say(
        f"Run #{setup.run.pk}: {n} trainees, one past session, rule {KIND} (attendance >= 80%, "
        f"not automatic); names: "
        + ", ".join(f"{label} {count}" for label, count in setup.scripts.most_common())
    )
    for note in notes:
        say(note)
    say("")
    rows = [
        ("issuance: wall seconds (run_certify to last row)", f"{issued.seconds:.1f}"),
        ("  of which run_certify in this process", f"{issued.certify_seconds:.1f}"),
        ("  ended because", issued.ended),
        ("  certificates issued / owed", f"{issued.issued} / {issued.owed}"),
        ("  per certificate (ms, wall)", f"{1000 * issued.seconds / max(issued.issued, 1):.1f}"),
        ("  certificates/s (wall)", f"{issued.issued / issued.seconds:.1f}"),
        (
            "  worker's own rate (first issued_at to last date_done)",
            f"{issued.issued / issued.worker_seconds:.1f}/s over {issued.worker_seconds:.1f}s"
            if issued.worker_seconds
            else "n/a",
        ),
        (
            "  tasks (result backend)",
            ", ".join(f"{k} {v}" for k, v in sorted(issued.tasks.items())) + f"; returned "
            f"{issued.returned}",
        ),
        ("  " + issued.cpu.line(issued.seconds), ""),
        (
            "  CPU ms per certificate (worker + postgres + this)",
            f"{1000 * issued.cpu.total() / max(issued.issued, 1):.1f}",
        ),
    ]
    if base is not None:
        rows += [
            ("bare render: wall seconds (both halves)", f"{base.seconds:.1f}"),
            ("  certificates rendered, MB", f"{base.rendered}, {base.bytes / 1e6:.0f}"),
            ("  per certificate (ms, wall)", f"{1000 * base.seconds / max(base.rendered, 1):.1f}"),
            ("  preparing the contents (not timed)", f"{base.prepare_seconds:.1f}s"),
        ]
        for half in base.halves:
            rows += [
                (
                    f"  {half.label}: certificates, seconds, ms each",
                    f"{half.rendered}, {half.seconds:.1f}, "
                    f"{1000 * half.seconds / max(half.rendered, 1):.1f}",
                ),
                ("    " + half.cpu.line(half.seconds), ""),
            ]
        rows += [
            (
                "  CPU ms per certificate (render pool + this)",
                f"{1000 * base.cpu_total() / max(base.rendered, 1):.1f}",
            ),
            (
                "  CPU ratio bare / issuance (less sensitive to other load)",
                f"{base.cpu_total() / issued.cpu.total():.2f}" if issued.cpu.total() else "n/a",
            ),
        ]
    rows += [
        ("duplicates: rows beyond one per (person, run, kind)", dup.rows_beyond_one),
        ("  (person, run, kind) with more than one valid row", dup.multiple_valid),
        (
            "  main run count moved by redelivery",
            f"{dup.count_moved} ({dup.main_before} -> {dup.main_after}; redelivered tasks "
            f"returned {dup.redelivered_returned})",
        ),
        (
            "  race run: rows / trainees / twin tasks' returns summed",
            f"{dup.race_rows} / {dup.race_expected} / {dup.race_returned}",
        ),
        ("  twin tasks: returns (seconds between their ends)", ", ".join(dup.twins) or "n/a"),
        (
            "  tasks (race + redelivery)",
            ", ".join(f"{k} {v}" for k, v in sorted(dup.task_states.items()))
            + f"; drained in {dup.wait_seconds:.1f}s",
        ),
        ("  notification rows (both runs)", dup.notifications),
        ("  xAPI statements stored", dup.statements if dup.statements is not None else "n/a"),
        (
            "files: PDFs on disk / without a row / rows without a file",
            f"{dup.files} / {dup.orphan_files} / {dup.rows_without_file}",
        ),
        ("  largest PDF (KB)", f"{dup.largest_pdf / 1024:.1f}"),
        (
            "  SHA-256 checked / mismatches",
            f"{dup.hashed} / {len(dup.hash_mismatches)} in {dup.hash_seconds:.1f}s"
            + (f" (first: {dup.hash_mismatches[0]})" if dup.hash_mismatches else ""),
        ),
    ]
    width = max(len(label) for label, _value in rows if _value != "")
    for label, value in rows:
        say(f"{label:<{width}}  {value}" if value != "" else label)
    if latencies:
        say("")
        say(
            f"Verification page, in-process test Client (bench.settings, DEBUG off), "
            f"{len(latencies[0].times)} requests each, interleaved:"
        )
        header = (
            f"{'page':<28} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'queries':>8} {'bad':>4}"
        )
        say(header)
        say("-" * len(header))
        for item in latencies:
            queries = (
                "n/a"
                if item.queries is None
                else str(item.queries[0])
                if item.queries[0] == item.queries[1]
                else f"{item.queries[0]}-{item.queries[1]}"
            )
            say(
                f"{item.label:<28} {item.median:>10.1f} {item.percentile(0.95):>8.1f} "
                f"{max(item.times) * 1000:>8.1f} {queries:>8} {item.bad:>4}"
            )


def main() -> None:
    started = time.perf_counter()
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks

    media_root = Path(tempfile.mkdtemp(prefix="pan_bench_certificates_media_"))
    env = environment(media_root)
    log_path = Path(tempfile.gettempdir()) / f"pan_bench_certificates_worker_{os.getpid()}.log"
    worker = Worker(env, args.processes, log_path)
    keep_log = False
    try:
        redis_flush(CACHE_URL)
        redis_flush(BROKER_URL)
        database_recreate(DB_NAME)
        mark = time.perf_counter()
        manage(env, "migrate", "--no-input", "-v0")
        migrate_seconds = time.perf_counter() - mark
        static_note = collect_static(env)
        for key in (
            "DJANGO_EMAIL_BACKEND",
            "DJANGO_MEDIA_ROOT",
            "CELERY_BROKER_URL",
            "CELERY_RESULT_BACKEND",
            "CELERY_TASK_ALWAYS_EAGER",
            "PAN_VERIFY_RATE",
            "PAN_VERIFY_RATE_HOURLY",
            "XAPI_FORWARD_ENDPOINT",
        ):
            os.environ[key] = env[key]
        django_setup(env)

        say(f"Set-up: {args.certificates} trainees...")
        setup = build(args)
        layout, chunks, prepare_seconds = baseline_chunks(setup)
        middle = len(chunks) // 2
        halves = []
        if chunks[:middle]:
            halves.append(bare_render(args, layout, chunks[:middle], "first half, before issuing"))
        queued = queue_lengths()
        notes = [
            f"Set-up: migrate {migrate_seconds:.0f}s, in-process set-up {setup.seconds:.0f}s; "
            f"static files {static_note}; media in {media_root}; broker {BROKER_URL}; messages "
            f"queued by the set-up: {queued}."
        ]
        load_before = os.getloadavg()[0]
        worker_start = worker.start()
        notes.append(
            f"Worker {worker.name}: answered a ping {worker_start:.1f}s after starting; "
            f"{os.cpu_count()} CPU cores, 1-minute load average {load_before:.2f} before "
            f"issuing."
        )
        issued = issue(args, setup, worker)
        dup = duplicates(args, setup, media_root, worker)
        queued = queue_lengths()
        notes.append(
            f"After the duplicate test: {queued[QUEUE]} messages left in the {QUEUE} queue, "
            f"{queued['celery']} e-mail tasks waiting in the celery queue (no worker here "
            "consumes it)."
        )
        worker.stop()
        found, lines = worker_log_summary(worker)
        if found:
            keep_log = True
            notes.append(
                f"Worker log ({log_path}, kept): "
                + ", ".join(f"{k} x{v}" for k, v in found.items())
                + "\n  "
                + "\n  ".join(lines)
            )
        else:
            notes.append("Worker log: no warnings, errors, tracebacks or retries.")
        notes.append(
            f"1-minute load average before the baseline's second half: {os.getloadavg()[0]:.2f}."
        )
        halves.append(bare_render(args, layout, chunks[middle:], "second half, after issuing"))
        base = Baseline(halves=halves, prepare_seconds=prepare_seconds)
        latencies = verification(args, setup)

        report(args, setup, issued, dup, base, latencies, notes)
        ratio = base.seconds / issued.seconds if issued.seconds else 0.0
        say("")
        say(
            f"issuance {issued.seconds:.1f}s vs bare render {base.seconds:.1f}s: "
            f"ratio_to_bare_render {ratio:.2f}; total time {time.perf_counter() - started:.0f}s"
        )
        if latencies:
            verify, minimal = latencies[0], latencies[1]
            say(
                f"RESULT certificates_verify p95_ms={verify.percentile(0.95):.1f} "
                f"median_ms={verify.median:.1f} baseline_p95_ms={minimal.percentile(0.95):.1f}"
            )
        say(
            f"RESULT certificates issued={issued.issued} duplicates={dup.total} "
            f"seconds={issued.seconds:.1f} ratio_to_bare_render={ratio:.2f} "
            f"largest_pdf_kb={dup.largest_pdf / 1024:.0f}"
        )
    finally:
        worker.stop()
        if not keep_log:
            with contextlib.suppress(OSError):
                log_path.unlink()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        with contextlib.suppress(SystemExit):
            redis_flush(BROKER_URL)
            redis_flush(CACHE_URL)
        if args.keep:
            say(f"Kept: database {DB_NAME}, PDFs in {media_root}.")
        else:
            shutil.rmtree(media_root, ignore_errors=True)
            with contextlib.suppress(Exception), pg_connect("postgres") as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()
