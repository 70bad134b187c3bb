"""What an inspection returns (the manifest and its units) and the error listing every problem."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class PackageActivity:
    """One launchable unit of a package (a TinCan activity with a launch, or a cmi5 AU)."""

    activity_id: str
    title: str
    launch: str
    launch_parameters: str = ""
    move_on: str = ""
    mastery_score: float | None = None
    launch_method: str = ""
    # SCORM: the item's identifier in the manifest, what it gives the SCO at launch, and whether
    # it is a SCO (talks to the runtime API) or an asset (complete once opened).
    identifier: str = ""
    data_from_lms: str = ""
    scorm_type: str = ""


@dataclass(frozen=True)
class PackageManifest:
    """What a valid package contains, as read from its manifest and its zip directory.

    ``files`` are relative to ``root`` (ignored junk and folder entries left out), in archive
    order; ``total_size`` is the sum of their uncompressed sizes, i.e. what extraction writes.
    """

    kind: str  # "tincan", "cmi5", "scorm12" or "scorm2004"
    root: str
    course_id: str  # for SCORM, the manifest's identifier (the platform makes an IRI of it)
    title: str
    activities: tuple[PackageActivity, ...]
    files: tuple[str, ...]
    total_size: int


class PackageError(ValueError):
    """An upload is not an acceptable package. ``messages`` lists every problem found, one line
    each, naming the entry or file concerned and the rule it breaks with its limit, in the
    language active when the check ran."""

    def __init__(self, messages: Iterable[str] | str) -> None:
        self.messages: list[str] = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))

    def __reduce__(self) -> tuple[type[PackageError], tuple[list[str]]]:
        # Keep the separate messages when the error crosses a process boundary (e.g. Celery).
        return (type(self), (self.messages,))


@dataclass(frozen=True)
class _Entry:
    info: zipfile.ZipInfo
    name: str  # folder entries without their trailing slash
    is_dir: bool
    ignored: bool


@dataclass(frozen=True)
class _Inspection:
    manifest: PackageManifest
    archive: zipfile.ZipFile
    members: dict[str, zipfile.ZipInfo]  # relative name -> entry, for the files to extract
