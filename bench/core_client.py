"""What the client costs over raw aiohttp + xmltodict, side by side in one run.

The simulator runs in its own process (so its CPU is not counted against
either side); both sides then send the same `call_status` requests over the
same kind of keep-alive session, in alternating rounds, and the ratio of their
request rates is printed. Goal: the client costs at most 1.1x raw, by
throughput and by CPU.

    .venv/bin/python -m bench.core_client [--requests 1000] [--concurrency 20] [--rounds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import time
from collections.abc import Awaitable, Callable

import aiohttp
import xmltodict

from bench.measure import ratio_line, verdict
from bench.processes import SimulatorProcess
from talkety_core import TalketyClient
from talkety_core.basic_auth import encode

GOAL = 1.1


async def rate(
    requests: int, concurrency: int, one: Callable[[], Awaitable[object]]
) -> tuple[float, float]:
    """(wall microseconds, CPU microseconds of this process) per request."""
    remaining = requests

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await one()

    gc.collect()  # no garbage of the other side's round left to collect in this one
    start, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return wall / requests * 1e6, cpu / requests * 1e6


async def main(requests: int, concurrency: int, rounds: int) -> None:
    async with SimulatorProcess() as sim:
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as session:
            client = TalketyClient(
                sim.app_key, sim.username, sim.password, base_url=sim.base_url, session=session
            )
            call_id = await client.call_connect("11234567890", "19876543210")
            url = f"{sim.base_url}/{sim.app_key}/call_status"
            headers = {"Authorization": encode(sim.username, sim.password)}

            async def raw() -> object:
                async with session.get(
                    url, params={"call_id": call_id}, headers=headers
                ) as response:
                    return xmltodict.parse(await response.read())["call"]

            async def ours() -> object:
                return await client.call_status(call_id)

            await rate(500, concurrency, raw)  # warm up both paths and the pool
            await rate(500, concurrency, ours)
            pairs: list[tuple[tuple[float, float], tuple[float, float]]] = []
            for index in range(rounds):
                # Each round measures both sides back to back, in ABBA order, and
                # gives one ratio: a machine that drifts slower or faster (these
                # vary by tens of percent between rounds) cancels out of it.
                if index % 2 == 0:
                    floor = await rate(requests, concurrency, raw)
                    figure = await rate(requests, concurrency, ours)
                else:
                    figure = await rate(requests, concurrency, ours)
                    floor = await rate(requests, concurrency, raw)
                pairs.append((figure, floor))

    print(f"{rounds} rounds of {requests} call_status requests each way, concurrency {concurrency}")
    for label, at in (("by throughput (wall us/req)", 0), ("by CPU (us/req)", 1)):
        figure = statistics.median(p[0][at] for p in pairs)
        floor = statistics.median(p[1][at] for p in pairs)
        ratios = sorted(p[0][at] / p[1][at] for p in pairs)
        spread = f"   (rounds' ratios: quartiles {_quartiles(ratios)})"
        print(ratio_line(label, figure, floor, None, "us") + spread)
        ratio = statistics.median(ratios)
        print(f"  median of the rounds' ratios: {ratio:.3f}x   {verdict(ratio, GOAL)}")


def _quartiles(values: list[float]) -> str:
    q1, _, q3 = statistics.quantiles(values, n=4)
    return f"{q1:.2f}-{q3:.2f}"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.concurrency, args.rounds))
