"""Things done at most once per key, in every instance: a request's replay check, a
shortcut's dial, a call-back, a day's digest."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from .database import Part, runs_to_completion
from .schema import OnceRow


@runs_to_completion
class OnceKeys(Part):
    async def once(self, key: str, now: datetime, window: timedelta) -> bool:
        """True for the first caller with `key` within `window` (any instance), False
        for every repeat: a double click or a second submission does nothing.

        One INSERT on the usual path (every Slack request takes this path once: the
        replay check); on a conflict, an UPDATE that only an expired key lets through,
        so of two callers racing for an expired key exactly one wins."""
        try:
            async with self.db.engine.begin() as conn:
                await conn.execute(insert(OnceRow).values(key=key, created_at=now))
        except IntegrityError:
            async with self.db.engine.begin() as conn:
                renewed = await conn.execute(
                    update(OnceRow)
                    .where(OnceRow.key == key, OnceRow.created_at < now - window)
                    .values(created_at=now)
                )
            return bool(renewed.rowcount)
        return True

    async def once_many(self, keys: Sequence[str], now: datetime, window: timedelta) -> set[str]:
        """`once` for many distinct keys in one transaction: the keys this caller got."""
        try:
            async with self.db.engine.begin() as conn:
                held = await conn.execute(
                    select(OnceRow.key, OnceRow.created_at).where(OnceRow.key.in_(keys))
                )
                taken = {key: created for key, created in held}
                new = [key for key in keys if key not in taken]
                if new:
                    await conn.execute(
                        insert(OnceRow), [{"key": key, "created_at": now} for key in new]
                    )
        except IntegrityError:
            # Another instance took one of them meanwhile: each on its own, then.
            return {key for key in keys if await self.once(key, now, window)}
        # Rare (a key asked for again after its window): once() settles races for these.
        expired = [key for key, created in taken.items() if created < now - window]
        return {*new, *[key for key in expired if await self.once(key, now, window)]}

    async def prune_once(self, prefix: str, before: datetime) -> None:
        """Keys of `prefix` older than `before`: never asked about again, so forgotten."""
        async with self.db.engine.begin() as conn:
            await conn.execute(
                delete(OnceRow).where(OnceRow.key.startswith(prefix), OnceRow.created_at < before)
            )

    async def forget_once(self, key: str) -> None:
        """Nothing was done under `key` after all (refused before dialling): allow it."""
        async with self._session.begin() as session:
            await session.execute(delete(OnceRow).where(OnceRow.key == key))
