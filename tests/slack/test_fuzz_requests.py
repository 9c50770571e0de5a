"""Fuzzing the served Slack app: signed and unsigned, well- and malformed requests over
real HTTP. Every answer is 200, 400, 401 or Bolt's 404 for what no listener takes;
nothing is logged with a traceback.

Hypothesis runs in a thread (it is synchronous) while the app serves on the test's
event loop.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devtools.slack.signing import signature

from .conftest import SIGNING_SECRET, Harness

_COMMANDS = ["/price", "/call", "/conf", "/hangup", "/nope", ""]
_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def slack_body(draw: st.DrawFn) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(["command", "payload", "json", "bytes"]))
    if kind == "command":
        fields = {
            "command": draw(st.sampled_from(_COMMANDS)),
            "text": draw(
                st.sampled_from(["help", "", "+1 123 456 7890", "<!channel>"])
                | st.text(max_size=30)
            ),
            "user_id": draw(st.sampled_from(["U1", "", "<@U2>"])),
            "team_id": draw(st.sampled_from(["T0TEST", "", "T0OTHER"])),
            "channel_id": draw(st.sampled_from(["C1", ""])),
            "trigger_id": draw(st.sampled_from(["trigger-1", ""])),
        }
        dropped = draw(st.sets(st.sampled_from(sorted(fields))))
        form = {k: v for k, v in fields.items() if k not in dropped}
        return urlencode(form).encode(), "application/x-www-form-urlencoded"
    if kind == "payload":
        payload = draw(
            _JSONISH
            | st.fixed_dictionaries(
                {"type": st.sampled_from(["block_actions", "view_submission", "shortcut", "x"])},
                optional={
                    "user": _JSONISH,
                    "team": _JSONISH,
                    "actions": _JSONISH,
                    "view": _JSONISH,
                },
            )
        )
        return urlencode(
            {"payload": json.dumps(payload)}
        ).encode(), "application/x-www-form-urlencoded"
    if kind == "json":
        return json.dumps(draw(_JSONISH)).encode(), "application/json"
    return draw(st.binary(max_size=100)), draw(
        st.sampled_from(["application/json", "text/plain", ""])
    )


@st.composite
def signing(draw: st.DrawFn) -> str:
    return draw(
        st.sampled_from(["signed", "wrong secret", "stale", "odd timestamp", "odd signature"])
    )


_SENT = itertools.count()


def _headers(how: str, body: bytes) -> dict[str, str]:
    # Each request a timestamp of its own within the window: Hypothesis replays an
    # example to confirm it, and the app would take the same signature for a replay.
    age = 600 if how == "stale" else next(_SENT) % 240
    ts = str(int(time.time()) - age)
    secret = "not-the-secret" if how == "wrong secret" else SIGNING_SECRET
    sig = signature(secret, ts, body.decode("utf-8", "replace"))
    if how == "odd timestamp":
        ts = "1796580300.5"
    if how == "odd signature":
        sig = "v0=" + "é" * 64
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig}


async def test_any_request_is_answered_clearly_and_logs_no_traceback(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.start()
    await harness.save_number()
    url = harness.main.server.url
    statuses: set[int] = set()

    @settings(max_examples=1000, suppress_health_check=list(HealthCheck), deadline=None)
    @given(body=slack_body(), how=signing())
    def post(body: tuple[bytes, str], how: str) -> None:
        data, content_type = body
        request = urllib.request.Request(url, data=data, method="POST")
        for name, value in {**_headers(how, data), "Content-Type": content_type}.items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as err:
            status = err.code
        statuses.add(status)
        # 404: Bolt's answer to a well-formed request no listener takes.
        assert status in (200, 400, 401, 404), (status, body, how)
        if how != "signed":
            assert status == 401

    await asyncio.to_thread(post)
    assert statuses >= {200, 400, 401}
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert not tracebacks, tracebacks[0].getMessage()
