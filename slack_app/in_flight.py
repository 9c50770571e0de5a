"""Listener work still running after Slack got its ack.

Bolt runs each listener in a task of its own that outlives the HTTP request,
so nothing else would know a dial is half done when the app stops. Stopping
waits for that work before it closes the store: cutting a dial short after it
was sent leaves the call unrecorded, and cutting a query short leaks its
database connection (and with it a thread that keeps the process alive).

That work also runs a few at a time, and starts while no request waits for
its ack (`run`): Slack wants every ack within 3 s, the answers can wait, and
acks and work share one event loop. Without that, a burst of commands makes
each ack wait behind everybody's pricing and dialling; with it, acks stay as
fast as Bolt's own and the work follows in order, held back by at most
ACK_PRIORITY_WAIT.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

_LOGGER = logging.getLogger(__name__)

Listener = TypeVar("Listener", bound=Callable[..., Awaitable[Any]])


T = TypeVar("T")

# Enough to keep the Talkety API and Slack busy in parallel, few enough that
# acks get nearly all of the loop when a burst arrives.
WORK_SLOTS = 2
# The longest a piece of work waits for the acks of a burst to go out first.
ACK_PRIORITY_WAIT = 0.25


class InFlight:
    def __init__(self, work_slots: int = WORK_SLOTS) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._slots = asyncio.Semaphore(work_slots)
        self._requests = 0  # HTTP requests from Slack not answered yet
        self._quiet = asyncio.Event()
        self._quiet.set()

    def request_started(self) -> None:
        self._requests += 1
        self._quiet.clear()

    def request_answered(self) -> None:
        self._requests -= 1
        if not self._requests:
            self._quiet.set()

    async def run(self, work: Awaitable[T], *, urgent: bool = False) -> T:
        """`work` once a slot is free and no ack is pending (or ACK_PRIORITY_WAIT has
        passed); `urgent` work (opening a modal: its trigger expires in 3 s) goes at once."""
        if urgent:
            return await work
        async with self._slots:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(ACK_PRIORITY_WAIT):
                    await self._quiet.wait()
            return await work

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
