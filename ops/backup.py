"""Backup and restore of the database and the media files, as one directory per backup:

    database.pgdump     PostgreSQL (pg_dump custom format), or
    database.sqlite3    SQLite (a consistent copy through SQLite's backup API)
    media.tar.gz        every uploaded or generated file: the public media tree (images,
                        documents) as media/, the private one (packages, certificates) as
                        private/
    manifest.json       what was backed up, when, from which migrations, with SHA-256 sums

`manage.py backup` and `manage.py restore` call these functions."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.db import connection, connections
from django.utils import timezone

FORMAT = 1


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools.")
    return path


def _pg_env(db: dict) -> tuple[list[str], dict]:
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _file_trees() -> dict[str, Path]:
    """The storages kept on this machine's disk, by their name in the archive (an
    S3-compatible store keeps its own versions and backups)."""
    from django.core.files.storage import FileSystemStorage, storages

    trees = {}
    for arcname, alias in (("media", "default"), ("private", "private")):
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            trees[arcname] = Path(storage.location)
    return trees


def _migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def backup(destination: Path) -> dict:
    """Write a backup into `destination` (created; must not exist yet). Returns the manifest."""
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} exists already: choose a new directory.")
    destination.mkdir(parents=True)
    db = connection.settings_dict
    files = {}
    if connection.vendor == "postgresql":
        target = destination / "database.pgdump"
        args, env = _pg_env(db)
        subprocess.run(  # noqa: S603 (pg_dump with the project's own settings)
            [_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--file", str(target),
             db["NAME"]],
            env=env,
            check=True,
            capture_output=True,
        )  # fmt: skip
    elif connection.vendor == "sqlite":
        target = destination / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
    files[target.name] = _sha256(target)
    trees = {name: path for name, path in _file_trees().items() if path.exists()}
    if trees:
        archive = destination / "media.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            for arcname, path in trees.items():
                tar.add(path, arcname=arcname)
        files[archive.name] = _sha256(archive)
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "migrations": _migrations(),
        "files": files,
    }
    (destination / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def restore(source: Path) -> dict:
    """Replace the database and the media files with a backup's. Every file is checked against
    the manifest first: a damaged or incomplete backup is refused and nothing is changed."""
    source = Path(source)
    try:
        manifest = json.loads((source / "manifest.json").read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} is not a backup: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("This backup was written in another format.")
    if manifest["database"] != connection.vendor:
        raise BackupError(
            f"This backup holds a {manifest['database']} database; this platform runs on "
            f"{connection.vendor}."
        )
    for name, digest in manifest["files"].items():
        path = source / name
        if not path.exists() or _sha256(path) != digest:
            raise BackupError(f"{name} is missing or damaged (its SHA-256 does not match).")
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        connections.close_all()
        args, env = _pg_env(db)
        subprocess.run(  # noqa: S603 (pg_restore with the project's own settings)
            [_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner",
             "--single-transaction",
             "--dbname", db["NAME"], str(source / "database.pgdump")],
            env=env,
            check=True,
            capture_output=True,
        )  # fmt: skip
    else:
        connection.ensure_connection()
        with sqlite3.connect(source / "database.sqlite3") as copy:
            copy.backup(connection.connection)
        copy.close()
    archive = source / "media.tar.gz"
    if archive.exists():
        for arcname, root in _file_trees().items():
            _restore_tree(archive, arcname, root)
    return manifest


def _restore_tree(archive: Path, arcname: str, root: Path) -> None:
    """Replace `root` by the archive's folder `arcname`; a backup written before the private
    tree existed has none, and then its package files and certificates are under media/."""
    staging = root.parent / f".{root.name}.restoring"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(archive, "r:gz") as tar:
        members = [m for m in tar.getmembers() if m.name.split("/")[0] == arcname]
        if not members:
            shutil.rmtree(staging, ignore_errors=True)
            return
        tar.extractall(staging, members=members, filter="data")
    shutil.rmtree(root, ignore_errors=True)
    (staging / arcname).rename(root)
    shutil.rmtree(staging, ignore_errors=True)
