"""The product as people install it: real processes, real virtualenvs, no HA test plugin.

Fixtures: a simulator process, a clean Home Assistant virtualenv (Home Assistant
only, no talkety), and `hass_session`, which boots a `hass` and signs in.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from devtools.ha import demo
from devtools.ha.newest import NewestPython

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 300  # seconds: a slow machine boots hass slowly, installing requirements
# What a stock Home Assistant install has (HA OS, the container): HA and its frontend.
# Its container image shipped pycares 4, which the aiodns it pins needs (pycares 5 breaks
# every host-name lookup); a plain pip install would take pycares 5.
STOCK_HOME_ASSISTANT = (
    "homeassistant==2025.4.4",
    "home-assistant-frontend==20250411.0",
    "pycares>=4.4,<5",
)
OWNER, OWNER_PASSWORD = "owner", "owner-pass"


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
def simulator_speed() -> int:
    """How much faster than real time the simulator runs (a module may override it)."""
    return 10


@pytest.fixture
def simulator(tmp_path: Path, simulator_speed: int) -> Iterator[str]:
    """A simulator process (10x speed unless overridden), login demo/demo/demo; yields its
    API URL, by name (`localhost`), so Home Assistant reaches it through its resolver."""
    port = demo.free_port()
    log = (tmp_path / "sim.log").open("wb")
    command = [sys.executable, "-m", "talkety_core", "sim", "--port", str(port)]
    command += ["--username", "demo", "--password", "demo", "--app-key", "demo"]
    command += ["--speed", str(simulator_speed)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_port(port, process, 30)
        yield f"http://localhost:{port}/xml/v1"
    finally:
        process.terminate()
        process.wait(10)
        log.close()


def run_checked(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return str(result.stdout)


def base_python() -> str:
    """The interpreter this virtualenv was made from: a new venv starts from it."""
    for name in ("python3", "python"):
        candidate = Path(sys.base_prefix) / "bin" / name
        if candidate.exists():
            return str(candidate)
    raise AssertionError(f"no python in {sys.base_prefix}")


@dataclass(frozen=True)
class Venv:
    path: Path
    newest: NewestPython | None = None  # made with the newest Home Assistant's Python

    def _program(self, name: str) -> str:
        path = self.path / "bin" / name
        return str(path) if self.newest is None else self.newest.program(path, self.path.parent)

    @property
    def python(self) -> str:
        return self._program("python")

    @property
    def hass(self) -> str:
        return self._program("hass")

    def has(self, module: str) -> bool:
        """Whether this virtualenv's Python finds `module` (isolated from this checkout)."""
        code = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({module!r}) is None)"
        return subprocess.run([self.python, "-I", "-c", code], check=False).returncode == 0


@pytest.fixture(scope="session")
def make_venv(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Venv]:
    """`make_venv(name, *requirements)`: a new virtualenv with only those installed.

    Made fresh for every run (uv's cache makes that quick), so nothing is left
    from an earlier run.
    """
    uv = [sys.executable, "-m", "uv"]  # uv comes with Home Assistant

    def make(name: str, *requirements: str) -> Venv:
        venv = Venv(tmp_path_factory.mktemp(name) / "venv")
        run_checked([*uv, "venv", "--quiet", str(venv.path), "--python", base_python()])
        run_checked([*uv, "pip", "install", "--quiet", "--python", venv.python, *requirements])
        return venv

    return make


@pytest.fixture(scope="session")
def clean_ha_venv(make_venv: Callable[..., Venv]) -> Venv:
    """A stock Home Assistant and nothing of this project: no talkety, none of its
    requirements, which the integration's manifest must bring."""
    return make_venv("clean-ha", *STOCK_HOME_ASSISTANT)


@pytest.fixture(scope="session")
def newest_ha_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """The newest Home Assistant on PyPI with the stock components' requirements, on
    Python 3.14 (skipped where there is none; .ci/run provides one, and fails without)."""
    newest = NewestPython.from_environment()
    if newest is None:
        pytest.skip("no Python for the newest Home Assistant (TALKETY_TEST_NEWEST_PYTHON)")
    venv = tmp_path_factory.mktemp("newest-ha") / "venv"
    newest.make_venv(venv, "homeassistant")
    return Venv(venv, newest)


def hass_environment() -> dict[str, str]:
    """This process's environment without what points at this project's virtualenv."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT))
    )
    return env


HassSession = Callable[..., AbstractContextManager[demo.Rest]]

# Home Assistant's own complaints about this machine, not about the integration: the
# camera component (loaded by the dashboard editor's card previews) wants libturbojpeg;
# newer releases' voice components want ffmpeg.
MACHINE_NOISE = ("Error loading libturbojpeg", "FFmpeg fails")
_LOG_RECORD = re.compile(r"^(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", re.MULTILINE)


def _without_machine_noise(log: str) -> str:
    records = _LOG_RECORD.split(log)
    return "".join(r for r in records if not any(noise in r for noise in MACHINE_NOISE))


@pytest.fixture
def hass_session(tmp_path: Path) -> Iterator[HassSession]:
    """`with hass_session(hass, config_dir, port) as rest:` boots hass, signs in the owner.

    On the way out it stops hass and checks its log: no traceback, no failed setup,
    and a clean exit.
    """
    processes: list[subprocess.Popen[bytes]] = []

    @contextmanager
    def session(hass: str, config_dir: Path, port: int) -> Iterator[demo.Rest]:
        demo.add_user(hass, config_dir, OWNER, OWNER_PASSWORD)
        log_file = config_dir / "home-assistant.log"
        process = demo.start_hass(hass, config_dir, log_file, env=hass_environment())
        processes.append(process)
        rest = demo.Rest(f"http://127.0.0.1:{port}")
        rest.wait_up(process, time.monotonic() + START_TIMEOUT)
        rest.login(OWNER, OWNER_PASSWORD)
        yield rest
        status = demo.stop_hass(process)
        log = _without_machine_noise(log_file.read_text())
        assert "Error setting up entry" not in log
        assert "Traceback" not in log, log[-3000:]
        assert status == 0

    yield session
    for process in processes:
        demo.stop_hass(process)


STEP_TIMEOUT = 60  # seconds for one change to show in a sensor


@dataclass(frozen=True)
class DemoCalls:
    """Place and hang up a call through the REST API, as an automation would, and see
    the account's sensors follow (the demo's account, `demo`)."""

    rest: demo.Rest
    entry_id: str

    @property
    def ids(self) -> dict[str, str]:
        return demo.entity_ids("demo")

    def place(self, to: str = "+1 987 654 3210") -> str:
        deadline = time.monotonic() + STEP_TIMEOUT
        self.rest.wait_state(self.ids["active_calls"], lambda s: s["state"] == "0", deadline)
        answer = self.rest.request(
            "POST",
            "/api/services/talkety/place_call?return_response",
            {"config_entry": self.entry_id, "to": to},
        )
        call_id: str = answer["service_response"]["call_id"]
        state = self.rest.wait_state(
            self.ids["active_calls"], lambda s: s["state"] == "1", deadline
        )
        assert state["attributes"]["calls"][0]["call_id"] == call_id
        return call_id

    def hang_up(self, call_id: str) -> dict[str, Any]:
        """Hang up; returns the last-call sensor's state once it shows the call ended."""
        self.rest.request(
            "POST",
            "/api/services/talkety/hang_up",
            {"config_entry": self.entry_id, "call_id": call_id},
        )
        deadline = time.monotonic() + STEP_TIMEOUT
        self.rest.wait_state(self.ids["active_calls"], lambda s: s["state"] == "0", deadline)
        return self.rest.wait_state(
            self.ids["last_call"], lambda s: s["state"] == "disconnected", deadline
        )


@pytest.fixture
def demo_calls() -> Callable[[demo.Rest, str], DemoCalls]:
    return DemoCalls
