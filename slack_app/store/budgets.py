"""Channels' monthly budgets, set by admins with `/call budget`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import delete, select

from .database import Part, runs_to_completion
from .schema import ChannelBudgetRow


@runs_to_completion
class ChannelBudgetStore(Part):
    async def set(
        self, team_id: str, channel_id: str, monthly: Decimal | None, by: str, now: datetime
    ) -> None:
        """The channel's budget from now on (None: no budget)."""
        async with self._session.begin() as session:
            await session.execute(
                delete(ChannelBudgetRow).where(
                    ChannelBudgetRow.team_id == team_id, ChannelBudgetRow.channel_id == channel_id
                )
            )
            if monthly is not None:
                session.add(
                    ChannelBudgetRow(
                        team_id=team_id,
                        channel_id=channel_id,
                        monthly=str(monthly),
                        set_by=by,
                        set_at=now,
                    )
                )

    async def of(self, team_id: str, channel_id: str) -> Decimal | None:
        async with self._session() as session:
            row = await session.get(ChannelBudgetRow, (team_id, channel_id))
            return None if row is None else Decimal(row.monthly)

    async def all(self, team_id: str) -> dict[str, Decimal]:
        async with self._session() as session:
            rows = await session.execute(
                select(ChannelBudgetRow.channel_id, ChannelBudgetRow.monthly)
                .where(ChannelBudgetRow.team_id == team_id)
                .order_by(ChannelBudgetRow.channel_id)
            )
            return {channel: Decimal(monthly) for channel, monthly in rows}
