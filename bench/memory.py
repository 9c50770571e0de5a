"""Memory: the Slack app's with 1,000 calls tracked (resident, and per call),
and the call monitor's per call; neither may grow over 10 ticks of the same
calls. No goal for the sizes yet: they are printed to be watched.

The simulator runs in a process of its own; the Slack app (with the fake Slack
Web API, limits off) and the monitor run here, one after the other. Calls are
placed through signed /call commands, as users place them. "Resident" is the
process's RSS (allocator slack included). Over the ticks, after a full
collection each time:
- "live objects" counts every memory block Python holds
  (sys.getallocatedblocks): what decides whether memory grows;
- "traced" is the bytes of what was allocated since tracing began and is still
  held (tracemalloc). Tracing slows Python down several times, so for the app
  it starts once the calls are tracked. Replacing an object made before then
  adds its successor in full; and asyncio keeps cancelled timers in its heap
  until about a hundred have gathered, then drops them at once. So the traced
  bytes rise and fall by tens of KiB while the live objects stay level.

    .venv/bin/python -m bench.memory [--calls 1000] [--ticks 10]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import resource
import sys
import tempfile
import tracemalloc
from pathlib import Path

import aiohttp

from bench import login, slack_setup
from bench.processes import ServerProcess, SimulatorProcess
from devtools.slack.fake_slack import TEAM_ID, api_url, response_url
from devtools.slack.signing import command_body, signed_headers
from slack_app.app import SlackTalketyApp
from slack_app.policy import Policy
from slack_app.server import HttpServer
from talkety_core import CallMonitor, TalketyClient

CALLER = "11234567890"


def answering(index: int, prefix: str = "1416555") -> str:
    """A number the simulator answers (those ending 486, 408 or 503 never do)."""
    return f"{prefix}{index:03d}0"


def traced() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def sample() -> tuple[int, int]:
    """(traced bytes, live memory blocks), after a full collection."""
    size = traced()
    return size, sys.getallocatedblocks()


def resident() -> int:
    with open("/proc/self/statm") as statm:  # Linux only, like the machines
        return int(statm.read().split()[1]) * resource.getpagesize()


def kib(size: float) -> str:
    return f"{size / 1024:,.1f} KiB"


async def slack_app(sim: SimulatorProcess, calls: int, ticks: int) -> None:
    # The fake Slack keeps every message it was sent: in a process of its own, so
    # that what it holds is not counted as the app's.
    async with ServerProcess("fake-slack") as slack:
        with tempfile.TemporaryDirectory() as tmp:
            settings = slack_setup.slack_settings(
                api_url(slack.port),
                sim.base_url,
                Path(tmp),
                policy=Policy(rate_limit=(0, 60), confirm_above=None),
                poll_interval=1.0,
                post_spacing=0,
            )
            app = SlackTalketyApp(settings)
            server = HttpServer(app, "127.0.0.1", 0)
            await server.start()
            try:
                # Warm every path up, with a call of its own: the same signed request
                # again would be ignored as a replay, and one call would never come.
                await _dial_through_slack(server.url, slack.port, 1, first=calls)
                gc.collect()
                idle_resident = resident()
                await _dial_through_slack(server.url, slack.port, calls)
                async with asyncio.timeout(600):
                    while len(app.tracker.monitor.active_calls) < calls + 1:  # noqa: ASYNC110
                        await asyncio.sleep(0.2)  # the app's own state: no event to wait on
                await asyncio.sleep(6)  # all connected: each call's cost is its own from now
                gc.collect()
                tracked_resident = resident()
                tracemalloc.start()
                over_ticks = await _ticks(app.tracker.monitor, ticks, poll=None)
                tracemalloc.stop()
            finally:
                await server.stop()
    print(f"Slack app, {calls} calls tracked (monitor, tracker, updater, store):")
    grown = tracked_resident - idle_resident
    print(f"  resident: {kib(tracked_resident)}, of which {kib(grown)} for the calls")
    print(f"  resident per call: {kib(grown / calls)}")
    _print_growth(over_ticks, calls)


async def monitor_alone(sim: SimulatorProcess, calls: int, ticks: int) -> None:
    async with TalketyClient(
        login.APP_KEY, login.USERNAME, login.PASSWORD, base_url=sim.base_url
    ) as client:
        monitor = CallMonitor(client)
        tracemalloc.start()
        ids = [await client.call_connect(CALLER, answering(i, "1987655")) for i in range(calls)]
        await asyncio.sleep(6)  # all connected: each call's cost is its own from now
        before = traced()
        for call_id in ids:
            monitor.watch_call(call_id)
        await monitor.poll()
        after = traced()
        over_ticks = await _ticks(monitor, ticks, poll=monitor.poll)
        tracemalloc.stop()
    print(f"CallMonitor alone, {calls} calls followed:")
    print(f"  traced per call: {kib((after - before) / calls)}")
    _print_growth(over_ticks, calls)


SAMPLES_PER_TICK = 4


async def _ticks(monitor: CallMonitor, ticks: int, poll: object) -> list[list[tuple[int, int]]]:
    """Memory sampled through each of `ticks` polls (the app's own loop, or
    ours): several samples a tick, since the app's other loops (leases, limits, message
    updates) hold their work in memory at moments of their own."""
    sizes: list[list[tuple[int, int]]] = []
    ticked = asyncio.Event()
    unsubscribe = monitor.subscribe(lambda _event: ticked.set())
    for _ in range(ticks):
        if poll is None:
            ticked.clear()
            async with asyncio.timeout(30):
                await ticked.wait()  # the app's monitor ticked (costs move every second)
        else:
            await asyncio.sleep(1)
            await monitor.poll()
        samples = [sample()]
        for _ in range(SAMPLES_PER_TICK - 1):
            await asyncio.sleep(0.2)
            samples.append(sample())
        sizes.append(samples)
    unsubscribe()
    return sizes


def _print_growth(sizes: list[list[tuple[int, int]]], calls: int) -> None:
    # The first two ticks replace what was there before tracing began (and fill
    # caches). What a tick holds while it runs comes and goes: what stays is the
    # lowest sample. Compare the low points of the two halves of the ticks.
    settled = sizes[2:]
    half = len(settled) // 2
    spans = f"ticks 3-{2 + half} and {3 + half}-{len(sizes)}"
    early, late = settled[:half], settled[half:]
    early_bytes, early_blocks = (min(s[at] for tick in early for s in tick) for at in (0, 1))
    late_bytes, late_blocks = (min(s[at] for tick in late for s in tick) for at in (0, 1))
    # Anything kept per call and tick would add `calls` blocks a tick, and the
    # halves' low points lie at least a tick apart.
    grown = late_blocks - early_blocks
    verdict = "does not grow" if grown < calls else "GROWS"
    print(
        f"  live objects, low point in {spans}: {early_blocks:,} and {late_blocks:,} blocks "
        f"({grown:+,}; one object more per call would be +{calls:,} a tick): {verdict}"
    )
    print(
        f"  traced, low point in {spans}: {kib(early_bytes)} and {kib(late_bytes)} "
        f"({(late_bytes - early_bytes) / 1024:+,.1f} KiB)"
    )


async def _dial_through_slack(url: str, slack_port: int, calls: int, first: int = 0) -> None:
    semaphore = asyncio.Semaphore(4)  # a busy workspace, not a flood
    async with aiohttp.ClientSession() as session:

        async def one(i: int) -> None:
            body = command_body(
                "/call",
                f"{CALLER} {answering(i)}",
                user=f"U{i % 25}",
                channel=f"C{i % 50}",
                team=TEAM_ID,
                response_url=response_url(slack_port, f"r{i}"),
            )
            async with (
                semaphore,
                session.post(
                    url, data=body, headers=signed_headers(login.SLACK_SIGNING_SECRET, body)
                ) as response,
            ):
                if response.status != 200:
                    raise SystemExit(f"/call answered HTTP {response.status}")

        await asyncio.gather(*(one(i) for i in range(first, first + calls)))


async def main(calls: int, ticks: int) -> None:
    async with SimulatorProcess() as sim:
        await slack_app(sim, calls, ticks)
        await monitor_alone(sim, calls, ticks)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--ticks", type=int, default=10)
    args = parser.parse_args()
    if args.ticks < 4:  # two to settle, then two halves to compare
        parser.error("--ticks must be at least 4")
    asyncio.run(main(args.calls, args.ticks))
