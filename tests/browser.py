"""Headless Chromium for the browser tests: Debian's `chromium` driven by Python `playwright`.

No browser is downloaded: playwright launches the system binary through `executable_path`
(install with `apt-get install -y chromium` and `pip install playwright`; never
`playwright install`). Every request the pages of a session make is recorded, so a test can
assert that nothing left 127.0.0.1.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO_ROOT / ".data" / "screenshots"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 390, "height": 844}
# Schemes that never reach the network (the page's favicon and the export's object URL).
LOCAL_SCHEMES = {"data", "blob", "about"}


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "Python playwright is not installed (.venv/bin/pip install playwright)"
    if chromium_path() is None:
        return "no chromium binary on PATH (apt-get install -y chromium)"
    return None


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (the system binary) for the duration of the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=LAUNCH_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Session:
    """One browser context and page, with every request URL it made and its console errors."""

    context: Any
    page: Any
    requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def off_machine(self) -> list[str]:
        """The recorded requests that went anywhere but 127.0.0.1."""
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES:
                continue
            if parts.scheme not in ("http", "https", "ws", "wss") or parts.hostname != "127.0.0.1":
                out.append(url)
        return out


@contextmanager
def session(browser: Any, viewport: dict[str, int] = DESKTOP) -> Iterator[Session]:
    """A fresh context (own session storage) and page; requests and page errors recorded."""
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    recorded = Session(context, page)
    context.on("request", lambda request: recorded.requests.append(request.url))
    page.on("pageerror", lambda error: recorded.page_errors.append(str(error)))
    try:
        yield recorded
    finally:
        context.close()


def screenshot(page: Any, name: str, *, full_page: bool = False) -> Path:
    """Save a PNG under .data/screenshots/ and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def sign_in(page: Any, base_url: str, key: str) -> None:
    """Open the page and enter the API key in its dialog; wait for the first results."""
    page.goto(base_url + "/")
    page.locator("#key-dialog").wait_for(state="visible")
    page.fill("#api-key", key)
    page.click("#key-submit")
    page.locator("#total").wait_for()


def check_value(page: Any, field_name: str, value: str) -> None:
    """Tick the checkbox of `value` in the filter group of `field_name` (by value, not label)."""
    group = page.locator(f"#group-{field_name}")
    boxes = group.locator("input[type=checkbox]")
    for index in range(boxes.count()):
        if boxes.nth(index).get_attribute("value") == value:
            if not boxes.nth(index).is_visible():
                group.locator("button.more").click()
            boxes.nth(index).check()
            return
    raise AssertionError(f"no {value!r} in the {field_name} filter group")
