"""How the integration speaks about a call or a conference, with one set of keys.

Sensor attributes, bus and entity events, action responses and diagnostics all
build their data here, so a template or an automation reads `call_id`, `from`,
`cost`, `end` ... the same way whichever of them it got it from.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .core import CallStatus, Conference, Subject

# What history never keeps: the phone numbers, your own custom data, and the lists that
# carry them (they change every poll, too). The state itself and the costs are kept.
UNRECORDED = frozenset({"calls", "conferences", "from", "to", "custom_data"})


def money(value: Decimal) -> float:
    """A cost for JSON (attributes, events, responses): the API gives 5 decimals."""
    return float(round(value, 5))


def _ids(subject: Subject) -> dict[str, Any]:
    if isinstance(subject, Conference):
        return {"type": "conference", "call_id": None, "conference_id": subject.id}
    return {"type": "call", "call_id": subject.id, "conference_id": subject.conference_id}


def _to(subject: Subject) -> str | list[str]:
    if isinstance(subject, Conference):
        return [leg.dst for leg in subject.legs if not leg.owner]
    return subject.dst


def describe(subject: Subject, currency: str) -> dict[str, Any]:
    """Everything about a call or conference: events, action responses, diagnostics."""
    data: dict[str, Any] = {
        **_ids(subject),
        "from": subject.src,
        "to": _to(subject),
        "status": subject.status.value,
        "duration": subject.duration,
        "cost": money(subject.total_costs),
        "currency": currency,
        "start": subject.start.isoformat() if subject.start else None,
        "end": subject.end.isoformat() if subject.end else None,
        "custom_data": subject.custom_data,
    }
    if isinstance(subject, Conference):
        data["participants"] = len(subject.active_legs)
    if subject.status is CallStatus.UNKNOWN:
        data["status_raw"] = subject.status_raw
    return data


# The keys kept in state attributes: what a dashboard shows, small enough to keep
# every poll's state cheap. A subset of describe()'s, never other names.
LISTED_KEYS = (
    "call_id",
    "conference_id",
    "from",
    "to",
    "participants",
    "status",
    "duration",
    "cost",
)
LAST_CALL_KEYS = ("type", "call_id", "conference_id", "from", "to", "duration", "cost", "end")


def listed(subject: Subject, currency: str) -> dict[str, Any]:
    """One active call or conference in a sensor's list."""
    data = describe(subject, currency)
    return {key: data[key] for key in LISTED_KEYS if key in data}


def last_call(subject: Subject, currency: str) -> dict[str, Any]:
    """The last-call sensor's attributes."""
    data = describe(subject, currency)
    return {key: data[key] for key in LAST_CALL_KEYS}


def legs(conference: Conference, currency: str) -> list[dict[str, Any]]:
    """A conference's legs, each with the same keys as a call."""
    return [
        {
            "call_id": leg.id,
            "to": leg.dst,
            "owner": leg.owner,
            "status": leg.status.value,
            "duration": leg.duration,
            "cost": money(leg.total_costs),
            "currency": currency,
        }
        for leg in conference.legs
    ]
