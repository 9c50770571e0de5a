"""The Slack app as the Slack benchmarks run it: a fake Slack, a simulator, throwaway secrets."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from bench import login
from slack_app.config import Settings, Timings
from talkety_core.account import Account


def slack_settings(slack_api_url: str, talkety_url: str, tmp: Path, **overrides: Any) -> Settings:
    """The Slack app's settings against a fake Slack and a simulator, as the benches use;
    timings may be given by name (post_spacing=0)."""
    timed = {k: overrides.pop(k) for k in list(overrides) if k in {f.name for f in fields(Timings)}}
    return Settings(
        bot_token=login.SLACK_TOKEN,
        signing_secret=login.SLACK_SIGNING_SECRET,
        slack_api_url=slack_api_url,
        database_url=f"sqlite+aiosqlite:///{tmp}/bench.db",
        talkety=Account(
            url=talkety_url,
            app_key=login.APP_KEY,
            username=login.USERNAME,
            password=login.PASSWORD,
        ),
        timings=Timings(**timed),
        **overrides,
    )
