"""bench.slack_live still runs against the app as it is: its hooks on the tracker broke
once without anyone noticing (each status change logged a traceback, and every figure
it printed was empty). A smoke run, three calls; its figures are not looked at."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_the_live_status_benchmark_runs_clean() -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "bench.slack_live", "--calls", "3", "--spread", "5", "--talk", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = ran.stdout + ran.stderr
    assert ran.returncode == 0, output
    assert "Traceback" not in output
    assert "final summaries shown: 3 of 3" in output
    assert re.search(r"status change -> its message, [1-9]\d* changes", output)
