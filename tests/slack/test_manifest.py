"""manifest.json declares everything the code registers and asks for, and nothing more."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from slack_app.listeners import actions, commands, events, functions, shortcuts, views
from slack_app.scopes import BOT_SCOPES

MANIFEST = json.loads((Path(__file__).parents[2] / "manifest.json").read_text())


class Recorder:
    """Stands in for the Registrar: notes what each register() asks for."""

    def __init__(self) -> None:
        self.seen: dict[str, set[str]] = defaultdict(set)

    def __getattr__(self, kind: str) -> Any:
        def decorator(name: str) -> Any:
            self.seen[kind].add(name)
            return lambda listener: None

        return decorator


def registered(*, distributed: bool) -> dict[str, set[str]]:
    # The same listeners in either mode (each says what it needs when it runs).
    recorder = Recorder()
    for module in (commands, actions, views, events, shortcuts, functions):
        module.register(recorder)  # type: ignore[arg-type]
    return recorder.seen


def test_commands_shortcuts_and_events_match_the_code() -> None:
    code = registered(distributed=True)
    features = MANIFEST["features"]
    assert {c["command"] for c in features["slash_commands"]} == code["command"]
    assert {s["callback_id"] for s in features["shortcuts"]} == code["shortcut"]
    kinds = {s["callback_id"]: s["type"] for s in features["shortcuts"]}
    assert kinds["call_number_in_message"] == "message"
    assert {kinds["place_call"], kinds["start_conference"]} == {"global"}
    # Workflow Builder steps arrive as function_executed events, one function each.
    assert set(MANIFEST["functions"]) == code["function"]
    assert set(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == code["event"] | {
        "function_executed"
    }
    # Custom steps run on our own servers, and Slack offers them only to org-ready apps.
    assert MANIFEST["settings"]["function_runtime"] == "remote"
    assert MANIFEST["settings"]["org_deploy_enabled"]
    # The manifest subscribes one app to them in either mode: both modes answer them.
    assert registered(distributed=False)["event"] == code["event"]
    assert MANIFEST["settings"]["interactivity"]["is_enabled"]


def test_scopes_are_the_ones_the_app_asks_for() -> None:
    assert MANIFEST["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    assert "user" not in MANIFEST["oauth_config"]["scopes"]  # no user tokens kept
    (redirect,) = MANIFEST["oauth_config"]["redirect_urls"]
    assert redirect.endswith("/slack/oauth_redirect")


def test_every_url_is_the_one_endpoint() -> None:
    urls = [c["url"] for c in MANIFEST["features"]["slash_commands"]]
    urls += [
        MANIFEST["settings"]["event_subscriptions"]["request_url"],
        MANIFEST["settings"]["interactivity"]["request_url"],
    ]
    assert {u.rsplit("/", 2)[-2:] == ["slack", "events"] for u in urls} == {True}
