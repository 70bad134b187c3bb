"""What a package may be: size and count limits (module-level so that tests and callers can see
and adjust them: the checks read them from here at each call), allowed file types, junk
names, manifest names and the namespaces of their formats."""

from __future__ import annotations

import re
import struct
import zipfile

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
