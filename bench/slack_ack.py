"""Slash-command ack latency of the Slack app, against its floor: a bare Bolt
AsyncApp whose only listener acks, served the same way.

Each server runs in a process of its own (`bench.serve`), the app backed by the
simulator and the fake Slack Web API (which receives the answers the app posts
after its acks), each in a process of its own too: this one only signs `/price`
commands exactly as Slack does and sends them at concurrency 50 to one server
at a time, in ABBA rounds. After each of the app's rounds it waits until every
answer was posted, so no work spills into the floor's round. Goal: the app's
p99 at most 1.5x the bare app's.

    .venv/bin/python -m bench.slack_ack [--requests 250] [--rounds 8] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
import time
from collections.abc import AsyncIterator

import aiohttp

from bench import login
from bench.measure import percentile, ratio_line
from bench.processes import ServerProcess, SimulatorProcess
from devtools.slack.fake_slack import COUNTS_PATH, TEAM_ID, api_url, response_url
from devtools.slack.signing import command_body, signed_headers
from slack_app.server import EVENTS_PATH

GOAL = 1.5


async def load(
    session: aiohttp.ClientSession,
    url: str,
    slack_port: int,
    requests: int,
    concurrency: int,
    first: int,
) -> list[float]:
    """Seconds from sending each command to its HTTP answer (the ack)."""
    latencies: list[float] = []
    numbers = iter(range(first, first + requests))

    async def worker() -> None:
        for i in numbers:
            body = command_body(
                "/price",
                "+1 (123) 456-7890, 19876543210",
                user=f"U{i % 40}",
                channel=f"C{i % 10}",
                team=TEAM_ID,
                response_url=response_url(slack_port, f"r{i}"),
            )
            headers = signed_headers(login.SLACK_SIGNING_SECRET, body)
            start = time.perf_counter()
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    raise SystemExit(f"HTTP {response.status} from {url}")
            latencies.append(time.perf_counter() - start)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


@contextlib.asynccontextmanager
async def _data_dir() -> AsyncIterator[str]:
    """Where the app keeps its database; removed here, after the app was stopped."""
    with tempfile.TemporaryDirectory() as data:
        yield data


async def answered(session: aiohttp.ClientSession, slack_url: str, count: int) -> None:
    """Wait until the fake Slack has received `count` answers in all."""
    async with asyncio.timeout(120):
        while True:
            async with session.get(slack_url + COUNTS_PATH) as response:
                if (await response.json())["responses"] >= count:
                    return
            await asyncio.sleep(0.02)


async def main(requests: int, rounds: int, concurrency: int) -> None:
    ours: list[float] = []
    bare: list[float] = []
    async with (
        SimulatorProcess() as sim,
        ServerProcess("fake-slack") as slack,
        _data_dir() as data,
        ServerProcess(
            "slack-app", "--slack", api_url(slack.port), "--talkety", sim.base_url, "--data", data
        ) as app,
        ServerProcess("bare-bolt", "--slack", api_url(slack.port)) as floor,
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session,
    ):
        app_url, floor_url = app.url + EVENTS_PATH, floor.url + EVENTS_PATH
        sent = 0
        # Warm-up: each app's first request runs auth.test; pools fill.
        for url in (app_url, floor_url):
            await load(session, url, slack.port, concurrency, concurrency, sent)
            sent += concurrency
        await answered(session, slack.url, concurrency)
        for index in range(rounds):
            sides = [(app_url, ours), (floor_url, bare)]
            for url, measured in sides if index % 2 == 0 else reversed(sides):
                measured.extend(await load(session, url, slack.port, requests, concurrency, sent))
                sent += requests
                if url == app_url:
                    await answered(session, slack.url, len(ours) + concurrency)
    ms_ours = [v * 1000 for v in ours]
    ms_bare = [v * 1000 for v in bare]
    print(f"/price acks: {len(ms_ours)} to each server, concurrency {concurrency}, {rounds} rounds")
    for name, values in (("app", ms_ours), ("bare Bolt", ms_bare)):
        print(
            f"  {name:9s} p50 {percentile(values, 50):6.1f} ms   "
            f"p99 {percentile(values, 99):6.1f} ms   max {max(values):6.1f} ms"
        )
    print(
        ratio_line(
            "  app p99 / bare Bolt p99",
            percentile(ms_ours, 99),
            percentile(ms_bare, 99),
            GOAL,
            "ms",
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=250)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=50)
    parsed = parser.parse_args()
    asyncio.run(main(parsed.requests, parsed.rounds, parsed.concurrency))
