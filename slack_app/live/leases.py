"""This instance's leases on calls: the database decides which instance follows a call
and writes its message. Leases are renewed in a loop; a call whose holder stopped
renewing is taken over by whichever instance sees it first."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from ..store import CallRecord, Store


class Leases:
    def __init__(
        self,
        store: Store,
        instance_id: str,
        ttl: timedelta,
        now: Callable[[], datetime],
        *,
        monotonic: Callable[[], float] = time.monotonic,
        renew_interval: float | None = None,
        team_id: str | None = None,
    ) -> None:
        self.store = store
        # Only this workspace's calls are ours to take over (None: every call).
        self.team_id = team_id
        self.instance_id = instance_id
        self.ttl = ttl
        self.now = now
        # `now` dates the leases in the database (shared by every instance);
        # `monotonic` measures our own freshness, immune to wall-clock jumps.
        self.monotonic = monotonic
        self.renew_interval = renew_interval or ttl.total_seconds() / 3
        self.held: set[str] = set()
        # When our leases were last confirmed: if the database cannot be
        # reached for a whole TTL, another instance may own them by now.
        self._renewed_at = monotonic()

    def restart(self) -> None:
        self._renewed_at = self.monotonic()

    def hold(self, key: str) -> None:
        self.held.add(key)

    def holds(self, key: str) -> bool:
        return key in self.held

    def let_go(self, key: str) -> None:
        """Stop renewing `key` (release() also tells the database)."""
        self.held.discard(key)

    def fresh(self, key: str) -> bool:
        """Whether we may write for `key` now: ours, and confirmed recently enough."""
        confirmed = self.monotonic() - self._renewed_at < self.ttl.total_seconds() * 0.9
        return confirmed and key in self.held

    async def renew(self) -> set[str]:
        """Renew every lease we hold; returns the keys another instance has taken."""
        started = self.monotonic()
        mine = set(self.held)
        kept = await self.store.leases.renew(mine, self.instance_id, self.now(), self.ttl)
        self._renewed_at = started
        lost = mine - kept
        self.held -= lost
        return lost

    async def take_orphans(self) -> list[CallRecord]:
        """Calls whose holder stopped renewing, now leased to us."""
        now = self.now()
        taken = []
        for record in await self.store.leases.orphans(now, team_id=self.team_id):
            if record.key in self.held:
                continue
            if await self.store.leases.acquire(record.key, self.instance_id, now, self.ttl):
                self.held.add(record.key)
                taken.append(record)
        return taken

    async def release(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        self.held.difference_update(keys)
        if keys:
            await self.store.leases.release(keys, self.instance_id)
