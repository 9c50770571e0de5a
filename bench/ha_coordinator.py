"""The Home Assistant integration following 1,000 active calls: CPU per tick of
the coordinator and its entities, against its floor: the call monitor's tick
alone (what the coordinator is built on) over the same account.

A test Home Assistant (pytest-homeassistant-custom-component's, no recorder)
runs the integration here; the simulator runs in a process of its own with
1,000 connected calls. Each round refreshes the coordinator (poll, diff, every
entity that changed writes its state) and then polls a bare CallMonitor in
discover mode, CPU time of this process each. State writes are counted from
the state machine: a change fires state_changed, a write that changed nothing
fires state_reported. Goals: a tick at most 1.5x the monitor's; no write that
changed nothing.

    .venv/bin/python -m bench.ha_coordinator [--calls 1000] [--ticks 10]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from typing import Any
from unittest.mock import patch

from aiohttp.resolver import ThreadedResolver
from homeassistant import loader
from homeassistant.const import (
    CONF_PASSWORD,
    CONF_USERNAME,
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
)
from homeassistant.core import Event, callback
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from bench import login
from bench.measure import ratio_line
from bench.processes import SimulatorProcess
from custom_components.talkety.const import (
    CONF_API_URL,
    CONF_APP_KEY,
    CONF_COUNTRY,
    CONF_CURRENCY,
    CONF_DEFAULT_CALLER,
    DOMAIN,
)
from talkety_core import CallMonitor, TalketyClient

GOAL = 1.5
CALLER = "11234567890"


async def dial(api: TalketyClient, calls: int) -> None:
    semaphore = asyncio.Semaphore(20)

    async def one(index: int) -> None:
        async with semaphore:
            await api.call_connect(CALLER, f"1987654{index:04d}")

    await asyncio.gather(*(one(i) for i in range(calls)))


async def main(calls: int, ticks: int) -> None:
    async with (
        SimulatorProcess() as sim,
        TalketyClient(login.APP_KEY, login.USERNAME, login.PASSWORD, base_url=sim.base_url) as api,
    ):
        await dial(api, calls)
        await asyncio.sleep(6)  # every call rung and answered: connected
        with (
            tempfile.TemporaryDirectory() as config_dir,
            # A test Home Assistant has no network integration for its mDNS resolver.
            patch(
                "homeassistant.helpers.aiohttp_client._async_make_resolver",
                return_value=ThreadedResolver(),
            ),
        ):
            async with async_test_home_assistant(config_dir=config_dir) as hass:
                hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # custom_components/
                entry = MockConfigEntry(
                    domain=DOMAIN,
                    title=login.USERNAME,
                    unique_id=login.USERNAME,
                    minor_version=2,
                    data={
                        CONF_USERNAME: login.USERNAME,
                        CONF_PASSWORD: login.PASSWORD,
                        CONF_APP_KEY: login.APP_KEY,
                        CONF_API_URL: sim.base_url,
                    },
                    options={CONF_DEFAULT_CALLER: CALLER, CONF_COUNTRY: "US", CONF_CURRENCY: "USD"},
                )
                entry.add_to_hass(hass)
                if not await hass.config_entries.async_setup(entry.entry_id):
                    raise SystemExit("the integration did not set up")
                await hass.async_block_till_done()
                coordinator = entry.runtime_data.coordinator
                followed = len(coordinator.monitor.active_calls)
                writes = {"changed": 0, "unchanged": 0}

                def count(kind: str) -> Any:
                    def counted(_event: Event[Any]) -> None:
                        writes[kind] += 1

                    return counted

                @callback
                def every(_event_data: Any) -> bool:
                    return True  # the integration's entities are the only ones here

                hass.bus.async_listen(EVENT_STATE_CHANGED, count("changed"), event_filter=every)
                hass.bus.async_listen(EVENT_STATE_REPORTED, count("unchanged"), event_filter=every)
                monitor = CallMonitor(api, discover=True)
                await monitor.poll()  # first sight of every call is not a steady tick
                tick_ms: list[float] = []
                floor_ms: list[float] = []
                per_tick: list[tuple[int, int]] = []
                for _ in range(ticks):
                    await asyncio.sleep(1)  # durations and costs move on
                    before = dict(writes)
                    started = time.process_time()
                    await coordinator.async_refresh()
                    await hass.async_block_till_done()
                    tick_ms.append((time.process_time() - started) * 1000)
                    per_tick.append(
                        (
                            writes["changed"] - before["changed"],
                            writes["unchanged"] - before["unchanged"],
                        )
                    )
                    started = time.process_time()
                    await monitor.poll()
                    floor_ms.append((time.process_time() - started) * 1000)
                entities = len(hass.states.async_entity_ids(("sensor", "binary_sensor", "event")))
                await hass.config_entries.async_unload(entry.entry_id)

    tick, floor = statistics.median(tick_ms), statistics.median(floor_ms)
    changed = [c for c, _u in per_tick]
    unchanged = sum(u for _c, u in per_tick)
    print(f"Home Assistant following {followed} active calls ({entities} Talkety entities)")
    print(
        f"  state writes per tick: {statistics.mean(changed):.1f} that changed something "
        f"(each tick moves durations and costs), {unchanged} in all that changed nothing (goal 0)"
    )
    print(ratio_line("  coordinator tick / monitor tick (CPU)", tick, floor, GOAL, "ms"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--ticks", type=int, default=10)
    args = parser.parse_args()
    asyncio.run(main(args.calls, args.ticks))
