"""Dials waiting for their requester's confirmation; each is answered once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from .database import Part, runs_to_completion
from .keys import new_key
from .lifecycle import PendingState
from .records import DialPlan, PendingDial, Requester, dial_columns
from .schema import PendingRow


@runs_to_completion
class PendingDials(Part):
    async def add(self, req: Requester, plan: DialPlan, now: datetime) -> PendingDial:
        row = PendingRow(
            id=new_key(),
            **dial_columns(req, plan),
            target_key=plan.target_key,
            state=PendingState.PENDING,
            created_at=now,
        )
        async with self._session.begin() as session:
            session.add(row)
        return PendingDial.from_row(row)

    async def get(self, pending_id: str) -> PendingDial | None:
        async with self._session() as session:
            row = await session.get(PendingRow, pending_id)
            return None if row is None else PendingDial.from_row(row)

    async def answer(self, pending_id: str, answer: PendingState, not_before: datetime) -> bool:
        """pending -> used/cancelled, once: a double click finds it already answered."""
        async with self._session.begin() as session:
            result = await session.execute(
                update(PendingRow)
                .where(
                    PendingRow.id == pending_id,
                    PendingRow.state == PendingState.PENDING,
                    PendingRow.created_at >= not_before,
                )
                .values(state=answer)
            )
            return bool(result.rowcount)
