"""manage.py restore DIRECTORY --yes: replace the database and media with a backup's."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database and the media files with those of a backup."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm that the current data is to be replaced."
        )

    def handle(self, *args, directory, yes=False, **options):
        if not yes:
            raise CommandError("Restoring replaces every record and file: add --yes to go on.")
        try:
            manifest = restore(Path(directory))
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} from {directory}. Run "
                "`manage.py migrate` if this code is newer than the backup."
            )
        )
