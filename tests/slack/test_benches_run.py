"""The Slack benchmarks still run against the app as it is. Two broke without anyone
noticing: bench.slack_live's hooks on the tracker (each status change logged a traceback
and its figures were empty), and bench.memory's warm-up call, sent again as the first
call of the batch, ignored as a replay, so it waited for ever. Smoke runs: the figures
are not looked at, only that each run ends, clean, with what it measured."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def run_bench(*argv: str) -> str:
    ran = subprocess.run(
        [sys.executable, "-m", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    output = ran.stdout + ran.stderr
    assert ran.returncode == 0, output
    assert "Traceback" not in output
    return output


def test_the_live_status_benchmark_runs_clean() -> None:
    output = run_bench("bench.slack_live", "--calls", "3", "--spread", "5", "--talk", "5")
    assert "final summaries shown: 3 of 3" in output
    assert re.search(r"status change -> its message, [1-9]\d* changes", output)


def test_the_memory_benchmark_tracks_every_call_it_placed() -> None:
    output = run_bench("bench.memory", "--calls", "5", "--ticks", "4")
    assert "Slack app, 5 calls tracked" in output
    assert "CallMonitor alone, 5 calls followed" in output
