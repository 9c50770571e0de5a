"""The store and the app's shutdown under cancellation: nothing may be left open."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from slack_app.in_flight import InFlight
from slack_app.request_guard import RequestGuard
from slack_app.store import DialKind, DialPlan, Requester, Store

from .conftest import DST, SAVED, assert_no_connection_left, database_threads, stored_call


async def test_a_cancelled_caller_leaks_no_connection(tmp_path: Path, database_url: str) -> None:
    url = database_url or f"sqlite+aiosqlite:///{tmp_path / 'store.db'}"
    before = database_threads()
    created = Store(url)
    await created.create()
    await created.close()
    # A fresh store each time, cancelled at every point of opening its first
    # connection and querying on it.
    for steps in range(40):
        store = Store(url)
        caller = asyncio.create_task(store.calls.live_calls())
        for _ in range(steps):
            await asyncio.sleep(0)
        caller.cancel()
        with pytest.raises(asyncio.CancelledError):
            await caller
        await store.close()
    assert_no_connection_left(before)


async def test_a_cancelled_write_still_happens(tmp_path: Path) -> None:
    store = Store(f"sqlite+aiosqlite:///{tmp_path / 'store.db'}")
    await store.create()
    caller = asyncio.create_task(store.workspaces.save_number("T1", "U1", "11234567890"))
    await asyncio.sleep(0)
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    await store.close()  # waits for the write
    reopened = Store(store.url)
    assert await reopened.workspaces.saved_number("T1", "U1") == "11234567890"
    await reopened.close()


async def test_drain_waits_then_cancels_what_is_late() -> None:
    in_flight = InFlight()
    finished: list[str] = []

    async def listener(name: str, seconds: float) -> None:
        await asyncio.sleep(seconds)
        finished.append(name)

    tracked = in_flight.track(listener)
    quick = asyncio.create_task(tracked("quick", 0.01))
    stuck = asyncio.create_task(tracked("stuck", 3600))
    await asyncio.sleep(0)
    assert len(in_flight) == 2
    assert await in_flight.drain(grace=0.5) == 1
    assert finished == ["quick"]
    assert quick.done() and stuck.cancelled()
    assert len(in_flight) == 0
    assert await in_flight.drain(grace=0.5) == 0


async def test_a_database_from_before_workspaces_is_mended_on_start(store: Store) -> None:
    """Talkety ids were unique across all calls; with an account per workspace they are
    unique per workspace, and per kind (a call and a conference may share an id): an
    existing database is changed to match."""
    async with store.engine.begin() as conn:
        await conn.execute(text("DROP INDEX ux_slack_calls_team_kind_subject"))
        await conn.execute(text("DROP INDEX ix_slack_calls_subject_id"))
        await conn.execute(
            text("CREATE UNIQUE INDEX ix_slack_calls_subject_id ON slack_calls (subject_id)")
        )
    await store.create()
    await store.create()  # and again: nothing left to do
    now = datetime.now(UTC)
    keys = []
    for team in ("TA", "TB", "TA"):
        record = await stored_call(
            store, now, team_id=team, per_minute=Decimal("0.01"), holder="i", lease_until=now
        )
        keys.append(record.key)
    await store.calls.set_placed(keys[0], "1000")
    await store.calls.set_placed(keys[1], "1000")  # another workspace's account: fine
    with pytest.raises(IntegrityError):
        await store.calls.set_placed(keys[2], "1000")  # the same account twice: never
    (found,) = await store.calls.by_subject("1000", team_id="TB")
    assert found.key == keys[1]
    conference = await stored_call(store, now, team_id="TA", kind=DialKind.CONFERENCE)
    assert await store.calls.set_placed(conference.key, "1000")  # a conference's id: its own
    found_both = await store.calls.by_subject("1000", team_id="TA")
    assert [r.key for r in found_both] == [keys[0], conference.key]


async def test_a_database_with_one_id_per_workspace_is_mended_on_start(store: Store) -> None:
    async with store.engine.begin() as conn:
        await conn.execute(text("DROP INDEX ux_slack_calls_team_kind_subject"))
        await conn.execute(
            text(
                "CREATE UNIQUE INDEX ux_slack_calls_team_subject "
                "ON slack_calls (team_id, subject_id)"
            )
        )
    await store.create()
    now = datetime.now(UTC)
    call = await stored_call(store, now)
    conference = await stored_call(store, now, kind=DialKind.CONFERENCE)
    assert await store.calls.set_placed(call.key, "263")
    assert await store.calls.set_placed(conference.key, "263")


async def test_a_database_from_before_people_is_mended_on_start(store: Store) -> None:
    """Records from before people were called by name: the column is added, and they read
    as naming nobody; new ones keep who each number is."""
    now = datetime.now(UTC)
    old = await stored_call(store, now)
    async with store.engine.begin() as conn:
        for table in ("slack_calls", "slack_pending"):
            await conn.execute(text(f"ALTER TABLE {table} DROP COLUMN people"))
    await store.create()
    await store.create()  # and again: nothing left to do
    (found,) = await store.calls.get_calls([old.key])
    assert found.people == () and found.named == {}
    people = ((DST, "U0ALICE"),)
    plan = DialPlan(DialKind.CALL, SAVED, (DST,), Decimal("0.02"), Decimal("0.02"), people=people)
    requester = Requester("T1", "U1", "C1")
    pending = await store.pending.add(requester, plan, now)
    assert (await store.pending.get(pending.id)).plan.named == {DST: "U0ALICE"}
    record = await store.calls.new_call(
        requester, plan, now=now, holder="i", lease_until=now + timedelta(seconds=30)
    )
    (found,) = await store.calls.get_calls([record.key])
    assert found.named == {DST: "U0ALICE"}


async def test_once_many_claims_each_key_once_per_window(store: Store) -> None:
    now = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    window = timedelta(minutes=5)
    assert await store.once_keys.once_many(["a", "b"], now, window) == {"a", "b"}
    assert await store.once_keys.once(["c"][0], now, window)
    assert await store.once_keys.once_many(["a", "c", "d"], now, window) == {"d"}
    later = now + window + timedelta(seconds=1)
    assert await store.once_keys.once_many(["a", "e"], later, window) == {"a", "e"}  # a's expired
    assert not await store.once_keys.once("a", later, window)
    await store.once_keys.prune_once("a", later + window + timedelta(seconds=1))
    assert await store.once_keys.once("a", later, window)  # forgotten, so new again


async def test_replays_within_one_batch_and_across_batches_are_caught(store: Store) -> None:
    guard = RequestGuard("secret", store.once_keys)
    first = await asyncio.gather(*(guard.first_seen(sig) for sig in ["s1", "s2", "s1", "s3"]))
    assert first == [True, True, False, True]
    assert await asyncio.gather(guard.first_seen("s2"), guard.first_seen("s4")) == [False, True]


async def test_instances_starting_together_on_a_new_database_all_start(
    database_url: str,
) -> None:
    """Several instances share PostgreSQL and start together (compose, a deployment): each
    creates the tables, and none fails on tables another made under it."""
    if not database_url.startswith("postgresql"):
        pytest.skip("instances share PostgreSQL (the run with TALKETY_TEST_POSTGRES)")
    stores = [Store(database_url) for _ in range(3)]
    try:
        await asyncio.gather(*(store.create() for store in stores))
    finally:
        for store in stores:
            await store.close()
