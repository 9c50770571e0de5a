"""Plain, immutable views of stored rows: what the rest of the app passes around."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .lifecycle import DialKind, RecordState
from .schema import CallRow, PendingRow


@dataclass(frozen=True, slots=True)
class CallRecord:
    key: str
    subject_id: str | None
    kind: DialKind  # CALL or CONFERENCE
    team_id: str
    user_id: str
    channel_id: str
    message_channel: str | None
    message_ts: str | None
    src: str
    dsts: tuple[str, ...]
    price_per_minute: Decimal
    state: RecordState
    status: str
    last_cost: Decimal
    duration: int
    final_cost: Decimal | None
    created_at: datetime
    ended_at: datetime | None
    auto_hangup: str | None
    delivery_error: str | None
    thread_ts: str | None = None  # the thread it was asked from: its status goes there

    @property
    def is_conference(self) -> bool:
        return self.kind is DialKind.CONFERENCE

    @property
    def tag(self) -> str:
        """custom_data sent with the dial: finds the call again if the outcome is unknown."""
        return f"slack:{self.key}"

    @classmethod
    def from_row(cls, row: CallRow) -> CallRecord:
        return cls(
            key=row.key,
            subject_id=row.subject_id,
            kind=DialKind(row.kind),
            team_id=row.team_id,
            user_id=row.user_id,
            channel_id=row.channel_id,
            message_channel=row.message_channel,
            message_ts=row.message_ts,
            src=row.src,
            dsts=tuple(json.loads(row.dsts)),
            price_per_minute=Decimal(row.price_per_minute),
            state=RecordState(row.state),
            status=row.status,
            last_cost=Decimal(row.last_cost),
            duration=row.duration,
            final_cost=None if row.final_cost is None else Decimal(row.final_cost),
            created_at=row.created_at,
            ended_at=row.ended_at,
            auto_hangup=row.auto_hangup,
            delivery_error=row.delivery_error,
            thread_ts=row.thread_ts,
        )


@dataclass(frozen=True, slots=True)
class PendingDial:
    id: str
    team_id: str
    user_id: str
    channel_id: str
    kind: DialKind
    src: str
    dsts: tuple[str, ...]
    target_key: str | None
    price_per_minute: Decimal
    state: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: PendingRow) -> PendingDial:
        return cls(
            id=row.id,
            team_id=row.team_id,
            user_id=row.user_id,
            channel_id=row.channel_id,
            kind=DialKind(row.kind),
            src=row.src,
            dsts=tuple(json.loads(row.dsts)),
            target_key=row.target_key,
            price_per_minute=Decimal(row.price_per_minute),
            state=row.state,
            created_at=row.created_at,
        )
