"""The archive: entries, names, file types, duplicates, overlaps, totals, compression, and every
member decompressed once in bounded chunks before anything is written.

Over 500 lines: every check of the archive itself in one place, to be audited together."""

from __future__ import annotations

import io
import posixpath
import stat
import struct
import unicodedata
import zipfile
import zlib

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import limits
from .limits import (
    _DRIVE_PATH,
    _ENCRYPTED_FLAGS,
    _EOCD,
    _LOCAL_HEADER_MIN_SIZE,
    _ZIP64_EOCD,
    _ZIP64_LOCATOR,
    ALLOWED_COMPRESSION_METHODS,
    ALLOWED_EXTENSIONLESS_NAMES,
    ALLOWED_EXTENSIONS,
    CMI5_MANIFEST,
    COMPRESSION_METHOD_NAMES,
    IGNORED_FILE_NAMES,
    IGNORED_FILE_PREFIX,
    IGNORED_FOLDER_NAMES,
    MANIFEST_NAMES,
    MEMBER_RATIO_MIN_SIZE,
    READ_CHUNK_SIZE,
    SCORM_MANIFEST,
    TINCAN_MANIFEST,
    TOTAL_RATIO_MIN_SIZE,
)
from .manifests import _check_schemas, _parse_xml, _read_cmi5, _read_scorm, _read_tincan
from .results import PackageError, PackageManifest, _Entry, _Inspection
from .wording import (
    _bytes,
    _number,
    _package_label,
    _raise_if_any,
    _show,
    _sizes,
    _title_from_filename,
)

# --- The archive ---------------------------------------------------------------------------------


def _inspect(*, content: bytes, filename: str = "") -> _Inspection:
    label = _package_label(filename)
    if len(content) > limits.MAX_UPLOAD_SIZE:
        raise PackageError(
            # Translators: %(package)s is "The package" or "The package “name.zip”".
            _("%(package)s is %(size)s; packages over %(limit)s are not accepted.")
            % {"package": label, **_sizes(len(content), limits.MAX_UPLOAD_SIZE)}
        )
    declared_count = _declared_entry_count(content)
    if declared_count is not None and declared_count > limits.MAX_ENTRIES:
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
    if len(infos) > limits.MAX_ENTRIES:
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
    if manifest_info.file_size > limits.MAX_MANIFEST_SIZE:
        raise PackageError(
            _("The manifest “%(name)s” is %(size)s; manifests over %(limit)s are not accepted.")
            % {
                "name": _show(manifest_info.filename),
                **_sizes(manifest_info.file_size, limits.MAX_MANIFEST_SIZE),
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
        % {"package": label, "count": _number(count), "limit": _number(limits.MAX_ENTRIES)}
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
    if info.file_size > limits.MAX_FILE_SIZE:
        problems.append(
            _("“%(name)s” is %(size)s; files over %(limit)s are not accepted.")
            % {"name": shown, **_sizes(info.file_size, limits.MAX_FILE_SIZE)}
        )
    elif info.file_size > MEMBER_RATIO_MIN_SIZE:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.MAX_MEMBER_COMPRESSION_RATIO:
            problems.append(
                _(
                    "“%(name)s” is compressed at a ratio of %(ratio)s to 1; files compressed at "
                    "more than %(limit)s to 1 are refused as possible zip bombs."
                )
                % {
                    "name": shown,
                    "ratio": _number(round(ratio)),
                    "limit": _number(limits.MAX_MEMBER_COMPRESSION_RATIO),
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
    if total > limits.MAX_TOTAL_SIZE:
        problems.append(
            # Translators: %(package)s is "The package" or "The package “name.zip”".
            _(
                "%(package)s holds %(size)s of files once unpacked; packages over %(limit)s "
                "unpacked are not accepted."
            )
            % {"package": label, **_sizes(total, limits.MAX_TOTAL_SIZE)}
        )
    elif total > TOTAL_RATIO_MIN_SIZE:
        ratio = total / max(compressed, 1)
        if ratio > limits.MAX_COMPRESSION_RATIO:
            problems.append(
                # Translators: %(package)s is "The package" or "The package “name.zip”".
                _(
                    "%(package)s is compressed at a ratio of %(ratio)s to 1 overall; packages "
                    "compressed at more than %(limit)s to 1 are refused as possible zip bombs."
                )
                % {
                    "package": label,
                    "ratio": _number(round(ratio)),
                    "limit": _number(limits.MAX_COMPRESSION_RATIO),
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
