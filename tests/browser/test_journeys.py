"""The platform as its users meet it, in Debian's Chromium: (a) an academy editor starts a course
from the admin dashboard and submits it once with its module and lesson, which a moderator
approves together from theirs, (b) a trainee goes from sign-up to a verified certificate, on a
desktop and on a 360-pixel phone, (c) a coordinator approves nominations, keeps a register and
issues certificates, (c') schedules a run with the admin's searchable choosers, (d) an
organiser opens a cascade and exports it, (e) a hostile e-learning package tries to act as the
signed-in trainee through every URL that reaches its files and fails, (f) SCORM 1.2 and 2004
lessons played, resumed on another browser and completed, with real public packages, (g) the
account pages in English and Russian on a desktop and a phone, (h) a focal point nominates
officers with a note for the organiser (one invited to sign up), which the officers never see
and the coordinator reads on the queue and the run's page, on a desktop and on a 360-pixel
phone. Screenshots of every step are in
tests/screenshots/<journey>/; every page outside the Wagtail admin is checked with axe-core (no
serious or critical violation).

The journeys run in one test: the live server needs a real (flushed) database, and pytest-django
cannot restore the migrations' data for a second such test in one process."""

import os

import pytest

from .conftest import SHOTS
from .journey_accounts import account_pages_journey
from .journey_editor import editor_journey
from .journey_nominations import nomination_journey
from .journey_package_attack import package_attack_journey
from .journey_scorm import scorm_journey
from .journey_staff import coordinator_journey, organiser_journey, scheduling_journey
from .journey_trainee import make_offer, trainee_journey

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_journeys(journey, browser, live_server, settings):
    # No public base URL is set, as under `make run`: links follow the server's own address
    # (the live server's random port), never http://127.0.0.1:8000.
    settings.PAN_PUBLIC_URL = ""
    # The accessibility check can fail: a page with an image without a text alternative.
    probe = journey("axe-probe")
    probe.go("/")
    probe.page.set_content('<html lang="en"><body><main><img src="x.png"></main></body></html>')
    probe.axe("probe")
    assert any("image-alt [critical]" in v for v in probe.violations), probe.violations
    probe.violations.clear()

    package_attack_journey(browser, live_server.url, SHOTS / "package-attack")
    from ..elearning.test_scorm_packages import SAMPLES_GIT

    # The public SCORM packages are not part of the project (elearning/test_scorm_packages.py).
    if SAMPLES_GIT.exists():
        scorm_journey(browser, live_server.url, SHOTS / "scorm")
    elif os.environ.get("PAN_REQUIRE_SCORM_SAMPLES") == "1":
        pytest.fail(f"the SCORM sample packages are required here ({SAMPLES_GIT})")

    editor_journey(journey)
    offer = make_offer()
    trainee_journey(journey, offer, width=1280)
    trainee_journey(journey, offer, width=360)
    coordinator_journey(journey)
    scheduling_journey(journey)
    nomination_journey(journey, width=1280)
    nomination_journey(journey, width=360)
    organiser_journey(journey)
    for language in ("en", "ru"):
        for width in (1280, 360):
            account_pages_journey(journey, language=language, width=width)
