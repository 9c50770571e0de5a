"""Which instance follows a call and writes its message, until when."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from .calls import NOT_SHOWN_ENDED
from .database import Part, runs_to_completion
from .lifecycle import ACTIVE_STATES
from .records import CallRecord
from .schema import CallRow, LeaseRow


@runs_to_completion
class LeaseStore(Part):
    async def acquire(self, key: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        """Take (or keep) the lease on `key` unless a live holder has it."""
        async with self._session.begin() as session:
            result = await session.execute(
                update(LeaseRow)
                .where(
                    LeaseRow.key == key,
                    or_(LeaseRow.holder == holder, LeaseRow.expires_at < now),
                )
                .values(holder=holder, expires_at=now + ttl)
            )
            if result.rowcount:
                return True
        try:
            async with self._session.begin() as session:
                session.add(LeaseRow(key=key, holder=holder, expires_at=now + ttl))
        except IntegrityError:
            return False  # someone else holds it
        return True

    async def renew(
        self, keys: Iterable[str], holder: str, now: datetime, ttl: timedelta
    ) -> set[str]:
        """Extend the leases still held; returns those (the others were lost)."""
        keys = list(keys)
        if not keys:
            return set()
        async with self._session.begin() as session:
            await session.execute(
                update(LeaseRow)
                .where(LeaseRow.key.in_(keys), LeaseRow.holder == holder)
                .values(expires_at=now + ttl)
            )
            held = await session.execute(
                select(LeaseRow.key).where(LeaseRow.key.in_(keys), LeaseRow.holder == holder)
            )
            return {k for (k,) in held}

    async def release(self, keys: Iterable[str], holder: str) -> None:
        keys = list(keys)
        if not keys:
            return
        async with self._session.begin() as session:
            await session.execute(
                delete(LeaseRow).where(LeaseRow.key.in_(keys), LeaseRow.holder == holder)
            )

    async def orphans(
        self, now: datetime, limit: int = 500, *, team_id: str | None = None
    ) -> list[CallRecord]:
        """Calls nobody holds (holder died, or the lease was released) that still need
        someone: live ones, and ended ones whose message does not show the end yet; of
        one workspace when `team_id` is given."""
        query = (
            select(CallRow)
            .outerjoin(LeaseRow, LeaseRow.key == CallRow.key)
            .where(
                or_(CallRow.state.in_(ACTIVE_STATES), NOT_SHOWN_ENDED),
                or_(LeaseRow.key.is_(None), LeaseRow.expires_at < now),
            )
        )
        if team_id is not None:
            query = query.where(CallRow.team_id == team_id)
        async with self._session() as session:
            rows = (
                await session.execute(query.order_by(CallRow.created_at).limit(limit))
            ).scalars()
            return [CallRecord.from_row(r) for r in rows]
