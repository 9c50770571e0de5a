"""What the `talkety` command prints: pure functions from models to text.

Nothing here reads or writes anything, so every output can be tested as a
string. Money is printed exactly as the API gave it (no float, no rounding),
always with its currency.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from ..models import Call, CallStatus, Conference, FormattedNumber, Pricing, Subject
from ..monitor import (
    CallEnded,
    CallEvent,
    CallNotFound,
    CallProgress,
    CallStarted,
    CallStatusChanged,
)

_EVENT_NAMES: Mapping[type[CallEvent], str] = {
    CallStarted: "started",
    CallStatusChanged: "status_changed",
    CallProgress: "progress",
    CallEnded: "ended",
    CallNotFound: "not_found",
}

# --- JSON ---------------------------------------------------------------------


def to_jsonable(value: Any) -> Any:
    """Plain JSON values: dataclasses become objects, Decimal a string, datetimes ISO 8601 Z."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return format(value, "f")  # a string keeps every digit; never 1E-5
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def to_json(value: Any) -> str:
    """One line of JSON (JSON lines when watching)."""
    return json.dumps(to_jsonable(value), ensure_ascii=False)


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def subject_json(subject: Subject, currency: str) -> dict[str, Any]:
    """`{"call": {...}}` or `{"conference": {...}}`, with the currency the costs are in."""
    kind = "conference" if isinstance(subject, Conference) else "call"
    return {kind: subject, "currency": currency}


def event_json(event: CallEvent, currency: str) -> dict[str, Any]:
    return {
        "event": _EVENT_NAMES.get(type(event), "changed"),
        **subject_json(event.subject, currency),
    }


# --- small pieces -----------------------------------------------------------------


# Talkety rounds costs to 5 decimals; a running cost shows all of them, so the figure
# does not change width (0.0146, then 0.02227) as it rises.
_COST_PLACES = Decimal("0.00001")


def money(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return "-"
    return f"{format(amount, 'f')} {currency}"


def cost(amount: Decimal | None, currency: str) -> str:
    """A call's cost: the API's amount with trailing zeros up to its 5 decimals, only
    where that is exact."""
    if amount is not None:
        with contextlib.suppress(InvalidOperation):
            padded = amount.quantize(_COST_PLACES)
            if padded == amount:
                amount = padded
    return money(amount, currency)


def duration(seconds: int) -> str:
    """`0:01:05` (hours grow beyond 9 rather than wrapping into days)."""
    minutes, secs = divmod(max(0, seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def moment(value: datetime | None) -> str:
    if value is None:
        return "-"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def status_text(subject: Subject) -> str:
    """The status as the API said it, even one this client does not know."""
    if subject.status is CallStatus.UNKNOWN:
        return subject.status_raw or "unknown"
    return subject.status.value


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell, two spaces apart."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = [headers, *rows]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def _party(number: str, name: str | None) -> str:
    return f"{number} ({name})" if name else number


def _kind(subject: Subject) -> str:
    return "Conference" if isinstance(subject, Conference) else "Call"


# --- commands -------------------------------------------------------------------


def pricing_text(pricing: Pricing, typed: Mapping[str, str], currency: str) -> str:
    """Per-minute price of each number, as typed (`typed`: digits -> text) and dialled."""
    rows = []
    for priced in pricing.numbers:
        price = f"{money(priced.cost, currency)}/min" if priced.valid else "not dialable"
        rows.append([typed.get(priced.number, priced.number), priced.number, price])
    rows.append(["total", "", f"{money(pricing.total_costs, currency)}/min"])
    return table(["NUMBER", "DIALLED AS", "PRICE"], rows)


def pricing_json(pricing: Pricing, currency: str) -> dict[str, Any]:
    return {"currency": currency, **to_jsonable(pricing)}


@dataclasses.dataclass(frozen=True, slots=True)
class FormatResult:
    """Talkety's spelling of a number next to this library's own (parse_number)."""

    input: str
    number: str
    valid: bool
    local: str | None
    local_error: str | None


def format_results(
    answers: Sequence[FormattedNumber], local: Mapping[str, str | Exception]
) -> list[FormatResult]:
    """Join number_format's answers with parse_number's reading of the same input."""
    results = []
    for answer in answers:
        mine = local.get(answer.input)
        results.append(
            FormatResult(
                input=answer.input,
                number=answer.number,
                valid=answer.valid,
                local=mine if isinstance(mine, str) else None,
                local_error=str(mine) if isinstance(mine, Exception) else None,
            )
        )
    return results


def format_text(results: Sequence[FormatResult]) -> str:
    """Talkety's reading (dialled as, valid) and this tool's, in columns; why the two
    differ, or why this tool could not read a number, in notes below."""
    rows = [[r.input, r.number, "yes" if r.valid else "no", r.local or "-"] for r in results]
    notes = []
    for r in results:
        if r.local_error is not None:
            notes.append(f"{r.input}: this tool cannot read it: {r.local_error}")
        elif r.local is not None and r.local != r.number:
            notes.append(
                f"{r.input}: Talkety dials {r.number} (its account's country), "
                f"this tool {r.local} (--region)"
            )
    text = table(["INPUT", "TALKETY DIALS", "VALID", "THIS TOOL DIALS"], rows)
    return "\n".join([text, *(f"note: {note}" for note in notes)])


def dialled_text(kind: str, subject_id: str, src: str, dst: Sequence[str]) -> str:
    return f"{kind} {subject_id}: dialling {src}, then {', '.join(dst)}"


def call_text(call: Call, currency: str) -> str:
    """Several lines describing one call."""
    lines = [
        f"Call {call.id}: {status_text(call)}",
        f"  from   {_party(call.src, call.src_name)}",
        f"  to     {_party(call.dst, call.dst_name)}",
        f"  start  {moment(call.start)} UTC" if call.start else "  start  -",
    ]
    if call.end is not None:
        lines.append(f"  end    {moment(call.end)} UTC")
    lines.append(f"  time   {duration(call.duration)}")
    lines.append(f"  cost   {cost(call.total_costs, currency)}")
    if call.conference_id is not None:
        lines.append(
            f"  leg of conference {call.conference_id}" + (" (owner)" if call.owner else "")
        )
    if call.custom_data is not None:
        lines.append(f"  data   {call.custom_data}")
    return "\n".join(lines)


def conference_text(conference: Conference, currency: str) -> str:
    """A conference and a table of its legs."""
    lines = [
        f"Conference {conference.id}: {status_text(conference)}",
        f"  owner  {_party(conference.src, conference.src_name)}",
        f"  start  {moment(conference.start)} UTC" if conference.start else "  start  -",
    ]
    if conference.end is not None:
        lines.append(f"  end    {moment(conference.end)} UTC")
    lines.append(f"  time   {duration(conference.duration)}")
    lines.append(f"  cost   {cost(conference.total_costs, currency)}")
    if conference.custom_data is not None:
        lines.append(f"  data   {conference.custom_data}")
    if conference.legs:
        rows = [
            [
                leg.id + (" *" if leg.owner else ""),
                status_text(leg),
                _party(leg.dst, leg.dst_name),
                duration(leg.duration),
                cost(leg.total_costs, currency),
            ]
            for leg in conference.legs
        ]
        legs = table(["LEG", "STATUS", "NUMBER", "TIME", "COST"], rows)
        lines.append("")
        lines.extend("  " + line for line in legs.splitlines())
    return "\n".join(lines)


def calls_text(calls: Sequence[Call], currency: str) -> str:
    if not calls:
        return "No calls."
    rows = [
        [
            call.id,
            status_text(call),
            call.src,
            call.dst,
            moment(call.start),
            duration(call.duration),
            cost(call.total_costs, currency),
            call.conference_id or "",
        ]
        for call in calls
    ]
    return table(["ID", "STATUS", "FROM", "TO", "START (UTC)", "TIME", "COST", "CONFERENCE"], rows)


# --- watching ---------------------------------------------------------------------


def watch_line(subject: Subject, currency: str) -> str:
    """One line of live state: status, duration and the cost so far."""
    if isinstance(subject, Conference):
        who = f"{len(subject.legs)} legs, {len(subject.active_legs)} active"
    else:
        who = f"{subject.src} -> {subject.dst}"
    return (
        f"{_kind(subject)} {subject.id} ({who}): {status_text(subject)}, "
        f"{duration(subject.duration)}, {cost(subject.total_costs, currency)}"
    )


def summary_line(final: Subject, previous: Subject | None, currency: str) -> str:
    """The closing line of a watch: how it ended and what it cost."""
    if final.status is CallStatus.UNKNOWN and not final.status_raw:
        # The monitor's way of saying the API stopped knowing the id.
        last = previous or final
        return (
            f"{_kind(final)} {final.id} is no longer known to Talkety; last seen "
            f"{status_text(last)} after {duration(last.duration)}, "
            f"{cost(last.total_costs, currency)}"
        )
    return (
        f"{_kind(final)} {final.id} ended: {status_text(final)} after "
        f"{duration(final.duration)}, total {cost(final.total_costs, currency)}"
    )


def hangup_hint(subject_id: str, *, conference: bool) -> str:
    return f"talkety hangup {subject_id}" + (" --conference" if conference else "")
