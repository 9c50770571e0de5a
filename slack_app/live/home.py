"""Republishes a user's App Home when their calls change (placed, ended).

views.publish is not chat.update, so this spends none of the message budget;
it still waits `spacing` seconds between publishes for one user, and changes
arriving meanwhile collapse into the next publish (built when it is sent, so
it shows the latest state). A failure is logged and forgotten: the home tab
is a convenience, the call messages are what must stay true.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from ..slack_gateway import SlackGateway

_LOGGER = logging.getLogger(__name__)

User = tuple[str, str]  # team id, user id
BuildHome = Callable[[str, str], Awaitable[dict[str, Any]]]


class HomeRefresher:
    def __init__(self, gateway: SlackGateway, build: BuildHome, *, spacing: float = 3.0) -> None:
        self.gateway = gateway
        self.build = build
        self.spacing = spacing
        self._dirty: set[User] = set()
        self._last: dict[User, float] = {}
        self._tasks: dict[User, asyncio.Task[None]] = {}

    def request(self, team_id: str, user_id: str) -> None:
        """Publish `user_id`'s home soon (never raises; needs a running loop)."""
        who = (team_id, user_id)
        self._dirty.add(who)
        if who not in self._tasks:
            self._tasks[who] = asyncio.create_task(self._run(who), name="home-refresh")

    async def stop(self) -> None:
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        self._dirty.clear()

    async def _run(self, who: User) -> None:
        try:
            while who in self._dirty:
                wait = self._last.get(who, float("-inf")) + self.spacing - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._dirty.discard(who)  # changes from now on need another publish
                await self._publish(who)
                self._last[who] = time.monotonic()
        finally:
            self._tasks.pop(who, None)
            self._forget_old()

    async def _publish(self, who: User) -> None:
        team_id, user_id = who
        try:
            view = await self.build(team_id, user_id)
            result = await self.gateway.views_publish(user_id, view)
        except Exception:
            _LOGGER.exception("Refreshing the App Home of %s failed", user_id)
            return
        if not result.ok:
            _LOGGER.warning("Refreshing the App Home of %s failed: %s", user_id, result.error)

    def _forget_old(self) -> None:
        # Only the last `spacing` seconds matter; keep the dict small.
        horizon = time.monotonic() - self.spacing
        for who in [w for w, at in self._last.items() if at < horizon]:
            del self._last[who]
