"""Headless Chromium on a real Home Assistant, for the tests that look at the card.

Needs Debian's `chromium` ($TALKETY_TEST_CHROMIUM or on PATH; .ci/run installs it and fails
without it) and Playwright (the dev extra), driving the browser the machine has: Playwright
downloads no browser here.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from playwright import sync_api as playwright_api

from .conftest import OWNER, OWNER_PASSWORD

CHROMIUM = os.environ.get("TALKETY_TEST_CHROMIUM") or shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STEP_MS = 60_000  # one change seen in the browser
SERVICE_WORKER_MS = 30_000  # a first visit's reload comes about 10 s after the page


class Browser:
    """Headless Chromium; every console error or uncaught exception of a page is kept."""

    def __init__(self, driver: Any, base_url: str) -> None:
        self.chromium = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.base_url = base_url
        self.problems: list[str] = []

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        # Home Assistant's card picker shows example pictures from the internet, which
        # this machine cannot reach; only what this Home Assistant serves must load.
        where = urlsplit(message.location.get("url") or self.base_url)
        if where.hostname not in ("localhost", "127.0.0.1"):
            return
        self.problems.append(f"console: {message.text} ({message.location})")

    def page(self, lost_answer: LostDialAnswer | None = None, **context: Any) -> Any:
        """A signed-in page on the Talkety dashboard, through the login form, as a first
        visit goes: Home Assistant's service worker takes the page over by reloading it,
        and the card must be there after that reload too."""
        page = self.chromium.new_context(**context).new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        # Home Assistant 2026.x asks an admin to confirm HTTP settings that differ from the
        # last ones (here: the port a test chose); confirmed as the admin would, whenever
        # it stands in the way.
        pending = page.locator("dialog-http-pending-config").get_by_role("button", name="Confirm")
        page.add_locator_handler(pending, lambda button: button.click())
        if lost_answer is not None:
            page.route_web_socket(re.compile(r".*/api/websocket$"), lost_answer)
        page.goto(f"{self.base_url}/")
        page.fill('input[name="username"]', OWNER)
        page.fill('input[name="password"]', OWNER_PASSWORD)
        page.keyboard.press("Enter")
        # Signed in once the login's redirects are over (where to depends on the version).
        page.wait_for_url(lambda url: "auth" not in url, timeout=STEP_MS)
        page.goto(f"{self.base_url}/lovelace/talkety")
        page.locator("talkety-card h3").first.wait_for(timeout=STEP_MS)
        # (No reload at all: a frontend without a service worker.)
        with contextlib.suppress(playwright_api.TimeoutError):
            page.wait_for_event("load", timeout=SERVICE_WORKER_MS)
        page.locator("talkety-card h3").first.wait_for(timeout=STEP_MS)
        return page


@contextmanager
def browser(port: int) -> Iterator[Browser]:
    with playwright_api.sync_playwright() as driver:
        opened = Browser(driver, f"http://localhost:{port}")
        try:
            yield opened
        finally:
            opened.chromium.close()


class LostDialAnswer:
    """Stands between a page and Home Assistant's WebSocket. Once armed, the next
    `talkety.place_call` reaches Home Assistant (the call is placed) but its answer is
    replaced by the error the integration raises when a dial's answer was lost: the
    outcome unknown, to the page."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.armed = False
        self._lost: set[int] = set()

    def __call__(self, page_side: Any) -> None:
        server = page_side.connect_to_server()
        page_side.on_message(lambda message: server.send(self._from_page(message)))
        server.on_message(lambda message: page_side.send(self._from_server(message)))

    def _from_page(self, message: str | bytes) -> str | bytes:
        if self.armed and isinstance(message, str):
            data = json.loads(message)
            if data.get("type") == "call_service" and data.get("service") == "place_call":
                self.armed = False
                self._lost.add(data["id"])
        return message

    def _from_server(self, message: str | bytes) -> str | bytes:
        if not self._lost or not isinstance(message, str):
            return message
        data = json.loads(message)
        batch = data if isinstance(data, list) else [data]  # the server coalesces messages
        answers = [self._replaced(answer) for answer in batch]
        return json.dumps(answers if isinstance(data, list) else answers[0])

    def _replaced(self, answer: dict[str, Any]) -> dict[str, Any]:
        if answer.get("type") != "result" or answer.get("id") not in self._lost:
            return answer
        self._lost.discard(answer["id"])
        error = {"code": "home_assistant_error", "message": self.message}
        error |= {"translation_domain": "talkety", "translation_key": "outcome_unknown"}
        return {"id": answer["id"], "type": "result", "success": False, "error": error}


def card_in_the_picker(page: Any) -> None:
    """Edit the dashboard, *Add card*, search "Talkety": the card is offered, with a live
    preview; then the picker is closed again."""
    page.goto(page.url.split("?")[0] + "?edit=1")
    page.locator("talkety-card h3").first.wait_for(timeout=STEP_MS)
    page.get_by_role("button", name="Add card").click()
    # Newer frontends open the picker on "By entity".
    page.get_by_role("tab", name=re.compile("by card", re.IGNORECASE)).click()
    page.locator("hui-card-picker input").first.fill("Talkety")  # its search field
    header = page.locator(".card-header", has_text=re.compile(r"^\s*Talkety\s*$"))
    picked = page.locator("hui-card-picker .card").filter(has=header)
    picked.locator("talkety-card h3").first.wait_for(timeout=STEP_MS)
    closing = re.compile(r"^(cancel|close|dismiss dialog)$", re.IGNORECASE)
    page.locator("hui-dialog-create-card").get_by_role("button", name=closing).first.click()
    picked.wait_for(state="detached", timeout=STEP_MS)


def click_when_still(locator: Any, *, within_ms: int = STEP_MS) -> None:
    """Click `locator` once it has stopped moving (a dialog opens with an animation).

    Newer Home Assistant switches cover their input with the thumb, so Playwright's own
    checks (which want the input itself to receive the click) never pass: the click is
    forced, and this wait stands in for the "stable" check forcing skips."""
    locator.wait_for(state="visible", timeout=within_ms)
    page = locator.page
    box = None
    for _ in range(within_ms // 100):
        now = locator.bounding_box()
        if now is not None and now == box:
            break
        box = now
        page.wait_for_timeout(100)
    locator.click(force=True)
