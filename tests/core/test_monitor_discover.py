"""Discover mode on a long-lived account: every active call is seen, however old, and a
tick reads only what began since the oldest call that may still be active."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from talkety_core import CallMonitor, CallStarted, CallStatus, TalketyClient
from talkety_core.simulator import ManualClock, Simulator

A, B = "11234567890", "19876543210"
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def clock() -> ManualClock:
    # The account's history starts four days ago; the monitor's clock is the real one.
    return ManualClock(start=NOW - timedelta(days=4))


def _advance_to(clock: ManualClock, moment: datetime) -> None:
    clock.advance((moment - clock.now()).total_seconds())


async def test_an_active_call_older_than_a_day_behind_3000_ended_ones(
    client: TalketyClient, sim: Simulator, clock: ManualClock
) -> None:
    sim.credit = None
    for _ in range(3000):  # history: straight into the engine, as fast as it goes
        call_id = sim.engine.call_connect(A, B, None, clock.now())
        clock.advance(1)
        sim.engine.call_disconnect(call_id, clock.now())
    _advance_to(clock, NOW - timedelta(hours=30))
    active = await client.call_connect(A, B)
    clock.advance(60)
    _advance_to(clock, NOW)

    monitor = CallMonitor(client, discover=True)
    events = await monitor.poll()
    assert [(type(e), e.subject.id) for e in events] == [(CallStarted, active)]
    assert [c.id for c in monitor.active_calls] == [active]
    assert monitor.active_calls[0].status is CallStatus.CONNECTED

    sim.reset_counts()
    clock.advance(5)
    await monitor.poll()
    assert sim.requests_by_action["call_list"] == 1  # one page: nothing older is read
    assert sim.requests_by_action["call_status"] == 0
    assert [c.id for c in monitor.active_calls] == [active]

    await client.call_disconnect(active)
    ended = await monitor.poll()
    assert [e.subject.id for e in ended][-1] == active
    assert monitor.active_calls == []
    assert monitor.last_ended is not None and monitor.last_ended.id == active


async def test_pages_are_read_while_full_in_discover_mode(
    client: TalketyClient, sim: Simulator, clock: ManualClock
) -> None:
    _advance_to(clock, NOW - timedelta(minutes=5))
    monitor = CallMonitor(client, discover=True, page_size=2)
    await monitor.poll()
    ids = [await client.call_connect(A, B) for _ in range(5)]
    _advance_to(clock, NOW)
    sim.reset_counts()
    await monitor.poll()
    assert set(monitor.calls) == set(ids)
    assert sim.requests_by_action["call_list"] == 3  # 2 + 2 + 1
    assert sim.requests_by_action["call_status"] == 0
