"""Leases on the test's clock: who may write for a call, and when another instance may
take it over. Dated by `now` in the database, freshness measured by `monotonic`."""

from __future__ import annotations

from datetime import timedelta

from slack_app.live.leases import Leases
from slack_app.store import Store
from talkety_core.simulator import ManualClock

from .conftest import stored_call

TTL = timedelta(seconds=30)


def _leases(store: Store, clock: ManualClock, instance: str) -> Leases:
    return Leases(store, instance, TTL, clock.now, monotonic=lambda: clock.now().timestamp())


async def _call(store: Store, clock: ManualClock, holder: str) -> str:
    record = await stored_call(store, clock.now(), holder=holder, lease_until=clock.now() + TTL)
    return record.key


async def test_a_lease_not_confirmed_for_most_of_its_ttl_stops_our_writes(
    store: Store, clock: ManualClock
) -> None:
    a = _leases(store, clock, "A")
    key = await _call(store, clock, "A")
    a.hold(key)
    assert a.fresh(key) and a.renew_interval == 10
    clock.advance(TTL.total_seconds() * 0.9)  # the database did not answer for so long
    assert not a.fresh(key)  # another instance may own it by now: do not write
    assert await a.renew() == set()
    assert a.fresh(key)
    assert not a.fresh("another call")


async def test_an_expired_lease_is_taken_over_and_its_old_holder_learns_it(
    store: Store, clock: ManualClock
) -> None:
    a, b = _leases(store, clock, "A"), _leases(store, clock, "B")
    key = await _call(store, clock, "A")
    a.hold(key)
    assert await b.take_orphans() == []  # A's lease runs
    clock.advance(TTL.total_seconds())
    assert await b.take_orphans() == []  # ends at that instant, not before
    clock.advance(1)
    (taken,) = await b.take_orphans()
    assert taken.key == key and b.holds(key)
    assert await b.take_orphans() == []  # ours now: not taken twice
    assert await a.renew() == {key}  # A wakes up: told it lost the call
    assert not a.holds(key) and not a.fresh(key)
    await b.release([key])
    assert not b.holds(key)
    (again,) = await a.take_orphans()  # released: anyone may follow it at once
    assert again.key == key
