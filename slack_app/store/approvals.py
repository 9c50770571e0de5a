"""Dials waiting for a second person's approval. The decision itself is the pending
dial's one-time answer (pending.py), so two approvers clicking at once on two instances
dial once; this part keeps where each request was posted and who decided it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from .database import Part, runs_to_completion
from .lifecycle import PendingState
from .records import PendingDial
from .schema import ApprovalRow, PendingRow


@dataclass(frozen=True, slots=True)
class Approval:
    """A request for approval, with the dial it is for and how it stands."""

    pending: PendingDial
    reason: str
    channel_id: str
    message_ts: str | None
    decided_by: str | None

    @property
    def state(self) -> PendingState:
        return self.pending.state

    @classmethod
    def from_rows(cls, approval: ApprovalRow, pending: PendingRow) -> Approval:
        return cls(
            PendingDial.from_row(pending),
            approval.reason,
            approval.channel_id,
            approval.message_ts,
            approval.decided_by,
        )


@runs_to_completion
class ApprovalStore(Part):
    async def add(self, pending: PendingDial, reason: str, channel_id: str) -> None:
        async with self._session.begin() as session:
            session.add(
                ApprovalRow(
                    id=pending.id,
                    team_id=pending.requester.team_id,
                    reason=reason,
                    channel_id=channel_id,
                )
            )

    async def posted(self, approval_id: str, ts: str) -> None:
        async with self._session.begin() as session:
            await session.execute(
                update(ApprovalRow).where(ApprovalRow.id == approval_id).values(message_ts=ts)
            )

    async def get(self, approval_id: str) -> Approval | None:
        async with self._session() as session:
            row = (
                await session.execute(
                    select(ApprovalRow, PendingRow)
                    .join(PendingRow, PendingRow.id == ApprovalRow.id)
                    .where(ApprovalRow.id == approval_id)
                )
            ).first()
        return None if row is None else Approval.from_rows(*row)

    async def decide(
        self, approval_id: str, answer: PendingState, by: str | None, not_before: datetime
    ) -> bool:
        """pending -> approved (used) / denied (cancelled) / expired, once, in one
        transaction with who decided: True only for the one decision that counts.
        `not_before`: a request older than this can only expire."""
        async with self._session.begin() as session:
            decided = await session.execute(
                update(PendingRow)
                .where(
                    PendingRow.id == approval_id,
                    PendingRow.state == PendingState.PENDING,
                    (PendingRow.created_at < not_before)
                    if answer is PendingState.EXPIRED
                    else (PendingRow.created_at >= not_before),
                )
                .values(state=answer)
            )
            if not decided.rowcount:
                return False
            await session.execute(
                update(ApprovalRow).where(ApprovalRow.id == approval_id).values(decided_by=by)
            )
            return True

    async def expired(self, team_id: str | None, before: datetime) -> list[str]:
        """Requests still waiting that were made before `before`."""
        query = (
            select(ApprovalRow.id)
            .join(PendingRow, PendingRow.id == ApprovalRow.id)
            .where(PendingRow.state == PendingState.PENDING, PendingRow.created_at < before)
            .limit(50)
        )
        if team_id is not None:
            query = query.where(ApprovalRow.team_id == team_id)
        async with self._session() as session:
            return list((await session.execute(query)).scalars())
