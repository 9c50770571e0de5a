"""The core `talkety` sub-commands: each turns parsed arguments into API calls and output."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable, Mapping, Sequence

from ..errors import TalketyNotActiveError
from ..models import Conference
from ..numbers import PhoneNumberError, parse_number
from . import formatting
from .context import Context
from .watch import watch as watch_live

Command = Callable[[Context, argparse.Namespace], Awaitable[int]]

_DIALLING_NOTICE = (
    "Interrupted while dialling: the call may or may not have been placed. "
    "See what is active with: talkety list"
)


def _number(ctx: Context, text: str) -> str:
    return parse_number(text, ctx.region)


def _numbers(ctx: Context, texts: Sequence[str]) -> list[str]:
    return [_number(ctx, text) for text in texts]


async def price(ctx: Context, args: argparse.Namespace) -> int:
    numbers = _numbers(ctx, args.numbers)
    pricing = await ctx.client.pricing(numbers)
    if ctx.console.json:
        ctx.console.show_json(formatting.pricing_json(pricing, ctx.currency))
    else:
        typed = dict(zip(numbers, args.numbers, strict=True))
        ctx.console.show(formatting.pricing_text(pricing, typed, ctx.currency))
    return 0


async def spell(ctx: Context, args: argparse.Namespace) -> int:
    """Talkety's number_format of what was typed, beside parse_number's reading."""
    local: dict[str, str | PhoneNumberError] = {}
    for text in args.numbers:
        try:
            local[text] = _number(ctx, text)
        except PhoneNumberError as err:
            local[text] = err
    answers = await ctx.client.number_format(args.numbers)
    results = formatting.format_results(answers, local)
    if ctx.console.json:
        ctx.console.show_json({"numbers": results})
    else:
        ctx.console.show(formatting.format_text(results))
    return 0


async def call(ctx: Context, args: argparse.Namespace) -> int:
    src, dst = _number(ctx, args.src), _number(ctx, args.dst)
    ctx.interrupt.message = _DIALLING_NOTICE
    call_id = await ctx.client.call_connect(src, dst, custom_data=args.custom_data)
    ctx.interrupt.message = None
    if ctx.console.json:
        ctx.console.show_json({"call_id": call_id})
    else:
        ctx.console.show(formatting.dialled_text("Call", call_id, src, [dst]))
    if args.watch:
        await watch_live(ctx, call_id, conference=False, interval=args.interval)
    return 0


async def conference(ctx: Context, args: argparse.Namespace) -> int:
    src, dst = _number(ctx, args.src), _numbers(ctx, args.dst)
    ctx.interrupt.message = _DIALLING_NOTICE
    conference_id = await ctx.client.conference_connect(src, dst, custom_data=args.custom_data)
    ctx.interrupt.message = None
    if ctx.console.json:
        ctx.console.show_json({"conference_id": conference_id})
    else:
        ctx.console.show(formatting.dialled_text("Conference", conference_id, src, dst))
    if args.watch:
        await watch_live(ctx, conference_id, conference=True, interval=args.interval)
    return 0


async def add(ctx: Context, args: argparse.Namespace) -> int:
    dst = _numbers(ctx, args.dst)
    ctx.interrupt.message = _DIALLING_NOTICE
    conference_id = await ctx.client.conference_add(args.conference_id, dst)
    ctx.interrupt.message = None
    if ctx.console.json:
        ctx.console.show_json({"conference_id": conference_id, "added": dst})
    else:
        ctx.console.show(f"Conference {conference_id}: dialling {', '.join(dst)}")
    return 0


async def hangup(ctx: Context, args: argparse.Namespace) -> int:
    """Hang up; one that has already ended is not an error (that is what was wanted)."""
    kind = "conference" if args.conference else "call"
    try:
        await ctx.client.hang_up(args.id, conference=args.conference)
        already_ended = False
    except TalketyNotActiveError:
        already_ended = True
    if ctx.console.json:
        ctx.console.show_json({f"{kind}_id": args.id, "already_ended": already_ended})
    elif already_ended:
        ctx.console.show(f"{kind.capitalize()} {args.id} had already ended.")
    else:
        ctx.console.show(f"Hung up {kind} {args.id}.")
    return 0


async def status(ctx: Context, args: argparse.Namespace) -> int:
    subject = await ctx.client.status(args.id, conference=args.conference)
    if ctx.console.json:
        ctx.console.show_json(formatting.subject_json(subject, ctx.currency))
    elif isinstance(subject, Conference):
        ctx.console.show(formatting.conference_text(subject, ctx.currency))
    else:
        ctx.console.show(formatting.call_text(subject, ctx.currency))
    return 0


async def list_calls(ctx: Context, args: argparse.Namespace) -> int:
    calls = await ctx.client.call_list(
        status=args.status,
        src=_number(ctx, args.src) if args.src else None,
        dst=_number(ctx, args.dst) if args.dst else None,
        since=args.since,
        until=args.until,
        limit=args.limit,
        offset=args.offset,
    )
    if ctx.console.json:
        ctx.console.show_json({"currency": ctx.currency, "calls": calls})
    else:
        ctx.console.show(formatting.calls_text(calls, ctx.currency))
    return 0


async def watch(ctx: Context, args: argparse.Namespace) -> int:
    await watch_live(ctx, args.id, conference=args.conference, interval=args.interval)
    return 0


COMMANDS: Mapping[str, Command] = {
    "price": price,
    "format": spell,
    "call": call,
    "conf": conference,
    "add": add,
    "hangup": hangup,
    "status": status,
    "list": list_calls,
    "watch": watch,
}
