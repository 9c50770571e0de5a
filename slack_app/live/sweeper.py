"""Periodic work of one workspace that any instance may do: each job looks in the database
for what is due (a Workflow Builder step to complete, an approval to expire) and does it.
Run every `interval`, and at once when woken (a call just ended)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence

_LOGGER = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]


class Sweeper:
    def __init__(self, jobs: Sequence[Job], interval: float) -> None:
        self.jobs = tuple(jobs)
        self.interval = interval
        self._woken = asyncio.Event()
        self._loop: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._woken.set()

    def start(self) -> None:
        self._loop = asyncio.create_task(self._forever(), name="talkety-sweeper")

    async def stop(self) -> None:
        if self._loop is not None:
            self._loop.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop
            self._loop = None

    async def _forever(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), self.interval)
            self._woken.clear()
            for job in self.jobs:
                try:
                    await job()
                except Exception:  # a database or Slack hiccup: the next sweep tries again
                    _LOGGER.exception("Sweep job %s failed", getattr(job, "__qualname__", job))
