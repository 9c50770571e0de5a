"""Workflow Builder steps: each run once per execution, and open until Slack has been told
how it ended (any instance may tell it: the call may end anywhere)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from .database import Part, runs_to_completion
from .lifecycle import FINAL_STATES
from .records import CallRecord
from .schema import CallRow, StepRow


@dataclass(frozen=True, slots=True)
class StepRecord:
    execution_id: str
    team_id: str
    user_id: str
    function: str
    call_key: str | None
    refused: str | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: StepRow) -> StepRecord:
        return cls(
            row.execution_id,
            row.team_id,
            row.user_id,
            row.function,
            row.call_key,
            row.refused,
            row.created_at,
        )


@runs_to_completion
class StepStore(Part):
    async def claim(
        self, execution_id: str, team_id: str, user_id: str, function: str, now: datetime
    ) -> bool:
        """True for the first delivery of an execution; False for Slack's retries of it
        (on any instance), which must not dial again."""
        try:
            async with self.db.engine.begin() as conn:
                await conn.execute(
                    insert(StepRow).values(
                        execution_id=execution_id,
                        team_id=team_id,
                        user_id=user_id,
                        function=function,
                        created_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True

    async def refuse(self, execution_id: str, reason: str) -> None:
        """Nothing was dialled, for `reason`: kept until Slack has been told it."""
        async with self._session.begin() as session:
            await session.execute(
                update(StepRow).where(StepRow.execution_id == execution_id).values(refused=reason)
            )

    async def due(
        self, team_id: str | None, stale_before: datetime, limit: int = 50
    ) -> list[tuple[StepRecord, CallRecord | None]]:
        """Open steps whose end Slack can be told: their call ended, they were refused,
        or they never got a call (an instance stopped between taking one and dialling it:
        the call is saved before it is dialled, so none was) since `stale_before`."""
        query = (
            select(StepRow, CallRow)
            .outerjoin(CallRow, CallRow.key == StepRow.call_key)
            .where(
                StepRow.closed_at.is_(None),
                or_(
                    CallRow.state.in_(FINAL_STATES),
                    StepRow.refused.is_not(None),
                    and_(StepRow.call_key.is_(None), StepRow.created_at < stale_before),
                ),
            )
            .order_by(StepRow.created_at)
            .limit(limit)
        )
        if team_id is not None:
            query = query.where(StepRow.team_id == team_id)
        async with self._session() as session:
            rows = (await session.execute(query)).all()
        return [
            (StepRecord.from_row(step), None if call is None else CallRecord.from_row(call))
            for step, call in rows
        ]

    async def close(self, execution_id: str, now: datetime) -> bool:
        """Slack knows how the step ended; True only for the one who closed it."""
        async with self._session.begin() as session:
            result = await session.execute(
                update(StepRow)
                .where(StepRow.execution_id == execution_id, StepRow.closed_at.is_(None))
                .values(closed_at=now)
            )
            return bool(result.rowcount)

    async def get(self, execution_id: str) -> StepRecord | None:
        async with self._session() as session:
            row = await session.get(StepRow, execution_id)
            return None if row is None else StepRecord.from_row(row)
