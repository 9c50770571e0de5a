"""Which Workspace answers a request: the one of a single-workspace app, or the
one built (once, on first use) for an installed workspace."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from ..errors import UserError
from .workspace import Workspace

_LOGGER = logging.getLogger(__name__)


class NotConnected(UserError):
    """The workspace is installed but has no Talkety account (yet)."""

    def __init__(self) -> None:
        super().__init__(
            "This workspace has not connected a Talkety account yet. An admin of the app "
            "connects it in my App Home (open Talkety in the sidebar, then *Connect Talkety*)."
        )


class Directory(Protocol):
    async def get(self, team_id: str) -> Workspace:
        """The workspace for `team_id`, or NotConnected."""

    def running(self) -> list[Workspace]: ...

    async def start(self) -> None: ...

    async def stop(self, *, release: bool = True) -> None: ...

    async def forget(self, team_id: str) -> None:
        """Stop acting for `team_id` (uninstalled, tokens revoked, account changed)."""


class SingleWorkspace:
    """One bot token and one Talkety account from the environment: an internal app."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    async def get(self, team_id: str) -> Workspace:
        return self.workspace

    def running(self) -> list[Workspace]:
        return [self.workspace]

    async def start(self) -> None:
        await self.workspace.start()

    async def stop(self, *, release: bool = True) -> None:
        await self.workspace.stop(release=release)

    async def forget(self, team_id: str) -> None:
        # The token comes from the environment: nothing here to forget.
        return None


Build = Callable[[str], Awaitable[Workspace | None]]
ListConnected = Callable[[], Awaitable[list[str]]]
Version = Callable[[str], Awaitable[object]]

# How long a workspace's settings are trusted before the database is asked whether an
# admin changed them (on this instance or another).
RECHECK_SECONDS = 10.0


class InstalledWorkspaces:
    """A Workspace per installed workspace with a Talkety account, started when first
    needed (or at start-up, so that calls live before a restart are followed again), and
    built again when its account or settings changed."""

    def __init__(
        self,
        build: Build,
        connected: ListConnected,
        version: Version,
        *,
        recheck: float | None = None,
    ) -> None:
        self._build = build
        self._connected = connected
        self._version = version
        self._recheck = RECHECK_SECONDS if recheck is None else recheck
        self._running: dict[str, Workspace] = {}
        self._built: dict[str, tuple[object, float]] = {}  # version, when last confirmed
        # One build per team at a time: two trackers following one team's calls
        # would each write its messages.
        self._locks: dict[str, asyncio.Lock] = {}
        self._stopped = False

    async def get(self, team_id: str) -> Workspace:
        workspace = self._running.get(team_id)
        if workspace is not None and not self._stale(team_id):
            return workspace
        async with self._locks.setdefault(team_id, asyncio.Lock()):
            workspace = self._running.get(team_id)
            if workspace is not None and self._stale(team_id):
                version = await self._version(team_id)
                if version == self._built[team_id][0]:
                    self._built[team_id] = (version, time.monotonic())
                else:  # an admin changed it, maybe on another instance
                    await self._stop(team_id)
                    workspace = None
            if workspace is None:
                if self._stopped:
                    raise NotConnected()
                version = await self._version(team_id)
                workspace = await self._build(team_id)
                if workspace is None:
                    raise NotConnected()
                await workspace.start()
                self._running[team_id] = workspace
                self._built[team_id] = (version, time.monotonic())
            return workspace

    def _stale(self, team_id: str) -> bool:
        built = self._built.get(team_id)
        return built is None or time.monotonic() - built[1] > self._recheck

    async def _stop(self, team_id: str) -> None:
        self._built.pop(team_id, None)
        workspace = self._running.pop(team_id, None)
        if workspace is not None:
            await workspace.stop(release=True)

    def running(self) -> list[Workspace]:
        return list(self._running.values())

    async def start(self) -> None:
        self._stopped = False
        for team_id in await self._connected():
            try:
                await self.get(team_id)
            except NotConnected:
                continue
            except Exception:  # one workspace's broken settings must not stop the others
                _LOGGER.exception("Starting workspace %s failed", team_id)

    async def stop(self, *, release: bool = True) -> None:
        self._stopped = True
        running, self._running = self._running, {}
        self._built.clear()
        for workspace in running.values():
            with contextlib.suppress(Exception):
                await workspace.stop(release=release)

    async def forget(self, team_id: str) -> None:
        async with self._locks.setdefault(team_id, asyncio.Lock()):
            await self._stop(team_id)
