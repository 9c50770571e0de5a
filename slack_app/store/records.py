"""The store's vocabulary: what goes in (who asks, what to dial, what to audit) and the
plain, immutable records that come out. Nothing here is an ORM row."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..slack_gateway import ReplyTarget
from .lifecycle import AuditAction, DialKind, PendingState, RecordState
from .schema import CallRow, PendingRow, TalketyAccountRow


@dataclass(frozen=True, slots=True)
class Requester:
    """Who asked, and where: a dial's owner and the channel its status goes to."""

    team_id: str
    user_id: str
    channel_id: str
    response_url: str | None = None
    thread_ts: str | None = None  # asked from a thread: the status goes there too

    @property
    def target(self) -> ReplyTarget:
        return ReplyTarget(self.user_id, self.channel_id, self.response_url)

    def elsewhere(self, channel_id: str) -> Requester:
        """The same person, acting on a dial whose status belongs in `channel_id`."""
        return Requester(self.team_id, self.user_id, channel_id, self.response_url)


# (number, Slack user id) for each number that is a person called by name.
People = tuple[tuple[str, str], ...]


def people_of(stored: str | None) -> People:
    return tuple(json.loads(stored).items()) if stored else ()


@dataclass(frozen=True, slots=True)
class DialPlan:
    """What to dial, checked and priced: a call, a conference, or participants to add."""

    kind: DialKind
    src: str
    dsts: tuple[str, ...]
    per_minute: Decimal  # what the call costs per minute, all numbers together
    highest: Decimal  # the dearest single number
    target_key: str | None = None  # ADD: the conference's record
    people: People = ()

    @property
    def named(self) -> dict[str, str]:
        """{number: Slack user id} of the people called by name."""
        return dict(self.people)


def dial_columns(req: Requester, plan: DialPlan) -> dict[str, Any]:
    """A dial's columns, the same in a call's row and a pending dial's."""
    return {
        "team_id": req.team_id,
        "user_id": req.user_id,
        "channel_id": req.channel_id,
        "kind": plan.kind,
        "src": plan.src,
        "dsts": json.dumps(list(plan.dsts)),
        "price_per_minute": str(plan.per_minute),
        "people": json.dumps(dict(plan.people)) if plan.people else None,
    }


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log."""

    at: datetime
    team_id: str
    user_id: str
    action: AuditAction
    call_key: str | None = None
    subject_id: str | None = None
    detail: str = ""
    cost: Decimal | None = None

    @classmethod
    def of_call(
        cls,
        record: CallRecord,
        action: AuditAction,
        at: datetime,
        *,
        by: str | None = None,
        subject_id: str | None = None,
        detail: str = "",
    ) -> AuditEntry:
        """An entry about a stored call: done `by` someone (else its owner), about
        `subject_id` (else the call's own id: a leg's, say)."""
        return cls(
            at,
            record.team_id,
            by or record.user_id,
            action,
            call_key=record.key,
            subject_id=subject_id or record.subject_id,
            detail=detail,
        )


def call_cost(final_cost: Decimal | None, last_cost: Decimal) -> Decimal:
    """The one rule for what a call cost, for every total and message."""
    return final_cost if final_cost is not None else last_cost


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
    people: People = ()

    @property
    def named(self) -> dict[str, str]:
        """{number: Slack user id} of the people called by name."""
        return dict(self.people)

    @property
    def cost(self) -> Decimal:
        """What the call cost: its final cost once ended (0 is a cost), else so far."""
        return call_cost(self.final_cost, self.last_cost)

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
            people=people_of(row.people),
        )


@dataclass(frozen=True, slots=True)
class PendingDial:
    """A plan waiting for its requester's confirmation (the button carries only `id`)."""

    id: str
    requester: Requester
    plan: DialPlan
    state: PendingState
    created_at: datetime

    @classmethod
    def from_row(cls, row: PendingRow) -> PendingDial:
        per_minute = Decimal(row.price_per_minute)
        return cls(
            id=row.id,
            requester=Requester(row.team_id, row.user_id, row.channel_id),
            # Only the total is kept: it stands for the dearest number too.
            plan=DialPlan(
                DialKind(row.kind),
                row.src,
                tuple(json.loads(row.dsts)),
                per_minute,
                per_minute,
                row.target_key,
                people_of(row.people),
            ),
            state=PendingState(row.state),
            created_at=row.created_at,
        )


@dataclass(frozen=True, slots=True)
class TalketyAccountRecord:
    """A workspace's own Talkety account as stored: `sealed` holds the password and app
    key, encrypted (slack_app.secret_box); the store never sees them in the clear."""

    team_id: str
    url: str
    username: str
    sealed: str
    currency: str
    region: str | None
    connected_by: str
    connected_at: datetime

    @classmethod
    def from_row(cls, row: TalketyAccountRow) -> TalketyAccountRecord:
        # The record's fields are the row's columns.
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})
