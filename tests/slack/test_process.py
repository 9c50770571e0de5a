"""`python -m slack_app --sim` end to end, as a separate process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from devtools.slack.fake_slack import TEAM_ID, FakeSlack
from devtools.slack.signing import command_body, signed_headers
from talkety_core.simulator import RealClock, Simulator, SimulatorServer
from tests.named_hosts import TEST_HOST, by_name, with_hosts

SECRET = "process-secret"
TOKEN = "xoxb-process"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack(token=TOKEN)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def talkety() -> AsyncIterator[SimulatorServer]:
    sim = Simulator("demo", "demo-password", "demo-key", clock=RealClock())
    async with SimulatorServer(sim, host="127.0.0.1", port=0) as server:
        yield server


@pytest.mark.parametrize("host", ["localhost", TEST_HOST])
async def test_python_m_slack_app(
    slack: FakeSlack, talkety: SimulatorServer, tmp_path: Path, host: str
) -> None:
    """Slack's Web API, response_url and Talkety all reached by name, as real ones are."""
    port = free_port()
    argv = [sys.executable, "-m", "slack_app", "--host", "127.0.0.1", "--port", str(port)]
    if host != "localhost":
        argv = with_hosts(argv, tmp_path)
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": by_name(slack.api_url, host),
        "TALKETY_URL": by_name(talkety.base_url, host),
        "TALKETY_USERNAME": "demo",
        "TALKETY_PASSWORD": "demo-password",
        "TALKETY_APP_KEY": "demo-key",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("SLACK_APP_TOKEN", None)
    process = await asyncio.create_subprocess_exec(
        *argv,
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(300):
                try:
                    async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.05)
            body = command_body(
                "/price",
                "+1 123 456 7890",
                user="U1",
                channel="C1",
                team=TEAM_ID,
                response_url=by_name(slack.response_url(), host),
            )
            url = f"http://127.0.0.1:{port}/slack/events"
            async with session.post(url, data=body, headers=signed_headers(SECRET, body)) as r:
                assert r.status == 200
            for _ in range(300):
                if slack.responses:
                    break
                await asyncio.sleep(0.05)
            assert "$0.0105/min" in slack.last_response_text()

            body = command_body(
                "/call",
                "from +1 123 456 7890 to +1 987 654 3210",
                user="U1",
                channel="C1",
                team=TEAM_ID,
                response_url=by_name(slack.response_url("call"), host),
            )
            async with session.post(url, data=body, headers=signed_headers(SECRET, body)) as r:
                assert r.status == 200
        for _ in range(300):
            if slack.messages_in("C1"):
                break
            await asyncio.sleep(0.05)
        assert slack.messages_in("C1"), "the call's status never reached the channel"
    finally:
        process.terminate()
        output, _ = await process.communicate()
    assert TOKEN.encode() not in output and SECRET.encode() not in output
    # SIGTERM stops it gracefully (leases released), like a deploy would.
    assert process.returncode == 0, output.decode(errors="replace")[-2000:]
    assert b"stopped" in output


async def test_socket_mode(slack: FakeSlack, tmp_path: Path) -> None:
    """With SLACK_APP_TOKEN the app connects over Socket Mode (no signatures, no port)."""
    from slack_app.app import SlackTalketyApp  # noqa: PLC0415
    from slack_app.cli import simulated  # noqa: PLC0415
    from slack_app.config import from_env  # noqa: PLC0415
    from slack_app.server import run_socket_mode  # noqa: PLC0415

    env = {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_APP_TOKEN": slack.app_token,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}",
    }
    settings = from_env(env)
    assert settings.socket_mode
    async with simulated(settings, speed=1.0) as sim_settings:
        task = asyncio.create_task(run_socket_mode(SlackTalketyApp(sim_settings)))
        try:
            for _ in range(300):
                if slack.sockets:
                    break
                await asyncio.sleep(0.02)
            assert slack.sockets, "the app did not connect"
            payload = {
                "team_id": TEAM_ID,
                "channel_id": "C1",
                "user_id": "U1",
                "command": "/price",
                "text": "19876543210",
                "response_url": slack.response_url(),
                "trigger_id": "t",
            }
            envelope_id = await slack.send_envelope("slash_commands", payload)
            for _ in range(300):
                if slack.responses and any(
                    a.get("envelope_id") == envelope_id for a in slack.socket_acks
                ):
                    break
                await asyncio.sleep(0.02)
            assert any(a.get("envelope_id") == envelope_id for a in slack.socket_acks)
            assert "$0.0114/min" in slack.last_response_text()
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
