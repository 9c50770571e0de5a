"""What the client costs over raw aiohttp + xmltodict, side by side in one run.

The simulator runs in its own process (so its CPU is not counted against
either side); both sides then send the same `call_status` requests over the
same kind of keep-alive session, in alternating rounds, and the ratio of their
request rates is printed. Goal: the client costs at most 1.2x raw.

    .venv/bin/python bench/core_client.py [--requests 3000] [--concurrency 20]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

import aiohttp
import xmltodict

from bench.simulator_process import SimulatorProcess
from talkety_core import TalketyClient
from talkety_core.basic_auth import encode


async def rate(
    requests: int, concurrency: int, one: Callable[[], Awaitable[object]]
) -> tuple[float, float]:
    """(requests per second, CPU microseconds of this process per request)."""
    remaining = requests

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await one()

    start, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return requests / wall, cpu / requests * 1e6


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

            await rate(200, concurrency, raw)  # warm up both paths and the pool
            await rate(200, concurrency, ours)
            raw_rates, client_rates = [], []
            for _ in range(rounds):
                raw_rates.append(await rate(requests, concurrency, raw))
                client_rates.append(await rate(requests, concurrency, ours))

    raw_rps, raw_cpu = (statistics.median(r) for r in zip(*raw_rates, strict=True))
    client_rps, client_cpu = (statistics.median(r) for r in zip(*client_rates, strict=True))
    print(f"medians of {rounds} alternating rounds of {requests} call_status requests:")
    print(f"raw aiohttp+xmltodict: {raw_rps:8.0f} req/s, {raw_cpu:6.1f} CPU us/request")
    print(f"TalketyClient:         {client_rps:8.0f} req/s, {client_cpu:6.1f} CPU us/request")
    print(
        f"client cost ratio:     {raw_rps / client_rps:8.2f}x by throughput, "
        f"{client_cpu / raw_cpu:.2f}x by CPU (goal <= 1.2x)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.concurrency, args.rounds))
