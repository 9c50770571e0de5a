"""A call record's life, named in one place: its states, its kinds, and which state may
follow which. The store applies each transition as one conditional UPDATE, so two
instances racing on the same call cannot both move it."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class RecordState(StrEnum):
    DIALLING = "dialling"  # saved, the dial sent (or an instance died before its answer)
    LIVE = "live"  # placed: Talkety gave its id
    UNKNOWN = "unknown"  # the dial failed ambiguously: the lookup by its tag decides
    ENDED = "ended"  # over, with its final cost
    NOT_PLACED = "not_placed"  # never placed: refused, or no trace of it in Talkety

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATES


class DialKind(StrEnum):
    CALL = "call"
    CONFERENCE = "conference"
    ADD = "add"  # participants added to a running conference (a plan, never a record)


class PendingState(StrEnum):
    """A dial waiting for its requester's answer; it is answered once."""

    PENDING = "pending"
    USED = "used"  # confirmed (or approved): dialled
    CANCELLED = "cancelled"  # cancelled (or denied)
    EXPIRED = "expired"  # nobody approved it in time


class AuditAction(StrEnum):
    """What an audit entry records (the CSV export and the rate limit read these)."""

    DIAL = "dial"  # a call or conference sent to Talkety
    ADD = "add"  # participants dialled into a running conference
    HANGUP = "hangup"  # someone hung up from Slack
    AUTO_HANGUP = "auto_hangup"  # a limit hung it up
    RECONCILED = "reconciled"  # an unknown outcome turned out placed
    ENDED = "ended"  # over, with its final cost
    STEP = "step"  # a Workflow Builder step ended: Slack was told its outcome or refusal
    APPROVAL = "approval"  # a dial asked for, approved, denied or expired
    BUDGET = "budget"  # an admin set or removed a channel's monthly budget
    TRIPWIRE = "tripwire"  # a pattern that looks like fraud alerted the admins
    GUARD = "guard"  # an admin acted on an alert: blocked a prefix, paused a user, hung up


# The states a record can be followed in (and whose cost counts as spent so far).
ACTIVE_STATES = frozenset({RecordState.DIALLING, RecordState.LIVE, RecordState.UNKNOWN})
FINAL_STATES = frozenset({RecordState.ENDED, RecordState.NOT_PLACED})

# state -> the states it may be entered from. Nothing leaves a final state.
TRANSITIONS: Mapping[RecordState, frozenset[RecordState]] = {
    RecordState.LIVE: frozenset({RecordState.DIALLING, RecordState.UNKNOWN}),
    RecordState.UNKNOWN: frozenset({RecordState.DIALLING}),
    RecordState.NOT_PLACED: frozenset({RecordState.DIALLING, RecordState.UNKNOWN}),
    RecordState.ENDED: ACTIVE_STATES,
}


def may_enter(state: RecordState, current: RecordState) -> bool:
    return current in TRANSITIONS.get(state, frozenset())
