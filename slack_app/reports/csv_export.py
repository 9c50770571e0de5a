"""The audit export: one CSV row per paid action (pure).

Cells a spreadsheet would run as a formula (=, +, -, @, and tab / carriage
return, which some programs strip first) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..formatting import mask
from ..store import AuditAction, CallRecord, RecordState

HEADER = (
    "dialled_at_utc",
    "slack_user",
    "kind",
    "from",
    "to",
    "to_slack_users",  # the people called by name (`/call @alice`), each number's in turn
    "call_id",
    "outcome",
    "duration_s",
    "cost",
    "currency",
    "policy",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def export_csv(
    records: Sequence[CallRecord],
    audits: Mapping[str, Sequence[tuple[str, str]]],
    *,
    currency: str,
    mask_visible: int | None,
) -> bytes:
    """`mask_visible`: digits shown of each number as in channel messages; None shows
    them in full (an admin asked). Numbers are written without a leading + (it reads
    as a formula)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for record in records:
        if record.state is RecordState.NOT_PLACED:
            continue  # refused or never placed: nothing was paid
        writer.writerow(
            safe_cell(cell)
            for cell in (
                record.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                record.user_id,
                record.kind.value,
                _number(record.src, mask_visible),
                " ".join(_number(d, mask_visible) for d in record.dsts),
                " ".join(record.named.get(d, "-") for d in record.dsts) if record.people else "",
                record.subject_id or "",
                _outcome(record),
                record.duration,
                record.cost,
                currency,
                "; ".join(_decisions(record, audits.get(record.key, ()))),
            )
        )
    return out.getvalue().encode("utf-8")


def _number(digits: str, visible: int | None) -> str:
    return digits if visible is None else mask(digits, visible).lstrip("+")


def _outcome(record: CallRecord) -> str:
    if record.state is RecordState.ENDED:
        return record.status
    return record.state.value  # dialling, live, unknown


def _decisions(record: CallRecord, audits: Sequence[tuple[str, str]]) -> list[str]:
    decisions = []
    for action, detail in audits:
        if action == AuditAction.DIAL and _detail(detail).get("step"):
            decisions.append("placed by a Workflow Builder step")
        if action == AuditAction.DIAL and _detail(detail).get("approved_by"):
            decisions.append(f"approved by {_detail(detail)['approved_by']}")
        elif action == AuditAction.DIAL and _detail(detail).get("confirmed"):
            decisions.append("price confirmed by caller")
        elif action == AuditAction.HANGUP:
            decisions.append("hung up from Slack")
    if record.auto_hangup:
        decisions.append(f"hung up automatically: {record.auto_hangup}")
    return decisions


def _detail(detail: str) -> dict[str, Any]:
    try:
        read = json.loads(detail or "{}")
    except ValueError:
        return {}
    return read if isinstance(read, dict) else {}
