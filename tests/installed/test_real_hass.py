"""One real Home Assistant: `hass` with the integration installed, driven over REST.

Boots a `hass` process (the one beside this Python) on a free port with the
configuration ha_integration/demo.py writes, against a simulator process; creates
the login with `hass --script auth`, a token through /auth/login_flow and
/auth/token, the config entry through the REST config flow API, then calls
talkety.place_call through the REST API and watches the sensors change.

Run it alone with `pytest tests/ha -m real_hass`. It needs the
home-assistant-frontend package Home Assistant's frontend pins.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from ha_integration import demo

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 240  # seconds: a slow machine boots hass slowly
STEP_TIMEOUT = 60

pytestmark = [
    pytest.mark.real_hass,
    pytest.mark.timeout(600),
    pytest.mark.skipif(
        importlib.util.find_spec("hass_frontend") is None,
        reason="needs home-assistant-frontend (pip install home-assistant-frontend==20250411.0)",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_port(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the simulator exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}")


@pytest.fixture
def simulator(socket_enabled: None, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    log = (tmp_path / "sim.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "talkety_core",
            "sim",
            "--port",
            str(port),
            "--username",
            "demo",
            "--password",
            "demo",
            "--app-key",
            "demo",
            "--speed",
            "10",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_port(port, process, 30)
        yield f"http://127.0.0.1:{port}/xml/v1"
    finally:
        process.terminate()
        process.wait(10)
        log.close()


def test_real_home_assistant(simulator: str, tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    port = _free_port()
    demo.prepare(config_dir, port=port, username="demo", currency="EUR")
    assert (config_dir / "custom_components" / "talkety" / "manifest.json").is_file()
    hass = demo.hass_executable(sys.executable)
    demo.add_user(hass, config_dir, "owner", "owner-pass")
    process = demo.start_hass(hass, config_dir, config_dir / "home-assistant.log")
    try:
        rest = demo.Rest(f"http://127.0.0.1:{port}")
        rest.wait_up(process, time.monotonic() + START_TIMEOUT)
        rest.login("owner", "owner-pass")
        assert rest.talkety_entries() == []

        # The config flow over REST, as the UI runs it: a wrong password first.
        data = {
            "username": "demo",
            "password": "wrong",
            "app_key": "demo",
            "api_url": simulator,
            "default_caller": "+1 123 456 7890",
            "country": "US",
            "currency": "EUR",
        }
        flow = rest.request("POST", "/api/config/config_entries/flow", {"handler": "talkety"})
        assert flow["type"] == "form"
        result = rest.request("POST", f"/api/config/config_entries/flow/{flow['flow_id']}", data)
        assert result["errors"] == {"base": "invalid_auth"}
        result = rest.request(
            "POST",
            f"/api/config/config_entries/flow/{flow['flow_id']}",
            {**data, "password": "demo"},
        )
        assert result["type"] == "create_entry"
        entry_id = result["result"]["entry_id"]
        [entry] = rest.talkety_entries()
        assert entry["state"] == "loaded"

        ids = demo.entity_ids("demo")
        deadline = time.monotonic() + STEP_TIMEOUT
        rest.wait_state(ids["active_calls"], lambda s: s["state"] == "0", deadline)

        answer = rest.request(
            "POST",
            "/api/services/talkety/place_call?return_response",
            {"config_entry": entry_id, "to": "+1 987 654 3210"},
        )
        call_id = answer["service_response"]["call_id"]
        state = rest.wait_state(ids["active_calls"], lambda s: s["state"] == "1", deadline)
        assert state["attributes"]["calls"][0]["id"] == call_id
        assert rest.state(ids["on_call"])["state"] == "on"
        # At 10x the call connects within a second; the cost rises with each poll.
        rest.wait_state(
            ids["running_cost"], lambda s: Decimal(s["state"]) > 0, time.monotonic() + STEP_TIMEOUT
        )
        assert rest.state(ids["running_cost"])["attributes"]["unit_of_measurement"] == "EUR"

        rest.request(
            "POST", "/api/services/talkety/hang_up", {"config_entry": entry_id, "call_id": call_id}
        )
        deadline = time.monotonic() + STEP_TIMEOUT
        rest.wait_state(ids["active_calls"], lambda s: s["state"] == "0", deadline)
        rest.wait_state(ids["last_call"], lambda s: s["state"] == "disconnected", deadline)
        today = rest.wait_state(ids["cost_today"], lambda s: Decimal(s["state"]) > 0, deadline)
        assert today["attributes"]["state_class"] == "total"
        assert Decimal(rest.state(ids["last_call_cost"])["state"]) == Decimal(today["state"])

        # The demo's dashboard button runs a script that places a call.
        rest.request(
            "POST", "/api/services/script/turn_on", {"entity_id": "script.talkety_demo_call"}
        )
        rest.wait_state(
            ids["active_calls"], lambda s: s["state"] == "1", time.monotonic() + STEP_TIMEOUT
        )
    finally:
        status = demo.stop_hass(process)
    log = (config_dir / "home-assistant.log").read_text()
    assert "Error setting up entry" not in log
    assert "Traceback" not in log, log[-3000:]
    assert status == 0
