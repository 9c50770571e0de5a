"""The README's first command, `scripts/run`, as a newcomer types it, and every way it
is stopped: it must not break unnoticed, nor leave a process or a port behind."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from devtools.ha import demo

ROOT = Path(__file__).resolve().parents[2]
FAST = ["--no-slack", "--speed", "20", "--demo-seconds", "2"]

pytestmark = pytest.mark.timeout(300)


def test_scripts_run_places_the_demo_call_and_stops() -> None:
    port = demo.free_port()
    command = [str(ROOT / "scripts" / "run"), "--no-ha", "--exit-after-demo", *FAST]
    command += ["--port", str(port)]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=240, check=False, cwd=ROOT
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert f"listening on http://127.0.0.1:{port}/xml/v1" in out
    ended = re.search(
        r"Call (\d+) ended: disconnected after [0-9:]+, total ([0-9.]+) USD\nHung up call \1\.\n",
        out,
    )
    assert ended is not None, out
    assert float(ended.group(2)) > 0  # it was connected and cost something
    assert "== Home Assistant: skipped (--no-ha)" in out
    assert "Simulator stopped." in out + result.stderr
    assert demo.port_free(port)  # nothing left running


def _ctrl_c(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGINT)  # a terminal signals the whole group


def _signal(signum: int) -> Callable[[subprocess.Popen[bytes]], None]:
    return lambda process: process.send_signal(signum)


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a background job, nohup, a CI runner


def _processes_mentioning(text: str) -> list[str]:
    """Command lines of the running processes that contain `text`."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and int(proc.name) != os.getpid():
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if text in cmdline:
                found.append(cmdline)
    return found


class Run:
    """`scripts/run` in a session of its own (as in a terminal), its output in a file."""

    def __init__(self, args: list[str], folder: Path, *, ignore_sigint: bool = False) -> None:
        self.output = folder / "run.out"
        with self.output.open("wb") as out:
            self.process = subprocess.Popen(
                [str(ROOT / "scripts" / "run"), *args],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_ignore_sigint if ignore_sigint else None,  # noqa: PLW1509
            )

    def text(self) -> str:
        return self.output.read_text(errors="replace")

    def wait_for(self, line: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while line not in self.text():
            assert self.process.poll() is None, self.text()
            assert time.monotonic() < deadline, self.text()
            time.sleep(0.1)

    def stopped(self, seconds: float) -> str:
        try:
            assert self.process.wait(seconds) == 0, self.text()
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
        return self.text()


@pytest.mark.parametrize(
    ("stop", "ignore_sigint"),
    [
        (_ctrl_c, False),
        (_signal(signal.SIGINT), False),
        (_signal(signal.SIGTERM), False),
        (_signal(signal.SIGHUP), False),
        (_ctrl_c, True),
        (_signal(signal.SIGTERM), True),
    ],
    ids=[
        "ctrl-c",
        "sigint",
        "sigterm",
        "sighup",
        "ctrl-c-sigint-ignored",
        "sigterm-sigint-ignored",
    ],
)
def test_scripts_run_stops_everything_however_it_is_stopped(
    tmp_path: Path, stop: Callable[[subprocess.Popen[bytes]], None], ignore_sigint: bool
) -> None:
    port = demo.free_port()
    run = Run(["--no-ha", *FAST, "--port", str(port)], tmp_path, ignore_sigint=ignore_sigint)
    run.wait_for("== Running.", 120)
    stop(run.process)
    out = run.stopped(60)
    tail = out[out.index("== Running.") :]
    assert "\n== Stopping everything scripts/run started ...\nSimulator stopped.\n" in tail, tail
    assert tail.endswith("== Stopped: nothing scripts/run started is left running.\n"), tail
    assert "Traceback" not in out
    assert demo.port_free(port)
    assert _processes_mentioning(f"--port {port}") == []


def test_ctrl_c_stops_home_assistant_too(tmp_path: Path) -> None:
    """The whole demo, Home Assistant included, started where SIGINT is ignored."""
    port, ha_port = demo.free_port(), demo.free_port()
    config_dir = tmp_path / "ha"
    args = [*FAST, "--port", str(port), "--ha-port", str(ha_port)]
    run = Run([*args, "--ha-config-dir", str(config_dir)], tmp_path, ignore_sigint=True)
    run.wait_for("Home Assistant is ready", 280)
    _ctrl_c(run.process)
    out = run.stopped(120)
    tail = out[out.index("Home Assistant is ready") :]
    assert re.search(
        r"== Stopping everything scripts/run started \.\.\.\n"
        r"Stopping Home Assistant \.\.\.\nHome Assistant stopped\.\n"
        r"Simulator stopped\.\n== Stopped: nothing scripts/run started is left running\.\n$",
        tail,
    ), tail
    assert demo.port_free(port) and demo.port_free(ha_port)
    assert _processes_mentioning(str(config_dir)) == []
