"""Validation and safe reading of uploaded e-learning packages.

A package is a zip file exported by an authoring tool (Articulate Storyline/Rise, Adobe Captivate,
...). Two flavours are understood:

* xAPI/TinCan: a ``tincan.xml`` manifest;
* cmi5: a ``cmi5.xml`` course structure;
* SCORM 1.2 and SCORM 2004: an ``imsmanifest.xml`` content package, whose SCOs are the units a
  lesson launches. SCORM 2004 sequencing is accepted as far as the platform honours it: flow and
  choice navigation between SCOs, objectives local to a SCO and delivery controls; anything more
  (sequencing and rollup rules, limit conditions, randomisation, global objectives, forward-only
  navigation) is refused, naming the element, rather than played half right.

:func:`package_inspect` looks at the whole archive without writing anything anywhere: sizes, entry
count, compression ratios, entry names, entry types, file types, and the manifest (parsed with
``defusedxml`` so DTDs, entities and external references are refused). Every member is also
decompressed once, in bounded chunks that are thrown away, so that a member whose data does not
match its header is caught *before* anything is written. :func:`package_extract` then hands every
file to a caller-supplied ``destination(name, data)`` callback (e.g. a Django storage writer).

Decisions worth knowing:

* Junk that zip tools add on their own (``__MACOSX/`` folders, AppleDouble ``._*`` files,
  ``.DS_Store``, ``Thumbs.db``, ``desktop.ini``) is *ignored*, not rejected: it still has to have
  a safe name and must not be a link, and it counts towards the entry and size limits, but it is
  never decompressed, never listed in :attr:`PackageManifest.files` and never extracted.
* Every other name that starts with a dot (``.htaccess``, ``.git/``, ``.well-known/``) is rejected.
* The manifest must sit at the root of the zip, or inside the one and only top-level folder. In the
  second case that folder becomes :attr:`PackageManifest.root`; since it is the only top-level
  entry (junk aside), there can be no files outside it. A zip with a manifest inside a folder
  *and* other top-level entries is refused as having no usable manifest.
* Files without an extension are refused, except a few plain-text names that bundled JavaScript
  libraries commonly ship (:data:`ALLOWED_EXTENSIONLESS_NAMES`).
* Only the "stored" and "deflate" compression methods are accepted: they are what authoring tools
  write, and Python's zip reader bounds the output of deflate per read, which it does not do for
  bzip2 or LZMA.
* Names are not rejected for being in a different Unicode normal form (macOS writes NFD), but
  duplicates are detected after NFC normalisation and case folding.
"""

from __future__ import annotations

import io
import posixpath
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeElementTree
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

KB = 1024
MB = 1024 * KB

# --- Limits (module-level so that tests and callers can see and adjust them) ---------------------
MAX_UPLOAD_SIZE = 200 * MB  # size of the zip file itself
MAX_TOTAL_SIZE = 500 * MB  # sum of the uncompressed sizes of all entries
MAX_ENTRIES = 5_000  # files and folders, junk included
MAX_FILE_SIZE = 200 * MB  # uncompressed size of any one entry
MAX_COMPRESSION_RATIO = 100  # whole archive: uncompressed / compressed
MAX_MEMBER_COMPRESSION_RATIO = 200  # one entry, only checked above MEMBER_RATIO_MIN_SIZE
MEMBER_RATIO_MIN_SIZE = 1 * MB
# Small archives are allowed a high overall ratio (a few kB of blank text compresses very well);
# the overall ratio is only checked once the uncompressed total passes this size.
TOTAL_RATIO_MIN_SIZE = 1 * MB
MAX_MANIFEST_SIZE = 5 * MB  # uncompressed size of tincan.xml / cmi5.xml
MAX_REPORTED_PROBLEMS = 50  # further problems are summarised in one line
READ_CHUNK_SIZE = 1 * MB

ALLOWED_EXTENSIONS = frozenset(
    {
        # documents, code and data
        "html", "htm", "js", "mjs", "css", "json", "xml", "xsd", "txt", "map", "pdf",
        # schema companions that SCORM 2004 packages carry (never parsed, served as inert data)
        "dtd", "xsx",
        # images
        "svg", "png", "jpg", "jpeg", "gif", "webp", "ico", "bmp",
        # audio, video and subtitles
        "mp3", "mp4", "m4a", "m4v", "webm", "ogg", "oga", "ogv", "wav", "vtt", "srt",
        # fonts
        "woff", "woff2", "ttf", "otf", "eot",
    }
)  # fmt: skip
# Deliberately absent: swf (Flash), wasm (compiled code), and anything executable or run by a
# server (exe, dll, bat, cmd, sh, php, py, jar, msi, com, scr, ps1, ...).

# Extensionless names allowed (compared case-insensitively): licence and read-me files that
# third-party JavaScript libraries bundled in packages often carry. They are inert plain text.
ALLOWED_EXTENSIONLESS_NAMES = frozenset(
    {"LICENSE", "LICENCE", "README", "COPYING", "NOTICE", "AUTHORS", "CHANGELOG"}
)

# Junk added by archivers; ignored (never extracted) rather than rejected.
IGNORED_FOLDER_NAMES = frozenset({"__MACOSX"})
IGNORED_FILE_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})  # lower-case
IGNORED_FILE_PREFIX = "._"  # AppleDouble resource forks

ALLOWED_COMPRESSION_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
# Names of other compression methods, for messages (zip specification, section 4.4.5).
COMPRESSION_METHOD_NAMES = {
    1: "Shrink",
    6: "Implode",
    9: "Deflate64",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "LZMA",
    93: "Zstandard",
    95: "XZ",
    98: "PPMd",
    99: "AES",
}

TINCAN_MANIFEST = "tincan.xml"
CMI5_MANIFEST = "cmi5.xml"
SCORM_MANIFEST = "imsmanifest.xml"
MANIFEST_NAMES = (TINCAN_MANIFEST, CMI5_MANIFEST, SCORM_MANIFEST)
# SCORM content packaging: the manifest namespaces of SCORM 1.2 and of SCORM 2004 (all editions),
# and the ADL and IMS Simple Sequencing namespaces of their extensions.
SCORM12_NAMESPACE = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
SCORM2004_NAMESPACE = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP12_NAMESPACE = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ADLCP2004_NAMESPACE = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ_NAMESPACE = "http://www.adlnet.org/xsd/adlseq_v1p3"
IMSSS_NAMESPACE = "http://www.imsglobal.org/xsd/imsss"
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
XSI_NAMESPACE = "http://www.w3.org/2001/XMLSchema-instance"
# Simple Sequencing that the player honours; every other child of <imsss:sequencing> is refused.
SCORM_SEQUENCING_ALLOWED = ("controlMode", "deliveryControls", "objectives")
SCORM_CONTROL_MODE_ALLOWED = {"choice", "choiceExit", "flow"}
SCORM_CONTROL_MODE_REFUSED_TRUE = {"forwardOnly", "useCurrentAttemptObjectiveInfo"}
TINCAN_NAMESPACE = "http://projecttincan.com/tincan.xsd"
CMI5_NAMESPACE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
COURSE_ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/course"
CMI5_MOVE_ON_VALUES = (
    "Passed",
    "Completed",
    "CompletedAndPassed",
    "CompletedOrPassed",
    "NotApplicable",
)
CMI5_DEFAULT_MOVE_ON = "NotApplicable"
CMI5_LAUNCH_METHODS = ("AnyWindow", "OwnWindow")
CMI5_DEFAULT_LAUNCH_METHOD = "AnyWindow"
REMOTE_LAUNCH_SCHEMES = ("http", "https")

_ENCRYPTED_FLAGS = 0x0001 | 0x0040  # traditional and strong encryption
_LOCAL_HEADER_MIN_SIZE = 30
_DRIVE_PATH = re.compile(r"^[A-Za-z]:")
_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")


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


# --- The archive ---------------------------------------------------------------------------------


def _inspect(*, content: bytes, filename: str = "") -> _Inspection:
    label = _package_label(filename)
    if len(content) > MAX_UPLOAD_SIZE:
        raise PackageError(
            # Translators: %(package)s is "The package" or "The package “name.zip”".
            _("%(package)s is %(size)s; packages over %(limit)s are not accepted.")
            % {"package": label, **_sizes(len(content), MAX_UPLOAD_SIZE)}
        )
    declared_count = _declared_entry_count(content)
    if declared_count is not None and declared_count > MAX_ENTRIES:
        raise _too_many_entries(label, declared_count)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, struct.error):
        raise PackageError(
            # Translators: %(package)s is "The package" or "The package “name.zip”".
            _("%(package)s is not a zip file, or the zip file is damaged.") % {"package": label}
        ) from None
    try:
        return _inspect_archive(archive, label=label, filename=filename)
    except BaseException:
        archive.close()
        raise


def _inspect_archive(archive: zipfile.ZipFile, *, label: str, filename: str) -> _Inspection:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _too_many_entries(label, len(infos))
    if not infos:
        raise PackageError(
            # Translators: %(package)s is "The package" or "The package “name.zip”".
            _("%(package)s is an empty zip file.") % {"package": label}
        )

    problems: list[str] = []
    entries = [_check_entry(info, problems) for info in infos]
    _check_duplicates(entries, problems)
    _check_overlaps(infos, problems)
    _check_totals(label, infos, problems)
    _raise_if_any(problems)

    root, kind = _find_manifest(entries, label)
    members = {
        entry.name[len(root) :]: entry.info
        for entry in entries
        if not entry.is_dir and not entry.ignored
    }
    files = tuple(members)
    manifest_info = members[
        {"tincan": TINCAN_MANIFEST, "cmi5": CMI5_MANIFEST}.get(kind, SCORM_MANIFEST)
    ]
    if manifest_info.file_size > MAX_MANIFEST_SIZE:
        raise PackageError(
            _("The manifest “%(name)s” is %(size)s; manifests over %(limit)s are not accepted.")
            % {
                "name": _show(manifest_info.filename),
                **_sizes(manifest_info.file_size, MAX_MANIFEST_SIZE),
            }
        )
    xml = _read_member(archive, manifest_info, keep=True)
    tree = _parse_xml(xml, manifest_info.filename)
    fallback_title = _title_from_filename(filename)
    if kind == "tincan":
        course_id, title, activities = _read_tincan(
            tree, where=manifest_info.filename, files=set(files)
        )
    elif kind == "cmi5":
        course_id, title, activities = _read_cmi5(
            tree, where=manifest_info.filename, files=set(files)
        )
    else:
        kind, course_id, title, activities = _read_scorm(
            tree, where=manifest_info.filename, files=set(files)
        )
        _check_schemas(archive, tree, members=members, where=manifest_info.filename)

    # Last: decompress every file once (output discarded) so that a member whose data disagrees
    # with its header is refused before package_extract writes anything.
    for info in members.values():
        _read_member(archive, info, keep=False)

    manifest = PackageManifest(
        kind=kind,
        root=root,
        course_id=course_id,
        title=title or fallback_title or course_id,
        activities=activities,
        files=files,
        total_size=sum(info.file_size for info in members.values()),
    )
    return _Inspection(manifest=manifest, archive=archive, members=members)


def _too_many_entries(label: str, count: int) -> PackageError:
    return PackageError(
        # Translators: %(package)s is "The package" or "The package “name.zip”".
        ngettext(
            "%(package)s has %(count)s file or folder; at most %(limit)s are accepted.",
            "%(package)s has %(count)s files and folders; at most %(limit)s are accepted.",
            count,
        )
        % {"package": label, "count": _number(count), "limit": _number(MAX_ENTRIES)}
    )


def _declared_entry_count(content: bytes) -> int | None:
    """The entry count written in the zip's end record, read before the zip module builds one
    object per entry (a cheap refusal of archives with millions of tiny entries). ``None`` when
    the record cannot be read here; the zip module then has the last word."""
    start = max(0, len(content) - _EOCD.size - 0xFFFF)
    position = content.rfind(b"PK\x05\x06", start)
    if position < 0 or position + _EOCD.size > len(content):
        return None
    count = _EOCD.unpack_from(content, position)[4]
    if count != 0xFFFF:
        return count
    locator = position - _ZIP64_LOCATOR.size
    if locator < 0:
        return None
    signature, _disk, offset, _disks = _ZIP64_LOCATOR.unpack_from(content, locator)
    if signature != b"PK\x06\x07" or offset + _ZIP64_EOCD.size > len(content):
        return None
    record = _ZIP64_EOCD.unpack_from(content, offset)
    return record[7] if record[0] == b"PK\x06\x06" else None


def _check_entry(info: zipfile.ZipInfo, problems: list[str]) -> _Entry:
    """Check one entry on its own and record what is wrong with it."""
    raw = info.orig_filename  # before the zip module cut it at a NUL character
    shown = _show(raw)
    is_dir = raw.endswith("/")
    name = raw[:-1] if is_dir else raw
    name_problem = _name_problem(raw, name, shown)
    if name_problem:
        problems.append(name_problem)
        return _Entry(info=info, name=name, is_dir=is_dir, ignored=False)

    segments = name.split("/")
    ignored = _is_junk(segments, is_dir=is_dir)
    if not ignored:
        hidden = next((s for s in segments if s.startswith(".")), None)
        if hidden is not None:
            problems.append(
                _(
                    "“%(name)s”: hidden files and folders (names starting with a dot, here "
                    "“%(hidden)s”) are not accepted."
                )
                % {"name": shown, "hidden": hidden}
            )
        elif not is_dir:
            type_problem = _file_type_problem(segments[-1], shown)
            if type_problem:
                problems.append(type_problem)

    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        problems.append(
            _("“%(name)s” is a symbolic link; links are not accepted in a package.")
            % {"name": shown}
        )
    elif kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        problems.append(
            _(
                "“%(name)s” is a special file (such as a device or a pipe); only ordinary files "
                "and folders are accepted."
            )
            % {"name": shown}
        )
    elif kind == stat.S_IFDIR and not is_dir:
        problems.append(
            _("“%(name)s” is marked as a folder, but its name does not end with “/”.")
            % {"name": shown}
        )

    if info.flag_bits & _ENCRYPTED_FLAGS:
        problems.append(
            _("“%(name)s” is encrypted (password-protected); encrypted files are not accepted.")
            % {"name": shown}
        )
    if info.compress_type not in ALLOWED_COMPRESSION_METHODS:
        method = COMPRESSION_METHOD_NAMES.get(info.compress_type) or _(
            "method number %(number)s"
        ) % {"number": info.compress_type}
        problems.append(
            _(
                "“%(name)s” is compressed with a method that is not supported (%(method)s); "
                "only standard (Deflate) compression or none at all is accepted."
            )
            % {"name": shown, "method": method}
        )
    if is_dir and info.file_size:
        problems.append(
            _("“%(name)s” is a folder entry but holds data; a folder entry must be empty.")
            % {"name": shown}
        )
    if info.file_size > MAX_FILE_SIZE:
        problems.append(
            _("“%(name)s” is %(size)s; files over %(limit)s are not accepted.")
            % {"name": shown, **_sizes(info.file_size, MAX_FILE_SIZE)}
        )
    elif info.file_size > MEMBER_RATIO_MIN_SIZE:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_MEMBER_COMPRESSION_RATIO:
            problems.append(
                _(
                    "“%(name)s” is compressed at a ratio of %(ratio)s to 1; files compressed at "
                    "more than %(limit)s to 1 are refused as possible zip bombs."
                )
                % {
                    "name": shown,
                    "ratio": _number(round(ratio)),
                    "limit": _number(MAX_MEMBER_COMPRESSION_RATIO),
                }
            )
    return _Entry(info=info, name=name, is_dir=is_dir, ignored=ignored)


def _name_problem(raw: str, name: str, shown: str) -> str | None:
    """Why an entry name is unsafe (a whole message), or ``None``."""
    if not name:
        return _("The package has an entry with an empty name.")
    if "\x00" in raw:
        return _("“%(name)s”: names must not contain a NUL character.") % {"name": shown}
    if any(unicodedata.category(char) == "Cc" for char in raw):
        return _("“%(name)s”: names must not contain control characters.") % {"name": shown}
    if raw.startswith(("/", "\\")) or _DRIVE_PATH.match(raw):
        return _(
            "“%(name)s”: absolute paths are not accepted; paths must be relative to the package."
        ) % {"name": shown}
    if "\\" in raw:
        return _("“%(name)s”: backslashes are not accepted in names; use “/” between folders.") % {
            "name": shown
        }
    if ".." in name.split("/"):
        return _(
            "“%(name)s”: “..” is not accepted in a path (it could reach outside the package)."
        ) % {"name": shown}
    if posixpath.normpath(name) != name:
        return _(
            "“%(name)s”: the path has empty or “.” parts (such as “//” or “/./”); "
            "write it without them."
        ) % {"name": shown}
    return None


def _is_junk(segments: list[str], *, is_dir: bool) -> bool:
    if any(segment in IGNORED_FOLDER_NAMES for segment in segments):
        return True
    if is_dir:
        return False
    leaf = segments[-1]
    return leaf.lower() in IGNORED_FILE_NAMES or leaf.startswith(IGNORED_FILE_PREFIX)


def _file_type_problem(leaf: str, shown: str) -> str | None:
    """Why a file's type is refused (a whole message), or ``None``."""
    if "." not in leaf:
        if leaf.upper() in ALLOWED_EXTENSIONLESS_NAMES:
            return None
        return _(
            "“%(name)s”: files without an extension are not accepted (except licence and "
            "read-me files named %(names)s)."
        ) % {"name": shown, "names": ", ".join(sorted(ALLOWED_EXTENSIONLESS_NAMES))}
    extension = leaf.rsplit(".", 1)[1].lower()
    if extension in ALLOWED_EXTENSIONS:
        return None
    accepted = ", ".join(f".{allowed}" for allowed in sorted(ALLOWED_EXTENSIONS))
    if not extension:
        return _(
            "“%(name)s”: file names ending with a dot are not accepted (accepted: %(accepted)s)."
        ) % {"name": shown, "accepted": accepted}
    return _("“%(name)s”: .%(extension)s files are not accepted (accepted: %(accepted)s).") % {
        "name": shown,
        "extension": _show(extension),
        "accepted": accepted,
    }


def _check_duplicates(entries: list[_Entry], problems: list[str]) -> None:
    """Two entries must never land on the same path, even on case-insensitive storage."""
    seen: dict[str, str] = {}
    folders: set[str] = set()
    for entry in entries:
        parts = entry.name.split("/")
        for depth in range(1, len(parts)):
            folders.add(_name_key("/".join(parts[:depth])))
    for entry in entries:
        key = _name_key(entry.name)
        if key in seen:
            problems.append(
                _(
                    "“%(name)s” has the same name as “%(other)s”; two entries must not have "
                    "the same name, even in different upper and lower case."
                )
                % {"name": _show(entry.info.orig_filename), "other": _show(seen[key])}
            )
        else:
            seen[key] = entry.info.orig_filename
        if not entry.is_dir and key in folders:
            problems.append(
                _("“%(name)s” is both a file and a folder in the package.")
                % {"name": _show(entry.info.orig_filename)}
            )


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _check_overlaps(infos: list[zipfile.ZipInfo], problems: list[str]) -> None:
    """Refuse entries whose data overlaps another entry's (the trick behind some zip bombs that
    reuse one compressed stream many times)."""
    ordered = sorted(infos, key=lambda info: info.header_offset)
    for current, following in zip(ordered, ordered[1:], strict=False):
        end = current.header_offset + _LOCAL_HEADER_MIN_SIZE + current.compress_size
        if end > following.header_offset:
            problems.append(
                _(
                    "“%(name)s”: its data overlaps that of “%(other)s”; the package is refused "
                    "as a possible zip bomb."
                )
                % {"name": _show(following.orig_filename), "other": _show(current.orig_filename)}
            )


def _check_totals(label: str, infos: list[zipfile.ZipInfo], problems: list[str]) -> None:
    total = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos)
    if total > MAX_TOTAL_SIZE:
        problems.append(
            # Translators: %(package)s is "The package" or "The package “name.zip”".
            _(
                "%(package)s holds %(size)s of files once unpacked; packages over %(limit)s "
                "unpacked are not accepted."
            )
            % {"package": label, **_sizes(total, MAX_TOTAL_SIZE)}
        )
    elif total > TOTAL_RATIO_MIN_SIZE:
        ratio = total / max(compressed, 1)
        if ratio > MAX_COMPRESSION_RATIO:
            problems.append(
                # Translators: %(package)s is "The package" or "The package “name.zip”".
                _(
                    "%(package)s is compressed at a ratio of %(ratio)s to 1 overall; packages "
                    "compressed at more than %(limit)s to 1 are refused as possible zip bombs."
                )
                % {
                    "package": label,
                    "ratio": _number(round(ratio)),
                    "limit": _number(MAX_COMPRESSION_RATIO),
                }
            )


def _find_manifest(entries: list[_Entry], label: str) -> tuple[str, str]:
    """Where the single manifest is: returns (root folder prefix, kind)."""
    content = [entry for entry in entries if not entry.ignored]
    file_names = {entry.name for entry in content if not entry.is_dir}
    candidates = _manifests_in("", file_names)
    root = ""
    if not candidates:
        tops = {entry.name.split("/", 1)[0] for entry in content}
        loose_files = any("/" not in entry.name for entry in content if not entry.is_dir)
        if len(tops) == 1 and not loose_files:
            root = f"{tops.pop()}/"
            candidates = _manifests_in(root, file_names)
    if len(candidates) > 1:
        raise PackageError(
            # Translators: %(package)s is "The package" or "The package “name.zip”".
            _(
                "%(package)s has both “%(tincan)s” and “%(cmi5)s”; a package must have exactly "
                "one manifest."
            )
            % {
                "package": label,
                "tincan": _show(f"{root}{TINCAN_MANIFEST}"),
                "cmi5": _show(f"{root}{CMI5_MANIFEST}"),
            }
        )
    if not candidates:
        elsewhere = sorted(name for name in file_names if name.rsplit("/", 1)[-1] in MANIFEST_NAMES)
        if elsewhere:
            raise PackageError(
                # Translators: %(package)s is "The package" or "The package “name.zip”".
                _(
                    "%(package)s has no usable manifest: tincan.xml (xAPI/TinCan), cmi5.xml "
                    "(cmi5) or imsmanifest.xml (SCORM) must be at the root of the zip or inside "
                    "its only top-level folder, with nothing else beside that folder (found: "
                    "%(found)s)."
                )
                % {
                    "package": label,
                    "found": ", ".join(_show(name) for name in elsewhere[:5]),
                }
            )
        raise PackageError(
            # Translators: %(package)s is "The package" or "The package “name.zip”".
            _(
                "%(package)s has no manifest: tincan.xml (xAPI/TinCan), cmi5.xml (cmi5) or "
                "imsmanifest.xml (SCORM) must be at the root of the zip or inside its only "
                "top-level folder."
            )
            % {"package": label}
        )
    return root, {TINCAN_MANIFEST: "tincan", CMI5_MANIFEST: "cmi5"}.get(candidates[0], "scorm")


def _manifests_in(root: str, file_names: set[str]) -> list[str]:
    found = [name for name in MANIFEST_NAMES if f"{root}{name}" in file_names]
    # A package exported "for SCORM and xAPI" carries both manifests: xAPI and cmi5 report to the
    # platform's LRS directly, so they are preferred to the SCORM wrapper.
    if len(found) > 1 and SCORM_MANIFEST in found:
        found.remove(SCORM_MANIFEST)
    return found


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, keep: bool) -> bytes:
    """Decompress one member, never accepting more bytes than its header declares."""
    declared = info.file_size
    shown = _show(info.orig_filename)
    chunks: list[bytes] = []
    received = 0
    try:
        with archive.open(info) as stream:
            while received <= declared:
                # Ask for at most one byte more than declared: enough to notice a lie.
                chunk = stream.read(min(READ_CHUNK_SIZE, declared - received + 1))
                if not chunk:
                    break
                received += len(chunk)
                if keep and received <= declared:
                    chunks.append(chunk)
    except (
        zipfile.BadZipFile,
        EOFError,
        OSError,
        zlib.error,
        ValueError,
        RuntimeError,
        NotImplementedError,  # zipfile's answer to a compression method it cannot read
    ):
        raise PackageError(
            _("“%(name)s” is damaged: its data cannot be read or does not match the zip header.")
            % {"name": shown}
        ) from None
    if received > declared:
        raise PackageError(
            _(
                "“%(name)s” holds more data than the %(declared)s its zip header declares; "
                "it is refused as a possible zip bomb."
            )
            % {"name": shown, "declared": _bytes(declared)}
        )
    if received < declared:
        raise PackageError(
            _(
                "“%(name)s” holds %(received)s, but its zip header declares %(declared)s; "
                "the zip file is damaged."
            )
            % {"name": shown, "received": _bytes(received), "declared": _bytes(declared)}
        )
    return b"".join(chunks)


# --- Manifests -----------------------------------------------------------------------------------


def _parse_xml(data: bytes, where: str) -> Element:
    shown = _show(where)
    try:
        return SafeElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DTDForbidden:
        raise PackageError(
            _(
                "“%(name)s”: DTDs and entities are not accepted in a manifest (the file has a "
                "DOCTYPE declaration)."
            )
            % {"name": shown}
        ) from None
    except EntitiesForbidden as exc:
        raise PackageError(
            _(
                "“%(name)s”: DTDs and entities are not accepted in a manifest (the entity "
                "“%(entity)s” is declared)."
            )
            % {"name": shown, "entity": _show(str(exc.name))}
        ) from None
    except ExternalReferenceForbidden:
        raise PackageError(
            _("“%(name)s”: references to external files or addresses are not accepted.")
            % {"name": shown}
        ) from None
    except SafeElementTree.ParseError as exc:
        raise PackageError(
            _("“%(name)s” is not well-formed XML (%(error)s).") % {"name": shown, "error": exc}
        ) from None


def _read_tincan(
    tree: Element, *, where: str, files: set[str]
) -> tuple[str, str, tuple[PackageActivity, ...]]:
    def tag(name: str) -> str:
        return f"{{{TINCAN_NAMESPACE}}}{name}"

    if tree.tag != tag("tincan"):
        raise PackageError(
            _(
                "“%(name)s”: the root element must be <tincan> in the namespace %(namespace)s "
                "(found %(found)s)."
            )
            % {"name": where, "namespace": TINCAN_NAMESPACE, "found": _show_tag(tree.tag)}
        )
    problems: list[str] = []
    activities: list[PackageActivity] = []
    course: tuple[str, str] | None = None
    first: tuple[str, str] | None = None
    seen_ids: set[str] = set()
    for element in tree.iterfind(f"{tag('activities')}/{tag('activity')}"):
        activity_id = (element.get("id") or "").strip()
        if not _is_iri(activity_id):
            problems.append(
                _(
                    "“%(name)s”: the activity id “%(id)s” must be an absolute IRI (a full "
                    "identifier starting with a scheme, such as https://… or urn:…)."
                )
                % {"name": where, "id": _show(activity_id)}
            )
            continue
        if activity_id in seen_ids:
            problems.append(
                _("“%(name)s”: the activity id “%(id)s” is used more than once.")
                % {"name": where, "id": _show(activity_id)}
            )
            continue
        seen_ids.add(activity_id)
        title = _first_text(element.findall(tag("name")))
        if first is None:
            first = (activity_id, title)
        if course is None and (element.get("type") or "").strip() == COURSE_ACTIVITY_TYPE:
            course = (activity_id, title)
        launches = element.findall(tag("launch"))
        if not launches:
            continue
        launch = _first_text(launches)
        problem = _launch_problem(launch, files=files, allow_remote=False)
        if problem:
            problems.append(
                # Translators: %(problem)s is one of the launch location messages, e.g.
                # "the file “story.html” is not in the package."
                _("“%(name)s”, launch of activity “%(id)s”: %(problem)s")
                % {"name": where, "id": _show(activity_id), "problem": problem}
            )
            continue
        activities.append(PackageActivity(activity_id=activity_id, title=title, launch=launch))
    _raise_if_any(problems)
    if first is None:
        raise PackageError(
            _("“%(name)s”: no <activity> found under <activities>.") % {"name": where}
        )
    if not activities:
        raise PackageError(_("“%(name)s”: no activity has a <launch> element.") % {"name": where})
    course_id, title = course or first
    return course_id, title or activities[0].title, tuple(activities)


def _read_cmi5(
    tree: Element, *, where: str, files: set[str]
) -> tuple[str, str, tuple[PackageActivity, ...]]:
    def tag(name: str) -> str:
        return f"{{{CMI5_NAMESPACE}}}{name}"

    if tree.tag != tag("courseStructure"):
        raise PackageError(
            _(
                "“%(name)s”: the root element must be <courseStructure> in the namespace "
                "%(namespace)s (found %(found)s)."
            )
            % {"name": where, "namespace": CMI5_NAMESPACE, "found": _show_tag(tree.tag)}
        )
    courses = tree.findall(tag("course"))
    if len(courses) != 1:
        raise PackageError(
            _("“%(name)s”: exactly one <course> element is required.") % {"name": where}
        )
    course = courses[0]
    course_id = (course.get("id") or "").strip()
    problems: list[str] = []
    if not _is_iri(course_id):
        problems.append(
            _(
                "“%(name)s”: the course id “%(id)s” must be an absolute IRI (a full identifier "
                "starting with a scheme, such as https://… or urn:…)."
            )
            % {"name": where, "id": _show(course_id)}
        )
    course_title = _first_text(course.findall(f"{tag('title')}/{tag('langstring')}"))

    activities: list[PackageActivity] = []
    seen_ids: set[str] = set()
    for au in tree.iter(tag("au")):  # document order, including AUs nested in blocks
        au_id = (au.get("id") or "").strip()
        where_au = {"name": where, "au": _show(au_id)}
        count = len(problems)
        if not _is_iri(au_id):
            problems.append(
                _(
                    "“%(name)s”, AU “%(au)s”: the id must be an absolute IRI (a full identifier "
                    "starting with a scheme, such as https://… or urn:…)."
                )
                % where_au
            )
        elif au_id in seen_ids:
            problems.append(_("“%(name)s”, AU “%(au)s”: the id is used more than once.") % where_au)
        seen_ids.add(au_id)

        move_on = (au.get("moveOn") or CMI5_DEFAULT_MOVE_ON).strip()
        if move_on not in CMI5_MOVE_ON_VALUES:
            problems.append(
                _("“%(name)s”, AU “%(au)s”: moveOn “%(value)s” is not one of %(allowed)s.")
                % {**where_au, "value": _show(move_on), "allowed": ", ".join(CMI5_MOVE_ON_VALUES)}
            )
        launch_method = (au.get("launchMethod") or CMI5_DEFAULT_LAUNCH_METHOD).strip()
        if launch_method not in CMI5_LAUNCH_METHODS:
            problems.append(
                _("“%(name)s”, AU “%(au)s”: launchMethod “%(value)s” is not one of %(allowed)s.")
                % {
                    **where_au,
                    "value": _show(launch_method),
                    "allowed": ", ".join(CMI5_LAUNCH_METHODS),
                }
            )
        mastery_score: float | None = None
        raw_score = au.get("masteryScore")
        if raw_score is not None:
            text = raw_score.strip()
            if _DECIMAL.match(text) and 0 <= float(text) <= 1:
                mastery_score = float(text)
            else:
                problems.append(
                    _(
                        "“%(name)s”, AU “%(au)s”: masteryScore “%(value)s” must be a decimal "
                        "number from 0 to 1."
                    )
                    % {**where_au, "value": _show(raw_score)}
                )
        url_elements = au.findall(tag("url"))
        url = _first_text(url_elements)
        if not url_elements:
            problems.append(_("“%(name)s”, AU “%(au)s”: the <url> element is missing.") % where_au)
        else:
            problem = _launch_problem(url, files=files, allow_remote=True)
            if problem:
                problems.append(
                    # Translators: %(problem)s is one of the launch location messages, e.g.
                    # "the file “module1/index.html” is not in the package."
                    _("“%(name)s”, AU “%(au)s”, url: %(problem)s")
                    % {**where_au, "problem": problem}
                )
        if len(problems) > count:
            continue
        activities.append(
            PackageActivity(
                activity_id=au_id,
                title=_first_text(au.findall(f"{tag('title')}/{tag('langstring')}")) or au_id,
                launch=url,
                launch_parameters=(au.findtext(tag("launchParameters")) or "").strip(),
                move_on=move_on,
                mastery_score=mastery_score,
                launch_method=launch_method,
            )
        )
    _raise_if_any(problems)
    if not activities:
        raise PackageError(
            _("“%(name)s”: the course has no <au> (assignable unit).") % {"name": where}
        )
    return course_id, course_title, tuple(activities)


def _read_scorm(
    tree: Element, *, where: str, files: set[str]
) -> tuple[str, str, str, tuple[PackageActivity, ...]]:
    """A SCORM content package: (kind, manifest identifier, title, SCOs in document order)."""
    shown = _show(where)
    if tree.tag == f"{{{SCORM12_NAMESPACE}}}manifest":
        namespace, adlcp = SCORM12_NAMESPACE, ADLCP12_NAMESPACE
    elif tree.tag == f"{{{SCORM2004_NAMESPACE}}}manifest":
        namespace, adlcp = SCORM2004_NAMESPACE, ADLCP2004_NAMESPACE
    else:
        raise PackageError(
            _(
                "“%(name)s”: the root element must be <manifest> in the namespace of SCORM 1.2 "
                "(%(scorm12)s) or SCORM 2004 (%(scorm2004)s) (found %(found)s)."
            )
            % {
                "name": shown,
                "scorm12": SCORM12_NAMESPACE,
                "scorm2004": SCORM2004_NAMESPACE,
                "found": _show_tag(tree.tag),
            }
        )

    def tag(name: str) -> str:
        return f"{{{namespace}}}{name}"

    schema_version = (tree.findtext(f"{tag('metadata')}/{tag('schemaversion')}") or "").strip()
    if namespace == SCORM12_NAMESPACE:
        kind = "scorm12"
        if schema_version not in ("", "1.2"):
            raise PackageError(
                _(
                    "“%(name)s”: a SCORM 1.2 manifest must declare the schema version 1.2 (found "
                    "“%(found)s”)."
                )
                % {"name": shown, "found": _show(schema_version)}
            )
    else:
        kind = "scorm2004"
        if schema_version not in ("", "CAM 1.3", "2004 3rd Edition", "2004 4th Edition"):
            raise PackageError(
                _(
                    "“%(name)s”: the schema version “%(found)s” is not one of SCORM 2004's (CAM "
                    "1.3, 2004 3rd Edition, 2004 4th Edition)."
                )
                % {"name": shown, "found": _show(schema_version)}
            )
    identifier = (tree.get("identifier") or "").strip()
    problems: list[str] = []
    if not identifier:
        problems.append(_("“%(name)s”: the <manifest> has no identifier.") % {"name": shown})

    problems.extend(_sequencing_problems(tree, where=shown))

    organizations = tree.find(tag("organizations"))
    organization_list = (
        organizations.findall(tag("organization")) if organizations is not None else []
    )
    default = (organizations.get("default") or "").strip() if organizations is not None else ""
    organization = next(
        (o for o in organization_list if (o.get("identifier") or "").strip() == default),
        organization_list[0] if organization_list else None,
    )
    if organization is None:
        problems.append(
            _("“%(name)s”: the manifest has no <organization> to launch.") % {"name": shown}
        )
        _raise_if_any(problems)
    resources_element = tree.find(tag("resources"))
    resources_base = (
        resources_element.get(f"{{{XML_NAMESPACE}}}base", "")
        if resources_element is not None
        else ""
    )
    resources = {
        (resource.get("identifier") or "").strip(): resource
        for resource in (resources_element if resources_element is not None else [])
        if resource.tag == tag("resource")
    }

    activities: list[PackageActivity] = []
    for item in organization.iter(tag("item")):  # document order, nested items included
        reference = (item.get("identifierref") or "").strip()
        if not reference:
            continue  # an aggregation: its children are the units
        item_id = (item.get("identifier") or "").strip()
        where_item = {"name": shown, "item": _show(item_id or reference)}
        resource = resources.get(reference)
        if resource is None:
            problems.append(
                _(
                    "“%(name)s”, item “%(item)s”: it refers to the resource “%(ref)s”, which the "
                    "manifest does not have."
                )
                % {**where_item, "ref": _show(reference)}
            )
            continue
        # The attribute is adlcp:scormtype in SCORM 1.2 and adlcp:scormType in 2004; tools write
        # either in either, so both spellings count.
        declared = next(
            (v for k, v in resource.attrib.items() if k.lower() == f"{{{adlcp}}}scormtype".lower()),
            "",
        )
        scorm_type = "sco" if declared.strip().lower() == "sco" else "asset"
        href = (resource.get("href") or "").strip()
        base = resources_base + resource.get(f"{{{XML_NAMESPACE}}}base", "")
        launch = f"{base}{href}" if href else ""
        problem = _launch_problem(launch, files=files, allow_remote=False)
        if problem:
            problems.append(
                _("“%(name)s”, item “%(item)s”, launch: %(problem)s")
                % {**where_item, "problem": problem}
            )
            continue
        mastery = None
        raw = item.findtext(f"{{{adlcp}}}masteryscore") if kind == "scorm12" else None
        if kind == "scorm2004":
            primary = item.find(
                f"{{{IMSSS_NAMESPACE}}}sequencing/{{{IMSSS_NAMESPACE}}}"
                f"objectives/{{{IMSSS_NAMESPACE}}}primaryObjective"
            )
            if primary is not None and primary.get("satisfiedByMeasure") == "true":
                raw = primary.findtext(f"{{{IMSSS_NAMESPACE}}}minNormalizedMeasure")
        if raw is not None and raw.strip():
            text = raw.strip()
            top = 100 if kind == "scorm12" else 1
            if _DECIMAL.match(text) and 0 <= float(text) <= top:
                mastery = float(text) / top
            else:
                problems.append(
                    _(
                        "“%(name)s”, item “%(item)s”: the mastery score “%(value)s” is not a "
                        "number from 0 to %(top)s."
                    )
                    % {**where_item, "value": _show(text), "top": top}
                )
                continue
        activities.append(
            PackageActivity(
                activity_id=item_id or reference,
                title=(item.findtext(tag("title")) or "").strip() or item_id,
                launch=launch,
                launch_parameters=(item.get("parameters") or "").strip(),
                mastery_score=mastery,
                identifier=item_id or reference,
                data_from_lms=(item.findtext(f"{{{adlcp}}}datafromlms") or "").strip(),
                scorm_type=scorm_type,
            )
        )
    seen: set[str] = set()
    for activity in activities:
        if activity.identifier in seen:
            problems.append(
                _("“%(name)s”, item “%(item)s”: the identifier is used more than once.")
                % {"name": shown, "item": _show(activity.identifier)}
            )
        seen.add(activity.identifier)
    _raise_if_any(problems)
    if not activities:
        raise PackageError(
            _("“%(name)s”: the organisation has no item that launches a resource.")
            % {"name": shown}
        )
    title = (organization.findtext(tag("title")) or "").strip()
    return kind, identifier, title, tuple(activities)


def _sequencing_problems(tree: Element, *, where: str) -> list[str]:
    """SCORM 2004 sequencing beyond what the player honours, one message per element."""
    problems: list[str] = []
    refused: dict[str, None] = {}
    for element in tree.iter():
        name = element.tag
        if name == f"{{{IMSSS_NAMESPACE}}}sequencingCollection":
            refused.setdefault(_("shared sequencing definitions (sequencingCollection)"))
        if name == f"{{{IMSSS_NAMESPACE}}}sequencing":
            if element.get("IDRef"):
                refused.setdefault(_("shared sequencing definitions (IDRef)"))
            for child in element:
                local = child.tag.rsplit("}", 1)[-1]
                if child.tag.startswith(f"{{{IMSSS_NAMESPACE}}}") and (
                    local in SCORM_SEQUENCING_ALLOWED
                ):
                    continue
                refused.setdefault(_show_tag(child.tag))
        elif name == f"{{{IMSSS_NAMESPACE}}}controlMode":
            for attribute, value in element.attrib.items():
                if attribute in SCORM_CONTROL_MODE_REFUSED_TRUE and value.strip() == "true":
                    refused.setdefault(f'controlMode {attribute}="true"')
                elif attribute not in SCORM_CONTROL_MODE_ALLOWED | SCORM_CONTROL_MODE_REFUSED_TRUE:
                    refused.setdefault(f"controlMode {_show(attribute)}")
        elif name in (f"{{{IMSSS_NAMESPACE}}}mapInfo", f"{{{ADLSEQ_NAMESPACE}}}objectives"):
            refused.setdefault(_("global objectives (mapInfo)"))
        elif name == f"{{{ADLSEQ_NAMESPACE}}}rollupConsiderations":
            refused.setdefault(_show_tag(name))
    for what in refused:
        problems.append(
            _(
                "“%(name)s”: SCORM 2004 sequencing beyond flow and choice navigation is not "
                "supported (%(what)s); such a package would not play as its authors meant."
            )
            % {"name": where, "what": what}
        )
    return problems


def _check_schemas(archive: zipfile.ZipFile, tree: Element, *, members: dict, where: str) -> None:
    """Every schema file (.xsd) the manifest names that the package holds must itself be safe
    XML: read with the same limits, parsed with defusedxml (no DTD, entity or external file)."""
    names = {name for name in members if name.lower().endswith(".xsd")}
    locations = (tree.get(f"{{{XSI_NAMESPACE}}}schemaLocation") or "").split()[1::2]
    problems: list[str] = []
    for location in locations:
        path = posixpath.normpath(unquote(location.strip()))
        if path not in names:
            continue
        info = members[path]
        if info.file_size > MAX_MANIFEST_SIZE:
            problems.append(
                _("The schema “%(name)s” is %(size)s; schemas over %(limit)s are not accepted.")
                % {"name": _show(info.filename), **_sizes(info.file_size, MAX_MANIFEST_SIZE)}
            )
            continue
        try:
            _parse_xml(_read_member(archive, info, keep=True), info.filename)
        except PackageError as error:
            problems.extend(error.messages)
    _raise_if_any(problems)


def _launch_problem(value: str, *, files: set[str], allow_remote: bool) -> str | None:
    """Why a launch location is unusable (the end of a message), or ``None``. Relative locations
    must name a file of the package (query string and fragment aside)."""
    if not value:
        return _("the location is empty.")
    shown = {"value": _show(value)}
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        if not allow_remote:
            return _("“%(value)s” must be a relative path to a file of the package.") % shown
        if parts.scheme.lower() in REMOTE_LAUNCH_SCHEMES and parts.netloc:
            return None
        return _("“%(value)s” must be a relative path or an absolute http(s) URL.") % shown
    path = unquote(parts.path)
    if not path:
        return _("“%(value)s” does not name a file.") % shown
    if path.startswith("/") or "\\" in path:
        return (
            _("“%(value)s” must be a relative path, without a leading “/” and without backslashes.")
            % shown
        )
    normalised = posixpath.normpath(path)
    if normalised == ".." or normalised.startswith("../"):
        return _("“%(value)s” points outside the package.") % shown
    if normalised not in files:
        if normalised == value:
            return _("the file “%(file)s” is not in the package.") % {"file": _show(normalised)}
        return _("“%(value)s” names the file “%(file)s”, which is not in the package.") % {
            **shown,
            "file": _show(normalised),
        }
    return None


# --- Helpers -------------------------------------------------------------------------------------


def _first_text(elements: Iterable[Element]) -> str:
    for element in elements:
        text = "".join(element.itertext()).strip()
        if text:
            return text
    return ""


def _is_iri(value: str) -> bool:
    return bool(_IRI_SCHEME.match(value)) and not any(char.isspace() for char in value)


def _show(name: str) -> str:
    """An entry name fit for a message: control characters are escaped."""
    if any(unicodedata.category(char) == "Cc" for char in name):
        return repr(name)[1:-1]
    return name


def _show_tag(tag: str) -> str:
    if tag.startswith("{"):
        namespace, _separator, local = tag[1:].partition("}")
        return _("<%(tag)s> in the namespace %(namespace)s") % {
            "tag": local,
            "namespace": namespace,
        }
    return _("<%(tag)s> without a namespace") % {"tag": tag}


def _package_label(filename: str) -> str:
    """How messages about the whole package name it, in the active language."""
    if filename:
        return _("The package “%(file)s”") % {"file": _show(filename)}
    return _("The package")


def _number(value: int) -> str:
    """A whole number with the active language's digit grouping ("12,000", "12 000")."""
    return number_format(value, force_grouping=True)


def _bytes(value: int) -> str:
    """An exact size in bytes ("2,000 bytes")."""
    return ngettext("%(count)s byte", "%(count)s bytes", value) % {"count": _number(value)}


def _sizes(value: int, limit: int) -> dict[str, str]:
    """``size`` and ``limit`` for a message about a size over its limit, both in the limit's unit
    ("240 MB" and "200 MB"), with enough decimals that the size visibly exceeds the limit."""
    unit = MB if limit >= MB else KB if limit >= KB else 1
    amount = value / unit
    decimals = 0 if round(amount, 1).is_integer() else 1
    while decimals < 3 and round(amount, decimals) <= limit / unit:
        decimals += 1
    if unit == 1 or round(amount, decimals) <= limit / unit:
        return {"size": _bytes(value), "limit": _bytes(limit)}
    limit_amount = limit / unit
    limit_decimals = 0 if round(limit_amount, 1).is_integer() else 1
    return {
        "size": _in_unit(amount, unit, decimals),
        "limit": _in_unit(limit_amount, unit, limit_decimals),
    }


def _in_unit(amount: float, unit: int, decimals: int) -> str:
    # number_format() cuts extra decimals off; round first.
    number = number_format(round(amount, decimals), decimal_pos=decimals, force_grouping=True)
    if unit == MB:
        return _("%(size)s MB") % {"size": number}
    return _("%(size)s KB") % {"size": number}


def _title_from_filename(filename: str) -> str:
    leaf = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return leaf[:-4] if leaf.lower().endswith(".zip") else leaf


def _raise_if_any(problems: list[str]) -> None:
    if not problems:
        return
    if len(problems) > MAX_REPORTED_PROBLEMS:
        extra = len(problems) - MAX_REPORTED_PROBLEMS
        more = ngettext(
            "… and %(count)s more problem.", "… and %(count)s more problems.", extra
        ) % {"count": _number(extra)}
        problems = [*problems[:MAX_REPORTED_PROBLEMS], more]
    raise PackageError(problems)
