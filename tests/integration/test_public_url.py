"""One public base URL for everything that leaves a request: set in production (required),
derived from the request where it is not set (development on any port)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.public_url import public_base_url

ROOT = Path(__file__).resolve().parents[2]


def test_the_setting_wins(settings):
    settings.PAN_PUBLIC_URL = "https://pan.example.org/"
    assert public_base_url() == "https://pan.example.org"


@pytest.mark.django_db
def test_without_the_setting_links_follow_the_request(client, settings):
    """A server on port 8123: the verification and share links made in its requests, and the
    ones made afterwards outside a request (a task), point to port 8123."""
    from certificates.selectors import verify_url

    settings.PAN_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    client.get("/", HTTP_HOST="127.0.0.1:8123")
    assert verify_url("K7Q2M9XRT4BNC") == "http://127.0.0.1:8123/verify/K7Q2M9XRT4BNC/"


@pytest.mark.django_db
def test_the_package_host_never_becomes_the_public_address(client, settings):
    settings.PAN_PUBLIC_URL = ""
    client.get("/", HTTP_HOST="testserver")
    client.get("/", HTTP_HOST="packages.testserver")
    assert public_base_url() == "http://testserver"


def test_production_refuses_to_start_without_it():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "REDIS_URL": "redis://127.0.0.1:6379/7",
        "PAN_PUBLIC_URL": "",
    }
    result = subprocess.run(  # noqa: S603 (the project's own settings)
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "PAN_PUBLIC_URL must be set in production" in result.stderr
    env["PAN_PUBLIC_URL"] = "https://pan.example.org"
    ok = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
