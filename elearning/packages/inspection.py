"""The public API: inspect a whole archive without writing, then extract it."""

from __future__ import annotations

from collections.abc import Callable

from .archive import _inspect, _read_member
from .results import PackageManifest

# --- Public API ----------------------------------------------------------------------------------


def package_inspect(*, content: bytes, filename: str = "") -> PackageManifest:
    """Check an uploaded package thoroughly and describe it, writing nothing.

    ``filename`` (the uploaded file's name) is only used in messages and as a last-resort title.
    Raises :class:`PackageError` listing the problems when the package is not acceptable.
    """
    inspection = _inspect(content=content, filename=filename)
    inspection.archive.close()
    return inspection.manifest


def package_extract(
    *, content: bytes, destination: Callable[[str, bytes], None]
) -> PackageManifest:
    """Check a package like :func:`package_inspect`, then pass each of its files to
    ``destination(name, data)``, ``name`` being relative to the manifest's folder.

    Nothing reaches ``destination`` unless the whole package is valid. Ignored junk and folder
    entries are not passed on. Each member is read with a hard cap equal to its declared size.
    """
    inspection = _inspect(content=content)
    with inspection.archive as archive:
        for name in inspection.manifest.files:
            data = _read_member(archive, inspection.members[name], keep=True)
            destination(name, data)
    return inspection.manifest
