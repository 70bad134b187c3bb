"""Files and where they may be served: package files only in their sandbox (whatever URL is
tried), the public media tree's images only as passive images, documents as downloads,
certificates only to those who may see them, private files without a URL at all."""

import importlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import URLPattern, URLResolver, clear_url_caches, get_resolver

from elearning import services as elearning_services
from network.storage import private_storage, storage_move_tree

from ..factories import trainee

pytestmark = pytest.mark.django_db

ATTACK = Path(__file__).resolve().parents[1] / "fixtures" / "attack-package"
MARKER = b"PAN-PACKAGE-PROBE-7f3a"


def attack_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(ATTACK.iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


@pytest.fixture
def on_disk(settings, tmp_path):
    """The storages as deployed: two folders on disk."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "network.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": settings.PRIVATE_MEDIA_ROOT},
        },
    }
    return tmp_path


@pytest.fixture
def package(academy, on_disk):
    return elearning_services.package_upload(
        content=attack_zip(), filename="attack.zip", institution=academy
    )


def _routes(patterns, prefix=""):
    """Every URL pattern of the platform as (prefix + its own text, the pattern)."""
    for pattern in patterns:
        text = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + text)
        elif isinstance(pattern, URLPattern):
            yield prefix + text


CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")


def _candidate_urls(package) -> set[str]:
    """URLs that could lead to the package's page: each route that takes a path, a string or a
    regular-expression part, given the file's name as the storage knows it and shorter forms
    of it, in both languages."""
    names = [
        f"packages/{package.pk}/attack.html",
        f"{package.pk}/attack.html",
        "attack.html",
        f"private/packages/{package.pk}/attack.html",
        f"media/packages/{package.pk}/attack.html",
    ]
    urls = set()
    for route in _routes(get_resolver().url_patterns):
        route = route.replace("^", "").replace("\\", "")
        if "(" in route:
            literal = route[: route.index("(")]
            templates = [literal + "{name}"]
        elif "<" in route:
            kinds = [m.group(1) or "str" for m in CONVERTER.finditer(route)]
            if not any(kind in {"path", "str", "slug"} for kind in kinds):
                continue

            def fill(match):
                return str(package.pk) if match.group(1) == "int" else "{name}"

            templates = [CONVERTER.sub(fill, route)]
        else:
            continue
        for template in templates:
            template = template.rstrip("$")
            for name in names:
                # A path converter takes the whole name; a string one only a segment of it.
                url = template.replace("{name}", name, 1).replace("{name}", "attack.html")
                for language in ("", "ru/"):
                    urls.add("/" + language + url.removeprefix("ru/").removeprefix("en/"))
    return urls


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _sandboxed(response) -> bool:
    policy = response.get("Content-Security-Policy", "")
    return policy.startswith("sandbox") and "allow-same-origin" not in policy


@pytest.mark.parametrize("debug", [False, True])
def test_no_url_of_the_platform_serves_a_package_file_outside_its_sandbox(
    client, package, settings, debug
):
    # The URL configuration as it is in this mode (development used to add a media route).
    settings.DEBUG = debug
    import config.urls

    clear_url_caches()
    importlib.reload(config.urls)
    try:
        client.force_login(trainee())
        urls = _candidate_urls(package)
        assert f"/packages/{package.pk}/attack.html" in urls
        assert f"/media/packages/{package.pk}/attack.html" in urls
        served = []
        for url in sorted(urls):
            response = client.get(url)
            if response.status_code == 200 and MARKER in _body(response):
                assert _sandboxed(response), f"{url} serves a package file without its sandbox"
                served.append(url)
        # The sandboxed route itself answers (so the probe above really looked for the file).
        assert f"/packages/{package.pk}/attack.html" in served
    finally:
        settings.DEBUG = False
        clear_url_caches()
        importlib.reload(config.urls)


def test_package_files_and_certificates_are_kept_out_of_the_public_media_tree(package):
    name = package.file_path("attack.html")
    assert private_storage.exists(name)
    assert not default_storage.exists(name)
    with pytest.raises(ValueError, match="no URL"):
        from network.storage import PrivateFileSystemStorage

        PrivateFileSystemStorage(location="/nonexistent").url(name)


def test_migrating_moves_earlier_files_out_of_the_public_tree():
    default_storage.save("packages/99/index.html", ContentFile(b"<p>old</p>"))
    default_storage.save("packages/99/js/app.js", ContentFile(b"1"))
    moved = storage_move_tree(source=default_storage, target=private_storage, folder="packages")
    assert moved == 2
    assert not default_storage.exists("packages/99/index.html")
    assert private_storage.open("packages/99/js/app.js").read() == b"1"
    # Again: nothing left to move, nothing lost.
    assert storage_move_tree(source=default_storage, target=private_storage, folder="packages") == 0
    assert private_storage.exists("packages/99/index.html")


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe\xa7\x9a\xa0"
    b"\xa0\x00\x00\x00\x00IEND\xaeB`\x82"
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


def test_the_media_tree_serves_images_passively_and_nothing_else(client):
    png = default_storage.save("images/badge.width-100.png", ContentFile(PNG))
    svg = default_storage.save("original_images/logo.svg", ContentFile(SVG))
    doc = default_storage.save("documents/handbook.pdf", ContentFile(b"%PDF-1.7"))
    html = default_storage.save("images/page.html", ContentFile(b"<script>1</script>"))
    legacy = default_storage.save("certificates/ABC.pdf", ContentFile(b"%PDF-1.7"))

    response = client.get(f"/media/{png}")
    assert response.status_code == 200 and _body(response) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    # An SVG opened on its own runs no script: an opaque origin, no script source.
    response = client.get(f"/media/{svg}")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy and "script-src" not in policy and "default-src 'none'" in policy
    for name in (doc, html, legacy, "images/../documents/handbook.pdf", "images/missing.png"):
        assert client.get(f"/media/{name}").status_code == 404, name


def test_documents_are_downloads_with_nosniff(client, on_disk):
    from wagtail.documents.models import Document

    # (On disk, as deployed: Wagtail streams a document from its file's path.)

    document = Document.objects.create(
        title="Handbook", file=ContentFile(b"%PDF-1.7 handbook", name="handbook.pdf")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_private_media_root_must_not_sit_inside_a_served_tree(settings, tmp_path):
    from network.storage import check_storage_locations

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "network.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media" / "private")},
        },
    }
    [error] = check_storage_locations(None)
    assert error.id == "pan.E010" and "inside" in error.msg
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "network.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
    assert check_storage_locations(None) == []
