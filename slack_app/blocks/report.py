"""Spend reports as Block Kit: /call report, the daily digest, the admins' App Home (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from ..formatting import code, format_duration, format_money, people_or_numbers
from ..store import CallRecord
from ..store.summary import Summary, country_name
from .call_message import Display
from .kit import Block, context, divider, fields, section

TOP_USERS = 10


def summary_blocks(summary: Summary, display: Display, *, title: str) -> tuple[str, list[Block]]:
    money = format_money(summary.total, display.currency)
    text = f"{title}: {money} over {summary.calls} calls"
    blocks: list[Block] = [
        section(f"*{title}* · {summary.period.label}"),
        fields(("Spent", money), ("Calls", str(summary.calls))),
    ]
    if not summary.calls:
        blocks.append(context("No calls were placed from Slack in this period."))
        return text, blocks
    blocks.append(section("*By user*\n" + _ranked(summary.by_user[:TOP_USERS], display, user=True)))
    countries = [(country_name(c), spend, n) for c, spend, n in summary.by_country]
    blocks.append(section("*By destination country*\n" + _ranked(countries, display)))
    blocks.append(section("*Longest calls*\n" + _calls(summary.longest, display)))
    notes = []
    if summary.auto_hung_up:
        notes.append(
            f"*Hung up by a limit ({len(summary.auto_hung_up)})*\n"
            + _calls(summary.auto_hung_up, display, why=True)
        )
    if summary.unknown:
        notes.append(
            f"*Outcome unknown ({len(summary.unknown)})*: check these in Talkety\n"
            + _calls(summary.unknown, display)
        )
    if notes:
        blocks.append(divider())
        blocks.extend(section(note) for note in notes)
    if summary.not_placed:
        blocks.append(context(f"{summary.not_placed} dials were refused or never placed (free)."))
    return text, blocks


def _ranked(
    rows: Sequence[tuple[str, object, int]], display: Display, *, user: bool = False
) -> str:
    lines = []
    for name, spend, calls in rows[:TOP_USERS]:
        who = f"<@{name}>" if user else name
        plural = "call" if calls == 1 else "calls"
        lines.append(f"• {who}: {format_money(spend, display.currency)} ({calls} {plural})")  # type: ignore[arg-type]
    return "\n".join(lines) or "_none_"


def _calls(records: Sequence[CallRecord], display: Display, *, why: bool = False) -> str:
    lines = []
    for record in records[:10]:
        to = people_or_numbers(record.dsts[:3], record.named, display.mask_visible)
        line = (
            f"• {code(record.subject_id or '?')} <@{record.user_id}> to {to}: "
            f"{format_duration(record.duration)}, {format_money(record.cost, display.currency)}"
        )
        if why and record.auto_hangup:
            line += f" ({record.auto_hangup})"
        lines.append(line)
    return "\n".join(lines) or "_none_"
