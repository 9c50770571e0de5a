"""The Talkety card as a person meets it: a real Home Assistant, a real browser.

Boots `hass` with the demo configuration (whose dashboard shows the card) against a
simulator running in real time, signs in through the login page in headless Chromium
and uses the card: costs that tick between polls, Hang up on one of two calls, the
dialler (a typed number and a contact, each after its price), Call back, the visual
editor, the card picker; screenshots in light and dark themes and at phone width.

Needs Chromium (Debian's `chromium`; .ci/run installs it) and Playwright (the dev
extra). Screenshots go to $TALKETY_SCREENSHOTS when set, else to the test's tmp dir.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from devtools.ha import demo

from .browser import (
    CHROMIUM,
    STEP_MS,
    LostDialAnswer,
    browser,
    card_in_the_picker,
    click_when_still,
)

STEP_TIMEOUT = 60  # seconds, for one change seen over REST
LIGHT_TEXT = "rgb(33, 33, 33)"  # the default theme's text colour in light mode
OUTCOME_UNKNOWN = "The call may or may not have been placed. Check the active calls."

pytestmark = [
    pytest.mark.timeout(900),
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium (apt-get install chromium)"),
]


@pytest.fixture
def simulator_speed() -> int:
    """Real time: the card ticks in real seconds between polls."""
    return 1


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("TALKETY_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _active(rest: demo.Rest, predicate: Callable[[list[dict[str, Any]]], bool]) -> list[Any]:
    ids = demo.entity_ids("demo")
    state = rest.wait_state(
        ids["active_calls"],
        lambda s: s["state"] != "unavailable" and predicate(s["attributes"]["calls"]),
        time.monotonic() + STEP_TIMEOUT,
    )
    calls: list[dict[str, Any]] = state["attributes"]["calls"]
    return calls


def _hang_up_all(rest: demo.Rest) -> None:
    """The account's *Hang up all calls* button, pressed."""
    button = demo.entity_ids("demo")["hang_up_all"]
    rest.request("POST", "/api/services/button/press", {"entity_id": button})


def _status(rest: demo.Rest, entry_id: str, call_id: str) -> str:
    answer = rest.request(
        "POST",
        "/api/services/talkety/get_call?return_response",
        {"config_entry": entry_id, "call_id": call_id},
    )
    status: str = answer["service_response"]["status"]
    return status


def _focused(card: Any) -> str | None:
    """The accessible name of what has the keyboard's focus inside the card."""
    name: str | None = card.evaluate(
        "c => { const f = c.shadowRoot.activeElement;"
        " return f && (f.getAttribute('aria-label') || f.textContent); }"
    )
    return name


def _figures(text: str) -> tuple[int, Decimal]:
    """'1:05 · €0.0123' -> (65, 0.0123)."""
    match = re.fullmatch(r"(?:(\d+):)?(\d+):(\d\d) · €(\d+\.\d{4})", text.strip())
    assert match, text
    hours, minutes, seconds, cost = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds), Decimal(cost)


def _ticks(row: Any) -> list[tuple[int, Decimal]]:
    """A live row's duration and cost, read three times within 2.4 s."""
    readings = []
    for _ in range(3):
        readings.append(_figures(row.locator("[data-tick]").first.inner_text()))
        row.page.wait_for_timeout(1200)
    return readings


def test_the_card_in_a_browser(
    simulator: str,
    tmp_path: Path,
    hass_session: Callable[..., Any],
    screenshots: Path,
) -> None:
    config_dir = tmp_path / "config"
    port = demo.free_port()
    demo.prepare(config_dir, port=port, username="demo", currency="EUR")
    # $TALKETY_TEST_HASS: another Home Assistant to try the card on (a newer one, say).
    hass = os.environ.get("TALKETY_TEST_HASS") or demo.hass_executable(sys.executable)
    with hass_session(hass, config_dir, port) as rest:
        added = rest.add_talkety(
            {
                "username": "demo",
                "password": "demo",
                "app_key": "demo",
                "api_url": simulator,
                "default_caller": demo.DEMO_CALLER,
                "default_number": demo.DEMO_CALLEE,
                "country": "US",
                "currency": "EUR",
            }
        )
        entry_id = added["result"]["entry_id"]
        for name, number in demo.DEMO_CONTACTS.items():
            rest.options_step(entry_id, "add_contact", {"name": name, "number": number})
        _active(rest, lambda calls: calls == [])

        with browser(port) as chromium:
            lost = LostDialAnswer(OUTCOME_UNKNOWN)
            page = chromium.page(lost, viewport={"width": 1280, "height": 1600})
            try:
                _use_the_card(rest, entry_id, page, screenshots)
                _lost_answer_never_dials_twice(rest, page, lost)
                _conference_and_one_leg(rest, entry_id, page)
            except Exception:
                page.screenshot(path=screenshots / "failure.png")  # what the user saw
                raise
            assert chromium.problems == []


def _use_the_card(rest: demo.Rest, entry_id: str, page: Any, screenshots: Path) -> None:
    card = page.locator("talkety-card")
    live = card.locator("section li:not(.leg)").filter(has=page.locator("[data-tick]"))

    # Two calls placed through the action; the card shows both, ticking.
    placed = {}
    for to in ("Alice", "+44 20 7946 0000"):
        answer = rest.request(
            "POST",
            "/api/services/talkety/place_call?return_response",
            {"config_entry": entry_id, "to": to},
        )
        placed[to] = answer["service_response"]["call_id"]
    alice = live.filter(has_text="Alice")
    alice.get_by_text("Connected").wait_for(timeout=STEP_MS)
    page.wait_for_timeout(2000)  # the prices are in: the cost ticks too
    readings = _ticks(alice)
    # Polls come every 5 s: three rising readings in 2.4 s are the card's own ticks.
    assert readings[0] < readings[1] < readings[2], readings
    assert readings[0][1] < readings[2][1], readings
    page.screenshot(path=screenshots / "card-light.png")

    # Hang up on one of the two: asked first, then only that call ends.
    alice.get_by_role("button", name="Hang up the call to Alice").click()
    question = card.get_by_role("group", name="End the call to Alice?")
    assert _focused(card) == "Hang up"  # the question's own Hang up, for the keyboard
    page.keyboard.press("Escape")  # changed my mind: the question goes, focus goes back
    question.wait_for(state="detached")
    assert _focused(card) == "Hang up the call to Alice"
    page.keyboard.press("Enter")  # asked again, from the keyboard
    question.get_by_role("button", name="Keep").click()  # changed my mind again
    alice.get_by_role("button", name="Hang up the call to Alice").click()
    question.get_by_role("button", name="Hang up").click()
    alice.wait_for(state="detached", timeout=STEP_MS)
    assert _status(rest, entry_id, placed["Alice"]) == "disconnected"
    assert _status(rest, entry_id, placed["+44 20 7946 0000"]) == "connected"
    assert [c["to"] for c in _active(rest, lambda c: len(c) == 1)] == ["442079460000"]

    # The dialler: a typed number, then a contact, each after its price.
    to = card.get_by_role("combobox", name="Name or number")
    call = card.get_by_role("button", name="Call", exact=True)
    to.fill("+1 555 010 0100")
    card.get_by_text(re.compile(r"€\d\.\d{4} per minute")).wait_for(timeout=STEP_MS)
    call.click()
    card.get_by_text("Calling +1 555 010 0100").wait_for(timeout=STEP_MS)
    _active(rest, lambda calls: any(c["to"] == "15550100100" for c in calls))
    to.fill("Alice")
    card.get_by_text(re.compile(r"€\d\.\d{4} per minute")).wait_for(timeout=STEP_MS)
    call.click()
    card.get_by_text("Calling Alice").wait_for(timeout=STEP_MS)
    _active(rest, lambda calls: any(c.get("to_name") == "Alice" for c in calls))
    to.fill("12")
    card.get_by_text("is not a phone number").wait_for(timeout=STEP_MS)
    assert call.is_disabled()

    # Call back from the recent calls: Alice's ended call rings her again.
    _hang_up_all(rest)
    _active(rest, lambda calls: calls == [])
    card.get_by_text("No active call.").wait_for(timeout=STEP_MS)
    card.get_by_role("button", name="Call Alice back").first.click()
    _active(rest, lambda calls: [c.get("to_name") for c in calls] == ["Alice"])
    live.filter(has_text="Alice").wait_for(timeout=STEP_MS)

    _dark_and_phone(page, screenshots)
    _visual_editor(page)
    _hang_up_all(rest)
    _active(rest, lambda calls: calls == [])


def _lost_answer_never_dials_twice(rest: demo.Rest, page: Any, lost: LostDialAnswer) -> None:
    """A dial whose answer was lost may have rung: the dialler empties, so that a second
    press cannot ring the same number again; a new number needs a new price."""
    page.goto(page.url.split("?")[0])  # out of edit mode
    card = page.locator("talkety-card")
    to = card.get_by_role("combobox", name="Name or number")
    call = card.get_by_role("button", name="Call", exact=True)
    to.fill("+1 555 010 0199")
    card.get_by_text(re.compile(r"€\d\.\d{4} per minute")).wait_for(timeout=STEP_MS)
    lost.armed = True
    call.click()
    card.get_by_text(OUTCOME_UNKNOWN).wait_for(timeout=STEP_MS)
    assert to.input_value() == ""
    assert call.is_disabled()
    calls = _active(rest, lambda calls: any(c["to"] == "15550100199" for c in calls))
    assert [c["to"] for c in calls].count("15550100199") == 1  # placed once, as it was
    _hang_up_all(rest)
    _active(rest, lambda calls: calls == [])


def _conference_and_one_leg(rest: demo.Rest, entry_id: str, page: Any) -> None:
    """A conference from the dialler (after its price), its legs beneath it, and one
    participant taken out: the others stay on."""
    card = page.locator("talkety-card")
    card.get_by_role("radio", name="Conference").click()
    to = card.get_by_role("combobox", name="Name or number")
    for who in ("Alice", "+44 20 7946 0000"):
        to.fill(who)
        to.press("Enter")
    card.get_by_text(re.compile(r"€\d\.\d{4} per minute")).wait_for(timeout=STEP_MS)
    card.get_by_role("button", name="Start conference").click()
    card.get_by_text("Conference started with Alice, +44 20 7946 0000").wait_for(timeout=STEP_MS)
    legs = card.locator("li.leg")
    for who in ("Alice", "+442079460000"):
        legs.filter(has_text=who).get_by_text("Connected").wait_for(timeout=STEP_MS)
    card.get_by_role("button", name="Hang up +442079460000").click()
    question = card.get_by_role("group", name="Take +442079460000 out of the conference?")
    question.get_by_role("button", name="Hang up").click()
    legs.filter(has_text="+442079460000").wait_for(state="detached", timeout=STEP_MS)
    assert legs.filter(has_text="Alice").count() == 1

    [conference] = rest.state(demo.entity_ids("demo")["active_conferences"])["attributes"][
        "conferences"
    ]
    answer = rest.request(
        "POST",
        "/api/services/talkety/get_call?return_response",
        {"config_entry": entry_id, "conference_id": conference["conference_id"]},
    )
    statuses = {leg["to"]: leg["status"] for leg in answer["service_response"]["legs"]}
    assert statuses == {
        "11234567890": "connected",  # the owner: the conference goes on
        "19876543210": "connected",
        "442079460000": "disconnected",
    }
    _hang_up_all(rest)


def _dark_and_phone(page: Any, screenshots: Path) -> None:
    """The same page in the theme's dark mode (Home Assistant follows the system's),
    then at a phone's width."""
    page.emulate_media(color_scheme="dark")
    card = page.locator("talkety-card")
    text_colour = "c => getComputedStyle(c.shadowRoot.querySelector('ha-card')).color"
    deadline = time.monotonic() + STEP_TIMEOUT
    while card.evaluate(text_colour) == LIGHT_TEXT:  # the theme's dark text colour comes
        assert time.monotonic() < deadline, "the card kept the light theme's colours"
        page.wait_for_timeout(200)
    page.wait_for_timeout(1000)  # the theme's colours fade over
    page.screenshot(path=screenshots / "card-dark.png")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(1000)  # the dashboard lays itself out again
    width = card.evaluate("card => card.getBoundingClientRect().width")
    scroll = card.evaluate("card => card.shadowRoot.querySelector('ha-card').scrollWidth")
    assert width <= 390 and scroll <= width + 1, (scroll, width)  # nothing sticks out
    card.screenshot(path=screenshots / "card-phone.png")
    page.set_viewport_size({"width": 1280, "height": 1600})


def _visual_editor(page: Any) -> None:
    """In the card picker, then edited with its visual editor and saved."""
    card_in_the_picker(page)

    options = page.locator("hui-card-options").filter(has=page.locator("talkety-card"))
    options.get_by_role("button", name="Edit").click()
    editor = page.locator("talkety-card-editor")
    recent = editor.get_by_role("switch", name="Show recent calls")
    click_when_still(recent)
    page.wait_for_function(
        "(toggle) => toggle.getAttribute('aria-checked') === 'false'",
        arg=recent.element_handle(),
        timeout=STEP_MS,
    )
    editor.get_by_role("textbox", name="Title").fill("Phone")
    dialog = page.locator("hui-dialog-edit-card")
    dialog.locator("talkety-card h2", has_text="Phone").wait_for(timeout=STEP_MS)  # preview
    dialog.get_by_role("button", name="Save").click()
    dialog.wait_for(state="hidden", timeout=STEP_MS)
    saved = page.evaluate(
        "document.querySelector('home-assistant').hass.callWS({type: 'lovelace/config'})"
    )
    assert saved["views"][0]["cards"][0] == {
        "type": "custom:talkety-card",
        "title": "Phone",
        "show_recent": False,
    }
