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
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from talkety_core import (
    Call,
    CallEnded,
    CallEvent,
    CallMonitor,
    CallStarted,
    CallStatus,
    CallStatusChanged,
    Conference,
    Subject,
    TalketyClient,
    TalketyError,
    TalketyNotActiveError,
    TalketyNotFoundError,
)

from ..blocks.call_message import Display, render_call_message
from ..policy import Policy
from ..slack_gateway import SlackGateway
from ..store import CallRecord, RecordState, Store
from .updater import MessageUpdater, Priority, Snapshot

_LOGGER = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


async def disconnect(client: TalketyClient, record: CallRecord) -> None:
    """Hang up a whole call or conference (raises TalketyError)."""
    assert record.subject_id is not None
    await client.hang_up(record.subject_id, conference=record.is_conference)


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
        lease_ttl: float = 30.0,
        poll_interval: float = 2.0,
        idle_interval: float = 30.0,
        progress_interval: float = 15.0,
        budget_per_minute: int = 45,
        reconcile_window: timedelta = timedelta(minutes=10),
        guard_interval: float | None = None,
        on_calls_changed: Callable[[str, str], None] | None = None,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.client = client
        self.policy = policy
        self.display = display
        self.instance_id = instance_id
        self.lease_ttl = timedelta(seconds=lease_ttl)
        self.reconcile_window = reconcile_window
        self.guard_interval = guard_interval or max(1.0, poll_interval * 2.5)
        self.now = now
        # (team id, user id) whose list of calls changed: the app refreshes
        # their App Home. A callback, so the tracker never needs the service.
        self._on_calls_changed = on_calls_changed
        self.monitor = CallMonitor(client, fast_interval=poll_interval, idle_interval=idle_interval)
        self.updater = MessageUpdater(
            gateway, self, budget_per_minute=budget_per_minute, progress_interval=progress_interval
        )
        self._records: dict[str, CallRecord] = {}
        self._states: dict[str, Subject] = {}
        self._subjects: dict[str, str] = {}  # Talkety id -> record key
        self._held: set[str] = set()
        self._unseen: dict[str, int] = {}
        self._hanging_up: set[str] = set()
        self._loops: list[asyncio.Task[None]] = []
        self._tasks: set[asyncio.Future[Any]] = set()
        self._unsubscribe: Callable[[], None] | None = None
        # When our leases were last confirmed: if the database cannot be
        # reached for a whole TTL, another instance may own them by now.
        self._renewed_at = time.monotonic()

    # --- lifecycle -------------------------------------------------------

    async def start(self) -> None:
        self._renewed_at = time.monotonic()
        self._unsubscribe = self.monitor.subscribe(self._on_event)
        self._loops = [
            asyncio.create_task(self.monitor.run(), name="talkety-monitor"),
            asyncio.create_task(
                self._forever(self._lease_tick, self.lease_ttl.total_seconds() / 3)
            ),
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
        if release and self._held:
            with contextlib.suppress(Exception):
                await self.store.release(self._held, self.instance_id)
        self._held.clear()

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
        self._held.add(key)

    def holds(self, key: str) -> bool:
        return key in self._held

    def adopt(self, record: CallRecord, *, shown: bool = False) -> None:
        """Follow `record` (we hold its lease) and bring its message up to date.

        `shown`: its message was just posted from this record, so only changes
        from here on need a chat.update.
        """
        key = record.key
        self._held.add(key)
        self._records[key] = record
        if record.subject_id and record.state is RecordState.LIVE:
            self._subjects[record.subject_id] = key
            if record.is_conference:
                self.monitor.watch_conference(record.subject_id)
            else:
                self.monitor.watch_call(record.subject_id)
        if shown:
            self.updater.prime(key, record.team_id, (record, None))
            return
        priority = Priority.FINAL if record.state.is_final else Priority.STATUS
        self.updater.mark(key, record.team_id, priority)

    async def release(self, key: str) -> None:
        """Give a call up (a dial that was refused: nothing to follow)."""
        await self._drop(key, release=True)

    def state_of(self, key: str) -> Subject | None:
        return self._states.get(key)

    def refresh(self, key: str) -> bool:
        """Poll now and rewrite the message; False if another instance holds it."""
        record = self._records.get(key)
        if record is None or key not in self._held:
            return False
        self.monitor.wake()
        self.updater.mark(key, record.team_id, Priority.STATUS, force=True)
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
        record = self._records.get(key)
        if record is None or record.delivery_error:
            return None
        state = self._states.get(key)
        final = record.state.is_final
        return Snapshot(
            channel=record.message_channel,
            ts=record.message_ts,
            origin_channel=record.channel_id,
            user_id=record.user_id,
            version=(record, state),
            final=final,
            render=lambda: render_call_message(record, state, self.display, self.now()),
        )

    def may_write(self, key: str) -> bool:
        fresh = time.monotonic() - self._renewed_at < self.lease_ttl.total_seconds() * 0.9
        return fresh and key in self._held

    async def posted(self, key: str, channel: str, ts: str) -> None:
        await self.store.set_message(key, channel, ts)
        if key in self._records:
            self._records[key] = replace(
                self._records[key], message_channel=channel, message_ts=ts, delivery_error=None
            )

    async def undeliverable(self, key: str, error: str) -> None:
        _LOGGER.warning("The message of call %s cannot be shown any more (%s)", key, error)
        await self.store.set_delivery_error(key, error)
        record = self._records.get(key)
        if record is None:
            return
        self._records[key] = replace(record, delivery_error=error)
        if record.state.is_final:
            await self._drop(key, release=True)

    async def final_written(self, key: str) -> None:
        await self._drop(key, release=True)

    async def _drop(self, key: str, *, release: bool) -> None:
        self._held.discard(key)
        record = self._records.pop(key, None)
        self._states.pop(key, None)
        self._unseen.pop(key, None)
        self.updater.forget(key)
        if record and record.subject_id:
            self._subjects.pop(record.subject_id, None)
            self.monitor.forget(record.subject_id)
        if release:
            await self.store.release([key], self.instance_id)

    # --- monitor events --------------------------------------------------

    def _on_event(self, event: CallEvent) -> None:
        key = self._subjects.get(event.subject.id)
        if key is None or key not in self._records:
            return
        record = self._records[key]
        self._states[key] = event.subject
        self._unseen.pop(key, None)
        if isinstance(event, CallEnded):
            self._spawn(self._finish(key, event.subject))
            return
        if not event.subject.is_active:
            return  # CallEnded follows in the same tick: one final update, not two
        reason = self.policy.limit_reached(event.subject, self.display.currency)
        if reason:
            self._spawn(self._auto_hang_up(key, reason))
        urgent = isinstance(event, (CallStarted, CallStatusChanged)) or _legs_changed(event)
        self.updater.mark(key, record.team_id, Priority.STATUS if urgent else Priority.PROGRESS)

    async def _finish(self, key: str, subject: Subject) -> None:
        status = subject.status_raw or subject.status.value
        kind = "conference" if isinstance(subject, Conference) else "call"
        await self.store.finish(
            key,
            status=status,
            cost=subject.total_costs,
            duration=subject.duration,
            now=self.now(),
            detail=f"{kind} {status}",
        )
        record = await self.store.get_call(key)
        if record is None:
            return
        self._records[key] = record
        self.monitor.forget(subject.id)
        self.calls_changed(record.team_id, record.user_id)
        if record.delivery_error:
            await self._drop(key, release=True)
        else:
            self.updater.mark(key, record.team_id, Priority.FINAL)

    async def _auto_hang_up(self, key: str, reason: str) -> None:
        if key in self._hanging_up:
            return
        self._hanging_up.add(key)
        try:
            first = await self.store.set_auto_hangup(key, reason)
            record = self._records.get(key)
            if record is None or record.subject_id is None:
                return
            if first:
                self._records[key] = record = replace(record, auto_hangup=reason)
                await self.store.audit(
                    now=self.now(),
                    team_id=record.team_id,
                    user_id=record.user_id,
                    action="auto_hangup",
                    call_key=key,
                    subject_id=record.subject_id,
                    detail=reason,
                )
            for attempt in range(3):
                try:
                    await disconnect(self.client, record)
                    break
                except (TalketyNotActiveError, TalketyNotFoundError):
                    break
                except TalketyError as err:
                    _LOGGER.warning("Automatic hang-up of %s failed: %s", record.subject_id, err)
                    await asyncio.sleep(0.5 * (attempt + 1))
            self.monitor.wake()
            self.updater.mark(key, record.team_id, Priority.STATUS)
        finally:
            self._hanging_up.discard(key)

    # --- periodic work ---------------------------------------------------

    async def _lease_tick(self) -> None:
        now, started = self.now(), time.monotonic()
        mine = set(self._held)
        kept = await self.store.renew(mine, self.instance_id, now, self.lease_ttl)
        self._renewed_at = started
        for key in mine - kept:
            _LOGGER.warning("Lost the lease on call %s; another instance follows it now", key)
            await self._drop(key, release=False)
        for record in await self.store.orphans(now):
            if record.key in self._held:
                continue
            if await self.store.acquire(record.key, self.instance_id, now, self.lease_ttl):
                _LOGGER.info("Took over call %s (%s)", record.key, record.state)
                self.adopt(record)

    async def _guard_tick(self) -> None:
        live = [r for r in self._records.values() if r.key in self._held]
        progress = [
            (r.key, s.status_raw or s.status.value, s.total_costs, s.duration)
            for r in live
            if r.state is RecordState.LIVE and (s := self._states.get(r.key)) is not None
        ]
        if progress:
            await self.store.record_progress(progress)
        if self.policy.daily_cap is not None:
            await self._enforce_daily_caps([r for r in live if r.state is RecordState.LIVE])
        for record in live:
            if record.state in (RecordState.UNKNOWN, RecordState.DIALLING):
                await self._reconcile(record)
            elif record.state is RecordState.LIVE and record.key not in self._states:
                await self._check_unseen(record)

    async def _enforce_daily_caps(self, live: list[CallRecord]) -> None:
        users = {(r.team_id, r.user_id) for r in live}
        for team_id, user_id in users:
            spent = await self.store.spend_today(team_id, user_id, self.now())
            reason = self.policy.over_daily_cap(spent, self.display.currency)
            if reason:
                for record in live:
                    if (record.team_id, record.user_id) == (team_id, user_id):
                        self._spawn(self._auto_hang_up(record.key, reason))

    async def _reconcile(self, record: CallRecord) -> None:
        """Find a dial whose outcome was unknown by the tag it carried."""
        try:
            tagged = await self.client.find_dial(record.src, record.tag, since=record.created_at)
        except TalketyError as err:
            _LOGGER.info("Cannot look up call %s yet: %s", record.key, err)
            return
        if record.is_conference:
            found = next((c.conference_id for c in tagged if c.conference_id), None)
        else:
            found = tagged[0].id if tagged else None
        if found is not None and await self.store.set_placed(record.key, found):
            _LOGGER.info("Call %s turned out to be placed as %s", record.key, found)
            await self.store.audit(
                now=self.now(),
                team_id=record.team_id,
                user_id=record.user_id,
                action="reconciled",
                call_key=record.key,
                subject_id=found,
            )
            updated = await self.store.get_call(record.key)
            if updated:
                self.adopt(updated)
            self.calls_changed(record.team_id, record.user_id)
        elif found is None and self.now() - record.created_at > self.reconcile_window:
            reason = "no trace of it was found in Talkety's call list, so it was not placed"
            if await self.store.set_not_placed(record.key, self.now(), reason):
                updated = await self.store.get_call(record.key)
                if updated:
                    self.adopt(updated)
                self.calls_changed(record.team_id, record.user_id)

    async def _check_unseen(self, record: CallRecord) -> None:
        # The monitor drops a watched id that Talkety does not know without an
        # event; after a few quiet ticks, ask ourselves.
        count = self._unseen[record.key] = self._unseen.get(record.key, 0) + 1
        if count < 3 or record.subject_id is None:
            return
        try:
            subject = await self.client.status(record.subject_id, conference=record.is_conference)
        except TalketyNotFoundError:
            subject = _lost_subject(record, self.now())
        except TalketyError:
            return
        self._unseen.pop(record.key, None)
        self._states[record.key] = subject
        if not subject.is_active:
            await self._finish(record.key, subject)
        else:  # the monitor forgot it: watch again
            self.adopt(record)


def _legs_changed(event: CallEvent) -> bool:
    new, old = event.subject, event.previous
    if not isinstance(new, Conference) or not isinstance(old, Conference):
        return False
    return {leg.id: leg.status for leg in new.legs} != {leg.id: leg.status for leg in old.legs}


def _lost_subject(record: CallRecord, now: datetime) -> Subject:
    """Talkety no longer knows the call: end it with what we last knew."""
    assert record.subject_id is not None
    if record.is_conference:
        return Conference(
            id=record.subject_id,
            status=CallStatus.UNKNOWN,
            status_raw="unknown",
            src=record.src,
            duration=record.duration,
            total_costs=record.last_cost,
            end=now,
        )
    return Call(
        id=record.subject_id,
        status=CallStatus.UNKNOWN,
        status_raw="unknown",
        src=record.src,
        dst=record.dsts[0] if record.dsts else "",
        duration=record.duration,
        total_costs=record.last_cost,
        end=now,
    )
