"""Uploaded e-learning packages (xAPI/TinCan and cmi5 zips): what is accepted, what is refused,
and that nothing is written unless the whole package is sound."""

from __future__ import annotations

import io
import os
import pickle
import re
import stat
import struct
import zipfile
from collections.abc import Iterable

import pytest
from django.utils import translation

from elearning import packages
from elearning.packages import (
    PackageActivity,
    PackageError,
    package_extract,
    package_inspect,
)

COURSE_IRI = "https://academy.example.org/xapi/courses/border-control"
MB = 1024 * 1024
Member = tuple[str | zipfile.ZipInfo, bytes | str]


# --- Builders ------------------------------------------------------------------------------------


def build_zip(members: Iterable[Member], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip built in memory; a member given as a ZipInfo keeps its attributes as set."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members:
            if isinstance(name, zipfile.ZipInfo):
                name.compress_type = name.compress_type or compression
            archive.writestr(name, data)
    return buffer.getvalue()


def tincan_xml(
    *,
    course_id: str = COURSE_IRI,
    launch: str = "index.html",
    extra: str = "",
) -> str:
    return f"""<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd">
  <activities>
    <activity id="{course_id}" type="http://adlnet.gov/expapi/activities/course">
      <name>Border control basics</name>
      <description lang="en-US">Checks at the border crossing.</description>
      <launch lang="und">{launch}</launch>
    </activity>
    <activity id="{course_id}/objective-1"
              type="http://adlnet.gov/expapi/activities/objective">
      <name>Recognise forged documents</name>
    </activity>
    {extra}
  </activities>
</tincan>
"""


def cmi5_xml(*, au_attributes: str = 'moveOn="Passed" masteryScore="0.8"', url: str = "") -> str:
    url = url or "module1/index.html"
    return f"""<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="{COURSE_IRI}">
    <title><langstring lang="en-US">Border control (cmi5)</langstring></title>
    <description><langstring lang="en-US">A course.</langstring></description>
  </course>
  <block id="{COURSE_IRI}/block-1">
    <title><langstring lang="en-US">Part one</langstring></title>
    <description><langstring lang="en-US">First part.</langstring></description>
    <au id="{COURSE_IRI}/au-1" {au_attributes}>
      <title><langstring lang="en-US">Module one</langstring></title>
      <description><langstring lang="en-US">First module.</langstring></description>
      <url>{url}</url>
      <launchParameters>{{"mode":"graded"}}</launchParameters>
    </au>
    <block id="{COURSE_IRI}/block-1-1">
      <title><langstring lang="en-US">Nested</langstring></title>
      <description><langstring lang="en-US">Nested block.</langstring></description>
      <au id="{COURSE_IRI}/au-2" moveOn="Completed" launchMethod="OwnWindow">
        <title><langstring lang="en-US">Module two</langstring></title>
        <description><langstring lang="en-US">Second module.</langstring></description>
        <url>module2/index.html?lang=en#start</url>
      </au>
    </block>
  </block>
  <au id="{COURSE_IRI}/au-3">
    <title><langstring lang="en-US">Final test</langstring></title>
    <description><langstring lang="en-US">Hosted elsewhere.</langstring></description>
    <url>https://lms.example.org/final-test/</url>
  </au>
</courseStructure>
"""


def tincan_package(*extra: Member, prefix: str = "", manifest: str | None = None) -> bytes:
    return build_zip(
        [
            (f"{prefix}tincan.xml", manifest if manifest is not None else tincan_xml()),
            (f"{prefix}index.html", "<!doctype html><title>Course</title>"),
            (f"{prefix}story_content/app.js", "console.log('hello');"),
            (f"{prefix}story_content/logo.png", b"\x89PNG\r\n\x1a\n"),
            *extra,
        ]
    )


def cmi5_package(*, manifest: str | None = None) -> bytes:
    return build_zip(
        [
            ("cmi5.xml", manifest if manifest is not None else cmi5_xml()),
            ("module1/index.html", "<!doctype html><title>One</title>"),
            ("module2/index.html", "<!doctype html><title>Two</title>"),
        ]
    )


def refusal_messages(content: bytes, **kwargs: str) -> list[str]:
    """The messages of the PackageError raised for ``content``."""
    with pytest.raises(PackageError) as caught:
        package_inspect(content=content, **kwargs)
    assert caught.value.messages
    return caught.value.messages


def refusal(content: bytes, **kwargs: str) -> str:
    """The messages of the PackageError raised for ``content``, joined for matching."""
    return "\n".join(refusal_messages(content, **kwargs))


def symlink_member(name: str, target: str) -> Member:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target


def patch_headers(content: bytes, name: bytes, *, local: int, central: int, value: int) -> bytes:
    """Overwrite a 4-byte little-endian field of ``name``'s local header (at offset ``local``) and
    central directory header (at offset ``central``), to forge archives zipfile will not write."""
    data = bytearray(content)
    for signature, name_at, field in ((b"PK\x03\x04", 30, local), (b"PK\x01\x02", 46, central)):
        position = data.index(signature)
        while data[position + name_at : position + name_at + len(name)] != name:
            position = data.index(signature, position + 4)
        struct.pack_into("<L", data, position + field, value)
    return bytes(data)


def patch_sizes(content: bytes, name: bytes, *, file_size: int) -> bytes:
    """Make the headers of ``name`` declare another uncompressed size."""
    return patch_headers(content, name, local=22, central=24, value=file_size)


# --- Valid packages ------------------------------------------------------------------------------


def test_tincan_package_at_the_root():
    content = tincan_package()

    manifest = package_inspect(content=content, filename="border-control.zip")

    assert manifest.kind == "tincan"
    assert manifest.root == ""
    assert manifest.course_id == COURSE_IRI
    assert manifest.title == "Border control basics"
    assert manifest.activities == (
        PackageActivity(activity_id=COURSE_IRI, title="Border control basics", launch="index.html"),
    )
    assert set(manifest.files) == {
        "tincan.xml",
        "index.html",
        "story_content/app.js",
        "story_content/logo.png",
    }
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert manifest.total_size == sum(info.file_size for info in archive.infolist())


def test_tincan_package_inside_one_folder_ignores_macos_junk():
    content = tincan_package(
        ("__MACOSX/course/._index.html", b"\x00\x05\x16\x07"),
        ("course/.DS_Store", b"\x00\x00\x00\x01Bud1"),
        ("course/Thumbs.db", b"\xd0\xcf"),
        ("course/", b""),
        prefix="course/",
    )

    manifest = package_inspect(content=content)

    assert manifest.root == "course/"
    assert set(manifest.files) == {
        "tincan.xml",
        "index.html",
        "story_content/app.js",
        "story_content/logo.png",
    }


def test_tincan_launch_keeps_its_query_string_and_title_falls_back_to_the_filename():
    manifest_xml = tincan_xml(launch="index.html?mode=review").replace(
        "<name>Border control basics</name>", ""
    )
    content = tincan_package(manifest=manifest_xml)

    manifest = package_inspect(content=content, filename="uploads/Border control.zip")

    assert manifest.activities[0].launch == "index.html?mode=review"
    assert manifest.title == "Border control"


def test_tincan_course_id_is_the_course_activity_even_when_not_first():
    intro = """<activity id="https://example.org/xapi/intro"
        type="http://adlnet.gov/expapi/activities/module">
        <name>Intro</name><launch>intro.html</launch></activity>"""
    manifest_xml = tincan_xml().replace("<activities>", f"<activities>{intro}", 1)

    manifest = package_inspect(content=tincan_package(("intro.html", "<p>"), manifest=manifest_xml))

    assert manifest.course_id == COURSE_IRI
    assert manifest.title == "Border control basics"
    assert [a.activity_id for a in manifest.activities] == [
        "https://example.org/xapi/intro",
        COURSE_IRI,
    ]


def test_cmi5_package_with_blocks():
    manifest = package_inspect(content=cmi5_package())

    assert manifest.kind == "cmi5"
    assert manifest.root == ""
    assert manifest.course_id == COURSE_IRI
    assert manifest.title == "Border control (cmi5)"
    first, second, third = manifest.activities
    assert first == PackageActivity(
        activity_id=f"{COURSE_IRI}/au-1",
        title="Module one",
        launch="module1/index.html",
        launch_parameters='{"mode":"graded"}',
        move_on="Passed",
        mastery_score=0.8,
        launch_method="AnyWindow",
    )
    assert second.activity_id == f"{COURSE_IRI}/au-2"
    assert second.launch == "module2/index.html?lang=en#start"
    assert (second.move_on, second.mastery_score, second.launch_method) == (
        "Completed",
        None,
        "OwnWindow",
    )
    assert third.launch == "https://lms.example.org/final-test/"
    assert (third.move_on, third.launch_method, third.launch_parameters) == (
        "NotApplicable",
        "AnyWindow",
        "",
    )
    assert set(manifest.files) == {"cmi5.xml", "module1/index.html", "module2/index.html"}


def test_extensionless_licence_file_is_allowed():
    manifest = package_inspect(content=tincan_package(("lib/LICENSE", "MIT")))

    assert "lib/LICENSE" in manifest.files


# --- The archive itself --------------------------------------------------------------------------


def test_not_a_zip_is_refused():
    assert refusal(b"%PDF-1.7 definitely not a zip", filename="course.pdf") == (
        "The package “course.pdf” is not a zip file, or the zip file is damaged."
    )


def test_empty_upload_is_refused():
    assert "not a zip file" in refusal(b"")


def test_upload_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(packages.limits, "MAX_UPLOAD_SIZE", 100)
    content = tincan_package()

    assert refusal(content) == (
        f"The package is {len(content):,} bytes; packages over 100 bytes are not accepted."
    )


def test_too_many_entries_are_refused(monkeypatch):
    monkeypatch.setattr(packages.limits, "MAX_ENTRIES", 3)

    assert refusal(tincan_package(), filename="course.zip") == (
        "The package “course.zip” has 4 files and folders; at most 3 are accepted."
    )


def test_encrypted_member_is_refused():
    content = tincan_package(("secret.js", "x"))
    # The flag word is 2 bytes; the following 2 bytes (compression method: deflate) are kept.
    flagged = patch_headers(
        content, b"secret.js", local=6, central=8, value=0x1 | zipfile.ZIP_DEFLATED << 16
    )

    assert "“secret.js” is encrypted (password-protected)" in refusal(flagged)


def test_zip_bomb_by_compression_ratio_is_refused():
    content = tincan_package(("story_content/zeros.txt", bytes(3 * 1024 * 1024)))

    member, overall = refusal_messages(content)

    assert member.startswith("“story_content/zeros.txt” is compressed at a ratio of ")
    assert member.endswith(
        " to 1; files compressed at more than 200 to 1 are refused as possible zip bombs."
    )
    assert overall.startswith("The package is compressed at a ratio of ")
    assert "packages compressed at more than 100 to 1" in overall


def test_total_uncompressed_size_limit(monkeypatch):
    monkeypatch.setattr(packages.limits, "MAX_TOTAL_SIZE", 50)

    message = refusal(tincan_package())

    assert message.startswith("The package holds ")
    assert message.endswith(
        " bytes of files once unpacked; packages over 50 bytes unpacked are not accepted."
    )


def test_per_file_size_limit(monkeypatch):
    monkeypatch.setattr(packages.limits, "MAX_FILE_SIZE", 1000)

    messages = refusal(tincan_package(("story_content/big.mp4", os.urandom(2000))))

    assert messages == (
        "“story_content/big.mp4” is 2,000 bytes; files over 1,000 bytes are not accepted."
    )


def test_header_declaring_less_data_than_the_entry_holds_is_refused():
    content = build_zip(
        [
            ("tincan.xml", tincan_xml()),
            ("index.html", "<!doctype html>"),
            ("story_content/app.js", "x" * 1000),
        ],
        compression=zipfile.ZIP_STORED,
    )
    lying = patch_sizes(content, b"story_content/app.js", file_size=10)

    assert "story_content/app.js" in refusal(lying)


def test_header_declaring_more_data_than_the_entry_holds_is_refused():
    content = build_zip(
        [
            ("tincan.xml", tincan_xml()),
            ("index.html", "<!doctype html>"),
            ("story_content/app.js", "x" * 1000),
        ]
    )
    lying = patch_sizes(content, b"story_content/app.js", file_size=5000)

    assert "story_content/app.js" in refusal(lying)


def test_reading_stops_at_the_declared_size():
    class Archive:
        """Stands in for a zip reader that yields more than the header promised."""

        def open(self, info: zipfile.ZipInfo) -> io.BytesIO:
            return io.BytesIO(b"x" * 50)

    info = zipfile.ZipInfo("story_content/app.js")
    info.file_size = 10

    with pytest.raises(PackageError) as caught:
        packages.archive._read_member(Archive(), info, keep=True)

    assert caught.value.messages == [
        "“story_content/app.js” holds more data than the 10 bytes its zip header declares; "
        "it is refused as a possible zip bomb."
    ]


def test_package_error_keeps_its_messages_through_pickling():
    error = PackageError(["a.js: one", "b.js: two"])

    restored = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes, not untrusted

    assert restored.messages == ["a.js: one", "b.js: two"]


def test_overlapping_entries_are_refused():
    content = bytearray(tincan_package())
    second_central = content.index(b"PK\x01\x02", content.index(b"PK\x01\x02") + 4)
    struct.pack_into("<L", content, second_central + 42, 0)  # point it at the first entry

    assert "overlaps" in refusal(bytes(content))


# --- Entry names and types -----------------------------------------------------------------------


def test_parent_directory_path_is_refused():
    messages = refusal(tincan_package(("../evil.js", "alert(1)")))

    assert messages == (
        "“../evil.js”: “..” is not accepted in a path (it could reach outside the package)."
    )


@pytest.mark.parametrize("name", ["/etc/evil.js", "C:\\evil.js", "C:evil.js", "\\\\server\\x.js"])
def test_absolute_path_is_refused(name):
    messages = refusal(tincan_package((name, "alert(1)")))

    assert f"“{name}”: absolute paths are not accepted" in messages


def test_backslash_path_is_refused():
    messages = refusal(tincan_package(("story_content\\evil.js", "alert(1)")))

    assert "“story_content\\evil.js”: backslashes are not accepted" in messages


def test_control_character_in_name_is_refused():
    assert "control characters" in refusal(tincan_package(("bad\x07name.js", "x")))


def test_nul_character_in_name_is_refused():
    content = tincan_package(("story_content/aXb.js", "x"))
    patched = content.replace(b"story_content/aXb.js", b"story_content/a\x00b.js")

    assert "NUL" in refusal(patched)


def test_name_not_in_normal_form_is_refused():
    assert "“story_content/./app2.js”: the path has empty or “.” parts" in refusal(
        tincan_package(("story_content/./app2.js", "x"))
    )


def test_duplicate_names_differing_in_case_are_refused():
    messages = refusal(tincan_package(("Index.html", "<!doctype html>")))

    assert "“Index.html” has the same name as “index.html”" in messages


def test_symlink_member_is_refused():
    messages = refusal(tincan_package(symlink_member("story_content/passwd.txt", "/etc/passwd")))

    assert "“story_content/passwd.txt” is a symbolic link" in messages


def test_special_file_member_is_refused():
    info = zipfile.ZipInfo("story_content/fifo.txt")
    info.create_system = 3
    info.external_attr = (stat.S_IFIFO | 0o644) << 16

    assert "“story_content/fifo.txt” is a special file" in refusal(tincan_package((info, "")))


@pytest.mark.parametrize(
    "name", ["setup.exe", "lib/tool.dll", "run.sh", "api.php", "app.py", "movie.swf", "x.wasm"]
)
def test_disallowed_file_types_are_refused(name):
    messages = refusal(tincan_package((name, "payload")))
    extension = name.rsplit(".", 1)[1]

    assert messages.startswith(f"“{name}”: .{extension} files are not accepted (accepted: .bmp, ")
    assert ".html, " in messages


def test_file_without_extension_is_refused():
    assert "“story_content/payload”: files without an extension are not accepted" in refusal(
        tincan_package(("story_content/payload", "x"))
    )


def test_dotfile_is_refused():
    messages = refusal(tincan_package((".htaccess", "AddHandler php-script .js")))

    assert "“.htaccess”: hidden files and folders" in messages


def test_junk_must_still_have_a_safe_name():
    assert "“__MACOSX/../../evil.js”: “..” is not accepted" in refusal(
        tincan_package(("__MACOSX/../../evil.js", "x"))
    )


# --- Manifest placement --------------------------------------------------------------------------


def test_no_manifest_is_refused():
    content = build_zip([("index.html", "<!doctype html>")])

    assert refusal(content) == (
        "The package has no manifest: tincan.xml (xAPI/TinCan), cmi5.xml (cmi5) or "
        "imsmanifest.xml (SCORM) must be at the root of the zip or inside its only top-level "
        "folder."
    )


def test_two_manifests_are_refused():
    content = tincan_package(("cmi5.xml", cmi5_xml()))

    assert "both “tincan.xml” and “cmi5.xml”" in refusal(content)


def test_manifest_in_a_folder_with_other_top_level_files_is_refused():
    content = tincan_package(("readme.txt", "hello"), prefix="course/")

    assert "(found: course/tincan.xml)" in refusal(content)


# --- Manifest contents ---------------------------------------------------------------------------


def test_billion_laughs_is_refused():
    bomb = """<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<tincan xmlns="http://projecttincan.com/tincan.xsd">&lol3;</tincan>
"""
    assert "“tincan.xml”: DTDs and entities are not accepted" in refusal(
        tincan_package(manifest=bomb)
    )


def test_external_entity_is_refused():
    xxe = """<?xml version="1.0"?>
<!DOCTYPE tincan [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<tincan xmlns="http://projecttincan.com/tincan.xsd"><activities><activity id="urn:x:y">
<name>&secret;</name><launch>index.html</launch></activity></activities></tincan>
"""
    messages = refusal(tincan_package(manifest=xxe))

    assert "“tincan.xml”: DTDs and entities are not accepted" in messages
    assert "root:" not in messages


def test_malformed_xml_is_refused():
    assert "“tincan.xml” is not well-formed XML" in refusal(tincan_package(manifest="<tincan>"))


def test_wrong_root_element_is_refused():
    assert "<tincan>" in refusal(tincan_package(manifest="<tincan/>"))


def test_missing_launch_file_is_refused():
    messages = refusal(tincan_package(manifest=tincan_xml(launch="story.html")))

    assert messages == (
        f"“tincan.xml”, launch of activity “{COURSE_IRI}”: "
        "the file “story.html” is not in the package."
    )


def test_tincan_launch_must_not_leave_the_package():
    messages = refusal(tincan_package(manifest=tincan_xml(launch="../index.html")))

    assert "points outside the package" in messages


def test_tincan_launch_must_be_relative():
    messages = refusal(tincan_package(manifest=tincan_xml(launch="https://evil.example/x")))

    assert "must be a relative path" in messages


def test_tincan_without_launchable_activity_is_refused():
    manifest_xml = tincan_xml().replace('<launch lang="und">index.html</launch>', "")

    assert "no activity has a <launch>" in refusal(tincan_package(manifest=manifest_xml))


def test_relative_activity_id_is_refused():
    messages = refusal(tincan_package(manifest=tincan_xml(course_id="courses/border-control")))

    assert "the activity id “courses/border-control” must be an absolute IRI" in messages


def test_cmi5_bad_move_on_is_refused():
    messages = refusal(cmi5_package(manifest=cmi5_xml(au_attributes='moveOn="Whenever"')))

    assert f"AU “{COURSE_IRI}/au-1”: moveOn “Whenever” is not one of Passed, " in messages


@pytest.mark.parametrize("score", ["1.5", "-0.1", "abc", "NaN", "1e-1"])
def test_cmi5_mastery_score_out_of_range_is_refused(score):
    messages = refusal(cmi5_package(manifest=cmi5_xml(au_attributes=f'masteryScore="{score}"')))

    assert f"masteryScore “{score}” must be a decimal number from 0 to 1" in messages


def test_cmi5_bad_launch_method_is_refused():
    manifest_xml = cmi5_xml(au_attributes='launchMethod="NewTab"')

    assert "launchMethod “NewTab”" in refusal(cmi5_package(manifest=manifest_xml))


def test_cmi5_relative_au_id_is_refused():
    manifest_xml = cmi5_xml().replace(f'id="{COURSE_IRI}/au-1"', 'id="au-1"')

    assert "AU “au-1”: the id must be an absolute IRI" in refusal(
        cmi5_package(manifest=manifest_xml)
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x.org/a"])
def test_cmi5_url_with_other_scheme_is_refused(url):
    messages = refusal(cmi5_package(manifest=cmi5_xml(url=url)))

    assert "must be a relative path or an absolute http(s) URL" in messages


def test_cmi5_missing_launch_file_is_refused():
    messages = refusal(cmi5_package(manifest=cmi5_xml(url="module9/index.html")))

    assert "the file “module9/index.html” is not in the package" in messages


# --- Extraction ----------------------------------------------------------------------------------


def test_extract_writes_nothing_when_the_package_is_invalid():
    written: list[str] = []

    with pytest.raises(PackageError):
        package_extract(
            content=tincan_package(("setup.exe", "MZ")),
            destination=lambda name, data: written.append(name),
        )

    assert written == []


def test_extract_writes_nothing_when_a_late_member_lies_about_its_size():
    content = build_zip(
        [
            ("tincan.xml", tincan_xml()),
            ("index.html", "<!doctype html>"),
            ("story_content/zz.js", "x" * 1000),
        ],
        compression=zipfile.ZIP_STORED,
    )
    written: list[str] = []

    with pytest.raises(PackageError):
        package_extract(
            content=patch_sizes(content, b"story_content/zz.js", file_size=10),
            destination=lambda name, data: written.append(name),
        )

    assert written == []


def test_extract_writes_exactly_the_package_files():
    content = tincan_package(
        ("__MACOSX/course/._index.html", b"\x00\x05\x16\x07"),
        ("course/.DS_Store", b"Bud1"),
        ("course/story_content/", b""),
        prefix="course/",
    )
    written: dict[str, bytes] = {}

    manifest = package_extract(
        content=content, destination=lambda name, data: written.__setitem__(name, data)
    )

    assert (
        set(written)
        == set(manifest.files)
        == {
            "tincan.xml",
            "index.html",
            "story_content/app.js",
            "story_content/logo.png",
        }
    )
    assert written["story_content/app.js"] == b"console.log('hello');"
    assert written["story_content/logo.png"] == b"\x89PNG\r\n\x1a\n"
    assert written["tincan.xml"] == tincan_xml().encode()


# --- What an editor reads ------------------------------------------------------------------------

# A Python constant's name such as MAX_FILE_SIZE or ALLOWED_EXTENSIONS.
CODE_CONSTANT = re.compile(r"\b_*[A-Z][A-Z0-9]*(?:_+[A-Z0-9]+)+\b")


def many_problems_package() -> bytes:
    """One zip breaking many rules at once (with small limits, see the fixture below)."""
    special = zipfile.ZipInfo("story_content/fifo.txt")
    special.create_system = 3
    special.external_attr = (stat.S_IFIFO | 0o644) << 16
    return tincan_package(
        ("../evil.js", "alert(1)"),
        ("/etc/evil.js", "alert(1)"),
        ("story_content\\evil.js", "alert(1)"),
        ("bad\x07name.js", "x"),
        ("story_content/./app2.js", "x"),
        ("Index.html", "<!doctype html>"),
        symlink_member("story_content/passwd.txt", "/etc/passwd"),
        (special, ""),
        ("setup.exe", "MZ"),
        ("movie.swf", "FWS"),
        ("story_content/payload", "x"),
        ("story_content/dot.", "x"),
        (".htaccess", "AddHandler php-script .js"),
        (".git/config", "[core]"),
        ("story_content/zeros.txt", bytes(3 * MB)),
        ("story_content/video.mp4", os.urandom(5 * MB)),
    )


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(packages.limits, "MAX_FILE_SIZE", 4 * MB)
    monkeypatch.setattr(packages.limits, "MAX_TOTAL_SIZE", 6 * MB)


def test_every_problem_is_listed_one_per_line(small_limits):
    messages = refusal_messages(many_problems_package(), filename="border-control.zip")

    assert len(messages) == 17
    assert all("\n" not in message for message in messages)
    assert messages[-1] == (
        "The package “border-control.zip” holds 8 MB of files once unpacked; packages over "
        "6 MB unpacked are not accepted."
    )


def test_refusals_name_rules_and_limits_never_code_constants(small_limits, monkeypatch):
    refusals = [
        many_problems_package(),
        tincan_package(manifest="<tincan>"),
        tincan_package(manifest=tincan_xml(launch="story.html", course_id="courses/x")),
        cmi5_package(manifest=cmi5_xml(au_attributes='moveOn="Whenever" masteryScore="2"')),
        build_zip([("index.html", "<!doctype html>")]),
        b"not a zip",
    ]
    messages = [message for content in refusals for message in refusal_messages(content)]
    monkeypatch.setattr(packages.limits, "MAX_UPLOAD_SIZE", 100)
    messages += refusal_messages(tincan_package())
    monkeypatch.undo()
    monkeypatch.setattr(packages.limits, "MAX_ENTRIES", 3)
    messages += refusal_messages(tincan_package())
    constants = [name for name in vars(packages) if name.isupper() and "_" in name]

    assert len(messages) > 25
    for message in messages:
        assert "MAX_" not in message and "ALLOWED_" not in message, message
        assert not CODE_CONSTANT.search(message), message
        assert not any(name in message for name in constants), message


def test_the_size_rule_states_the_limit_in_megabytes(monkeypatch):
    monkeypatch.setattr(packages.limits, "MAX_FILE_SIZE", 1 * MB)
    content = tincan_package(("story_content/video.mp4", os.urandom(MB + MB // 2)))

    assert refusal(content) == (
        "“story_content/video.mp4” is 1.5 MB; files over 1 MB are not accepted."
    )
    # With the limits as shipped, and a size just over the limit: never "200 MB over 200 MB".
    assert packages.wording._sizes(240 * MB, 200 * MB) == {
        "size": "240 MB",
        "limit": "200 MB",
    }
    assert packages.wording._sizes(200 * MB + 40 * 1024, 200 * MB) == {
        "size": "200.04 MB",
        "limit": "200 MB",
    }


def test_a_long_list_of_problems_ends_with_a_count_of_the_rest():
    members = [(f"story_content/tool{number}.exe", "MZ") for number in range(53)]

    messages = refusal_messages(tincan_package(*members))

    assert len(messages) == packages.limits.MAX_REPORTED_PROBLEMS + 1
    assert messages[-1] == "… and 3 more problems."


def test_messages_are_in_the_editors_language(monkeypatch):
    monkeypatch.setattr(packages.limits, "MAX_FILE_SIZE", 1 * MB)
    content = tincan_package(
        ("setup.exe", "MZ"), ("story_content/video.mp4", os.urandom(MB + MB // 2))
    )

    with translation.override("ru"):
        exe, video = refusal_messages(content, filename="курс.zip")
        empty = refusal(b"", filename="курс.zip")

    assert exe.startswith("«setup.exe»: файлы .exe не принимаются")
    assert video == "Файл «story_content/video.mp4» весит 1,5 МБ; файлы больше 1 МБ не принимаются."
    assert empty.startswith("Пакет «курс.zip»")
    assert "not accepted" not in exe + video
    # The language is the one active when the check runs, not when the module was imported.
    assert refusal_messages(content)[1].endswith("files over 1 MB are not accepted.")


def test_the_admin_upload_form_shows_one_problem_per_line(client, editor, academy):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from elearning.models import LessonPackage

    from ..auth_helpers import staff_login

    staff_login(client, editor)
    upload = SimpleUploadedFile(
        "evil.zip", tincan_package(("../evil.js", "x"), ("setup.exe", "MZ")), "application/zip"
    )

    response = client.post(
        reverse("lesson_packages:add"),
        {"title": "", "institution": academy.pk, "upload": upload},
    )

    assert response.status_code == 200
    body = response.content.decode()
    problems = re.findall(r'<li><span class="error-message">(.*?)</span></li>', body)
    assert len(problems) == 2
    assert "“../evil.js”" in problems[0]
    assert "“setup.exe”: .exe files are not accepted" in problems[1]
    assert not LessonPackage.objects.exists()
