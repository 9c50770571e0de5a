"""Persistence: calls and their messages, leases, saved numbers, spend and audit."""

from .lifecycle import ACTIVE_STATES, FINAL_STATES, TRANSITIONS, DialKind, RecordState
from .records import CallRecord, PendingDial
from .store import Store

__all__ = [
    "ACTIVE_STATES",
    "FINAL_STATES",
    "TRANSITIONS",
    "CallRecord",
    "DialKind",
    "PendingDial",
    "RecordState",
    "Store",
]
