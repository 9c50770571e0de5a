"""Writes call messages to Slack: one writer per message, one budget per workspace.

Events only mark a message dirty (with a priority); a worker per workspace
picks the most urgent dirty message, rebuilds it whole from the latest state
and sends one chat.update. So a burst of cost ticks costs one update, status
changes and endings jump the queue, cost ticks of one message are spaced by
`progress_interval`, and nothing is sent faster than the budget allows
(grafana oncall's debounced message updater works the same way).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from enum import IntEnum
from typing import Protocol

from ..blocks.call_message import Rendered
from ..slack_gateway import (
    AUTH_ERRORS,
    CHANNEL_ERRORS,
    RATE_LIMITED,
    STALE_MESSAGE_ERRORS,
    SlackGateway,
    SlackResult,
    is_transient,
)
from .budget import UpdateBudget

_LOGGER = logging.getLogger(__name__)

AUTH_PAUSE = 60.0
DEFAULT_RETRY_AFTER = 5.0
LEASE_WAIT = 1.0
# Seconds before each retry of a write Slack failed (a 5xx, `internal_error`, no answer,
# or an error this app does not know): the last figure repeats until the write lands, so
# a message lands at most that long after Slack recovers. The workspace's chat.update budget
# still spaces every write, retries included.
RETRY_BACKOFF = (2.0, 4.0, 8.0, 10.0)


class Priority(IntEnum):
    FINAL = 0
    STATUS = 1
    PROGRESS = 2


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What one message should show now (see MessageSource.snapshot)."""

    channel: str | None  # None: not posted yet
    ts: str | None
    origin_channel: str  # where the call was started (first post goes there)
    origin_thread: str | None  # and the thread in it, if it was asked from one
    user_id: str
    version: Hashable  # equal versions render equal messages: skip the update
    final: bool
    render: Callable[[], Rendered]
    # What the message shows, whenever rendered (no "updated at"): equal looks need no
    # update either, such as a post followed by a first poll that changed nothing shown.
    look: Callable[[], Hashable]


class MessageSource(Protocol):
    def snapshot(self, key: str) -> Snapshot | None: ...
    def may_write(self, key: str) -> bool: ...
    async def posted(self, key: str, channel: str, ts: str) -> None: ...
    async def undeliverable(self, key: str, error: str) -> None: ...
    async def final_written(self, key: str) -> None: ...


@dataclass(slots=True)
class _Entry:
    key: str
    team_id: str
    dirty: Priority | None = None
    dirty_since: float = 0.0
    last_sent: float = float("-inf")
    retry_at: float = 0.0
    # hash() of the version last shown: holding the version itself would keep each
    # call's previous state alive next to its current one.
    sent_version: int | None = None
    sent_look: int | None = None
    dm_tried: bool = False
    failures: int = 0  # writes failed in a row (the retry backoff's step)


@dataclass
class UpdaterStats:
    sent: int = 0
    posted: int = 0
    skipped: int = 0
    rate_limited: int = 0
    transport_errors: int = 0
    errors: int = 0


class MessageUpdater:
    def __init__(
        self,
        gateway: SlackGateway,
        source: MessageSource,
        *,
        budget_per_minute: int = 45,
        budget_window: float = 60.0,
        progress_interval: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.gateway = gateway
        self.source = source
        self.budget_per_minute = budget_per_minute
        self.budget_window = budget_window  # tests and benchmarks shrink the minute
        self.progress_interval = progress_interval
        self.clock = clock
        self.stats = UpdaterStats()
        self._entries: dict[str, _Entry] = {}
        self._budgets: dict[str, UpdateBudget] = {}
        self._wakeups: dict[str, asyncio.Event] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._auth_warned: set[str] = set()
        self._tasks: set[asyncio.Future[None]] = set()
        # Observers (benchmarks, tests): called after each successful write with
        # the message's key, since when it was dirty and the priority it was sent at.
        self.on_sent: list[Callable[[str, float, Priority | None], None]] = []

    # --- marking ---------------------------------------------------------

    def mark(self, key: str, team_id: str, priority: Priority, *, force: bool = False) -> None:
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry(key, team_id)
        if force:
            entry.sent_version = entry.sent_look = None
        now = self.clock()
        if entry.dirty is None:
            entry.dirty, entry.dirty_since = priority, now
        elif priority < entry.dirty:
            entry.dirty = priority
        self._wake(team_id)

    def prime(self, key: str, team_id: str, version: Hashable, look: Hashable) -> None:
        """The message was just posted showing `version` (`look`): nothing to send yet."""
        self._entries[key] = _Entry(
            key, team_id, sent_version=hash(version), sent_look=hash(look), last_sent=self.clock()
        )

    def behind(self, team_id: str | None = None) -> tuple[int, float]:
        """Messages waiting to be written, and how long the oldest has waited (seconds)."""
        waiting = [
            e.dirty_since
            for e in self._entries.values()
            if e.dirty is not None and (team_id is None or e.team_id == team_id)
        ]
        return len(waiting), (self.clock() - min(waiting)) if waiting else 0.0

    def forget(self, key: str) -> None:
        self._entries.pop(key, None)

    def pending(self) -> int:
        return sum(1 for e in self._entries.values() if e.dirty is not None)

    def _wake(self, team_id: str) -> None:
        self._wakeups.setdefault(team_id, asyncio.Event()).set()
        worker = self._workers.get(team_id)
        if worker is None or worker.done():
            self._workers[team_id] = asyncio.create_task(
                self._work(team_id), name=f"slack-updater-{team_id}"
            )

    async def stop(self) -> None:
        workers = [*self._workers.values(), *self._tasks]
        for worker in workers:
            worker.cancel()
        for worker in workers:
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        self._workers.clear()

    # --- the worker ------------------------------------------------------

    def budget(self, team_id: str) -> UpdateBudget:
        """The workspace's chat.update budget (its pause after a 429 included)."""
        if team_id not in self._budgets:
            self._budgets[team_id] = UpdateBudget(self.budget_per_minute, window=self.budget_window)
        return self._budgets[team_id]

    def _pick(self, team_id: str, now: float) -> tuple[_Entry | None, float | None]:
        """The most urgent sendable entry, else when the next one becomes sendable."""
        best: _Entry | None = None
        best_rank: tuple[float, ...] = ()
        soonest: float | None = None
        for entry in self._entries.values():
            if entry.team_id != team_id or entry.dirty is None:
                continue
            ready = entry.retry_at
            if entry.dirty is Priority.PROGRESS:
                ready = max(ready, entry.last_sent + self.progress_interval)
            if ready > now:
                soonest = ready if soonest is None else min(soonest, ready)
                continue
            # Progress ticks: the message updated longest ago goes first.
            since = entry.last_sent if entry.dirty is Priority.PROGRESS else entry.dirty_since
            rank = (float(entry.dirty), since)
            if best is None or rank < best_rank:
                best, best_rank = entry, rank
        return best, soonest

    async def _work(self, team_id: str) -> None:
        wakeup = self._wakeups.setdefault(team_id, asyncio.Event())
        budget = self.budget(team_id)
        while True:
            wakeup.clear()
            now = self.clock()
            entry, soonest = self._pick(team_id, now)
            if entry is None:
                timeout = None if soonest is None else max(0.0, soonest - now)
                if timeout is None and not any(
                    e.team_id == team_id and e.dirty is not None for e in self._entries.values()
                ):
                    await wakeup.wait()
                else:
                    # asyncio.timeout, not wait_for: see CallMonitor.run.
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(timeout):
                            await wakeup.wait()
                continue
            allowed = budget.next_allowed(now)
            if allowed > now:
                # Wait for budget, but re-pick afterwards: a more urgent change may arrive.
                await asyncio.sleep(allowed - now)
                continue
            try:
                await self._send(entry, budget)
            except asyncio.CancelledError:
                raise
            except Exception:  # never let one message kill the workspace's updates
                _LOGGER.exception("Updating the Slack message of %s failed", entry.key)
                self.stats.errors += 1
                if entry.dirty is None:
                    entry.dirty, entry.dirty_since = Priority.STATUS, self.clock()
                entry.retry_at = self.clock() + RETRY_BACKOFF[-1]

    async def _send(self, entry: _Entry, budget: UpdateBudget) -> None:
        key = entry.key
        snapshot = self.source.snapshot(key)
        if snapshot is None:
            self._entries.pop(key, None)  # gone, or nowhere to show it
            return
        if not self.source.may_write(key):
            # Our lease is not confirmed right now: wait (a lost lease makes
            # the tracker forget the entry altogether).
            entry.retry_at = self.clock() + LEASE_WAIT
            return
        priority, dirty_since = entry.dirty, entry.dirty_since
        version = hash(snapshot.version)
        if (
            snapshot.channel
            and not snapshot.final
            and (version == entry.sent_version or hash(snapshot.look()) == entry.sent_look)
        ):
            entry.dirty, entry.sent_version = None, version
            self.stats.skipped += 1
            return
        entry.dirty = None
        rendered = snapshot.render()
        look = hash(snapshot.look())
        now = self.clock()
        if snapshot.channel is None or snapshot.ts is None:
            result = await self.gateway.post_message(
                snapshot.origin_channel,
                rendered.text,
                rendered.blocks,
                thread_ts=snapshot.origin_thread,
            )
            if result.ok and result.ts and result.channel:
                self.stats.posted += 1
                await self.source.posted(key, result.channel, result.ts)
            elif result.error == RATE_LIMITED:
                # chat.postMessage's limit is per channel: only this message waits.
                self.stats.rate_limited += 1
                entry.dirty, entry.dirty_since = priority, dirty_since
                entry.retry_at = now + (result.retry_after or DEFAULT_RETRY_AFTER)
                return
        else:
            budget.record(now)
            result = await self.gateway.update_message(
                snapshot.channel, snapshot.ts, rendered.text, rendered.blocks
            )
            if result.error in STALE_MESSAGE_ERRORS:
                result = await self._replace(key, snapshot, rendered, result.error or "")
        if result.ok:
            self.stats.sent += 1
            self._slack_is_back(entry.team_id)
            entry.sent_version, entry.sent_look, entry.failures = version, look, 0
            entry.last_sent = self.clock()
            for observer in self.on_sent:
                observer(key, dirty_since, priority)
            if snapshot.final:
                self._entries.pop(key, None)
                await self.source.final_written(key)
            return
        self._failed(
            entry, priority, dirty_since, snapshot, result.error or "", result.retry_after, budget
        )

    def _slack_is_back(self, team_id: str) -> None:
        """Slack took a write: the workspace's messages waiting after a failure go now too
        (as the budget allows), not when their backoff would have them."""
        now = self.clock()
        for other in self._entries.values():
            if other.team_id == team_id and other.failures and other.dirty is not None:
                other.retry_at = min(other.retry_at, now)

    async def _replace(
        self, key: str, snapshot: Snapshot, rendered: Rendered, error: str
    ) -> SlackResult:
        """The message was deleted or can no longer be edited: a fresh one takes over
        (it still shows a call that costs money), and the old one points to it."""
        assert snapshot.channel is not None
        result = await self.gateway.post_message(snapshot.channel, rendered.text, rendered.blocks)
        if result.ok and result.ts and result.channel:
            self.stats.posted += 1
            await self.source.posted(key, result.channel, result.ts)
            if error != "message_not_found" and snapshot.ts:
                await self.gateway.post_message(
                    snapshot.channel,
                    "This call's status goes on in a newer message in this channel (this one "
                    f"can no longer be edited: {error}).",
                    [],
                    thread_ts=snapshot.ts,
                )
        return result

    def _failed(
        self,
        entry: _Entry,
        priority: Priority | None,
        dirty_since: float,
        snapshot: Snapshot,
        error: str,
        retry_after: float | None,
        budget: UpdateBudget,
    ) -> None:
        now = self.clock()

        def again(at: float) -> None:
            wanted = priority if priority is not None else Priority.STATUS
            entry.dirty = wanted if entry.dirty is None else min(entry.dirty, wanted)
            entry.dirty_since = min(entry.dirty_since or dirty_since, dirty_since)
            entry.retry_at = at

        if error == RATE_LIMITED:
            self.stats.rate_limited += 1
            budget.pause(now, retry_after if retry_after is not None else DEFAULT_RETRY_AFTER)
            again(now)
        elif error in AUTH_ERRORS:
            if entry.team_id not in self._auth_warned:
                _LOGGER.error("Slack refuses the bot token (%s); updates paused", error)
                self._auth_warned.add(entry.team_id)
            budget.pause(now, AUTH_PAUSE)
            again(now)
        elif error in CHANNEL_ERRORS and not entry.dm_tried:
            # The channel is gone or closed to us: the call still costs money,
            # so show it to its owner in a direct message instead.
            entry.dm_tried = True
            self._spawn(self._move_to_dm(entry, snapshot, error))
        elif error in CHANNEL_ERRORS:
            self._entries.pop(entry.key, None)
            self._spawn(self.source.undeliverable(entry.key, error))
        else:
            # Passing (a 5xx, internal_error, no answer) or unknown: again, later and
            # later, until it lands. A status may be late, never wrong for good.
            if is_transient(error):
                self.stats.transport_errors += 1
            else:
                self.stats.errors += 1
            delay = RETRY_BACKOFF[min(entry.failures, len(RETRY_BACKOFF) - 1)]
            entry.failures += 1
            _LOGGER.warning(
                "Slack failed the message of %s (%s); retry %d in %gs",
                entry.key,
                error,
                entry.failures,
                delay,
            )
            again(now + delay)

    async def _move_to_dm(self, entry: _Entry, snapshot: Snapshot, error: str) -> None:
        rendered = snapshot.render()
        note = f"I can't post in <#{snapshot.origin_channel}> any more ({error}), so here it is."
        result = await self.gateway.post_message(
            snapshot.user_id, f"{note}\n{rendered.text}", rendered.blocks
        )
        if result.ok and result.ts and result.channel:
            await self.source.posted(entry.key, result.channel, result.ts)
            self.mark(entry.key, entry.team_id, Priority.STATUS)
        else:
            self._entries.pop(entry.key, None)
            await self.source.undeliverable(entry.key, error)

    def _spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(_log_failure)


def _log_failure(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        _LOGGER.error("Slack message task failed: %r", task.exception())
