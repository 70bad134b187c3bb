"""manage.py backup [DIRECTORY]: the database and the media files, with a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the media files into a new directory."

    def add_arguments(self, parser):
        parser.add_argument(
            "directory",
            nargs="?",
            help="A directory that does not exist yet (default: backups/<date and time>).",
        )

    def handle(self, *args, directory=None, **options):
        target = Path(directory or f"backups/{timezone.now():%Y%m%d-%H%M%S}")
        try:
            manifest = backup(target)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        for name, digest in manifest["files"].items():
            self.stdout.write(f"  {name}  sha256 {digest[:16]}…")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))
