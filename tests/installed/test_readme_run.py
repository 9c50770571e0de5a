"""The README's first command, `scripts/run`, as a newcomer types it (without Home
Assistant and Slack, and stopping after its demo call): it must not break unnoticed."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from ha_integration import demo

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(300)


def test_scripts_run_places_the_demo_call_and_stops() -> None:
    port = demo.free_port()
    command = [str(ROOT / "scripts" / "run"), "--no-ha", "--no-slack", "--exit-after-demo"]
    command += ["--speed", "20", "--demo-seconds", "2", "--port", str(port)]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=240, check=False, cwd=ROOT
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert f"listening on http://127.0.0.1:{port}/xml/v1" in out
    ended = re.search(r"Call (\d+) ended: disconnected after [0-9:]+, total ([0-9.]+) USD", out)
    assert ended is not None, out
    assert float(ended.group(2)) > 0  # it was connected and cost something
    assert "== Home Assistant: skipped (--no-ha)" in out
    assert "Simulator stopped." in out + result.stderr
    assert demo.port_free(port)  # nothing left running
