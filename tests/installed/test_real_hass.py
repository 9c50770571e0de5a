"""One real Home Assistant: `hass` with the integration installed, driven over REST.

Boots a `hass` process (the one beside this Python) on a free port with the
configuration devtools/ha/demo.py writes, against a simulator process; creates
the login with `hass --script auth`, a token through /auth/login_flow and
/auth/token, the config entry through the REST config flow API, then calls
talkety.place_call through the REST API and watches the sensors change.

It needs the home-assistant-frontend package Home Assistant's frontend pins
(the project's `ha` extra).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from devtools.ha import demo

STEP_TIMEOUT = 60

pytestmark = pytest.mark.timeout(600)


def test_real_home_assistant(
    simulator: str,
    tmp_path: Path,
    hass_session: Callable[..., Any],
    demo_calls: Callable[..., Any],
) -> None:
    config_dir = tmp_path / "config"
    port = demo.free_port()
    demo.prepare(config_dir, port=port, username="demo", currency="EUR")
    assert (config_dir / "custom_components" / "talkety" / "manifest.json").is_file()
    with hass_session(demo.hass_executable(sys.executable), config_dir, port) as rest:
        assert rest.talkety_entries() == []

        # The config flow over REST, as the UI runs it: a wrong password first.
        data = {
            "username": "demo",
            "password": "wrong",
            "app_key": "demo",
            "api_url": simulator,
            "default_caller": "+1 123 456 7890",
            "default_number": "+1 987 654 3210",
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

        calls = demo_calls(rest, entry_id)
        ids = calls.ids
        call_id = calls.place()
        assert rest.state(ids["on_call"])["state"] == "on"
        # At 10x the call connects within a second; the cost rises with each poll.
        rest.wait_state(
            ids["running_cost"], lambda s: Decimal(s["state"]) > 0, time.monotonic() + STEP_TIMEOUT
        )
        assert rest.state(ids["running_cost"])["attributes"]["unit_of_measurement"] == "EUR"

        calls.hang_up(call_id)
        deadline = time.monotonic() + STEP_TIMEOUT
        today = rest.wait_state(ids["cost_today"], lambda s: Decimal(s["state"]) > 0, deadline)
        assert today["attributes"]["state_class"] == "total"
        assert Decimal(rest.state(ids["last_call_cost"])["state"]) == Decimal(today["state"])

        month = rest.state(ids["cost_month"])
        assert Decimal(month["state"]) == Decimal(today["state"])
        assert month["attributes"]["state_class"] == "total"  # long-term statistics

        # The demo's dashboard button runs a script that places a call.
        rest.request(
            "POST", "/api/services/script/turn_on", {"entity_id": "script.talkety_demo_call"}
        )
        rest.wait_state(
            ids["active_calls"], lambda s: s["state"] == "1", time.monotonic() + STEP_TIMEOUT
        )
        _hang_up_all(rest, ids)
        _features_of_issue_12(rest, entry_id, ids)


def _recent(rest: Any, ids: dict[str, str], count: int) -> list[dict[str, Any]]:
    """The recent calls, once `count` have ended."""
    state = rest.wait_state(
        ids["recent_calls"],
        lambda s: len(s["attributes"]["calls"]) >= count,
        time.monotonic() + STEP_TIMEOUT,
    )
    calls: list[dict[str, Any]] = state["attributes"]["calls"]
    return calls


def _active(rest: Any, ids: dict[str, str], names: list[str]) -> None:
    """Until the active calls are to these contacts (none: no active call)."""
    rest.wait_state(
        ids["active_calls"],
        lambda s: [c["to_name"] for c in s["attributes"]["calls"]] == names,
        time.monotonic() + STEP_TIMEOUT,
    )


def _hang_up_all(rest: Any, ids: dict[str, str]) -> None:
    rest.request("POST", "/api/services/button/press", {"entity_id": ids["hang_up_all"]})
    _active(rest, ids, [])


def _features_of_issue_12(rest: Any, entry_id: str, ids: dict[str, str]) -> None:
    """Contacts, Assist, the buttons, the notify entity and the escalation script, as a
    user reaches them (the options flow, the conversation API, actions)."""
    for name, number in demo.DEMO_CONTACTS.items():
        rest.options_step(entry_id, "add_contact", {"name": name, "number": number})
    deadline = time.monotonic() + STEP_TIMEOUT
    while rest.talkety_entries()[0]["state"] != "loaded":  # reloaded with its contacts
        assert time.monotonic() < deadline, rest.talkety_entries()
        time.sleep(0.5)
    ended = len(_recent(rest, ids, 2))

    # Assist's built-in agent, with the sentences the installer placed.
    answer = rest.request(
        "POST", "/api/conversation/process", {"text": "call Alice", "language": "en"}
    )
    assert answer["response"]["speech"]["plain"]["speech"] == "Calling Alice"
    _active(rest, ids, ["Alice"])
    [call] = rest.state(ids["active_calls"])["attributes"]["calls"]
    assert call["from_name"] == "Me"
    _hang_up_all(rest, ids)

    # The button and the notify entity ring the default caller and connect it to the
    # default number.
    rest.request("POST", "/api/services/button/press", {"entity_id": ids["call_default_number"]})
    _active(rest, ids, ["Alice"])
    _hang_up_all(rest, ids)
    rest.request(
        "POST", "/api/services/notify/send_message", {"entity_id": ids["ring"], "message": "hi"}
    )
    _active(rest, ids, ["Alice"])
    _hang_up_all(rest, ids)

    # The escalation script: Bob (always busy in the simulator), then Alice.
    rest.request(
        "POST", "/api/services/script/turn_on", {"entity_id": "script.talkety_demo_escalate"}
    )
    _active(rest, ids, ["Alice"])  # Bob was busy: the fallback rings
    recent = _recent(rest, ids, ended + 4)
    assert [(c["to_name"], c["status"]) for c in recent[:4]] == [
        ("Bob", "busy"),
        ("Alice", "disconnected"),  # notify
        ("Alice", "disconnected"),  # the button
        ("Alice", "disconnected"),  # Assist
    ]
    _hang_up_all(rest, ids)


def test_the_demo_command(simulator: str, tmp_path: Path) -> None:
    """`python -m devtools.ha.demo`, as scripts/run starts it: ready, with the dashboard."""
    config_dir = tmp_path / "demo"
    port = demo.free_port()
    command = [sys.executable, "-m", "devtools.ha.demo", "--config-dir", str(config_dir)]
    command += ["--port", str(port), "--sim-url", simulator, "--exit-when-ready"]
    command += ["--currency", "EUR", "--timeout", "240"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=400, check=False)
    pid = re.search(r"pid (\d+)", result.stdout)
    try:
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"Home Assistant is ready: http://localhost:{port}" in result.stdout
        rest = demo.Rest(f"http://127.0.0.1:{port}")
        rest.login("demo", "demo")
        [entry] = rest.talkety_entries()
        assert entry["state"] == "loaded"
        ids = demo.entity_ids("demo")
        state = rest.state(ids["running_cost"])
        assert state is not None and state["attributes"]["unit_of_measurement"] == "EUR"
        # A second start finds the port taken and says so.
        again = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        assert again.returncode == 1
        assert f"port {port} is in use" in again.stderr
    finally:
        if pid is not None:
            os.kill(int(pid.group(1)), signal.SIGTERM)
            _wait_gone(int(pid.group(1)))

    # Again in the same directory, in the foreground as scripts/run runs it: the login and
    # the account are there already; SIGTERM (as Ctrl-C) stops Home Assistant cleanly.
    foreground = [arg for arg in command if arg != "--exit-when-ready"]
    process = subprocess.Popen(foreground, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if "Home Assistant is ready" in line:
            break
    process.send_signal(signal.SIGTERM)
    rest_of_output = process.stdout.read()
    assert process.wait(120) == 0
    assert "Stopping Home Assistant" in rest_of_output
    log = (config_dir / "home-assistant.log").read_text()
    assert "Traceback" not in log, log[-3000:]


def _wait_gone(pid: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.5)
    os.kill(pid, signal.SIGKILL)
