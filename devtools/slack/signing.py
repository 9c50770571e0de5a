"""Requests exactly as Slack sends them: v0 signatures, form bodies, payload= JSON."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode


def signature(secret: str, timestamp: str, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: str, *, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature(secret, ts, body),
    }


def command_body(
    command: str,
    text: str,
    *,
    user: str,
    channel: str,
    team: str,
    response_url: str,
    trigger_id: str = "trigger-1",
) -> str:
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": team,
            "team_domain": "test",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0TEST",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )


def block_action_body(
    action_id: str,
    value: str,
    *,
    user: str,
    team: str,
    channel: str | None,
    response_url: str | None,
    message_ts: str | None = None,
    view: dict[str, Any] | None = None,
    trigger_id: str = "trigger-2",
) -> str:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "api_app_id": "A0TEST",
        "token": "legacy-verification-token",
        "team": {"id": team, "domain": "test"},
        "trigger_id": trigger_id,
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b",
                "value": value,
                "action_ts": str(time.time()),
            }
        ],
    }
    if channel:
        payload["channel"] = {"id": channel, "name": "general"}
        payload["container"] = {"type": "message", "channel_id": channel, "message_ts": message_ts}
        payload["message"] = {"ts": message_ts, "text": ""}
    if response_url:
        payload["response_url"] = response_url
    if view is not None:
        payload["view"] = view
        payload["container"] = {"type": "view", "view_id": view.get("id", "V1")}
    return urlencode({"payload": json.dumps(payload)})


def view_submission_body(
    view: dict[str, Any],
    values: dict[str, Any],
    *,
    user: str,
    team: str,
    trigger_id: str = "trigger-3",
) -> str:
    """`values`: block id -> typed text, or the element's whole state (a select's
    {"type": "static_select", "selected_option": {...}}, say)."""
    state = {
        "values": {
            block_id: {
                block_id: value
                if isinstance(value, dict)
                else {"type": "plain_text_input", "value": value}
            }
            for block_id, value in values.items()
        }
    }
    submitted = {**view, "id": view.get("id", "V1"), "state": state, "team_id": team}
    payload = {
        "type": "view_submission",
        "team": {"id": team, "domain": "test"},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "api_app_id": "A0TEST",
        "token": "legacy-verification-token",
        "trigger_id": trigger_id,  # Slack's own differs for every submission
        "view": submitted,
        "response_urls": [],
    }
    return urlencode({"payload": json.dumps(payload)})


def shortcut_body(
    callback_id: str,
    *,
    user: str,
    team: str,
    trigger_id: str,
    message: dict[str, Any] | None = None,
    channel: str | None = None,
    response_url: str | None = None,
) -> str:
    """A global shortcut, or with `message` a message shortcut on it in `channel`."""
    payload: dict[str, Any] = {
        "type": "message_action" if message is not None else "shortcut",
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "action_ts": str(time.time()),
        "team": {"id": team, "domain": "test"},
        "user": {"id": user, "username": user.lower(), "team_id": team},
        "api_app_id": "A0TEST",
        "token": "legacy-verification-token",
    }
    if message is not None:
        payload["message"] = message
        payload["message_ts"] = message.get("ts")
        payload["channel"] = {"id": channel, "name": "general"}
        payload["response_url"] = response_url
    return urlencode({"payload": json.dumps(payload)})


def event_body(event: dict[str, Any], *, team: str) -> tuple[str, str]:
    body = json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": team,
            "api_app_id": "A0TEST",
            "event": event,
            "type": "event_callback",
            "event_id": "Ev1",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
        }
    )
    return body, "application/json"
