"""A workspace's own policy: what its admins changed, over the environment's defaults.

Stored as JSON (only the fields changed); pure functions, no I/O.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from ..policy import Policy

# The fields a workspace admin may set, and how each is stored.
SET_FIELDS = ("admins", "allowed_users")
MONEY_FIELDS = ("confirm_above", "max_call_cost", "daily_cap")
EDITABLE = (*SET_FIELDS, *MONEY_FIELDS, "max_call_seconds", "blocked_prefixes")


def apply(defaults: Policy, stored: dict[str, Any], *, installer: str | None) -> Policy:
    """The policy a workspace runs with. The user who installed the app is always an
    admin, so that someone can connect Talkety and change these settings."""
    changes: dict[str, Any] = {}
    for name in SET_FIELDS:
        if isinstance(stored.get(name), list):
            changes[name] = frozenset(str(v) for v in stored[name])
    for name in MONEY_FIELDS:
        if name in stored:
            changes[name] = _money(stored[name])
    if "max_call_seconds" in stored:
        value = stored["max_call_seconds"]
        changes["max_call_seconds"] = int(value) if isinstance(value, int) and value > 0 else None
    if isinstance(stored.get("blocked_prefixes"), list):
        changes["blocked_prefixes"] = tuple(sorted(str(p) for p in stored["blocked_prefixes"]))
    policy = replace(defaults, **changes)
    if installer:
        policy = replace(policy, admins=policy.admins | {installer})
    return policy


def stored_form(policy: Policy) -> dict[str, Any]:
    """What is saved for `policy` (every editable field: the admin saw them all)."""
    return {
        "admins": sorted(policy.admins),
        "allowed_users": sorted(policy.allowed_users),
        "confirm_above": _text(policy.confirm_above),
        "max_call_cost": _text(policy.max_call_cost),
        "daily_cap": _text(policy.daily_cap),
        "max_call_seconds": policy.max_call_seconds,
        "blocked_prefixes": list(policy.blocked_prefixes),
    }


def _money(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)
