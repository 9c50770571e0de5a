"""Follows the calls this instance holds leases for, and keeps their messages true.

- Leases (in the database) decide which instance monitors a call and writes
  its message; a lease loop renews ours and adopts calls whose holder died.
- One core CallMonitor polls every held call with one call_list per tick; its
  events mark messages dirty for the MessageUpdater.
- Endings are recorded once (spend counted once, even with two instances),
  per-call and daily limits hang up automatically, and dials whose outcome
  was unknown are looked up in call_list until found or given up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine, Hashable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from talkety_core import (
    CallEnded,
    CallEvent,
    CallMonitor,
    CallNotFound,
    CallStarted,
    CallStatusChanged,
    Conference,
    Subject,
    TalketyClient,
    TalketyError,
    TalketyNotActiveError,
    TalketyNotFoundError,
)

from ..blocks.call_message import ChannelStanding, Display, render_call_message
from ..clock import Clocks
from ..config import Timings
from ..policy import Policy
from ..slack_gateway import SlackGateway
from ..store import AuditAction, AuditEntry, CallRecord, RecordState, Store
from .leases import Leases
from .limits import SpendLimits
from .reconciliation import Reconciler, lost_subject
from .updater import MessageUpdater, Priority, Snapshot

_LOGGER = logging.getLogger(__name__)

# Any fixed moment: renders compared for what they show leave out when they were made.
_ANY_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(slots=True)
class TrackedCall:
    """Everything the tracker knows of one call it follows."""

    record: CallRecord
    state: Subject | None = None  # the latest word from the monitor or a lookup
    hanging_up: bool = False


class CallTracker:
    def __init__(
        self,
        *,
        store: Store,
        client: TalketyClient,
        gateway: SlackGateway,
        policy: Policy,
        display: Display,
        instance_id: str,
        timings: Timings,
        on_calls_changed: Callable[[str, str], None] | None = None,
        on_call_ended: Callable[[], None] | None = None,
        clocks: Clocks,
        team_id: str | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.team_id = team_id
        self.display = display
        self.instance_id = instance_id
        self.guard_interval = timings.guard_interval or max(1.0, timings.poll_interval * 2.5)
        self.now = now = clocks.now
        # (team id, user id) whose list of calls changed: the app refreshes
        # their App Home. A callback, so the tracker never needs the service.
        self._on_calls_changed = on_calls_changed
        self._on_call_ended = on_call_ended  # a Workflow Builder step may wait for it
        self.leases = Leases(
            store,
            instance_id,
            timedelta(seconds=timings.lease_ttl),
            now,
            monotonic=clocks.monotonic,
            renew_interval=timings.lease_renew_interval,
            team_id=team_id,
        )
        self.limits = SpendLimits(policy, store, display.currency, now)
        window = timedelta(seconds=timings.reconcile_window)
        self.reconciler = Reconciler(client, store, window=window, now=now)
        self.monitor = CallMonitor(
            client, fast_interval=timings.poll_interval, idle_interval=timings.idle_poll_interval
        )
        self.updater = MessageUpdater(
            gateway,
            self,
            budget_per_minute=timings.update_budget_per_minute,
            progress_interval=timings.progress_interval,
        )
        self._calls: dict[str, TrackedCall] = {}
        # (conference?, Talkety id) -> key of the call followed under it: Talkety numbers
        # calls and conferences separately, so one id can be both.
        self._keys: dict[tuple[bool, str], str] = {}
        self._loops: list[asyncio.Task[None]] = []
        self._tasks: set[asyncio.Future[Any]] = set()
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def lease_ttl(self) -> timedelta:
        return self.leases.ttl

    # --- lifecycle -------------------------------------------------------

    async def start(self) -> None:
        self.leases.restart()
        self._unsubscribe = self.monitor.subscribe(self._on_event)
        self._loops = [
            asyncio.create_task(self.monitor.run(), name="talkety-monitor"),
            asyncio.create_task(self._forever(self._lease_tick, self.leases.renew_interval)),
            asyncio.create_task(self._forever(self._guard_tick, self.guard_interval)),
        ]

    async def stop(self, *, release: bool = True) -> None:
        """Stop; with release=False the leases are left to expire (like a crash)."""
        if self._unsubscribe:
            self._unsubscribe()
        for task in [*self._loops, *self._tasks]:
            task.cancel()
        for task in [*self._loops, *self._tasks]:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._loops.clear()
        await self.updater.stop()
        if release and self.leases.held:
            with contextlib.suppress(Exception):
                await self.leases.release(self.leases.held)
        self.leases.held.clear()

    async def _forever(self, tick: Callable[[], Awaitable[None]], interval: float) -> None:
        while True:
            try:
                await tick()
            except asyncio.CancelledError:
                raise
            except Exception:  # a database hiccup must not stop the loop
                _LOGGER.exception("Slack call tracker: %s failed", getattr(tick, "__name__", tick))
            await asyncio.sleep(interval)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- what the rest of the app calls ----------------------------------

    def hold(self, key: str) -> None:
        """Keep renewing the lease of a call being dialled right now."""
        self.leases.hold(key)

    def holds(self, key: str) -> bool:
        return self.leases.holds(key)

    def adopt(self, record: CallRecord, *, shown: bool = False) -> None:
        """Follow `record` (we hold its lease) and bring its message up to date.

        `shown`: its message was just posted from this record, so only changes
        from here on need a chat.update.
        """
        key = record.key
        self.leases.hold(key)
        self._entry(record)
        if record.subject_id and record.state is RecordState.LIVE:
            self._keys[record.is_conference, record.subject_id] = key
            if record.is_conference:
                self.monitor.watch_conference(record.subject_id)
            else:
                self.monitor.watch_call(record.subject_id)
        if shown:
            budget = self.limits.standing(record)
            version = (record, None, budget)
            self.updater.prime(key, record.team_id, version, self._look(record, None, budget))
            return
        priority = Priority.FINAL if record.state.is_final else Priority.STATUS
        self.updater.mark(key, record.team_id, priority)

    def _entry(self, record: CallRecord) -> TrackedCall:
        """The call's entry with `record` as its latest record (what it knew stays)."""
        entry = self._calls.get(record.key)
        if entry is None:
            entry = self._calls[record.key] = TrackedCall(record)
        entry.record = record
        return entry

    async def release(self, key: str) -> None:
        """Give a call up (a dial that was refused: nothing to follow)."""
        await self._drop(key, release=True)

    def key_of(self, subject_id: str, *, conference: bool) -> str | None:
        """The call followed under this Talkety id (a call's or a conference's), if any."""
        return self._keys.get((conference, subject_id))

    def state_of(self, key: str) -> Subject | None:
        entry = self._calls.get(key)
        return None if entry is None else entry.state

    def refresh(self, key: str) -> bool:
        """Poll now and rewrite the message; False if another instance holds it."""
        entry = self._calls.get(key)
        if entry is None or not self.leases.holds(key):
            return False
        self.monitor.wake()
        self.updater.mark(key, entry.record.team_id, Priority.STATUS, force=True)
        return True

    def wake(self) -> None:
        self.monitor.wake()

    def calls_changed(self, team_id: str, user_id: str) -> None:
        """Tell the app a user's calls changed; a failure here must not stop us."""
        if self._on_calls_changed is None:
            return
        try:
            self._on_calls_changed(team_id, user_id)
        except Exception:
            _LOGGER.exception("Reporting a change of %s's calls failed", user_id)

    # --- MessageSource (for the updater) ---------------------------------

    def snapshot(self, key: str) -> Snapshot | None:
        entry = self._calls.get(key)
        if entry is None or entry.record.delivery_error:
            return None
        record, state = entry.record, entry.state
        budget = self.limits.standing(record)
        return Snapshot(
            channel=record.message_channel,
            ts=record.message_ts,
            origin_channel=record.channel_id,
            origin_thread=record.thread_ts,
            user_id=record.user_id,
            version=(record, state, budget),
            final=record.state.is_final,
            render=lambda: render_call_message(record, state, self.display, self.now(), budget),
            look=lambda: self._look(record, state, budget),
        )

    def _look(
        self, record: CallRecord, state: Subject | None, budget: ChannelStanding | None
    ) -> Hashable:
        """What the message shows of `record` and `state`, whenever it is rendered."""
        rendered = render_call_message(record, state, self.display, _ANY_MOMENT, budget)
        return rendered.text, json.dumps(rendered.blocks, sort_keys=True)

    def may_write(self, key: str) -> bool:
        return self.leases.fresh(key)

    async def posted(self, key: str, channel: str, ts: str) -> None:
        await self.store.calls.set_message(key, channel, ts)
        entry = self._calls.get(key)
        if entry is not None:
            entry.record = replace(
                entry.record, message_channel=channel, message_ts=ts, delivery_error=None
            )

    async def undeliverable(self, key: str, error: str) -> None:
        _LOGGER.warning("The message of call %s cannot be shown any more (%s)", key, error)
        await self.store.calls.set_delivery_error(key, error)
        entry = self._calls.get(key)
        if entry is None:
            return
        entry.record = replace(entry.record, delivery_error=error)
        if entry.record.state.is_final:
            await self._drop(key, release=True)

    async def final_written(self, key: str) -> None:
        await self.store.calls.final_shown(key)
        await self._drop(key, release=True)

    async def _drop(self, key: str, *, release: bool) -> None:
        self.leases.let_go(key)
        entry = self._calls.pop(key, None)
        self.updater.forget(key)
        if entry and entry.record.subject_id:
            conference = entry.record.is_conference
            self._keys.pop((conference, entry.record.subject_id), None)
            self.monitor.forget(entry.record.subject_id, conference=conference)
        if release:
            await self.leases.release([key])

    # --- monitor events --------------------------------------------------

    def _on_event(self, event: CallEvent) -> None:
        key = self.key_of(event.subject.id, conference=event.is_conference)
        entry = None if key is None else self._calls.get(key)
        if key is None or entry is None:
            return
        if isinstance(event, CallNotFound):
            # Talkety never knew it: end it with what the record knows, not a blank.
            entry.state = lost_subject(entry.record, self.now())
            self._spawn(self._finish(key, entry.state))
            return
        entry.state = event.subject
        if isinstance(event, CallEnded):
            self._spawn(self._finish(key, event.subject))
            return
        if not event.subject.is_active:
            return  # CallEnded follows in the same tick: one final update, not two
        reason = self.limits.call_limit(event.subject)
        if reason:
            self._spawn(self._auto_hang_up(key, reason))
        urgent = isinstance(event, (CallStarted, CallStatusChanged)) or _legs_changed(event)
        priority = Priority.STATUS if urgent else Priority.PROGRESS
        self.updater.mark(key, entry.record.team_id, priority)

    async def _finish(self, key: str, subject: Subject) -> None:
        status = subject.status_raw or subject.status.value
        kind = "conference" if isinstance(subject, Conference) else "call"
        await self.store.calls.finish(
            key,
            status=status,
            cost=subject.total_costs,
            duration=subject.duration,
            now=self.now(),
            detail=f"{kind} {status}",
        )
        record = await self.store.calls.get_call(key)
        if record is None:
            return
        self._entry(record)
        self.monitor.forget(subject.id, conference=isinstance(subject, Conference))
        self.calls_changed(record.team_id, record.user_id)
        if self._on_call_ended is not None:
            self._on_call_ended()
        if record.delivery_error:
            await self._drop(key, release=True)
        else:
            self.updater.mark(key, record.team_id, Priority.FINAL)

    async def _auto_hang_up(self, key: str, reason: str) -> None:
        entry = self._calls.get(key)
        if entry is None or entry.hanging_up:
            return
        entry.hanging_up = True
        try:
            first = await self.store.calls.set_auto_hangup(key, reason)
            record = entry.record
            if record.subject_id is None:
                return
            if first:
                entry.record = record = replace(record, auto_hangup=reason)
                await self.store.audit.add(
                    AuditEntry.of_call(record, AuditAction.AUTO_HANGUP, self.now(), detail=reason)
                )
            for attempt in range(3):
                try:
                    assert record.subject_id is not None
                    await self.client.hang_up(record.subject_id, conference=record.is_conference)
                    break
                except (TalketyNotActiveError, TalketyNotFoundError):
                    break
                except TalketyError as err:
                    _LOGGER.warning("Automatic hang-up of %s failed: %s", record.subject_id, err)
                    await asyncio.sleep(0.5 * (attempt + 1))
            self.monitor.wake()
            self.updater.mark(key, record.team_id, Priority.STATUS)
        finally:
            entry.hanging_up = False

    # --- periodic work ---------------------------------------------------

    async def _lease_tick(self) -> None:
        for key in await self.leases.renew():
            _LOGGER.warning("Lost the lease on call %s; another instance follows it now", key)
            await self._drop(key, release=False)
        for record in await self.leases.take_orphans():
            _LOGGER.info("Took over call %s (%s)", record.key, record.state)
            self.adopt(record)

    async def _guard_tick(self) -> None:
        held = [e for e in self._calls.values() if self.leases.holds(e.record.key)]
        live = [e for e in held if e.record.state is RecordState.LIVE]
        progress = [
            (e.record.key, s.status_raw or s.status.value, s.total_costs, s.duration)
            for e in live
            if (s := e.state) is not None
        ]
        if progress:
            await self.store.calls.record_progress(progress)
        for key, reason in await self.limits.over_daily_cap(e.record for e in live):
            self._spawn(self._auto_hang_up(key, reason))
        standings = {e.record.key: self.limits.standing(e.record) for e in live}
        for key, reason in await self.limits.over_channel_budget(e.record for e in live):
            self._spawn(self._auto_hang_up(key, reason))
        for entry in live:  # a channel's standing moved: its messages show it
            if self.limits.standing(entry.record) != standings[entry.record.key]:
                self.updater.mark(entry.record.key, entry.record.team_id, Priority.PROGRESS)
        for entry in held:
            if entry.record.state in (RecordState.UNKNOWN, RecordState.DIALLING):
                settled = await self.reconciler.settle_dial(entry.record)
                if settled is not None:
                    self.adopt(settled)
                    self.calls_changed(settled.team_id, settled.user_id)


def _legs_changed(event: CallEvent) -> bool:
    new, old = event.subject, event.previous
    if not isinstance(new, Conference) or not isinstance(old, Conference):
        return False
    return {leg.id: leg.status for leg in new.legs} != {leg.id: leg.status for leg in old.legs}
