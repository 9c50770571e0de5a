"""Requests nobody signed, or signed but malformed, or replayed: each gets a clear 400
or 401 (or, replayed, an ack that does nothing) and one log line, never a 500 or a
traceback, and never a second dial."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

import pytest

from devtools.slack.signing import command_body, signature, signed_headers

from .conftest import SIGNING_SECRET, Harness

DST = "+1 987 654 3210"


async def _post_raw(harness: Harness, body: bytes, headers: dict[str, str]) -> int:
    async with harness.session.post(harness.main.server.url, data=body, headers=headers) as r:
        return r.status


@pytest.mark.parametrize(
    "body",
    ["payload=null", "payload=1", "[1,2,3]", "payload=%7B%22type%22%3A1%7D", "", "\xff\xfe"],
)
async def test_unsigned_bodies_of_any_shape_are_401(
    harness: Harness, body: str, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.start()
    status, _ = await harness.post(body, secret="not-the-secret")
    assert status == 401
    assert "Traceback" not in caplog.text and not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize(
    ("timestamp", "sig"),
    [
        ("abc", None),
        ("1796580300.5", None),
        ("", None),
        (None, "v0=é" + "0" * 63),
        (None, "v1=" + "0" * 64),
        (None, ""),
    ],
)
async def test_malformed_signature_headers_are_401(
    harness: Harness, timestamp: str | None, sig: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.start()
    body = "command=%2Fprice&text=11234567890"
    headers = signed_headers(SIGNING_SECRET, body)
    if timestamp is not None:
        headers["X-Slack-Request-Timestamp"] = timestamp
    if sig is not None:
        headers["X-Slack-Signature"] = sig
    assert await _post_raw(harness, body.encode(), headers) == 401
    assert [r.levelno for r in caplog.records if r.name == "slack_app.server"] == [logging.WARNING]
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("payload=null", "application/x-www-form-urlencoded"),
        ("payload=1", "application/x-www-form-urlencoded"),
        ("payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
        (
            "payload=%7B%22type%22%3A%22block_actions%22%2C%22user%22%3A1%7D",
            "application/x-www-form-urlencoded",
        ),
        ("[1,2,3]", "application/json"),
        ("not json", "application/json"),
        ("a=%zz&&=", "application/x-www-form-urlencoded"),
        (
            urlencode({"command": "/call", "text": DST, "team_id": "T0TEST", "channel_id": "C1"}),
            "application/x-www-form-urlencoded",
        ),
    ],
)
async def test_signed_but_malformed_bodies_are_400(
    harness: Harness, body: str, content_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.start()
    status, _ = await harness.post(body, content_type=content_type)
    assert status == 400
    assert not [r for r in caplog.records if r.exc_info]
    assert harness.sim.requests_by_action["call_connect"] == 0


async def test_a_replayed_call_is_acknowledged_and_dials_once(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.start()
    await harness.save_number()
    body = command_body(
        "/call",
        DST,
        user="U1",
        channel="C1",
        team="T0TEST",
        response_url=harness.slack.response_url("replay"),
    )
    headers = signed_headers(SIGNING_SECRET, body)
    assert await _post_raw(harness, body.encode(), headers) == 200
    await harness.wait_for_message("C1")
    # The same bytes again, as an eavesdropper would send them a second later, to
    # another instance sharing the database.
    other = await harness.start()
    async with harness.session.post(other.server.url, data=body.encode(), headers=headers) as r:
        assert r.status == 200  # acknowledged (as the first was), and then ignored
    await harness.wait_for(lambda: "Ignored a replay" in caplog.text, "the replay ignored")
    assert harness.sim.requests_by_action["call_connect"] == 1


async def test_a_fresh_signature_on_the_same_body_is_a_new_request(harness: Harness) -> None:
    """Slack signs every delivery anew: only an identical signature is a replay."""
    await harness.start()
    body = "command=%2Fprice&text=11234567890&user_id=U1&team_id=T0TEST&channel_id=C1&trigger_id=t1"
    stamp = int(time.time())
    for ts in (stamp - 1, stamp):
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature(SIGNING_SECRET, str(ts), body),
        }
        assert await _post_raw(harness, body.encode(), headers) == 200
    await harness.wait_for(lambda: harness.sim.requests_by_action["pricing"] == 2, "both prices")
