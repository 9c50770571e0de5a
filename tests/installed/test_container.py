"""The Slack app's container image, built and run for real: two instances on one PostgreSQL,
a call placed through one, that one killed, and the other finishing the call's message.

Needs podman (TALKETY_TEST_CONTAINERS names the base image to build on; .ci/run makes
one from a Debian root, since no registry is reachable here) and PostgreSQL
(TALKETY_TEST_POSTGRES). The containers share the host's network, where the test runs
the fake Slack and the Talkety simulator.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from devtools.ha import demo
from devtools.slack.fake_slack import TEAM_ID, FakeSlack
from devtools.slack.signing import command_body, signed_headers
from talkety_core import TalketyClient
from talkety_core.simulator import RealClock, Simulator, SimulatorServer

ROOT = Path(__file__).resolve().parents[2]
BASE = os.environ.get("TALKETY_TEST_CONTAINERS", "")
POSTGRES = os.environ.get("TALKETY_TEST_POSTGRES", "")
IMAGE = "localhost/talkety-slack-test"
SIGNING_SECRET = "container-test-signing-secret"
BOT_TOKEN = "xoxb-container-test"
LOGIN = ("demo", "demo-password", "demo-app-key")
SAVED, DST = "11234567890", "19876543210"
LEASE_TTL = 3  # seconds before the surviving instance takes a dead one's calls over

pytestmark = [
    pytest.mark.skipif(
        not (BASE and POSTGRES), reason="needs podman and PostgreSQL (.ci/run sets both up)"
    ),
    pytest.mark.timeout(900),
]


def podman(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """`podman <args>`; with `check`, a failure says what podman said."""
    result = subprocess.run(
        ["podman", "--runtime", "runc", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"podman {args[0]} failed:\n{result.stdout[-4000:]}{result.stderr}")
    return result


@dataclass(frozen=True)
class Built:
    image: str
    seconds: float
    size: int


@pytest.fixture(scope="module")
def built() -> Iterator[Built]:
    started = time.monotonic()
    podman(
        "build",
        "--format",
        "docker",  # HEALTHCHECK is a Docker image field
        "--network",
        "host",
        "--build-arg",
        f"BASE={BASE}",
        "--tag",
        IMAGE,
        str(ROOT),
    )
    seconds = time.monotonic() - started
    size = int(podman("image", "inspect", "--format", "{{.Size}}", IMAGE).stdout.strip())
    print(f"\nimage {IMAGE}: built in {seconds:.0f} s, {size / 1e6:.0f} MB")
    yield Built(IMAGE, seconds, size)
    podman("rmi", "--force", IMAGE, check=False)


@pytest.fixture
async def database() -> AsyncIterator[str]:
    import asyncpg  # noqa: PLC0415 - only where PostgreSQL runs

    name = f"talkety_container_{uuid.uuid4().hex}"
    admin = await asyncpg.connect(POSTGRES)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield POSTGRES.rsplit("/", 1)[0] + "/" + name
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        await admin.close()


class Instance:
    def __init__(self, name: str, port: int) -> None:
        self.name = name
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def logs(self) -> str:
        result = podman("logs", self.name, check=False)
        return result.stdout + result.stderr


@pytest.fixture
async def instances(
    built: Built, database: str
) -> AsyncIterator[tuple[FakeSlack, TalketyClient, list[Instance]]]:
    slack = FakeSlack(token=BOT_TOKEN)
    await slack.start()
    simulator = Simulator(*LOGIN, clock=RealClock(speed=10))
    async with (
        SimulatorServer(simulator, host="127.0.0.1", port=0) as sim,
        TalketyClient(LOGIN[2], LOGIN[0], LOGIN[1], base_url=sim.base_url) as api,
    ):
        tag = uuid.uuid4().hex[:6]
        running = [Instance(f"talkety-test-{i}-{tag}", demo.free_port()) for i in (1, 2)]
        environment = {
            "DATABASE_URL": database,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.api_url,
            "TALKETY_URL": sim.base_url,
            "TALKETY_USERNAME": LOGIN[0],
            "TALKETY_PASSWORD": LOGIN[1],
            "TALKETY_APP_KEY": LOGIN[2],
            "TALKETY_SLACK_LEASE_TTL": str(LEASE_TTL),
            "TALKETY_SLACK_POLL_INTERVAL": "0.5",
        }
        try:
            for instance in running:
                own = {"PORT": str(instance.port), "TALKETY_SLACK_INSTANCE_ID": instance.name}
                options = [f"--env={k}={v}" for k, v in {**environment, **own}.items()]
                podman(
                    "run",
                    "--detach",
                    "--network=host",
                    f"--name={instance.name}",
                    *options,
                    built.image,
                )
            yield slack, api, running
        finally:
            for instance in running:
                podman("rm", "--force", instance.name, check=False)
            await slack.stop()


async def healthy(session: aiohttp.ClientSession, instance: Instance, within: float) -> float:
    """Seconds until the instance's /healthz says ok."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        try:
            async with session.get(instance.url + "/healthz") as response:
                if response.status == 200 and (await response.json())["ok"]:
                    return time.monotonic() - started
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise AssertionError(f"{instance.name} never became healthy:\n{instance.logs()}")


async def wait_for(probe: Callable[[], Any], what: str, within: float = 20) -> Any:
    started = time.monotonic()
    while time.monotonic() - started < within:
        value = probe()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


async def test_two_instances_one_killed_the_other_finishes_the_call(
    instances: tuple[FakeSlack, TalketyClient, list[Instance]],
) -> None:
    slack, api, (first, second) = instances
    async with aiohttp.ClientSession() as session:
        started = [await healthy(session, instance, within=60) for instance in (first, second)]
        print(f"\ninstances healthy after {started[0]:.1f} s and {started[1]:.1f} s")
        body = command_body(
            "/call",
            f"{SAVED} {DST}",
            user="U1",
            channel="C1",
            team=TEAM_ID,
            response_url=slack.response_url("call"),
        )
        headers = signed_headers(SIGNING_SECRET, body)
        async with session.post(first.url + "/slack/events", data=body, headers=headers) as answer:
            assert answer.status == 200
        message = await wait_for(lambda: next(iter(slack.messages_in("C1")), None), "the message")
        [call] = await wait_for(api.call_list, "the call in Talkety")

        podman("kill", "--signal", "KILL", first.name)  # no goodbye, no lease given back
        await api.call_disconnect(call.id)
        summary = await wait_for(
            lambda: "has ended" in json.dumps(message.blocks) and json.dumps(message.blocks),
            "the surviving instance's final summary",
            within=30,
        )
        assert call.id in summary
        health = podman("healthcheck", "run", second.name, check=False)
        assert health.returncode == 0, health.stdout + health.stderr

        stopping = time.monotonic()
        podman("stop", "--time", "30", second.name)  # SIGTERM, as compose and Kubernetes send
        assert time.monotonic() - stopping < 25, second.logs()  # drained, not killed at 30 s
        exited = podman("inspect", "--format", "{{.State.ExitCode}}", second.name).stdout
        assert exited.strip() == "0", second.logs()
