"""Live status messages against Slack's rate limits, against their floor: the
shortest delays the app's own update budget allows for the same status changes.

The real app (HTTP endpoint, store, monitor, updater) runs here, on the fake
Slack Web API that answers 429 + Retry-After beyond 50 chat.update a minute per
workspace and beyond one chat.postMessage a second per channel; the simulator
runs in a process of its own. Calls are dialled through signed /call commands,
spread evenly over --spread seconds across 50 channels, each hung up --talk
seconds after it was dialled. Everything runs on a clock --scale times faster
than Slack's (the simulator, the rate windows, the app's intervals); figures are
printed in Slack's seconds.

For each status change the monitor saw (ringing, connected, ended) the delay is
the time until a write showed it. The floor replays the same changes through a
perfect scheduler with the app's budget (oldest change first, one write showing
every change a message has waiting, no time lost anywhere): no scheduler within
that budget does better. Goals: 20 calls, p95 within 5 s; 200 calls, p95 at
most 1.2x the floor's p95; status changes and final summaries before cost
rewrites; every final summary shown; no 429.

    .venv/bin/python -m bench.slack_live [--calls 20 200] [--spread 60] [--talk 90] [--scale 10]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench import login, slack_setup
from bench.measure import percentile, ratio_line
from bench.processes import SimulatorProcess
from devtools.slack.fake_slack import TEAM_ID, FakeSlack, response_text
from devtools.slack.signing import command_body, signed_headers
from slack_app.app import SlackTalketyApp
from slack_app.live.budget import UpdateBudget
from slack_app.live.updater import Priority
from slack_app.policy import Policy
from slack_app.server import HttpServer
from talkety_core import CallEnded, CallEvent, CallStatusChanged, TalketyClient

SLACK_UPDATES_PER_MINUTE = 50
SMALL_WORKLOAD = 20  # calls: up to this many, the goal is an absolute p95
SMALL_GOAL_P95 = 5.0  # seconds
GOAL = 1.2  # the large workload's p95 over the floor's


@dataclass
class Observed:
    """What one run saw, in seconds of the compressed clock."""

    changes: list[tuple[float, str]] = field(default_factory=list)  # (seen at, message key)
    delays: list[float] = field(default_factory=list)
    pending: dict[str, float] = field(default_factory=dict)  # key -> oldest change not shown
    # Cost rewrites written while a status change had been waiting for more than a
    # write's round trip: status changes must go first.
    overtaken: int = 0


def shortest_delays(
    changes: list[tuple[float, str]], per_minute: int, window: float
) -> list[float]:
    """Each change's delay under a perfect scheduler with the same budget."""
    budget = UpdateBudget(per_minute, window=window)
    waiting: dict[str, list[float]] = {}
    delays: list[float] = []
    ordered = sorted(changes)
    index, now = 0, ordered[0][0] if ordered else 0.0
    while index < len(ordered) or waiting:
        while index < len(ordered) and ordered[index][0] <= now:
            seen, key = ordered[index]
            waiting.setdefault(key, []).append(seen)
            index += 1
        if not waiting:
            now = ordered[index][0]
            continue
        allowed = budget.next_allowed(now)
        if allowed > now:
            now = min(allowed, ordered[index][0]) if index < len(ordered) else allowed
            continue
        key = min(waiting, key=lambda k: waiting[k][0])
        delays += [now - seen for seen in waiting.pop(key)]
        budget.record(now)
    return delays


async def run(calls: int, spread: float, talk: float, scale: float) -> None:
    window = 60.0 / scale
    slack = FakeSlack(
        token=login.SLACK_TOKEN,
        enforce_limits=True,
        update_limit=SLACK_UPDATES_PER_MINUTE,
        update_window=window,
        post_spacing=0.9 / scale,  # Slack allows short bursts; 10% leeway
    )
    await slack.start()
    seen = Observed()
    try:
        async with SimulatorProcess(speed=scale) as sim:
            with tempfile.TemporaryDirectory() as tmp:
                settings = slack_setup.slack_settings(
                    slack.api_url,
                    sim.base_url,
                    Path(tmp),
                    policy=Policy(rate_limit=(0, 60), confirm_above=None),
                    progress_interval=15.0 / scale,
                    poll_interval=2.0 / scale,
                    idle_poll_interval=30.0 / scale,
                    post_spacing=1.1 / scale,
                )
                app = SlackTalketyApp(settings)
                updater = app.tracker.updater
                updater.budget_window = window
                _observe(app, seen, scale)
                server = HttpServer(app, "127.0.0.1", 0)
                await server.start()
                try:
                    posted = await _drive(app, server.url, slack, sim, calls, spread, talk, scale)
                finally:
                    await server.stop()
                stats = updater.stats
    finally:
        await slack.stop()

    floor = shortest_delays(seen.changes, settings.timings.update_budget_per_minute, window)
    ours = [d * scale for d in seen.delays]
    best = [d * scale for d in floor]
    final = sum(
        1 for m in slack.messages.values() if "has ended" in response_text({"blocks": m.blocks})
    )
    print(f"{calls} calls dialled over {spread:g} s, each talking {talk:g} s (clock x{scale:g})")
    print(f"  status messages posted: {posted}; final summaries shown: {final} of {calls}")
    print(f"  429 answers from Slack: {slack.rate_limited} (goal 0)")
    print(
        f"  chat.update: {len(slack.calls_to('chat.update'))} sent, {stats.skipped} skipped as "
        f"unchanged; cost rewrites ahead of a waiting status change: {seen.overtaken} (goal 0)"
    )
    print(
        f"  status change -> its message, {len(ours)} changes: p50 {percentile(ours, 50):.1f} s, "
        f"p95 {percentile(ours, 95):.1f} s, worst {max(ours):.1f} s"
    )
    print(
        f"  floor (the budget's perfect scheduler): p50 {percentile(best, 50):.1f} s, "
        f"p95 {percentile(best, 95):.1f} s, worst {max(best):.1f} s"
    )
    p95, floor_p95 = percentile(ours, 95), percentile(best, 95)
    if calls <= SMALL_WORKLOAD:
        verdict = "met" if p95 <= SMALL_GOAL_P95 else "NOT met"
        print(f"  p95 {p95:.1f} s   goal <= {SMALL_GOAL_P95:g} s: {verdict}")
    print(
        ratio_line(
            "  p95 / floor p95", p95, floor_p95, None if calls <= SMALL_WORKLOAD else GOAL, "s"
        )
    )


def _observe(app: SlackTalketyApp, seen: Observed, scale: float) -> None:
    """Hooks on the app: when the monitor sees a status change, when a write shows it."""
    tracker, updater = app.tracker, app.tracker.updater

    def on_event(event: CallEvent) -> None:
        if not isinstance(event, (CallStatusChanged, CallEnded)):
            return  # first sight is shown by the post itself; cost ticks are not status
        key = tracker.key_of(event.subject.id, conference=event.is_conference)
        if key is None or (isinstance(event, CallStatusChanged) and not event.subject.is_active):
            return  # unknown here, or the ending (CallEnded follows with the final state)
        now = time.monotonic()
        seen.changes.append((now, key))
        seen.pending.setdefault(key, now)

    def on_sent(key: str, _since: float, priority: Priority | None) -> None:
        now = time.monotonic()
        shown = seen.pending.pop(key, None)
        if shown is not None:
            seen.delays.append(now - shown)
            return
        # A cost rewrite: was a status change kept waiting behind it (for longer than
        # a Slack second, so not one that arrived while this write was on its way)?
        # Other status writes (a call's first sight, say) queue with the changes.
        if (
            priority is Priority.PROGRESS
            and seen.pending
            and now - min(seen.pending.values()) > 1.0 / scale
        ):
            seen.overtaken += 1

    tracker.monitor.subscribe(on_event)
    updater.on_sent.append(on_sent)


async def _drive(
    app: SlackTalketyApp,
    url: str,
    slack: FakeSlack,
    sim: SimulatorProcess,
    calls: int,
    spread: float,
    talk: float,
    scale: float,
) -> int:
    """Dial on schedule, hang each call up after `talk`, wait until all is shown."""
    async with (
        aiohttp.ClientSession() as session,
        TalketyClient(login.APP_KEY, login.USERNAME, login.PASSWORD, base_url=sim.base_url) as api,
    ):

        async def one(i: int) -> None:
            await asyncio.sleep(i * spread / calls / scale)
            body = command_body(
                "/call",
                f"11234567890 1416555{i:04d}",  # the dst the hang-up looks for
                user=f"U{i % 25}",
                channel=f"C{i % 50}",
                team=TEAM_ID,
                response_url=slack.response_url(f"r{i}"),
            )
            async with session.post(
                url, data=body, headers=signed_headers(login.SLACK_SIGNING_SECRET, body)
            ) as response:
                if response.status != 200:
                    raise SystemExit(f"/call answered HTTP {response.status}")
            await asyncio.sleep(talk / scale)
            dst = f"1416555{i:04d}"
            for _ in range(200):  # the dial goes through the app: wait for its id
                live = {r.dsts[0]: r.subject_id for r in await app.store.calls.live_calls()}
                if live.get(dst):
                    await api.call_disconnect(str(live[dst]))
                    return
                await asyncio.sleep(0.05)
            raise SystemExit(f"call {i} was never placed")

        await asyncio.gather(*(one(i) for i in range(calls)))
    async with asyncio.timeout(3600):
        while await app.store.calls.live_calls() or app.tracker.updater.pending():  # noqa: ASYNC110
            await asyncio.sleep(0.1)  # the app's own state: no event to wait on
    return len(slack.calls_to("chat.postMessage"))


async def main(calls: list[int], spread: float, talk: float, scale: float) -> None:
    for count in calls:
        await run(count, spread, talk, scale)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, nargs="+", default=[20, 200])
    parser.add_argument("--spread", type=float, default=60.0)
    parser.add_argument("--talk", type=float, default=90.0)
    parser.add_argument("--scale", type=float, default=10.0)
    parsed = parser.parse_args()
    asyncio.run(main(parsed.calls, parsed.spread, parsed.talk, parsed.scale))
