"""200 live calls against a Web API server that enforces Slack's rate limits.

The real app (HTTP endpoint, store, monitor, updater) dials 200 calls through
signed /call commands spread over 50 channels, on the core simulator; the fake
Slack Web API answers 429 + Retry-After beyond 50 chat.update per minute per
workspace and beyond 1 chat.postMessage per second per channel. The calls
connect, run, and are hung up; the bench prints the number of 429s (goal 0)
and the delay from each status change (seen by the monitor) to the chat.update
that showed it: worst, p95, p50.

Everything runs on a compressed clock (--scale, default 10): the simulator's
calls, the rate-limit windows, the poll and progress intervals all run 10x
faster, and delays are printed both as measured and in real Slack time
(measured x scale). --scale 1 runs it in real time (takes ~15 minutes).

    python bench/slack_live.py [--calls 200] [--channels 50] [--scale 10]
"""

from __future__ import annotations

import argparse
import asyncio
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
from talkety_core import CallEvent, CallStarted, CallStatusChanged, TalketyClient
from talkety_core.simulator import RealClock, Simulator, SimulatorServer

SECRET = slack_setup.SLACK_SIGNING_SECRET
TOKEN = slack_setup.SLACK_TOKEN
SLACK_UPDATES_PER_MINUTE = 50


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def main(calls: int, channels: int, scale: float, talk: float) -> None:
    window = 60.0 / scale
    slack = FakeSlack(
        token=TOKEN,
        enforce_limits=True,
        update_limit=SLACK_UPDATES_PER_MINUTE,
        update_window=window,
        post_spacing=0.9 / scale,  # Slack allows short bursts; 10% leeway
    )
    await slack.start()
    sim = Simulator(
        login.USERNAME, login.PASSWORD, login.APP_KEY, clock=RealClock(speed=scale), credit=None
    )
    with tempfile.TemporaryDirectory() as tmp:
        async with SimulatorServer(sim, host="127.0.0.1", port=0) as sim_server:
            settings = slack_setup.slack_settings(
                slack.api_url,
                sim_server.base_url,
                Path(tmp),
                policy=Policy(rate_limit=(0, 60), confirm_above=None),
                update_budget_per_minute=45,
                progress_interval=15.0 / scale,
                poll_interval=2.0 / scale,
                idle_poll_interval=30.0 / scale,
            )
            app = SlackTalketyApp(settings, post_spacing=1.1 / scale)
            app.tracker.updater.budget_window = window
            server = HttpServer(app, "127.0.0.1", 0)
            await server.start()

            # Status change -> the update that showed it.
            pending: dict[str, float] = {}
            delays: list[float] = []

            def on_event(event: CallEvent) -> None:
                if (
                    isinstance(event, (CallStarted, CallStatusChanged))
                    or not event.subject.is_active
                ):
                    key = app.tracker.key_of(event.subject.id)
                    if key is not None:
                        pending.setdefault(key, time.monotonic())

            def on_sent(key: str, _since: float) -> None:
                seen = pending.pop(key, None)
                if seen is not None:
                    delays.append(time.monotonic() - seen)

            app.tracker.monitor.subscribe(on_event)
            app.tracker.updater.on_sent.append(on_sent)

            began = time.monotonic()
            async with aiohttp.ClientSession() as session:

                async def dial(i: int) -> None:
                    body = command_body(
                        "/call",
                        f"11234567890 1416555{i:04d}",
                        user=f"U{i % 25}",
                        channel=f"C{i % channels}",
                        team=TEAM_ID,
                        response_url=slack.response_url(f"r{i}"),
                    )
                    async with session.post(
                        server.url, data=body, headers=signed_headers(SECRET, body)
                    ) as response:
                        assert response.status == 200

                await dial(0)
                await asyncio.gather(*(dial(i) for i in range(1, calls)))
            while len(slack.calls_to("chat.postMessage")) < calls:
                if time.monotonic() - began > 600:
                    raise SystemExit(f"only {len(slack.calls_to('chat.postMessage'))} posted")
                await asyncio.sleep(0.05)
            posted = time.monotonic() - began
            await asyncio.sleep(talk / scale)  # the calls talk for a while
            async with TalketyClient(
                login.APP_KEY, login.USERNAME, login.PASSWORD, base_url=sim_server.base_url
            ) as api:
                for call in sim.calls():
                    await api.call_disconnect(str(call.id))
            for _ in range(18000):  # at most an hour
                if not (await app.store.live_calls() or app.tracker.updater.pending()):
                    break
                await asyncio.sleep(0.2)
            total = time.monotonic() - began
            stats = app.tracker.updater.stats
            await server.stop()
    await slack.stop()
    updates = len(slack.calls_to("chat.update"))
    print(f"{calls} live calls over {channels} channels, clock x{scale:g}")
    print(f"  all status messages posted after {posted:.1f} s ({posted * scale:.0f} s real)")
    by_method: dict[str, int] = {}
    for call in slack.calls:
        if call.status == 429:
            by_method[call.method] = by_method.get(call.method, 0) + 1
    print(f"  429 answers from Slack: {slack.rate_limited} {by_method or ''} (goal 0)")
    print(
        f"  chat.update: {updates} sent, {stats.skipped} skipped as unchanged; "
        f"chat.postMessage: {len(slack.calls_to('chat.postMessage'))}"
    )
    print(
        f"  status change -> message update, real-time equivalent: "
        f"p50 {percentile(delays, 50) * scale:.1f} s, p95 {percentile(delays, 95) * scale:.1f} s, "
        f"worst {max(delays) * scale:.1f} s  ({len(delays)} changes)"
    )
    print(
        f"  everything final after {total:.1f} s ({total * scale / 60:.1f} min real); "
        f"budget {settings.update_budget_per_minute}/min of Slack's {SLACK_UPDATES_PER_MINUTE}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--channels", type=int, default=50)
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--talk", type=float, default=120.0, help="seconds the calls last")
    parsed = parser.parse_args()
    asyncio.run(main(parsed.calls, parsed.channels, parsed.scale, parsed.talk))
