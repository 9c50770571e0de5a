"""`talkety watch`: follow one call or conference live until it ends.

Uses CallMonitor, polled once per interval (no background task), so the
number of requests is exactly one tick's worth per interval.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from ..errors import TalketyError
from ..models import Subject
from ..monitor import CallEnded, CallEvent, CallMonitor, CallNotFound
from . import formatting
from .context import CliError, Context

# Tests replace this to move a ManualClock instead of waiting.
sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


async def watch(ctx: Context, subject_id: str, *, conference: bool, interval: float) -> Subject:
    """Show the live state until the call ends; print and return its final state."""
    monitor = CallMonitor(ctx.client, fast_interval=interval, idle_interval=interval)
    if conference:
        monitor.watch_conference(subject_id)
    else:
        monitor.watch_call(subject_id)
    goes_on = _goes_on_hint(ctx, subject_id, conference=conference)
    ctx.interrupt.message = goes_on
    while True:
        try:
            events = await monitor.poll()
        except TalketyError as err:
            err.add_note(goes_on)  # the call does not end because watching did
            raise
        ended = next((e for e in events if isinstance(e, CallEnded)), None)
        if isinstance(ended, CallNotFound):
            ctx.interrupt.message = None  # nothing goes on: there is nothing to hang up
            kind = "conference" if conference else "call"
            raise CliError(f"{kind} {subject_id} cannot be followed: Talkety does not know it")
        for event in events:
            _show(ctx, event)
        if ended is not None:
            ctx.interrupt.message = None
            if not ctx.console.json:
                ctx.console.show(
                    formatting.summary_line(ended.subject, ended.previous, ctx.currency)
                )
            return ended.subject
        await sleep(interval)


def _show(ctx: Context, event: CallEvent) -> None:
    if ctx.console.json:
        ctx.console.show_json(formatting.event_json(event, ctx.currency))
    else:
        ctx.console.live(formatting.watch_line(event.subject, ctx.currency))


def _goes_on_hint(ctx: Context, subject_id: str, *, conference: bool) -> str:
    kind = "conference" if conference else "call"
    if ctx.simulated:
        return (
            f"Stopped watching {kind} {subject_id}. The simulator ran inside this command, "
            "so its calls end with it."
        )
    return (
        f"Stopped watching {kind} {subject_id}; the {kind} goes on; hang up with: "
        f"{formatting.hangup_hint(subject_id, conference=conference)}"
    )
