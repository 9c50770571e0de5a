"""Listener work still running after Slack got its ack.

Bolt runs each listener in a task of its own that outlives the HTTP request,
so nothing else would know a dial is half done when the app stops. Stopping
waits for that work before it closes the store: cutting a dial short after it
was sent leaves the call unrecorded, and cutting a query short leaks its
database connection (and with it a thread that keeps the process alive).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

_LOGGER = logging.getLogger(__name__)

Listener = TypeVar("Listener", bound=Callable[..., Awaitable[Any]])


class InFlight:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return sum(1 for task in self._tasks if not task.done())

    def track(self, listener: Listener) -> Listener:
        """`listener`, counted while it runs (Bolt still sees its own signature)."""

        @functools.wraps(listener)
        async def tracked(*args: Any, **kwargs: Any) -> Any:
            task = asyncio.current_task()
            if task is not None:
                self._tasks.add(task)
            try:
                return await listener(*args, **kwargs)
            finally:
                if task is not None:
                    self._tasks.discard(task)

        return tracked  # type: ignore[return-value]

    async def drain(self, grace: float) -> int:
        """Wait up to `grace` seconds for running listeners, then cancel the rest.

        Returns how many had to be cancelled.
        """
        running = {task for task in self._tasks if not task.done()}
        if not running:
            return 0
        _LOGGER.info("Waiting for %d Slack request(s) still being handled", len(running))
        _done, late = await asyncio.wait(running, timeout=grace)
        for task in late:
            task.cancel()
        if late:
            _LOGGER.warning("Stopped %d Slack request(s) that did not finish in time", len(late))
            await asyncio.wait(late)
        return len(late)
