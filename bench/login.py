"""Throwaway secrets for the benchmarks, fresh every run (no literal secrets), and
the environment that hands them to the benchmarks' own server processes."""

from __future__ import annotations

import os
import secrets

USERNAME = "bench"
# A child process (bench.serve) finds its parent's secrets in the environment.
PASSWORD = os.environ.get("BENCH_TALKETY_PASSWORD") or secrets.token_urlsafe(12)
APP_KEY = os.environ.get("BENCH_TALKETY_APP_KEY") or secrets.token_hex(16)
SLACK_TOKEN = os.environ.get("BENCH_SLACK_TOKEN") or "xoxb-bench-" + secrets.token_hex(8)
SLACK_SIGNING_SECRET = os.environ.get("BENCH_SLACK_SIGNING_SECRET") or secrets.token_hex(16)


def environ() -> dict[str, str]:
    return {
        "BENCH_TALKETY_PASSWORD": PASSWORD,
        "BENCH_TALKETY_APP_KEY": APP_KEY,
        "BENCH_SLACK_TOKEN": SLACK_TOKEN,
        "BENCH_SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
    }
