"""The call monitor following 1,000 active calls: requests and CPU per tick.

The simulator runs in its own process; requests are counted on the client's
session, CPU with process_time in this process only. Goal: 1 request a tick.

    .venv/bin/python bench/core_monitor.py [--calls 1000] [--ticks 10]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from types import SimpleNamespace

import aiohttp

from bench.simulator_process import SimulatorProcess
from talkety_core import CallMonitor, TalketyClient


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
        requests, cpu_ms, events = [], [], 0
        for _ in range(ticks):
            before_requests, before_cpu = sent, time.process_time()
            events += len(await monitor.poll())
            cpu_ms.append((time.process_time() - before_cpu) * 1000)
            requests.append(sent - before_requests)
            await asyncio.sleep(1)
        active = len(monitor.active_calls)

    print(f"calls followed:     {calls} ({active} active at the end, {events} events)")
    print(f"requests per tick:  mean {statistics.mean(requests):.2f}, max {max(requests)} (goal 1)")
    print(f"CPU ms per tick:    median {statistics.median(cpu_ms):.1f}, max {max(cpu_ms):.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--ticks", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.calls, args.ticks))
