"""E-learning packages uploaded: checked completely, stored in the private storage, their units
read (TinCan activities, cmi5 AUs, SCORM SCOs)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.log_actions import log

from core.public_url import public_base_url
from network.models import Institution
from network.storage import private_storage

from ..models import LessonPackage
from ..packages import PackageError, package_extract, package_inspect

# ---------------------------------------------------------------------------------------------
# E-learning packages
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def package_upload(
    *, content: bytes, filename: str, institution: Institution, title: str = "", actor=None
) -> LessonPackage:
    """Validate an xAPI or cmi5 zip completely, then store its files under packages/<id>/ in
    the private storage (served only by the sandboxed package view).
    A refused package changes nothing; its errors name each bad entry and the rule."""
    import hashlib
    from dataclasses import asdict

    try:
        manifest = package_inspect(content=content, filename=filename)
    except PackageError as error:
        raise ValidationError({"upload": error.messages}) from None
    if manifest.kind in (LessonPackage.Kind.SCORM12, LessonPackage.Kind.SCORM2004):
        manifest = _scorm_iris(manifest)
    package = LessonPackage.objects.create(
        title=(title or manifest.title)[:255],
        kind=manifest.kind,
        institution=institution,
        course_id=manifest.course_id,
        manifest={
            "root": manifest.root,
            "activities": [asdict(activity) for activity in manifest.activities],
            "files": len(manifest.files),
        },
        sha256=hashlib.sha256(content).hexdigest(),
        size=manifest.total_size,
        uploaded_by=actor,
    )
    written: list[str] = []

    def destination(name: str, data: bytes) -> None:
        path = package.file_path(name)
        # A file left at this address by an upload that did not commit (its package id was
        # never used) must not be served as this package's: storages save beside an existing
        # name rather than over it, so it goes first.
        if private_storage.exists(path):
            private_storage.delete(path)
        stored = private_storage.save(path, ContentFile(data))
        written.append(stored)
        if stored != path:
            raise RuntimeError(f"package file stored as {stored}, not {path}")

    try:
        package_extract(content=content, destination=destination)
    except Exception:
        for path in written:
            private_storage.delete(path)
        raise
    log(instance=package, action="wagtail.create", user=actor)
    return package


def _scorm_iris(manifest):
    """SCORM names its course and SCOs with plain identifiers; xAPI needs IRIs. They are made
    on the platform's own address from the manifest's identifiers, so that a new version of
    the same package keeps its activities (and the trainees' progress)."""
    from dataclasses import replace
    from urllib.parse import quote

    base = public_base_url()
    course = f"{base}/scorm/{quote(manifest.course_id, safe='')}"
    return replace(
        manifest,
        course_id=course,
        activities=tuple(
            replace(activity, activity_id=f"{course}/{quote(activity.identifier, safe='')}")
            for activity in manifest.activities
        ),
    )


# ---------------------------------------------------------------------------------------------
