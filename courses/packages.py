"""Validation and safe reading of uploaded e-learning packages.

A package is a zip file exported by an authoring tool (Articulate Storyline/Rise, Adobe Captivate,
...). Two flavours are understood:

* xAPI/TinCan: a ``tincan.xml`` manifest;
* cmi5: a ``cmi5.xml`` course structure.

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

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

MB = 1024 * 1024

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

TINCAN_MANIFEST = "tincan.xml"
CMI5_MANIFEST = "cmi5.xml"
MANIFEST_NAMES = (TINCAN_MANIFEST, CMI5_MANIFEST)
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


@dataclass(frozen=True)
class PackageManifest:
    """What a valid package contains, as read from its manifest and its zip directory.

    ``files`` are relative to ``root`` (ignored junk and folder entries left out), in archive
    order; ``total_size`` is the sum of their uncompressed sizes, i.e. what extraction writes.
    """

    kind: str
    root: str
    course_id: str
    title: str
    activities: tuple[PackageActivity, ...]
    files: tuple[str, ...]
    total_size: int


class PackageError(ValueError):
    """An upload is not an acceptable package. ``messages`` lists every problem found, each naming
    the entry or file concerned and the rule it breaks."""

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
    label = filename or "The upload"
    if len(content) > MAX_UPLOAD_SIZE:
        raise PackageError(
            f"{label}: the zip file is {_size(len(content))}, more than "
            f"MAX_UPLOAD_SIZE ({_size(MAX_UPLOAD_SIZE)})"
        )
    declared_count = _declared_entry_count(content)
    if declared_count is not None and declared_count > MAX_ENTRIES:
        raise _too_many_entries(label, declared_count)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, struct.error):
        raise PackageError(f"{label}: not a zip file, or the zip file is damaged") from None
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
        raise PackageError(f"{label}: the zip file is empty")

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
    manifest_info = members[TINCAN_MANIFEST if kind == "tincan" else CMI5_MANIFEST]
    if manifest_info.file_size > MAX_MANIFEST_SIZE:
        raise PackageError(
            f"{manifest_info.filename}: the manifest is {_size(manifest_info.file_size)}, more "
            f"than MAX_MANIFEST_SIZE ({_size(MAX_MANIFEST_SIZE)})"
        )
    xml = _read_member(archive, manifest_info, keep=True)
    tree = _parse_xml(xml, manifest_info.filename)
    fallback_title = _title_from_filename(filename)
    if kind == "tincan":
        course_id, title, activities = _read_tincan(
            tree, where=manifest_info.filename, files=set(files)
        )
    else:
        course_id, title, activities = _read_cmi5(
            tree, where=manifest_info.filename, files=set(files)
        )

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
        f"{label}: the zip file has {count:,} entries, more than MAX_ENTRIES ({MAX_ENTRIES:,})"
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
    name_problem = _name_problem(raw, name)
    if name_problem:
        problems.append(f"{shown}: {name_problem}")
        return _Entry(info=info, name=name, is_dir=is_dir, ignored=False)

    segments = name.split("/")
    ignored = _is_junk(segments, is_dir=is_dir)
    if not ignored:
        hidden = next((s for s in segments if s.startswith(".")), None)
        if hidden is not None:
            problems.append(
                f"{shown}: hidden files and folders ('{hidden}') are not allowed in a package"
            )
        elif not is_dir:
            type_problem = _file_type_problem(segments[-1])
            if type_problem:
                problems.append(f"{shown}: {type_problem}")

    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        problems.append(f"{shown}: symbolic links are not allowed in a package")
    elif kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        problems.append(f"{shown}: only regular files and folders are allowed (special file type)")
    elif kind == stat.S_IFDIR and not is_dir:
        problems.append(f"{shown}: marked as a folder but its name does not end with '/'")

    if info.flag_bits & _ENCRYPTED_FLAGS:
        problems.append(f"{shown}: encrypted (password-protected) entries are not allowed")
    if info.compress_type not in ALLOWED_COMPRESSION_METHODS:
        problems.append(
            f"{shown}: compression method {info.compress_type} is not supported "
            f"(allowed: {', '.join(ALLOWED_COMPRESSION_METHODS.values())})"
        )
    if is_dir and info.file_size:
        problems.append(f"{shown}: a folder entry must not carry data")
    if info.file_size > MAX_FILE_SIZE:
        problems.append(
            f"{shown}: uncompressed size {_size(info.file_size)} is more than "
            f"MAX_FILE_SIZE ({_size(MAX_FILE_SIZE)})"
        )
    elif info.file_size > MEMBER_RATIO_MIN_SIZE:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > MAX_MEMBER_COMPRESSION_RATIO:
            problems.append(
                f"{shown}: compression ratio {ratio:,.0f}:1 is more than "
                f"MAX_MEMBER_COMPRESSION_RATIO ({MAX_MEMBER_COMPRESSION_RATIO}:1); "
                "this looks like a zip bomb"
            )
    return _Entry(info=info, name=name, is_dir=is_dir, ignored=ignored)


def _name_problem(raw: str, name: str) -> str | None:
    """Why an entry name is unsafe, or ``None``."""
    if not name:
        return "empty entry name"
    if "\x00" in raw:
        return "the name contains a NUL character"
    if any(unicodedata.category(char) == "Cc" for char in raw):
        return "the name contains control characters"
    if raw.startswith(("/", "\\")) or _DRIVE_PATH.match(raw):
        return "absolute paths are not allowed"
    if "\\" in raw:
        return "backslashes are not allowed in names (use '/' between folders)"
    if ".." in name.split("/"):
        return "'..' path segments are not allowed (path traversal)"
    if posixpath.normpath(name) != name:
        return "the name is not in normal form (empty or '.' path segments)"
    return None


def _is_junk(segments: list[str], *, is_dir: bool) -> bool:
    if any(segment in IGNORED_FOLDER_NAMES for segment in segments):
        return True
    if is_dir:
        return False
    leaf = segments[-1]
    return leaf.lower() in IGNORED_FILE_NAMES or leaf.startswith(IGNORED_FILE_PREFIX)


def _file_type_problem(leaf: str) -> str | None:
    if "." not in leaf:
        if leaf.upper() in ALLOWED_EXTENSIONLESS_NAMES:
            return None
        return "files without an extension are not allowed (see ALLOWED_EXTENSIONLESS_NAMES)"
    extension = leaf.rsplit(".", 1)[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        shown = f"'.{extension}'" if extension else "an empty extension"
        return f"file type {shown} is not allowed (see ALLOWED_EXTENSIONS)"
    return None


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
                f"{_show(entry.info.orig_filename)}: duplicate name (clashes with "
                f"'{_show(seen[key])}'; names are compared ignoring case)"
            )
        else:
            seen[key] = entry.info.orig_filename
        if not entry.is_dir and key in folders:
            problems.append(
                f"{_show(entry.info.orig_filename)}: is both a file and a folder in the archive"
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
                f"{_show(following.orig_filename)}: its data overlaps the entry "
                f"'{_show(current.orig_filename)}'; this looks like a zip bomb"
            )


def _check_totals(label: str, infos: list[zipfile.ZipInfo], problems: list[str]) -> None:
    total = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos)
    if total > MAX_TOTAL_SIZE:
        problems.append(
            f"{label}: the files add up to {_size(total)} uncompressed, more than "
            f"MAX_TOTAL_SIZE ({_size(MAX_TOTAL_SIZE)})"
        )
    elif total > TOTAL_RATIO_MIN_SIZE:
        ratio = total / max(compressed, 1)
        if ratio > MAX_COMPRESSION_RATIO:
            problems.append(
                f"{label}: overall compression ratio {ratio:,.0f}:1 is more than "
                f"MAX_COMPRESSION_RATIO ({MAX_COMPRESSION_RATIO}:1); this looks like a zip bomb"
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
            f"{label}: both {root}{TINCAN_MANIFEST} and {root}{CMI5_MANIFEST} are present; "
            "a package must have exactly one manifest"
        )
    if not candidates:
        message = (
            f"{label}: no {TINCAN_MANIFEST} (xAPI/TinCan) or {CMI5_MANIFEST} (cmi5) manifest at "
            "the root of the zip or inside its single top-level folder"
        )
        elsewhere = sorted(name for name in file_names if name.rsplit("/", 1)[-1] in MANIFEST_NAMES)
        if elsewhere:
            message += f" (found {', '.join(elsewhere[:5])}, which is not in such a place)"
        raise PackageError(message)
    return root, "tincan" if candidates[0] == TINCAN_MANIFEST else "cmi5"


def _manifests_in(root: str, file_names: set[str]) -> list[str]:
    return [name for name in MANIFEST_NAMES if f"{root}{name}" in file_names]


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
        raise PackageError(f"{shown}: the data is damaged or does not match its header") from None
    if received > declared:
        raise PackageError(
            f"{shown}: holds more data than the {declared:,} bytes its header declares; "
            "refused as a possible zip bomb"
        )
    if received < declared:
        raise PackageError(
            f"{shown}: holds {received:,} bytes but its header declares {declared:,}; "
            "the zip file is damaged"
        )
    return b"".join(chunks)


# --- Manifests -----------------------------------------------------------------------------------


def _parse_xml(data: bytes, where: str) -> Element:
    try:
        return SafeElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DTDForbidden:
        raise PackageError(
            f"{where}: DTDs and entities are not allowed (the file has a DOCTYPE declaration)"
        ) from None
    except EntitiesForbidden as exc:
        raise PackageError(
            f"{where}: DTDs and entities are not allowed (entity '{exc.name}' is declared)"
        ) from None
    except ExternalReferenceForbidden:
        raise PackageError(f"{where}: external references are not allowed") from None
    except SafeElementTree.ParseError as exc:
        raise PackageError(f"{where}: not well-formed XML ({exc})") from None


def _read_tincan(
    tree: Element, *, where: str, files: set[str]
) -> tuple[str, str, tuple[PackageActivity, ...]]:
    def tag(name: str) -> str:
        return f"{{{TINCAN_NAMESPACE}}}{name}"

    if tree.tag != tag("tincan"):
        raise PackageError(
            f"{where}: the root element must be <tincan> in the namespace {TINCAN_NAMESPACE} "
            f"(found {_show_tag(tree.tag)})"
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
                f"{where}: activity id '{activity_id}' must be an absolute IRI "
                "(with a scheme, e.g. https://... or urn:...)"
            )
            continue
        if activity_id in seen_ids:
            problems.append(f"{where}: activity id '{activity_id}' is used more than once")
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
            problems.append(f"{where}: launch of activity '{activity_id}': {problem}")
            continue
        activities.append(PackageActivity(activity_id=activity_id, title=title, launch=launch))
    _raise_if_any(problems)
    if first is None:
        raise PackageError(f"{where}: no <activity> found under <activities>")
    if not activities:
        raise PackageError(f"{where}: no activity has a <launch> element")
    course_id, title = course or first
    return course_id, title or activities[0].title, tuple(activities)


def _read_cmi5(
    tree: Element, *, where: str, files: set[str]
) -> tuple[str, str, tuple[PackageActivity, ...]]:
    def tag(name: str) -> str:
        return f"{{{CMI5_NAMESPACE}}}{name}"

    if tree.tag != tag("courseStructure"):
        raise PackageError(
            f"{where}: the root element must be <courseStructure> in the namespace "
            f"{CMI5_NAMESPACE} (found {_show_tag(tree.tag)})"
        )
    courses = tree.findall(tag("course"))
    if len(courses) != 1:
        raise PackageError(f"{where}: exactly one <course> element is required")
    course = courses[0]
    course_id = (course.get("id") or "").strip()
    problems: list[str] = []
    if not _is_iri(course_id):
        problems.append(
            f"{where}: course id '{course_id}' must be an absolute IRI "
            "(with a scheme, e.g. https://... or urn:...)"
        )
    course_title = _first_text(course.findall(f"{tag('title')}/{tag('langstring')}"))

    activities: list[PackageActivity] = []
    seen_ids: set[str] = set()
    for au in tree.iter(tag("au")):  # document order, including AUs nested in blocks
        au_id = (au.get("id") or "").strip()
        label = f"{where}: AU '{au_id}'"
        count = len(problems)
        if not _is_iri(au_id):
            problems.append(
                f"{label}: id must be an absolute IRI (with a scheme, e.g. https://... or urn:...)"
            )
        elif au_id in seen_ids:
            problems.append(f"{label}: id is used more than once")
        seen_ids.add(au_id)

        move_on = (au.get("moveOn") or CMI5_DEFAULT_MOVE_ON).strip()
        if move_on not in CMI5_MOVE_ON_VALUES:
            problems.append(
                f"{label}: moveOn '{move_on}' is not one of {', '.join(CMI5_MOVE_ON_VALUES)}"
            )
        launch_method = (au.get("launchMethod") or CMI5_DEFAULT_LAUNCH_METHOD).strip()
        if launch_method not in CMI5_LAUNCH_METHODS:
            problems.append(
                f"{label}: launchMethod '{launch_method}' is not one of "
                f"{', '.join(CMI5_LAUNCH_METHODS)}"
            )
        mastery_score: float | None = None
        raw_score = au.get("masteryScore")
        if raw_score is not None:
            text = raw_score.strip()
            if _DECIMAL.match(text) and 0 <= float(text) <= 1:
                mastery_score = float(text)
            else:
                problems.append(
                    f"{label}: masteryScore '{raw_score}' must be a decimal number from 0 to 1"
                )
        url_elements = au.findall(tag("url"))
        url = _first_text(url_elements)
        if not url_elements:
            problems.append(f"{label}: the <url> element is missing")
        else:
            problem = _launch_problem(url, files=files, allow_remote=True)
            if problem:
                problems.append(f"{label}: url {problem}")
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
        raise PackageError(f"{where}: the course has no <au> (assignable unit)")
    return course_id, course_title, tuple(activities)


def _launch_problem(value: str, *, files: set[str], allow_remote: bool) -> str | None:
    """Why a launch location is unusable, or ``None``. Relative locations must name a file of
    the package (query string and fragment aside)."""
    if not value:
        return "is empty"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        if not allow_remote:
            return f"'{value}' must be a relative path to a file of the package"
        if parts.scheme.lower() in REMOTE_LAUNCH_SCHEMES and parts.netloc:
            return None
        return f"'{value}' must be a relative path or an absolute http(s) URL"
    path = unquote(parts.path)
    if not path:
        return f"'{value}' does not name a file"
    if path.startswith("/") or "\\" in path:
        return f"'{value}' must be a relative path without a leading '/' or backslashes"
    normalised = posixpath.normpath(path)
    if normalised == ".." or normalised.startswith("../"):
        return f"'{value}' points outside the package"
    if normalised not in files:
        return f"'{value}': the file {normalised} is not in the package"
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
        namespace, _, local = tag[1:].partition("}")
        return f"<{local}> in namespace {namespace}"
    return f"<{tag}> without a namespace"


def _size(value: int) -> str:
    if value >= MB:
        return f"{value // MB} MB" if value % MB == 0 else f"{value / MB:.1f} MB"
    return f"{value:,} bytes"


def _title_from_filename(filename: str) -> str:
    leaf = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return leaf[:-4] if leaf.lower().endswith(".zip") else leaf


def _raise_if_any(problems: list[str]) -> None:
    if not problems:
        return
    if len(problems) > MAX_REPORTED_PROBLEMS:
        extra = len(problems) - MAX_REPORTED_PROBLEMS
        problems = [*problems[:MAX_REPORTED_PROBLEMS], f"... and {extra:,} more problems"]
    raise PackageError(problems)
