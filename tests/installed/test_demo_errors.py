"""devtools.ha.demo when Home Assistant answers badly: each failure says what went wrong."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from devtools.ha import demo

# path -> (status, body) the fake Home Assistant answers with
ANSWERS: dict[str, tuple[int, Any]] = {
    "/auth/login_flow": (200, {"flow_id": "f1"}),
    "/auth/login_flow/f1": (200, {"type": "form", "errors": {"base": "invalid_auth"}}),
    "/api/config/config_entries/flow": (200, {"type": "abort", "reason": "single_instance"}),
    "/api/states/sensor.missing": (404, {"message": "Entity not found."}),
    "/api/states/sensor.other": (200, {"state": "0"}),
    "/api/broken": (500, "boom"),
}


class _Handler(BaseHTTPRequestHandler):
    def _answer(self) -> None:
        status, body = ANSWERS.get(self.path, (404, {}))
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def rest() -> Iterator[demo.Rest]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield demo.Rest(f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


def test_http_errors_are_demo_errors(rest: demo.Rest) -> None:
    with pytest.raises(demo.DemoError, match=r"GET /api/broken: HTTP 500: \"boom\""):
        rest.request("GET", "/api/broken")
    assert rest.state("sensor.missing") is None
    with pytest.raises(demo.DemoError, match="never reached the expected state"):
        rest.wait_state("sensor.other", lambda s: s["state"] == "1", time.monotonic() + 0.6)


def test_refused_login_and_unexpected_flows(rest: demo.Rest) -> None:
    with pytest.raises(demo.DemoError, match="login refused"):
        rest.login("owner", "wrong")
    with pytest.raises(demo.DemoError, match="unexpected config flow answer"):
        rest.add_talkety({})
    ANSWERS["/api/config/config_entries/flow"] = (200, {"type": "form", "flow_id": "c1"})
    ANSWERS["/api/config/config_entries/flow/c1"] = (200, {"type": "form", "errors": {"x": 1}})
    try:
        with pytest.raises(demo.DemoError, match="did not finish"):
            rest.add_talkety({})
    finally:
        del ANSWERS["/api/config/config_entries/flow/c1"]
        ANSWERS["/api/config/config_entries/flow"] = (200, {"type": "abort"})


def test_waiting_for_a_hass_that_exits_or_never_answers(tmp_path: Path) -> None:
    nobody = demo.Rest(f"http://127.0.0.1:{demo.free_port()}")
    exited = subprocess.Popen([sys.executable, "-c", "pass"])
    exited.wait()
    with pytest.raises(demo.DemoError, match="hass exited with status 0"):
        nobody.wait_up(exited, time.monotonic() + 5)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        with pytest.raises(demo.DemoError, match="did not start in time"):
            nobody.wait_up(sleeper, time.monotonic() + 0.5)
    finally:
        sleeper.kill()
        sleeper.wait()


def test_stop_hass_kills_what_ignores_sigterm() -> None:
    code = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print(1, flush=True); time.sleep(30)"
    )
    stubborn = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert stubborn.stdout is not None
    stubborn.stdout.readline()  # the handler is in place
    assert demo.stop_hass(stubborn, timeout=0.5) == -9


def test_no_hass_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(demo.DemoError, match="hass not found"):
        demo.hass_executable(str(tmp_path / "python"))
