"""Backup and restore, exercised: records and uploaded files come back exactly as they were;
a damaged backup is refused and changes nothing."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from network.storage import private_storage
from ops.backup import BackupError, restore

from ..factories import UserFactory

# serialized_rollback: the flush after each test would otherwise take the migrations' rows (the
# page tree's root, the root collection) away from the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def on_disk(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "network.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    return tmp_path


def test_a_backup_restores_records_and_files(on_disk):
    from network.models import User

    keep = UserFactory(email="kept@example.org")
    name = private_storage.save("certificates/KEEP.pdf", ContentFile(b"%PDF-1.7 kept"))
    image = default_storage.save("images/kept.png", ContentFile(b"\x89PNG kept"))
    call_command("backup", str(on_disk / "b1"))
    assert sorted(p.name for p in (on_disk / "b1").iterdir()) == [
        "database." + ("pgdump" if _pg() else "sqlite3"),
        "manifest.json",
        "media.tar.gz",
    ]
    # Afterwards: a person is added, the kept one removed, the file overwritten.
    UserFactory(email="later@example.org")
    keep.delete()
    private_storage.delete(name)
    private_storage.save(name, ContentFile(b"changed"))
    default_storage.delete(image)
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(on_disk / "b1"))
    call_command("restore", str(on_disk / "b1"), "--yes")
    emails = set(User.objects.values_list("email", flat=True))
    assert "kept@example.org" in emails and "later@example.org" not in emails
    with private_storage.open(name) as handle:
        assert handle.read() == b"%PDF-1.7 kept"
    with default_storage.open(image) as handle:
        assert handle.read() == b"\x89PNG kept"


def test_a_damaged_backup_is_refused_and_changes_nothing(on_disk):
    from network.models import User

    UserFactory(email="before@example.org")
    call_command("backup", str(on_disk / "b2"))
    UserFactory(email="after@example.org")
    archive = on_disk / "b2" / "media.tar.gz"
    if not archive.exists():
        archive = next((on_disk / "b2").glob("database.*"))
    archive.write_bytes(archive.read_bytes()[:-10])
    with pytest.raises(BackupError, match="damaged"):
        restore(on_disk / "b2")
    assert User.objects.filter(email="after@example.org").exists()
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(on_disk / "b2"))


def _pg() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"
