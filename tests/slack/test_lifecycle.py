"""A call record's states: the store moves a record only along lifecycle.TRANSITIONS."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from slack_app.store import (
    ACTIVE_STATES,
    FINAL_STATES,
    TRANSITIONS,
    CallRecord,
    DialKind,
    RecordState,
    Store,
)
from slack_app.store.lifecycle import may_enter
from slack_app.store.schema import CallRow

from .conftest import stored_call

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


async def _record_in(store: Store, state: RecordState) -> CallRecord:
    record = await stored_call(store, NOW, per_minute=Decimal("0.0114"))
    assert record.state is RecordState.DIALLING  # every record starts here
    await store.calls._update_call(record.key, state=state)  # put it where the case starts
    return record


def _moves(store: Store) -> dict[RecordState, Callable[[str], Awaitable[object]]]:
    """The store's one operation that enters each state."""
    return {
        RecordState.LIVE: lambda key: store.calls.set_placed(key, "148"),
        RecordState.UNKNOWN: store.calls.set_unknown,
        RecordState.NOT_PLACED: lambda key: store.calls.set_not_placed(key, NOW, "refused"),
        RecordState.ENDED: lambda key: store.calls.finish(
            key, status="disconnected", cost=Decimal("0.02"), duration=60, now=NOW
        ),
    }


@pytest.mark.parametrize("target", list(TRANSITIONS))
@pytest.mark.parametrize("current", list(RecordState))
async def test_a_record_moves_only_along_the_transitions(
    store: Store, current: RecordState, target: RecordState
) -> None:
    record = await _record_in(store, current)
    await _moves(store)[target](record.key)
    after = await store.calls.get_call(record.key)
    assert after is not None
    expected = target if may_enter(target, current) else current
    assert after.state is expected


def test_the_states_partition_and_nothing_leaves_a_final_state() -> None:
    assert set(RecordState) == ACTIVE_STATES | FINAL_STATES
    assert not ACTIVE_STATES & FINAL_STATES
    for state in FINAL_STATES:
        assert state.is_final
        assert not any(state in sources for sources in TRANSITIONS.values())
    assert TRANSITIONS[RecordState.ENDED] == ACTIVE_STATES
    assert RecordState.DIALLING not in TRANSITIONS  # only a new record is dialling


async def test_records_read_back_as_enums(store: Store) -> None:
    record = await _record_in(store, RecordState.LIVE)
    read = await store.calls.get_call(record.key)
    assert read is not None
    assert read.state is RecordState.LIVE and read.kind is DialKind.CALL
    assert not read.is_conference
    assert CallRow.state.type.length == 16  # the longest state fits
    assert max(len(s) for s in RecordState) <= 16
