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
  duplicates are detected after NFC normalisation and case folding."""

from .inspection import (
    package_extract,
    package_inspect,
)
from .limits import (
    ADLCP12_NAMESPACE,
    ADLCP2004_NAMESPACE,
    ADLSEQ_NAMESPACE,
    ALLOWED_COMPRESSION_METHODS,
    ALLOWED_EXTENSIONLESS_NAMES,
    ALLOWED_EXTENSIONS,
    CMI5_DEFAULT_LAUNCH_METHOD,
    CMI5_DEFAULT_MOVE_ON,
    CMI5_LAUNCH_METHODS,
    CMI5_MANIFEST,
    CMI5_MOVE_ON_VALUES,
    CMI5_NAMESPACE,
    COMPRESSION_METHOD_NAMES,
    COURSE_ACTIVITY_TYPE,
    IGNORED_FILE_NAMES,
    IGNORED_FILE_PREFIX,
    IGNORED_FOLDER_NAMES,
    IMSSS_NAMESPACE,
    KB,
    MANIFEST_NAMES,
    MAX_COMPRESSION_RATIO,
    MAX_ENTRIES,
    MAX_FILE_SIZE,
    MAX_MANIFEST_SIZE,
    MAX_MEMBER_COMPRESSION_RATIO,
    MAX_REPORTED_PROBLEMS,
    MAX_TOTAL_SIZE,
    MAX_UPLOAD_SIZE,
    MB,
    MEMBER_RATIO_MIN_SIZE,
    READ_CHUNK_SIZE,
    REMOTE_LAUNCH_SCHEMES,
    SCORM12_NAMESPACE,
    SCORM2004_NAMESPACE,
    SCORM_CONTROL_MODE_ALLOWED,
    SCORM_CONTROL_MODE_REFUSED_TRUE,
    SCORM_MANIFEST,
    SCORM_SEQUENCING_ALLOWED,
    TINCAN_MANIFEST,
    TINCAN_NAMESPACE,
    TOTAL_RATIO_MIN_SIZE,
    XML_NAMESPACE,
    XSI_NAMESPACE,
)
from .results import (
    PackageActivity,
    PackageError,
    PackageManifest,
)

__all__ = [
    "ADLCP12_NAMESPACE",
    "ADLCP2004_NAMESPACE",
    "ADLSEQ_NAMESPACE",
    "ALLOWED_COMPRESSION_METHODS",
    "ALLOWED_EXTENSIONLESS_NAMES",
    "ALLOWED_EXTENSIONS",
    "CMI5_DEFAULT_LAUNCH_METHOD",
    "CMI5_DEFAULT_MOVE_ON",
    "CMI5_LAUNCH_METHODS",
    "CMI5_MANIFEST",
    "CMI5_MOVE_ON_VALUES",
    "CMI5_NAMESPACE",
    "COMPRESSION_METHOD_NAMES",
    "COURSE_ACTIVITY_TYPE",
    "IGNORED_FILE_NAMES",
    "IGNORED_FILE_PREFIX",
    "IGNORED_FOLDER_NAMES",
    "IMSSS_NAMESPACE",
    "KB",
    "MANIFEST_NAMES",
    "MAX_COMPRESSION_RATIO",
    "MAX_ENTRIES",
    "MAX_FILE_SIZE",
    "MAX_MANIFEST_SIZE",
    "MAX_MEMBER_COMPRESSION_RATIO",
    "MAX_REPORTED_PROBLEMS",
    "MAX_TOTAL_SIZE",
    "MAX_UPLOAD_SIZE",
    "MB",
    "MEMBER_RATIO_MIN_SIZE",
    "PackageActivity",
    "PackageError",
    "PackageManifest",
    "READ_CHUNK_SIZE",
    "REMOTE_LAUNCH_SCHEMES",
    "SCORM12_NAMESPACE",
    "SCORM2004_NAMESPACE",
    "SCORM_CONTROL_MODE_ALLOWED",
    "SCORM_CONTROL_MODE_REFUSED_TRUE",
    "SCORM_MANIFEST",
    "SCORM_SEQUENCING_ALLOWED",
    "TINCAN_MANIFEST",
    "TINCAN_NAMESPACE",
    "TOTAL_RATIO_MIN_SIZE",
    "XML_NAMESPACE",
    "XSI_NAMESPACE",
    "package_extract",
    "package_inspect",
]
