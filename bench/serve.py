"""The servers benchmarks measure against, each in a process of its own:

    python -m bench.serve simulator --port P [--speed S]
    python -m bench.serve fake-slack --port P
    python -m bench.serve slack-app --port P --slack URL --talkety URL --data DIR
    python -m bench.serve bare-bolt --port P --slack URL

`slack-app` is the product's Slack app; `bare-bolt` is its floor: a Bolt
AsyncApp with the same token and signing secret whose only listener acks
/price, served through the same aiohttp endpoint. Secrets come from the
environment (bench.login), never from the command line. A server stops when
it is terminated, at once: what it writes goes to a directory its parent owns.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bench import login, slack_setup
from devtools.slack.fake_slack import FakeSlack
from slack_app.app import SlackTalketyApp
from slack_app.policy import Policy
from slack_app.server import EVENTS_PATH, bolt_endpoint, run_http, settle_heap
from talkety_core.simulator import RealClock, Simulator, SimulatorServer


async def simulator(port: int, speed: float) -> None:
    sim = Simulator(
        login.USERNAME, login.PASSWORD, login.APP_KEY, clock=RealClock(speed=speed), credit=None
    )
    async with SimulatorServer(sim, "127.0.0.1", port):
        await asyncio.Event().wait()


async def fake_slack(port: int) -> None:
    fake = FakeSlack(token=login.SLACK_TOKEN)
    await fake.start(port)
    try:
        await asyncio.Event().wait()
    finally:
        await fake.stop()


async def slack_app(port: int, slack: str, talkety: str, data: Path) -> None:
    settings = slack_setup.slack_settings(
        slack, talkety, data, policy=Policy(rate_limit=(0, 60)), post_spacing=0
    )
    # Served as `talkety slack` serves it.
    await run_http(SlackTalketyApp(settings), "127.0.0.1", port)


async def bare_bolt(port: int, slack: str) -> None:
    bolt = AsyncApp(
        signing_secret=login.SLACK_SIGNING_SECRET,
        client=AsyncWebClient(token=login.SLACK_TOKEN, base_url=slack),
    )

    @bolt.command("/price")
    async def price(ack: object) -> None:
        await ack()  # type: ignore[operator]

    app = web.Application()
    app.router.add_post(EVENTS_PATH, bolt_endpoint(bolt))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    settle_heap()  # as run_http does for the app: served the same way
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["simulator", "fake-slack", "slack-app", "bare-bolt"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--slack", default="")
    parser.add_argument("--talkety", default="")
    parser.add_argument("--data", type=Path, default=Path())
    args = parser.parse_args()
    if args.kind == "simulator":
        run = simulator(args.port, args.speed)
    elif args.kind == "fake-slack":
        run = fake_slack(args.port)
    elif args.kind == "slack-app":
        run = slack_app(args.port, args.slack, args.talkety, args.data)
    else:
        run = bare_bolt(args.port, args.slack)
    asyncio.run(run)


if __name__ == "__main__":
    main()
