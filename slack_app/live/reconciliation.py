"""Calls whose fate this instance does not know: settled with Talkety's own records.

- A dial whose outcome was unknown (a timeout, or an instance that died before
  the answer) is looked up by the tag it carried: placed once found, not placed
  once `window` has passed without a trace.
- A live call the monitor stopped reporting is asked for directly: Talkety says how
  it ended, or that it no longer knows it (then it ends with what we last knew).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from talkety_core import (
    Call,
    CallStatus,
    Conference,
    Subject,
    TalketyClient,
    TalketyError,
)

from ..store import AuditAction, AuditEntry, CallRecord, Store

_LOGGER = logging.getLogger(__name__)

NOT_PLACED_REASON = "no trace of it was found in Talkety's call list, so it was not placed"


class Reconciler:
    def __init__(
        self,
        client: TalketyClient,
        store: Store,
        *,
        window: timedelta,
        now: Callable[[], datetime],
    ) -> None:
        self.client = client
        self.store = store
        self.window = window
        self.now = now

    async def settle_dial(self, record: CallRecord) -> CallRecord | None:
        """The record once its dial is settled (live or not placed); None while open,
        or when another instance settled it first."""
        try:
            tagged = await self.client.find_dial(record.src, record.tag, since=record.created_at)
        except TalketyError as err:
            _LOGGER.info("Cannot look up call %s yet: %s", record.key, err)
            return None
        if record.is_conference:
            found = next((c.conference_id for c in tagged if c.conference_id), None)
        else:
            found = tagged[0].id if tagged else None
        if found is not None:
            if not await self.store.calls.set_placed(record.key, found):
                return None
            _LOGGER.info("Call %s turned out to be placed as %s", record.key, found)
            await self.store.audit.add(
                AuditEntry.of_call(record, AuditAction.RECONCILED, self.now(), subject_id=found)
            )
            return await self.store.calls.get_call(record.key)
        if self.now() - record.created_at <= self.window:
            return None
        if not await self.store.calls.set_not_placed(record.key, self.now(), NOT_PLACED_REASON):
            return None
        return await self.store.calls.get_call(record.key)


def lost_subject(record: CallRecord, now: datetime) -> Subject:
    """Talkety no longer knows the call: end it with what we last knew."""
    assert record.subject_id is not None
    if record.is_conference:
        return Conference(
            id=record.subject_id,
            status=CallStatus.UNKNOWN,
            status_raw="unknown",
            src=record.src,
            duration=record.duration,
            total_costs=record.last_cost,
            end=now,
        )
    return Call(
        id=record.subject_id,
        status=CallStatus.UNKNOWN,
        status_raw="unknown",
        src=record.src,
        dst=record.dsts[0] if record.dsts else "",
        duration=record.duration,
        total_costs=record.last_cost,
        end=now,
    )
