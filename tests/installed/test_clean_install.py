"""What a Home Assistant OS or container user gets: the release zip, in a stock Home Assistant.

Builds dist/talkety.zip, unpacks it into a new configuration directory as HACS
does, and boots `hass` from a virtualenv that has only Home Assistant and what a stock
install comes with (no talkety, no xmltodict, no phonenumbers), with its requirement
installation on: the pinned release, and the newest on PyPI on Python 3.14
(devtools/ha/newest.py). Home Assistant must install the manifest's requirements from
PyPI itself; the integration must then load, take a Talkety account through the
config flow, place a call and hang it up, and its dashboard card must load in a
browser (where Chromium is). A module or file left out of the zip or a requirement
left out of the manifest fails this test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from devtools.ha import demo
from ha_integration import bundle
from tests.named_hosts import TEST_HOST, by_name, executable_with_hosts

from .browser import CHROMIUM, browser, card_in_the_picker

pytestmark = pytest.mark.timeout(900)


@pytest.fixture(params=["pinned", "newest"])
def home_assistant(request: pytest.FixtureRequest) -> Any:
    """A stock Home Assistant's virtualenv: the pinned release (the tests' own) and the
    newest on PyPI."""
    return request.getfixturevalue(f"{'clean' if request.param == 'pinned' else 'newest'}_ha_venv")


def test_release_zip_in_a_stock_home_assistant(
    simulator: str,
    tmp_path: Path,
    home_assistant: Any,
    hass_session: Callable[..., Any],
    demo_calls: Callable[..., Any],
) -> None:
    for module in ("talkety_core", "xmltodict", "phonenumbers"):
        assert not home_assistant.has(module), f"{module} is in the clean Home Assistant"

    release = bundle.package(tmp_path / "dist")
    config_dir = tmp_path / "config"
    port = demo.free_port()
    demo.prepare(config_dir, port=port, username="demo", currency="EUR", release=release.path)
    installed = config_dir / "custom_components" / "talkety"
    manifest = json.loads((installed / "manifest.json").read_text())
    assert manifest["version"] == release.version

    # The simulator by a name from the hosts file, as a user's Talkety server is reached.
    hass = executable_with_hosts(home_assistant.hass, tmp_path)
    with hass_session(hass, config_dir, port) as rest:
        entry = rest.add_talkety(
            {
                "username": "demo",
                "password": "demo",
                "app_key": "demo",
                "api_url": by_name(simulator, TEST_HOST),
                "default_caller": "+1 123 456 7890",
                "country": "US",
                "currency": "EUR",
            }
        )
        entry_id = entry["result"]["entry_id"]
        [loaded] = rest.talkety_entries()
        assert loaded["state"] == "loaded"

        calls = demo_calls(rest, entry_id)
        call_id = calls.place()
        last = calls.hang_up(call_id)
        assert last["attributes"]["call_id"] == call_id
        assert Decimal(rest.state(calls.ids["last_call_cost"])["state"]) >= 0

        # The card came with the zip: on the dashboard and in the card picker, with no
        # resource added by hand.
        if CHROMIUM is not None:
            with browser(port) as chromium:
                card_in_the_picker(chromium.page())
                assert chromium.problems == []

    # Home Assistant installed the requirements itself, and nothing of this project.
    for module in ("xmltodict", "phonenumbers"):
        assert home_assistant.has(module), f"Home Assistant did not install {module}"
    assert not home_assistant.has("talkety_core")
