"""live/reconciliation.py: a dial whose outcome nobody knows is settled by Talkety's records."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from slack_app.live.reconciliation import NOT_PLACED_REASON, Reconciler
from slack_app.store import CallRecord, DialKind, RecordState, Store
from talkety_core import TalketyClient
from talkety_core.simulator import ManualClock, Simulator, SimulatorServer

from .conftest import stored_call

A, B = "11234567890", "19876543210"
WINDOW = timedelta(minutes=10)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(start=datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    return Simulator("u", "p", "k", clock=clock, credit=Decimal(50))


@pytest.fixture
async def client(sim: Simulator) -> AsyncIterator[TalketyClient]:
    async with (
        SimulatorServer(sim, host="127.0.0.1", port=0) as server,
        TalketyClient("k", "u", "p", base_url=server.base_url, retries=0) as api,
    ):
        yield api


@pytest.fixture
def reconciler(client: TalketyClient, store: Store, clock: ManualClock) -> Reconciler:
    return Reconciler(client, store, window=WINDOW, now=clock.now)


async def _dialling(store: Store, clock: ManualClock, kind: DialKind = DialKind.CALL) -> CallRecord:
    """A record left in `dialling`, as by an instance killed before call_connect answered."""
    now = clock.now()
    return await stored_call(
        store,
        now,
        kind=kind,
        src=A,
        dsts=(B,),
        per_minute=Decimal("0.0114"),
        holder="dead-instance",
    )


async def test_a_dial_that_was_placed_becomes_live_with_its_id(
    reconciler: Reconciler, store: Store, client: TalketyClient, clock: ManualClock
) -> None:
    record = await _dialling(store, clock)
    call_id = await client.call_connect(A, B, custom_data=record.tag)  # the dial that went out
    settled = await reconciler.settle_dial(record)
    assert settled is not None
    assert (settled.state, settled.subject_id) == (RecordState.LIVE, call_id)
    assert await reconciler.settle_dial(record) is None  # once only: already settled


async def test_a_conference_dial_is_settled_with_the_conference_id(
    reconciler: Reconciler, store: Store, client: TalketyClient, clock: ManualClock
) -> None:
    record = await _dialling(store, clock, DialKind.CONFERENCE)
    conference_id = await client.conference_connect(A, [B], custom_data=record.tag)
    settled = await reconciler.settle_dial(record)
    assert settled is not None and settled.subject_id == conference_id


async def test_no_trace_stays_open_for_the_window_then_is_not_placed(
    reconciler: Reconciler, store: Store, clock: ManualClock
) -> None:
    record = await _dialling(store, clock)  # and no call_connect ever left
    clock.advance(WINDOW.total_seconds())  # exactly the window: still open
    assert await reconciler.settle_dial(record) is None
    assert (await store.calls.get_call(record.key)).state is RecordState.DIALLING  # type: ignore[union-attr]
    clock.advance(1)
    settled = await reconciler.settle_dial(record)
    assert settled is not None
    assert (settled.state, settled.auto_hangup) == (RecordState.NOT_PLACED, NOT_PLACED_REASON)
    assert settled.final_cost == 0


async def test_a_failed_lookup_leaves_the_dial_open(
    reconciler: Reconciler, store: Store, clock: ManualClock, sim: Simulator
) -> None:
    record = await _dialling(store, clock)
    clock.advance(WINDOW.total_seconds() + 60)
    sim.faults.fail_next("call_list")  # Talkety cannot say: never conclude "not placed" from that
    assert await reconciler.settle_dial(record) is None
    assert (await store.calls.get_call(record.key)).state is RecordState.DIALLING  # type: ignore[union-attr]
