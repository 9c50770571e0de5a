"""Watches calls and conferences and tells subscribers what changed.

One `call_list` request per tick covers every watched call, however many
(plus one `conference_status` per active conference, the only way to see its
legs). A watched call missing from that page is asked for on its own, so a
status is never guessed. The interval adapts: fast while anything is active,
slow when idle, and `wake()` polls at once (right after dialling, say).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from .actions import CALL_LIST_MAX_LIMIT
from .client import TalketyClient
from .errors import TalketyError, TalketyNotFoundError
from .models import Call, CallStatus, Conference, Subject

_LOGGER = logging.getLogger(__name__)

# call_list's `since` is compared with the server's clock: allow for skew.
_CLOCK_MARGIN = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class CallEvent:
    """Something happened to a call or conference; `subject` is its new state."""

    subject: Subject
    previous: Subject | None

    @property
    def is_conference(self) -> bool:
        return isinstance(self.subject, Conference)


@dataclass(frozen=True, slots=True)
class CallStarted(CallEvent):
    """First sight of a call (watched, or discovered in the account)."""


@dataclass(frozen=True, slots=True)
class CallStatusChanged(CallEvent):
    """The status changed (connecting -> ringing -> connected ...)."""


@dataclass(frozen=True, slots=True)
class CallProgress(CallEvent):
    """Duration or cost moved on while the status stayed the same."""


@dataclass(frozen=True, slots=True)
class CallEnded(CallEvent):
    """The call ended; `subject.total_costs` is the final cost."""


@dataclass(frozen=True, slots=True)
class CallNotFound(CallEnded):
    """A followed id the API says it does not know, and this monitor never saw.

    `subject` holds only the id, status UNKNOWN and the moment it was learned as
    its end: no numbers, no cost, because nothing about it is known. It is a
    `CallEnded`, so whoever waits for the end is not left waiting.
    """


Subscriber = Callable[[CallEvent], None]


@dataclass(slots=True)
class _Watch:
    watched_at: datetime
    state: Subject | None = None


class CallMonitor:
    """Polls the API for watched (or, with `discover`, all active) calls.

    With `discover=True` every active call and conference of the account is
    followed, however old: that is what a dashboard wants. The first poll asks
    for the account's active calls by status; every poll after it reads the
    calls that began since the oldest one that may still be active (the last
    poll, or the oldest active call), page after page while pages come back
    full: one request while one page holds them. Without `discover` only what
    was passed to `watch_call` / `watch_conference` is followed.
    """

    def __init__(
        self,
        client: TalketyClient,
        *,
        discover: bool = False,
        fast_interval: float = 2.0,
        idle_interval: float = 30.0,
        page_size: int = CALL_LIST_MAX_LIMIT,
        max_pages: int = 10,
        keep_ended: int = 50,
    ) -> None:
        self.client = client
        self.discover = discover
        self.fast_interval = fast_interval
        self.idle_interval = idle_interval
        self.page_size = page_size
        # Past this many pages in one poll, a followed call missing from them is
        # asked for alone (call_status) rather than read through more history.
        self.max_pages = max_pages
        self.keep_ended = keep_ended
        self._calls: dict[str, _Watch] = {}
        self._conferences: dict[str, _Watch] = {}
        self._subscribers: list[Subscriber] = []
        self._wake = asyncio.Event()
        self.last_ended: Subject | None = None
        # Ids on the previous discover page: a call missing there but ended
        # now started and ended between two polls and must still be told.
        self._previous_page: set[str] | None = None
        # When the last discover poll began: nothing that began before it is new.
        self._last_poll: datetime | None = None

    # --- what to watch ---------------------------------------------------

    def watch_call(self, call_id: str) -> None:
        self._calls.setdefault(str(call_id), _Watch(datetime.now(UTC)))
        self.wake()

    def watch_conference(self, conference_id: str) -> None:
        self._conferences.setdefault(str(conference_id), _Watch(datetime.now(UTC)))
        self.wake()

    def forget(self, subject_id: str, *, conference: bool | None = None) -> None:
        """Stop following the call (`conference=False`), the conference (True) or both
        (None) under `subject_id`: Talkety numbers them separately, so one id can be both."""
        if conference is not True:
            self._calls.pop(str(subject_id), None)
        if conference is not False:
            self._conferences.pop(str(subject_id), None)

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call `subscriber` with every event; returns the function that unsubscribes."""
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(subscriber)

        return unsubscribe

    # --- what is known ---------------------------------------------------

    @property
    def calls(self) -> Mapping[str, Call]:
        """Latest state of every followed call that has been seen."""
        return {k: w.state for k, w in self._calls.items() if isinstance(w.state, Call)}

    @property
    def conferences(self) -> Mapping[str, Conference]:
        return {k: w.state for k, w in self._conferences.items() if isinstance(w.state, Conference)}

    @property
    def active_calls(self) -> list[Call]:
        return [c for c in self.calls.values() if c.is_active]

    @property
    def active_conferences(self) -> list[Conference]:
        return [c for c in self.conferences.values() if c.is_active]

    @property
    def busy(self) -> bool:
        """True while anything followed is active or not yet seen."""
        return any(
            w.state is None or w.state.is_active
            for w in (*self._calls.values(), *self._conferences.values())
        )

    @property
    def interval(self) -> float:
        return self.fast_interval if self.busy else self.idle_interval

    # --- polling ---------------------------------------------------------

    def wake(self) -> None:
        """Make a running `run()` poll now instead of after its interval."""
        self._wake.set()

    async def run(self) -> None:
        """Poll until cancelled. API failures are logged once and retried."""
        failing = False
        while True:
            self._wake.clear()
            try:
                await self.poll()
            except TalketyError as err:
                if not failing:
                    _LOGGER.warning("Talkety monitor cannot poll: %s", err)
                failing = True
            else:
                if failing:
                    _LOGGER.info("Talkety monitor polls again")
                failing = False
            # Not asyncio.wait_for: on Python 3.11 it swallows a cancel that
            # lands as the wake-up fires, and the monitor would poll for ever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.interval):
                    await self._wake.wait()

    async def poll(self) -> list[CallEvent]:
        """One tick: fetch, diff, notify. Raises TalketyError if the API fails."""
        events: list[CallEvent] = []
        if self.discover or self._pending_calls():
            await self._poll_calls(events)
        active = [k for k, w in self._conferences.items() if w.state is None or w.state.is_active]
        answers = await asyncio.gather(
            *(self.client.conference_status(k) for k in active), return_exceptions=True
        )
        for conference_id, answer in zip(active, answers, strict=True):
            if isinstance(answer, TalketyNotFoundError):
                self._lost(self._conferences, conference_id, events)
            elif isinstance(answer, BaseException):
                raise answer
            else:
                self._update(self._conferences, answer, events)
        self._trim_ended()
        for event in events:
            self._notify(event)
        return events

    def _pending_calls(self) -> list[str]:
        return [k for k, w in self._calls.items() if w.state is None or w.state.is_active]

    async def _poll_calls(self, events: list[CallEvent]) -> None:
        began = datetime.now(UTC)
        if self.discover and self._previous_page is None:
            for call in await self._active_anywhere():
                self._see(call, events, fresh=True)
        page = await self._read(since=self._since())
        seen: set[str] = set()
        for call in page:
            seen.add(call.id)
            self._see(call, events, fresh=self._is_new(call.id))
        if self.discover:
            self._previous_page = seen
            self._last_poll = began
        for call_id in self._pending_calls():
            if call_id not in seen:  # older than the page: ask for it alone
                try:
                    call = await self.client.call_status(call_id)
                except TalketyNotFoundError:
                    self._lost(self._calls, call_id, events)
                    continue
                self._update(self._calls, call, events)

    def _see(self, call: Call, events: list[CallEvent], *, fresh: bool) -> None:
        """A call on a page: update it if followed; in discover mode, follow what is new."""
        if call.id in self._calls:  # watched by id, conference leg or not
            self._update(self._calls, call, events)
        elif not self.discover:
            return
        elif call.conference_id is not None:
            # A leg: its conference's status shows it with the other legs.
            if call.is_active and call.conference_id not in self._conferences:
                self._conferences[call.conference_id] = _Watch(datetime.now(UTC))
        elif call.is_active or fresh:
            self._calls[call.id] = _Watch(datetime.now(UTC))
            self._update(self._calls, call, events)

    async def _active_anywhere(self) -> list[Call]:
        """The account's active calls and legs, however old (the first discover poll)."""
        found: list[Call] = []
        for status in (CallStatus.CONNECTING, CallStatus.RINGING, CallStatus.CONNECTED):
            # In the order calls move through them: a call that moves on while
            # these are read is found under its next status.
            found += await self._read(status=status)
        return found

    async def _read(
        self, *, since: datetime | None = None, status: CallStatus | None = None
    ) -> list[Call]:
        """call_list pages, newest first: more only in discover mode, while full."""
        calls: list[Call] = []
        pages = self.max_pages if self.discover else 1
        for number in range(pages):
            page = await self.client.call_list(
                status=status,
                since=since,
                limit=self.page_size,
                offset=number * self.page_size or None,
            )
            calls += page
            if len(page) < self.page_size:
                break
        return calls

    def _is_new(self, call_id: str) -> bool:
        """Not on the last page (the first page is history, not news)."""
        return self._previous_page is not None and call_id not in self._previous_page

    def _since(self) -> datetime:
        now = datetime.now(UTC)
        moments = [self._last_poll or now] if self.discover else []
        for watch in self._calls.values():
            state = watch.state
            if state is None:
                moments.append(watch.watched_at)
            elif state.is_active:
                moments.append(state.start or watch.watched_at)
        return min(moments, default=now) - _CLOCK_MARGIN

    def _update(self, table: dict[str, _Watch], new: Subject, events: list[CallEvent]) -> None:
        watch = table[new.id]
        old, watch.state = watch.state, new
        events.extend(_diff(old, new))
        if (old is None or old.is_active) and not new.is_active:
            self.last_ended = new

    def _lost(self, table: dict[str, _Watch], subject_id: str, events: list[CallEvent]) -> None:
        """The API no longer knows it: say it ended, with a status that admits not knowing."""
        watch = table.pop(subject_id)
        _LOGGER.warning("Talkety no longer knows %s; it stops being followed", subject_id)
        if watch.state is None:
            events.append(CallNotFound(_unknown(table is self._conferences, subject_id), None))
            return
        # Unknown status, and ended when we learned it: not active any more.
        ended = replace(
            watch.state,
            status=CallStatus.UNKNOWN,
            status_raw="",
            end=watch.state.end or datetime.now(UTC),
        )
        events.append(CallEnded(ended, watch.state))
        self.last_ended = ended

    def _trim_ended(self) -> None:
        for table in (self._calls, self._conferences):
            ended = [k for k, w in table.items() if w.state is not None and not w.state.is_active]
            for key in ended[: max(0, len(ended) - self.keep_ended)]:
                del table[key]

    def _notify(self, event: CallEvent) -> None:
        for subscriber in list(self._subscribers):
            try:
                subscriber(event)
            except Exception:  # one faulty subscriber must not starve the others
                _LOGGER.exception("Talkety monitor subscriber failed on %s", type(event).__name__)


def _diff(old: Subject | None, new: Subject) -> Iterable[CallEvent]:
    if old is None:
        yield CallStarted(new, None)
        if not new.is_active:
            yield CallEnded(new, None)
        return
    if new.status != old.status or new.status_raw != old.status_raw:
        yield CallStatusChanged(new, old)
    elif (
        new.duration != old.duration
        or new.total_costs != old.total_costs
        or (isinstance(new, Conference) and isinstance(old, Conference) and new.legs != old.legs)
    ):
        yield CallProgress(new, old)
    if old.is_active and not new.is_active:
        yield CallEnded(new, old)


def _unknown(conference: bool, subject_id: str) -> Subject:
    now = datetime.now(UTC)
    if conference:
        return Conference(id=subject_id, status=CallStatus.UNKNOWN, status_raw="", src="", end=now)
    return Call(id=subject_id, status=CallStatus.UNKNOWN, status_raw="", src="", dst="", end=now)
