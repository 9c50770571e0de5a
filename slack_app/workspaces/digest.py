"""The daily digest: yesterday's spend, top users, calls a limit hung up and calls whose
outcome stayed unknown, posted once a day (by one instance) to the report channel."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from ..config import Settings
from ..store import Store
from .directory import Directory
from .installs import Installs
from .workspace import Workspace

_LOGGER = logging.getLogger(__name__)


class DailyDigest:
    def __init__(
        self,
        settings: Settings,
        *,
        workspaces: Directory,
        store: Store,
        installs: Installs | None,
        now: Callable[[], datetime],
    ) -> None:
        self.settings = settings
        self.workspaces = workspaces
        self.store = store
        self.installs = installs  # distributed mode: each workspace's own channel
        self.now = now
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        # Single-workspace mode needs the channel from the environment; in distributed
        # mode each workspace's admins choose theirs.
        if self.settings.report_channel or self.settings.distributed:
            self._task = asyncio.create_task(self._run(), name="talkety-digest")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def next_run(self, now: datetime) -> datetime:
        at = now.replace(
            hour=self.settings.report_time.hour,
            minute=self.settings.report_time.minute,
            second=0,
            microsecond=0,
        )
        return at if at > now else at + timedelta(days=1)

    async def _run(self) -> None:
        while True:
            now = self.now()
            await asyncio.sleep((self.next_run(now) - now).total_seconds())
            try:
                await self.post_all()
            except Exception:  # tomorrow's digest must still come
                _LOGGER.exception("Posting the daily digest failed")

    async def post_all(self) -> int:
        """Post yesterday's digest in every workspace that has a channel for it; how many
        were posted by this instance (another may have posted some first)."""
        posted = 0
        for workspace in self.workspaces.running():
            channel = await self._channel(workspace)
            if channel and await self.post(workspace, channel):
                posted += 1
        return posted

    async def _channel(self, workspace: Workspace) -> str | None:
        installs = self.installs
        if installs is not None and workspace.team_id is not None:
            return await installs.report_channel(workspace.team_id) or None
        return self.settings.report_channel or None

    async def post(self, workspace: Workspace, channel: str) -> bool:
        now = self.now()
        summary = await workspace.reports.summary("yesterday")
        key = f"digest:{workspace.team_id or '-'}:{summary.period.start:%Y-%m-%d}"
        if not await self.store.once_keys.once(key, now, timedelta(days=2)):
            return False  # another instance posted it
        text, blocks = workspace.reports.blocks(summary, "Talkety daily digest")
        result = await workspace.gateway.post_message(channel, text, blocks)
        if not result.ok:
            _LOGGER.warning("The daily digest could not be posted in %s: %s", channel, result.error)
        return result.ok
