"""Calls and conferences started from Slack, and the messages that show them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, or_, select, update

from .audit import audit_row
from .database import Part, runs_to_completion
from .keys import new_key
from .lifecycle import ACTIVE_STATES, FINAL_STATES, TRANSITIONS, AuditAction, RecordState
from .records import AuditEntry, CallRecord, DialPlan, Requester, dial_columns
from .schema import CallRow, LeaseRow, StepRow

# Ended, and its message not yet showing it (NULL: records from before the column). A
# dial refused before it was ever shown has nothing to show: its caller was told privately.
NOT_SHOWN_ENDED = and_(
    or_(
        CallRow.state == RecordState.ENDED,
        and_(CallRow.state.in_(FINAL_STATES), CallRow.message_ts.is_not(None)),
    ),
    CallRow.final_shown.is_(False),
    CallRow.delivery_error.is_(None),
)


@runs_to_completion
class CallStore(Part):
    async def new_call(
        self,
        req: Requester,
        plan: DialPlan,
        *,
        now: datetime,
        holder: str,
        lease_until: datetime,
        step: str | None = None,
    ) -> CallRecord:
        """A call about to be dialled, leased to `holder` from the start; the Workflow
        Builder `step` that asked for it (its execution id), if one did, learns its key in
        the same transaction."""
        row = CallRow(
            key=new_key(),
            **dial_columns(req, plan),
            state=RecordState.DIALLING,
            status="connecting",
            last_cost="0",
            duration=0,
            created_at=now,
            final_shown=False,
            thread_ts=req.thread_ts,
        )
        async with self._session.begin() as session:
            session.add(row)
            session.add(LeaseRow(key=row.key, holder=holder, expires_at=lease_until))
            if step is not None:
                await session.execute(
                    update(StepRow).where(StepRow.execution_id == step).values(call_key=row.key)
                )
        return CallRecord.from_row(row)

    async def get_call(self, key: str) -> CallRecord | None:
        async with self._session() as session:
            row = await session.get(CallRow, key)
            return None if row is None else CallRecord.from_row(row)

    async def by_subject(self, subject_id: str, *, team_id: str | None = None) -> list[CallRecord]:
        """The call and the conference placed under this Talkety id, if either was (in one
        workspace: each has its own Talkety account, whose ids may repeat another's)."""
        query = select(CallRow).where(CallRow.subject_id == subject_id)
        if team_id is not None:
            query = query.where(CallRow.team_id == team_id)
        async with self._session() as session:
            rows = (await session.execute(query.order_by(CallRow.kind).limit(2))).scalars()
            return [CallRecord.from_row(row) for row in rows]

    async def get_calls(self, keys: Iterable[str]) -> list[CallRecord]:
        keys = list(keys)
        if not keys:
            return []
        async with self._session() as session:
            rows = (await session.execute(select(CallRow).where(CallRow.key.in_(keys)))).scalars()
            return [CallRecord.from_row(r) for r in rows]

    async def _update_call(self, key: str, *conditions: Any, **values: Any) -> bool:
        async with self._session.begin() as session:
            result = await session.execute(
                update(CallRow).where(CallRow.key == key, *conditions).values(**values)
            )
            return bool(result.rowcount)

    async def _enter(self, key: str, state: RecordState, **values: Any) -> bool:
        """Move a call to `state` if its current state allows it (lifecycle.TRANSITIONS)."""
        return await self._update_call(
            key, CallRow.state.in_(TRANSITIONS[state]), state=state, **values
        )

    async def set_placed(self, key: str, subject_id: str) -> bool:
        return await self._enter(key, RecordState.LIVE, subject_id=subject_id)

    async def set_unknown(self, key: str) -> None:
        await self._enter(key, RecordState.UNKNOWN)

    async def set_not_placed(self, key: str, now: datetime, reason: str) -> bool:
        return await self._enter(
            key,
            RecordState.NOT_PLACED,
            status="failed",
            ended_at=now,
            final_cost="0",
            auto_hangup=reason,
        )

    async def set_message(self, key: str, channel: str, ts: str) -> None:
        await self._update_call(key, message_channel=channel, message_ts=ts, delivery_error=None)

    async def set_delivery_error(self, key: str, error: str) -> None:
        await self._update_call(key, delivery_error=error)

    async def set_auto_hangup(self, key: str, reason: str) -> bool:
        """Record why the app hung up; False if it already did (hang up once)."""
        return await self._update_call(key, CallRow.auto_hangup.is_(None), auto_hangup=reason)

    async def record_progress(self, progress: Iterable[tuple[str, str, Decimal, int]]) -> None:
        """Latest status/cost/duration of live calls (for spend totals and restarts)."""
        async with self._session.begin() as session:
            for key, status, cost, duration in progress:
                await session.execute(
                    update(CallRow)
                    .where(CallRow.key == key, CallRow.state == RecordState.LIVE)
                    .values(status=status, last_cost=str(cost), duration=duration)
                )

    async def finish(
        self,
        key: str,
        *,
        status: str,
        cost: Decimal,
        duration: int,
        now: datetime,
        detail: str = "",
    ) -> bool:
        """Mark a call ended and audit it in one transaction; True only for the one
        caller that did it (spend counted once, one "ended" entry)."""
        async with self._session.begin() as session:
            result = await session.execute(
                update(CallRow)
                .where(CallRow.key == key, CallRow.state.in_(TRANSITIONS[RecordState.ENDED]))
                .values(
                    state=RecordState.ENDED,
                    status=status,
                    last_cost=str(cost),
                    final_cost=str(cost),
                    duration=duration,
                    ended_at=now,
                )
                .returning(CallRow.team_id, CallRow.user_id, CallRow.subject_id)
            )
            row = result.first()
            if row is None:
                return False
            session.add(
                audit_row(
                    AuditEntry(
                        now,
                        row.team_id,
                        row.user_id,
                        AuditAction.ENDED,
                        call_key=key,
                        subject_id=row.subject_id,
                        detail=detail,
                        cost=cost,
                    )
                )
            )
            return True

    async def final_shown(self, key: str) -> None:
        """The call's message shows its end: nothing more for anyone to write."""
        async with self.db.engine.begin() as conn:
            await conn.execute(update(CallRow).where(CallRow.key == key).values(final_shown=True))

    async def live_calls(
        self, team_id: str | None = None, user_id: str | None = None
    ) -> list[CallRecord]:
        query = select(CallRow).where(CallRow.state.in_(ACTIVE_STATES))
        if team_id is not None:
            query = query.where(CallRow.team_id == team_id)
        if user_id is not None:
            query = query.where(CallRow.user_id == user_id)
        async with self._session() as session:
            rows = (await session.execute(query.order_by(CallRow.created_at))).scalars()
            return [CallRecord.from_row(r) for r in rows]
