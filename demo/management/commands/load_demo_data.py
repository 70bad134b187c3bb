"""Load the demo network from its data files (demo/data/, described in its README.md):
institutions, curricula, courses with modules and lessons, demo logins, runs, certificates and
a training-of-trainers cascade. Safe to run again: whatever already exists is left as it is,
except that demo passwords are put back to their documented values."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import dataset, loading

COUNTED = [
    ("institution", "institutions"),
    ("curriculum", "curricula"),
    ("course", "courses"),
    ("module", "modules"),
    ("lesson", "lessons"),
    ("user", "demo users"),
    ("run", "course runs"),
    ("package", "e-learning packages"),
    ("enrolment", "enrolments"),
    ("certificate template", "certificate templates"),
    ("certificate", "certificates"),
    ("follow-up", "follow-ups"),
    ("translation", "translations"),
]


class Command(BaseCommand):
    help = (
        "Load the demo network (institutions, curricula, courses, demo logins) from demo/data/. "
        "Idempotent: run it as often as you like."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            data = dataset.load()  # read and checked before anything is written
        except dataset.DataError as error:
            raise CommandError(f"Demo data not loaded: {error}") from None
        with transaction.atomic():
            loader = loading.load(data, stdout=self.stdout, style=self.style)
        elapsed = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s."))
        for kind, plural in COUNTED:
            self.stdout.write(
                f"  {plural:<13} {loader.created[kind]:>4} created, "
                f"{loader.existing[kind]:>4} already there"
            )
        self.stdout.write("")
        self.stdout.write("Demo logins (the same table is in README.md):")
        self.stdout.write(loading.logins_markdown(data))
        self.stdout.write(
            "Other trainees, already enrolled in the demo runs: "
            + ", ".join(o["email"] for o in data.officers)
            + f" (password {data.officer_password})."
        )
        self.stdout.write(
            "Staff logins ask for a two-factor code after the password: add the secret "
            f"{data.totp_secret} to an authenticator app, or run "
            "`.venv/bin/python manage.py demo_totp_code`."
        )
