"""Where uploaded and generated files live, and which of them may ever be served as they are.

Two storages (``settings.STORAGES``):

- ``default``, the public media tree (``MEDIA_ROOT``): Wagtail images and their renditions, and
  Wagtail documents. Of these only images are served at ``/media/`` (``media_serve`` below, in
  every mode); documents go through Wagtail's own view, which checks collection privacy and
  sends them as downloads.
- ``private`` (``PRIVATE_MEDIA_ROOT``): e-learning package files and certificate PDFs. It has
  no URL. Package files are served only by the sandboxed package view, certificates only to
  their holder and the staff who manage them.

Both are ordinary Django storages, so a deployment may put them on a shared volume or on an
S3-compatible store; nothing in the platform reads a file by its local path.
"""

from __future__ import annotations

import mimetypes
import posixpath

from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404
from django.utils.functional import LazyObject, empty

# The folders of the public media tree that hold images (Wagtail's originals and renditions).
PUBLIC_IMAGE_FOLDERS = ("images/", "original_images/")

# Images are shown in pages; opened on their own they must not run anything (an SVG may carry a
# script): no scripts, no plugins, an opaque origin, nothing loaded but inline styles.
IMAGE_POLICY = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder on disk (or a shared volume) whose files have no URL: asking for one is a bug,
    since it would mean linking past the view that checks who may see the file."""

    def url(self, name):
        raise ValueError(f"{name} is a private file: it has no URL; link to the view serving it.")


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage: Storage = _PrivateStorage()  # type: ignore[assignment]


def get_private_storage() -> Storage:
    """For ``FileField(storage=...)``: a callable keeps the backend out of the migrations, and
    the lazy object follows ``STORAGES`` when a test changes it."""
    return private_storage


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs) -> None:
    if setting == "STORAGES":
        private_storage._wrapped = empty


def storage_move_tree(*, source: Storage, target: Storage, folder: str) -> int:
    """Move every file below `folder` from one storage to another (the same names). Used by the
    migration that took package files and certificates out of the public media tree. Returns
    the number of files moved; a file already at the target is left as it is there."""
    moved = 0
    try:
        folders, files = source.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    for name in files:
        path = posixpath.join(folder, name)
        if not target.exists(path):
            with source.open(path, "rb") as handle:
                target.save(path, handle)
        source.delete(path)
        moved += 1
    for name in folders:
        moved += storage_move_tree(
            source=source, target=target, folder=posixpath.join(folder, name)
        )
    return moved


def media_serve(request, path: str):
    """``/media/<path>``: the public images of the media tree, with headers that keep them
    passive; everything else there (documents, and anything a misconfiguration left in the
    tree) is not found. Served by the platform in every mode, so that no deployment needs to
    map the media folder on its web server (which would serve whatever lands in it)."""
    path = posixpath.normpath(path).lstrip("/")
    if path.startswith("..") or not path.startswith(PUBLIC_IMAGE_FOLDERS):
        raise Http404
    storage = storages["default"]
    if not storage.exists(path):
        raise Http404
    content_type, _encoding = mimetypes.guess_type(path)
    if not (content_type or "").startswith("image/"):
        raise Http404
    response = FileResponse(storage.open(path, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = IMAGE_POLICY
    response["Content-Disposition"] = "inline"
    response["Cross-Origin-Resource-Policy"] = "same-site"
    # Renditions are never rewritten in place (a new one gets a new name).
    response["Cache-Control"] = "public, max-age=86400"
    return response


def check_storage_locations(app_configs, **kwargs):
    """System check: the private folder must not sit inside (or be) a folder that is served as
    it is (the media tree, the collected static files), nor contain one."""
    from pathlib import Path

    from django.conf import settings
    from django.core import checks

    storage = storages["private"]
    if not isinstance(storage, FileSystemStorage):
        return []
    private = Path(storage.location).resolve()
    served = {"MEDIA_ROOT": settings.MEDIA_ROOT, "STATIC_ROOT": settings.STATIC_ROOT}
    errors = []
    for setting, folder in served.items():
        if not folder:
            continue
        folder = Path(folder).resolve()
        if private == folder or private.is_relative_to(folder) or folder.is_relative_to(private):
            errors.append(
                checks.Error(
                    f"The private files' folder {private} is inside or the same as {setting} "
                    f"({folder}), or holds it: whatever serves {setting} would serve package "
                    "files and certificates.",
                    hint="Set DJANGO_PRIVATE_MEDIA_ROOT to a folder of its own.",
                    id="pan.E010",
                )
            )
    return errors
