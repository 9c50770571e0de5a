"""Persistence: calls and their messages, leases, saved numbers, spend and audit."""

from .records import CallRecord, PendingDial
from .store import Store

__all__ = ["CallRecord", "PendingDial", "Store"]
