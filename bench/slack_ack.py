"""Slash-command ack latency of the Slack app's HTTP endpoint.

Sends 500 signed `/price` commands (form-encoded, exactly as Slack does) at
concurrency 50 to the real app on 127.0.0.1, backed by the core simulator and
the fake Slack Web API from the tests, and prints p50/p99/max of the time to
the HTTP answer (the ack; pricing happens after it). Goal: p99 < 100 ms.

    python bench/slack_ack.py [--requests 500] [--concurrency 50]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import login, slack_setup
from slack_app.app import SlackTalketyApp
from slack_app.policy import Policy
from slack_app.server import HttpServer
from slack_app.testing.fake_slack import TEAM_ID, FakeSlack
from slack_app.testing.signing import command_body, signed_headers
from talkety_core.simulator import RealClock, Simulator, SimulatorServer

SECRET = slack_setup.SLACK_SIGNING_SECRET
TOKEN = slack_setup.SLACK_TOKEN


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def main(requests: int, concurrency: int) -> None:
    slack = FakeSlack(token=TOKEN)
    await slack.start()
    sim = Simulator(login.USERNAME, login.PASSWORD, login.APP_KEY, clock=RealClock(), credit=None)
    with tempfile.TemporaryDirectory() as tmp:
        async with SimulatorServer(sim, host="127.0.0.1", port=0) as sim_server:
            settings = slack_setup.slack_settings(
                slack.api_url,
                sim_server.base_url,
                Path(tmp),
                policy=Policy(rate_limit=(0, 60)),
            )
            server = HttpServer(SlackTalketyApp(settings, post_spacing=0), "127.0.0.1", 0)
            await server.start()
            latencies: list[float] = []
            statuses: dict[int, int] = {}
            queue: asyncio.Queue[int] = asyncio.Queue()
            for i in range(requests):
                queue.put_nowait(i)

            async with aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=concurrency)
            ) as session:

                async def one(i: int) -> None:
                    body = command_body(
                        "/price",
                        "+1 (123) 456-7890, 19876543210",
                        user=f"U{i % 40}",
                        channel=f"C{i % 10}",
                        team=TEAM_ID,
                        response_url=slack.response_url(f"r{i}"),
                    )
                    headers = signed_headers(SECRET, body)
                    start = time.perf_counter()
                    async with session.post(server.url, data=body, headers=headers) as response:
                        await response.read()
                    latencies.append(time.perf_counter() - start)
                    statuses[response.status] = statuses.get(response.status, 0) + 1

                async def worker() -> None:
                    while not queue.empty():
                        await one(queue.get_nowait())

                await one(-1)  # warm-up: Bolt's first request runs auth.test
                latencies.clear()
                statuses.clear()
                began = time.perf_counter()
                await asyncio.gather(*(worker() for _ in range(concurrency)))
                elapsed = time.perf_counter() - began
                # Let the work after the acks finish before shutting down.
                for _ in range(600):
                    if len(slack.responses) >= requests + 1:
                        break
                    await asyncio.sleep(0.05)
            await server.stop()
    await slack.stop()
    ms = [v * 1000 for v in latencies]
    print(f"slash-command acks: {len(ms)} requests at concurrency {concurrency}")
    print(f"  HTTP statuses: {statuses}")
    print(
        f"  p50 {percentile(ms, 50):.1f} ms   p99 {percentile(ms, 99):.1f} ms   "
        f"max {max(ms):.1f} ms   mean {statistics.mean(ms):.1f} ms"
    )
    print(
        f"  throughput {len(ms) / elapsed:.0f} acks/s; answers sent afterwards: "
        f"{len(slack.responses) - 1}"
    )
    print(f"  goal p99 < 100 ms: {'met' if percentile(ms, 99) < 100 else 'NOT met'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=50)
    parsed = parser.parse_args()
    asyncio.run(main(parsed.requests, parsed.concurrency))
