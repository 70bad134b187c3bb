"""Journey (e): a hostile e-learning package. Its page tries to read the signed-in trainee's
cookies, download their personal-data export and file an erasure request for them, opened
through every URL that reaches the package's files: the sandboxed package route, the lesson
launch that frames it, and the media addresses where package files once were. Each attempt
fails, and the server saw no export and no erasure request.

This tab keeps the platform's Content-Security-Policy (the other journeys bypass it to run
axe-core), since the package's sandbox is that header."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from .conftest import sign_in

ATTACK = Path(__file__).resolve().parents[1] / "fixtures" / "attack-package"
PASSWORD = "correct-horse-battery-staple"


def _attack_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(ATTACK.iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


def _attack_lesson():
    from elearning import services as elearning_services

    from ..factories import LessonPageFactory, academy_module, trainee

    academy, module = academy_module(
        name="Academy with a careless uploader",
        short_name="careless",
        course="A course with a hostile package",
    )
    package = elearning_services.package_upload(
        content=_attack_zip(), filename="attack.zip", institution=academy
    )
    lesson = LessonPageFactory(parent=module, title="Hostile lesson", package=package)
    lesson.save_revision().publish()
    from allauth.account.models import EmailAddress

    person = trainee(email="target.officer@example.org")
    person.set_password(PASSWORD)
    person.save()
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return package, lesson, person


def _outcome(page) -> dict | None:
    """The probe's report from the page or any frame in it; None where it never ran."""
    for frame in page.frames:
        try:
            if not frame.locator("#marker").count():
                continue
            frame.wait_for_selector("body[data-done='1']", timeout=15_000)
            return json.loads(frame.locator("#result").inner_text())
        except Exception:  # noqa: BLE001, S112 (a frame that went away is not the probe)
            continue
    return None


def package_attack_journey(browser, base_url: str, shots: Path) -> dict[str, dict | None]:
    from network.models import ErasureRequest

    package, lesson, person = _attack_lesson()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()

    class _Tab:  # sign_in() needs only go() and the page
        def __init__(self):
            self.page = page

        def go(self, path):
            page.goto(base_url + path)
            return page

    sign_in(_Tab(), person.email, PASSWORD)
    assert "/accounts/login/" not in page.url, "the trainee is signed in"
    shots.mkdir(parents=True, exist_ok=True)

    urls = [
        f"/packages/{package.pk}/attack.html",
        f"/learn/lessons/{lesson.pk}/",
        f"/media/packages/{package.pk}/attack.html",
        f"/media/private/packages/{package.pk}/attack.html",
        f"/private/packages/{package.pk}/attack.html",
        f"/ru/packages/{package.pk}/attack.html",
    ]
    outcomes: dict[str, dict | None] = {}
    for number, url in enumerate(urls, start=1):
        page.goto(base_url + url)
        page.wait_for_load_state("load")
        outcomes[url] = _outcome(page)
        page.screenshot(path=str(shots / f"{number:02d}-attack.png"), full_page=True)

    # The probe ran where the package is meant to be seen (so it really tried) ...
    assert outcomes[f"/packages/{package.pk}/attack.html"] is not None, outcomes
    assert outcomes[f"/learn/lessons/{lesson.pk}/"] is not None, outcomes
    # ... and got nothing, anywhere.
    for url, outcome in outcomes.items():
        if outcome is None:
            continue
        assert not outcome["cookie"], f"{url}: the package read the cookies {outcome}"
        assert not outcome["exported"], f"{url}: the package downloaded the export {outcome}"
        assert not outcome["erasure"], f"{url}: the package filed an erasure request {outcome}"
    assert not ErasureRequest.objects.filter(user=person).exists()
    context.close()
    return outcomes
