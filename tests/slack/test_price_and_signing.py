"""/price, help texts, and request verification (bad signature, stale timestamp)."""

from __future__ import annotations

import time

from devtools.slack.signing import command_body

from .conftest import Harness


async def test_price_lists_each_number_and_total(harness: Harness) -> None:
    await harness.start()
    status, body = await harness.command("/price", "+1 (123) 456-7890, 19876543210")
    assert status == 200
    assert body == ""  # acked at once; the answer follows via response_url
    text = await harness.wait_for_reply("Total")
    assert "$0.0105/min" in text
    assert "$0.0114/min" in text
    assert "$0.0219/min" in text


async def test_price_refuses_invalid_numbers_with_reason(harness: Harness) -> None:
    await harness.start()
    await harness.command("/price", "11234567890, +7 495 123 4567, 8765432100")
    text = await harness.wait_for_reply("Total")
    assert "`+74951234567` is not a number Talkety can dial" in text  # the API's verdict
    assert ":x: '8765432100' does not start with a country code" in text  # says why, once
    assert "$0.0105/min" in text


async def test_price_of_gibberish_is_a_friendly_error(harness: Harness) -> None:
    await harness.start()
    status, _ = await harness.command("/price", "pizza")
    assert status == 200
    text = await harness.wait_for_reply(":warning:")
    assert "Traceback" not in text


async def test_help_without_arguments(harness: Harness) -> None:
    await harness.start()
    for command in ("/price", "/call"):
        status, body = await harness.command(command, "")
        assert status == 200
        assert command in body
    status, body = await harness.command("/hangup", "help")
    assert "/hangup" in body
    status, body = await harness.command("/conf", "help")
    assert "/conf" in body


async def test_bad_signature_is_rejected(harness: Harness) -> None:
    await harness.start()
    status, _ = await harness.command("/price", "11234567890", secret="not-the-secret")
    assert status == 401
    assert harness.sim.requests_by_action["pricing"] == 0


async def test_stale_timestamp_is_rejected(harness: Harness) -> None:
    await harness.start()
    body = command_body(
        "/price",
        "11234567890",
        user="U1",
        channel="C1",
        team="T0TEST",
        response_url=harness.slack.response_url(),
    )
    status, _ = await harness.post(body, timestamp=int(time.time()) - 600)
    assert status == 401
    assert harness.sim.requests_by_action["pricing"] == 0


async def test_health_endpoint(harness: Harness) -> None:
    instance = await harness.start()
    url = instance.server.url.replace("/slack/events", "/healthz")
    async with harness.session.get(url) as response:
        assert response.status == 200
        assert (await response.json())["ok"] is True
