"""Journey (f): SCORM lessons, with real public packages (Rustici's "Golf Explained" samples,
never part of the project: tests/elearning/test_scorm_packages.py says where they come from).

A trainee plays a SCORM 1.2 SCO part way, leaves, comes back on a fresh browser (another
device: nothing kept in the browser) and is offered to resume where they stopped, then reaches
the end; a SCORM 2004 SCO is completed; a multi-SCO package gives one lesson per SCO. My
learning shows the lessons met, the LRS holds the SCORM profile's statements. A hostile page
shipped as a SCO, which shares its frames' origin, still reaches nothing of the trainee's.

The package origin is the other loopback name than the live server's (localhost and 127.0.0.1
are two sites, so the platform's cookies never reach the package's pages)."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path

from django.test import override_settings

from .conftest import sign_in
from .journey_package_attack import ATTACK, PASSWORD, _outcome


def _hostile_scorm() -> bytes:
    manifest = """<?xml version="1.0"?>
<manifest identifier="org.example.careless.scorm" version="1"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>Probe</title>
    <item identifier="i" identifierref="r"><title>Probe</title></item></organization>
  </organizations>
  <resources><resource identifier="r" type="webcontent" adlcp:scormtype="sco"
    href="attack.html"><file href="attack.html"/></resource></resources></manifest>"""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", manifest)
        for name in ("attack.html", "attack.js"):
            archive.write(ATTACK / name, name)
    return buffer.getvalue()


def _lessons():
    from elearning import services as elearning_services

    from ..elearning.test_scorm_packages import sample
    from ..factories import LessonPageFactory, academy_module, trainee

    academy, module = academy_module(
        name="Academy with SCORM courses",
        short_name="scorm-academy",
        course="Golf, as SCORM teaches it",
        module="SCORM lessons",
    )

    def lesson(title, content, filename, unit=""):
        package = elearning_services.package_upload(
            content=content, filename=filename, institution=academy
        )
        page = LessonPageFactory(parent=module, title=title, package=package, package_unit=unit)
        page.save_revision().publish()
        return page

    golf12 = lesson("Golf in SCORM 1.2", sample("scorm12/RuntimeBasicCalls_SCORM12"), "golf-12.zip")
    golf2004 = lesson(
        "Golf in SCORM 2004",
        sample("scorm2004/RuntimeBasicCalls_SCORM20043rdEdition"),
        "golf-2004.zip",
    )
    multi = sample("scorm12/ContentPackagingOneFilePerSCO_SCORM12")
    first = lesson("How to play", multi, "golf-multi.zip")
    units = first.package.activities
    second = LessonPageFactory(
        parent=module, title=units[1]["title"], package=first.package,
        package_unit=units[1]["activity_id"],
    )  # fmt: skip
    second.save_revision().publish()
    multi2004 = lesson(
        "Golf etiquette (SCORM 2004, one file per SCO)",
        sample("scorm2004/ContentPackagingOneFilePerSCO_SCORM20043rdEdition"),
        "golf-multi-2004.zip",
    )
    hostile = lesson("A SCO that probes", _hostile_scorm(), "probe.zip")
    from allauth.account.models import EmailAddress

    from network import services as network_services
    from trainees import services as trainee_services

    from ..auth_helpers import give_authenticator
    from ..factories import UserFactory, course_run

    person = trainee(email="scorm.officer@example.org")
    person.set_password(PASSWORD)
    person.save()
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    run = course_run(module.get_parent().specific, academy, sessions=1, start_in_days=-1)
    trainee_services.enrolments_import(run=run, rows=[{"email": person.email}], actor=None)
    coordinator = UserFactory(email="scorm.coordinator@example.org")
    coordinator.set_password(PASSWORD)
    coordinator.save()
    EmailAddress.objects.create(
        user=coordinator, email=coordinator.email, verified=True, primary=True
    )
    network_services.membership_grant(user=coordinator, role="coordinator", institution=academy)
    give_authenticator(coordinator, COORDINATOR_TOTP)
    lessons = {"golf12": golf12, "golf2004": golf2004, "multi": (first, second)}
    return person, lessons, multi2004, hostile, (run, coordinator)


COORDINATOR_TOTP = "PANJOURNEYSCORMCOORDINATOR234567"


class _Tab:
    def __init__(self, page, base):
        self.page, self.base = page, base

    def go(self, path):
        self.page.goto(self.base + path)
        return self.page


def _sco_frame(page, name: str):
    """The frame of the SCO's launch page (inside the player on the package origin)."""
    for _ in range(50):
        for frame in page.frames:
            if frame.url.endswith(name):
                return frame
        page.wait_for_timeout(200)  # lets Playwright take in the frames attached meanwhile
    raise AssertionError(f"no frame {name}: {[f.url for f in page.frames]}")


def _new_tab(browser, base, email, dialogs):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    sign_in(_Tab(page, base), email, PASSWORD)
    return context, page


def scorm_journey(browser, base_url: str, shots: Path) -> None:
    from urllib.parse import urlsplit

    from elearning.models import LessonProgress, ScormAttempt
    from network.models import ErasureRequest
    from xapi.models import Statement

    shots.mkdir(parents=True, exist_ok=True)
    # The package origin: the other of the two loopback names from the live server's.
    package_host = "127.0.0.1" if urlsplit(base_url).hostname == "localhost" else "localhost"
    with override_settings(PAN_PACKAGE_HOST=package_host):
        person, lessons, multi2004, hostile, (run, coordinator) = _lessons()
        golf12, golf2004, (first, second) = lessons["golf12"], lessons["golf2004"], lessons["multi"]
        dialogs: list[str] = []

        # SCORM 1.2: three pages in, then away (the SCO suspends on unload).
        context, page = _new_tab(browser, base_url, person.email, dialogs)
        page.goto(f"{base_url}/learn/lessons/{golf12.pk}/")
        launch = _sco_frame(page, "shared/launchpage.html")
        assert urlsplit(launch.url).hostname == package_host, launch.url
        for _ in range(3):
            launch.click("#butNext")
        time.sleep(1)
        page.screenshot(path=str(shots / "01-scorm12-page-4.png"))
        page.goto(f"{base_url}/my/")
        context.close()
        attempt = ScormAttempt.objects.get(user=person, lesson=golf12)
        assert attempt.cmi["core"]["lesson_location"] == "3", attempt.cmi
        assert attempt.cmi["core"]["exit"] == "suspend"

        # Another browser: offered to resume, back on the fourth page; on to the end.
        context, page = _new_tab(browser, base_url, person.email, dialogs)
        page.goto(f"{base_url}/learn/lessons/{golf12.pk}/")
        launch = _sco_frame(page, "shared/launchpage.html")
        _sco_frame(page, "Playing/OtherScoring.html")
        assert any("resume" in message for message in dialogs), dialogs
        page.screenshot(path=str(shots / "02-scorm12-resumed.png"))
        while not launch.locator("#butNext").is_disabled():
            launch.click("#butNext")
        page.screenshot(path=str(shots / "03-scorm12-last-page.png"))
        launch.click("#butExit")
        time.sleep(1.5)
        page.goto(f"{base_url}/my/")
        page.screenshot(path=str(shots / "04-my-learning.png"), full_page=True)
        progress = LessonProgress.objects.get(user=person, lesson=golf12)
        assert progress.completed and progress.satisfied, progress

        # SCORM 2004, with the connection dropping part way: two pages in, then offline.
        page.goto(f"{base_url}/learn/lessons/{golf2004.pk}/")
        launch = _sco_frame(page, "shared/launchpage.html")
        for _ in range(2):
            launch.click("#butNext")

        # The connection to the platform drops (requests to the commit address fail as they
        # do offline; the browser's offline mode would also stop the test's own inspection).
        def cut(route):
            route.abort("internetdisconnected")

        context.route("**/~/commit*", cut)
        launch.click("#butNext")
        assert launch.parent_frame.evaluate("() => window.API_1484_11.Commit('')") == "true"
        page.wait_for_selector("#scorm-held", state="visible")
        page.screenshot(path=str(shots / "05-scorm2004-offline.png"))
        key = f"pan.scorm.held.{golf2004.pk}"
        kept = json.loads(page.evaluate(f"() => localStorage.getItem('{key}')"))
        assert kept[0]["commits"][-1]["body"]["cmi"]["location"] == "3", kept
        attempt2004 = ScormAttempt.objects.get(user=person, lesson=golf2004)
        assert attempt2004.cmi.get("location") != "3"  # nothing reached the server
        # The trainee leaves the lesson while offline; later, online again, comes back: what the
        # browser kept is sent before the SCO opens.
        page.goto("about:blank")  # the lesson's tab left while offline
        context.unroute("**/~/commit*", cut)
        page.goto(f"{base_url}/learn/lessons/{golf2004.pk}/")
        launch = _sco_frame(page, "shared/launchpage.html")
        attempt2004.refresh_from_db()
        assert attempt2004.cmi.get("location") == "3", attempt2004.cmi
        assert page.evaluate(f"() => localStorage.getItem('{key}')") is None
        # And on to the end.
        while not launch.locator("#butNext").is_disabled():
            launch.click("#butNext")
        page.screenshot(path=str(shots / "06-scorm2004-last-page.png"))
        launch.click("#butExit")
        time.sleep(1.5)
        page.goto(f"{base_url}/my/")
        assert LessonProgress.objects.get(user=person, lesson=golf2004).satisfied

        # Two lessons, two SCOs of one package (assets: complete once opened).
        for number, lesson in enumerate((first, second, multi2004), start=7):
            page.goto(f"{base_url}/learn/lessons/{lesson.pk}/")
            _sco_frame(page, lesson.package_activity["launch"])
            page.screenshot(path=str(shots / f"{number:02d}-multi-sco.png"))
            assert LessonProgress.objects.get(user=person, lesson=lesson).satisfied

        # The LRS: the SCORM profile's statements of the SCORM 1.2 attempt.
        verbs = [
            s.verb_id.rsplit("/", 1)[-1]
            for s in Statement.objects.filter(registration=attempt.registration).order_by("stored")
        ]
        for verb in ("initialized", "suspended", "resumed", "completed", "terminated"):
            assert verb in verbs, verbs

        # A hostile SCO: its frames share an origin, which holds nothing of the trainee's.
        page.goto(f"{base_url}/learn/lessons/{hostile.pk}/")
        _sco_frame(page, "attack.html")
        outcome = _outcome(page)
        page.screenshot(path=str(shots / "10-hostile-sco.png"))
        assert outcome is not None, "the probe ran"
        assert not outcome["cookie"] and not outcome["exported"] and not outcome["erasure"], (
            json.dumps(outcome)
        )
        assert not ErasureRequest.objects.filter(user=person).exists()
        context.close()

        # The run's coordinator sees each participant's status, score and time per lesson.
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sign_in(_Tab(page, base_url), coordinator.email, PASSWORD, totp_secret=COORDINATOR_TOTP)
        page.goto(f"{base_url}/manage/runs/{run.pk}/")
        page.screenshot(path=str(shots / "11-coordinator-run.png"), full_page=True)
        text = page.inner_text("main")
        assert golf12.title in text and golf2004.title in text, text
        assert "Completed ✓" in text or "Passed ✓" in text, text
        context.close()
