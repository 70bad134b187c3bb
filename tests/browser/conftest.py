"""Browser journeys: Playwright for Python driving Debian's Chromium against the test server
(pytest-django's live_server), with screenshots of every step in tests/screenshots/ and axe-core
run inside every page a trainee, trainer, coordinator or visitor sees.

Chromium comes from Debian (`apt-get install chromium`), axe-core from the npm registry
(`npm ci --prefix tests/browser`); neither is downloaded by a test tool. Without them these
tests are skipped, or fail where PAN_REQUIRE_BROWSER=1 (CI)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's synchronous API runs an event loop in this thread; the test code's own database
# calls (fixtures, checks) are still made one at a time, outside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CHROMIUM = Path(os.environ.get("PAN_CHROMIUM", "/usr/bin/chromium"))
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "tests" / "screenshots"
SERIOUS = {"serious", "critical"}


def _unavailable(reason: str):
    if os.environ.get("PAN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser journeys are required here: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"Debian's Chromium is not at {CHROMIUM} (apt-get install chromium)")
    if not AXE.exists():
        _unavailable("axe-core is not installed (npm ci --prefix tests/browser)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


class Journey:
    """One person's way through the platform in a browser tab: each step is screenshotted,
    and every page they see (outside the Wagtail admin) is checked with axe-core."""

    def __init__(self, browser, base_url: str, name: str, *, width: int = 1280, height=900):
        self.context = browser.new_context(
            viewport={"width": width, "height": height},
            # The site's Content-Security-Policy forbids inline scripts, which is how axe is
            # put into the page; the policy itself is tested elsewhere.
            bypass_csp=True,
            accept_downloads=True,
        )
        self.context.set_default_timeout(20_000)
        self.page = self.context.new_page()
        self.base = base_url.rstrip("/")
        self.folder = SHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.step = 0
        self.violations: list[str] = []
        self.checked: set[str] = set()

    def go(self, path: str):
        self.page.goto(path if path.startswith("http") else self.base + path)
        return self.page

    def shot(self, label: str) -> Path:
        """A screenshot of the whole page, and the accessibility check of it."""
        self.step += 1
        self.page.wait_for_load_state("load")
        target = self.folder / f"{self.step:02d}-{re.sub(r'[^a-z0-9]+', '-', label.lower())}.png"
        # Transitions (a modal fading in) are finished first, so the picture is the end state.
        self.page.screenshot(path=str(target), full_page=True, animations="disabled")
        self.axe(label)
        return target

    def axe(self, label: str) -> None:
        path = self.page.url.split("?")[0]
        if "/admin/" in path or path in self.checked:
            return
        self.checked.add(path)
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        for violation in result["violations"]:
            if violation["impact"] in SERIOUS:
                targets = ", ".join(str(n["target"]) for n in violation["nodes"][:3])
                self.violations.append(
                    f"{label} ({path}): {violation['id']} [{violation['impact']}] "
                    f"{violation['help']} — {targets}"
                )

    def close(self) -> None:
        self.context.close()
        assert not self.violations, "accessibility:\n" + "\n".join(self.violations)


@pytest.fixture
def journey(browser, live_server):
    made: list[Journey] = []

    def start(name: str, **viewport) -> Journey:
        one = Journey(browser, live_server.url, name, **viewport)
        made.append(one)
        return one

    yield start
    for one in made:
        one.close()


def sign_in(journey: Journey, email: str, password: str, *, totp_secret: str | None = None):
    """Through the site's sign-in page, with the second factor for staff."""
    from network.auth import totp_code

    page = journey.go("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    submit(page)
    if totp_secret:
        page.fill("input[name=code]", totp_code(totp_secret))
        submit(page)
    return page


def submit(page, button=None):
    """Press a form's button (the first of the main content's forms by default) and wait for
    the page it leads to."""
    with page.expect_navigation():
        (button or page.locator("main form button[type=submit]").first).click()
    return page


def tab(page, key: str = "Tab"):
    page.keyboard.press(key)
    return page.evaluate("() => document.activeElement && document.activeElement.outerHTML")


# Every control a person can act on (outside the skip link, which waits off-screen for the
# keyboard) lies within the viewport's width, and nothing makes the page scroll sideways.
_FITS = """(within) => {
  const width = document.documentElement.clientWidth;
  const outside = [];
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  for (const el of document.querySelectorAll(within ? `${within} :is(${controls})` : controls)) {
    if (el.closest('.skip-link') || el.classList.contains('skip-link')) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // hidden, or in a closed <details>
    if (box.left < -1 || box.right > width + 1) {
      const where = `${Math.round(box.left)}..${Math.round(box.right)}`;
      outside.push(el.outerHTML.slice(0, 100) + ` at ${where}`);
    }
  }
  return {outside, scrollWidth: document.documentElement.scrollWidth, width};
}"""


def assert_fits(page, label: str, *, within: str = "") -> None:
    """Fail when any actionable control is outside the viewport (phones: 360 px); `within`, a
    CSS selector, limits the check to the controls inside it (the page must still not scroll
    sideways)."""
    found = page.evaluate(_FITS, within)
    assert found["scrollWidth"] <= found["width"] + 1, f"{label}: page scrolls sideways {found}"
    assert not found["outside"], f"{label}: controls outside the screen: {found['outside']}"


# A tap on the middle of a radio's target lands on that radio, not on a neighbour's, and the
# target is large enough for a thumb.
_TAP = """(radio) => {
  const target = radio.closest('label') || radio;
  const box = target.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  const label = hit && hit.closest('label');
  const name = radio.getAttribute('aria-label') || radio.name;
  if (!(hit === radio || (label && label.contains(radio)))) return `${name}: lands elsewhere`;
  if (box.width < 40 || box.height < 40) {
    return `${name}: ${Math.round(box.width)}x${Math.round(box.height)} px`;
  }
  return null;
}"""


def assert_taps_land(page, label: str) -> None:
    """Fail when a tap on any radio of the page would miss it (each checked on screen)."""
    wrong = []
    for radio in page.locator("main input[type=radio]").all():
        radio.scroll_into_view_if_needed()
        problem = radio.evaluate(_TAP)
        if problem:
            wrong.append(problem)
    assert not wrong, f"{label}: {wrong}"
