"""Questions about past and present calls: spend, repeats, reports, messages behind."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, func, or_, select

from .calls import NOT_SHOWN_ENDED
from .database import Part, runs_to_completion
from .lifecycle import ACTIVE_STATES, RecordState
from .records import CallRecord, DialPlan, Requester, call_cost
from .schema import CallRow


@runs_to_completion
class CallHistory(Part):
    async def spend_today(self, team_id: str, user_id: str, now: datetime) -> Decimal:
        """Calls ended today (UTC) plus the running cost of live ones."""
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return await self._spend(midnight, CallRow.team_id == team_id, CallRow.user_id == user_id)

    async def spend_in_channel(self, team_id: str, channel_id: str, now: datetime) -> Decimal:
        """Calls placed from `channel_id` that ended this month (UTC), plus the running cost
        of its live ones: what counts against its monthly budget."""
        first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        return await self._spend(
            first, CallRow.team_id == team_id, CallRow.channel_id == channel_id
        )

    async def _spend(self, since: datetime, *where: ColumnElement[bool]) -> Decimal:
        async with self._session() as session:
            rows = await session.execute(
                select(CallRow.final_cost, CallRow.last_cost).where(
                    *where,
                    or_(
                        CallRow.state.in_(ACTIVE_STATES),
                        and_(CallRow.state == RecordState.ENDED, CallRow.ended_at >= since),
                    ),
                )
            )
            return sum(
                (
                    call_cost(None if final is None else Decimal(final), Decimal(so_far))
                    for final, so_far in rows
                ),
                Decimal(0),
            )

    async def same_dial_since(
        self, req: Requester, plan: DialPlan, since: datetime
    ) -> datetime | None:
        """When the requester last dialled this very call (or conference) since `since`,
        placed or under way; None if not."""
        async with self._session() as session:
            created: datetime | None = await session.scalar(
                select(func.max(CallRow.created_at)).where(
                    CallRow.team_id == req.team_id,
                    CallRow.user_id == req.user_id,
                    CallRow.kind == plan.kind,
                    CallRow.src == plan.src,
                    CallRow.dsts == json.dumps(list(plan.dsts)),
                    CallRow.created_at >= since,
                    CallRow.state != RecordState.NOT_PLACED,
                )
            )
        if created is not None and created.tzinfo is None:  # an aggregate loses the type
            created = created.replace(tzinfo=UTC)
        return created

    async def calls_between(
        self, team_id: str | None, start: datetime, end: datetime, user_id: str | None = None
    ) -> list[CallRecord]:
        """Calls dialled in [start, end), oldest first (of one workspace, or all; of one
        user, or all)."""
        query = select(CallRow).where(CallRow.created_at >= start, CallRow.created_at < end)
        if team_id is not None:
            query = query.where(CallRow.team_id == team_id)
        if user_id is not None:
            query = query.where(CallRow.user_id == user_id)
        async with self._session() as session:
            rows = (await session.execute(query.order_by(CallRow.created_at))).scalars()
            return [CallRecord.from_row(r) for r in rows]

    async def recent_calls(self, team_id: str, user_id: str, limit: int = 10) -> list[CallRecord]:
        """A user's latest calls that are over, latest first."""
        async with self._session() as session:
            rows = (
                await session.execute(
                    select(CallRow)
                    .where(
                        CallRow.team_id == team_id,
                        CallRow.user_id == user_id,
                        CallRow.state.not_in(ACTIVE_STATES),
                    )
                    .order_by(CallRow.created_at.desc())
                    .limit(limit)
                )
            ).scalars()
            return [CallRecord.from_row(r) for r in rows]

    async def delivery_backlog(self, now: datetime) -> tuple[int, float]:
        """Messages behind their calls, in every instance: live calls never posted and
        ended ones not shown ended; and how long the oldest has waited (seconds)."""
        behind = and_(
            CallRow.delivery_error.is_(None),
            or_(
                and_(CallRow.state.in_(ACTIVE_STATES), CallRow.message_ts.is_(None)),
                NOT_SHOWN_ENDED,
            ),
        )
        since = func.min(func.coalesce(CallRow.ended_at, CallRow.created_at))
        async with self.db.engine.connect() as conn:
            count, oldest = (
                await conn.execute(select(func.count(), since).select_from(CallRow).where(behind))
            ).one()
        if oldest is None:
            return 0, 0.0
        if oldest.tzinfo is None:  # SQLite gives the aggregate back naive
            oldest = oldest.replace(tzinfo=UTC)
        return int(count), max(0.0, (now - oldest).total_seconds())
