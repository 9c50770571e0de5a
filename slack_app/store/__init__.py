"""Persistence: calls and their messages, pending dials, the audit log, leases, once-keys,
workspaces and saved numbers; one database, one part per aggregate (store.py)."""

from .lifecycle import (
    ACTIVE_STATES,
    FINAL_STATES,
    TRANSITIONS,
    AuditAction,
    DialKind,
    PendingState,
    RecordState,
)
from .records import (
    AuditEntry,
    CallRecord,
    DialPlan,
    PendingDial,
    People,
    Requester,
    TalketyAccountRecord,
    call_cost,
)
from .store import Store

__all__ = [
    "ACTIVE_STATES",
    "FINAL_STATES",
    "TRANSITIONS",
    "AuditAction",
    "AuditEntry",
    "CallRecord",
    "DialKind",
    "DialPlan",
    "PendingDial",
    "PendingState",
    "People",
    "RecordState",
    "Requester",
    "Store",
    "TalketyAccountRecord",
    "call_cost",
]
