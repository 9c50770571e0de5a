"""The call monitor following 1,000 active calls: requests and CPU per tick,
against its floor: `xmltodict.parse` of the page a tick reads.

The simulator runs in its own process; requests are counted on the client's
session, CPU with process_time in this process only. Goals: 1 request a tick,
and a tick's CPU at most 1.5x the parse of its page (fetched once more after
each tick and parsed alone, in the same round).

    .venv/bin/python -m bench.core_monitor [--calls 1000] [--ticks 20]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from types import SimpleNamespace

import aiohttp
import xmltodict

from bench.measure import cpu_ms, paired_ratio, ratio_line, verdict
from bench.processes import SimulatorProcess
from talkety_core import CallMonitor, TalketyClient
from talkety_core.basic_auth import encode

GOAL = 1.5


async def main(calls: int, ticks: int) -> None:
    sent = 0

    async def count(_session: object, _ctx: SimpleNamespace, _params: object) -> None:
        nonlocal sent
        sent += 1

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(count)
    async with (
        SimulatorProcess() as sim,
        aiohttp.ClientSession(trace_configs=[trace]) as session,
    ):
        client = TalketyClient(
            sim.app_key, sim.username, sim.password, base_url=sim.base_url, session=session
        )
        monitor = CallMonitor(client)
        semaphore = asyncio.Semaphore(20)

        async def dial(index: int) -> None:
            async with semaphore:
                monitor.watch_call(await client.call_connect("11234567890", f"1987654{index:04d}"))

        await asyncio.gather(*(dial(i) for i in range(calls)))
        url = f"{sim.base_url}/{sim.app_key}/call_list"
        auth = {"Authorization": encode(sim.username, sim.password)}
        requests, tick_ms, parse_ms, events = [], [], [], 0
        await monitor.poll()  # the first sight of every call is not a steady tick
        for _ in range(ticks):
            await asyncio.sleep(1)
            before_requests, before_cpu = sent, time.process_time()
            events += len(await monitor.poll())
            tick_ms.append((time.process_time() - before_cpu) * 1000)
            requests.append(sent - before_requests)
            # The floor, in the same round: the page such a tick reads, parsed alone.
            async with session.get(url, params={"limit": str(calls)}, headers=auth) as response:
                page = await response.read()
            parse_ms.append(cpu_ms(lambda page=page: xmltodict.parse(page)))
        active = len(monitor.active_calls)

    parse = statistics.median(parse_ms)
    ratio = paired_ratio(tick_ms, parse_ms)
    tick = statistics.median(tick_ms)
    print(f"calls followed:     {calls} ({active} active at the end, {events} events)")
    print(f"requests per tick:  mean {statistics.mean(requests):.2f}, max {max(requests)} (goal 1)")
    print(f"CPU ms per tick:    median {tick:.1f}, max {max(tick_ms):.1f}")
    print(ratio_line("tick / parse of its page", tick, parse, None, "ms"))
    print(f"  median of the rounds' ratios: {ratio:.3f}x   {verdict(ratio, GOAL)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--ticks", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.calls, args.ticks))
