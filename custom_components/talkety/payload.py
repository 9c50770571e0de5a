"""How the integration speaks about a call or a conference, with one set of keys.

Sensor attributes, bus and entity events, action responses and diagnostics all
build their data here, so a template or an automation reads `call_id`, `from`,
`cost`, `end` ... the same way whichever of them it got it from.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .contacts import Contacts
from .core import Call, CallStatus, Conference, Subject

_NO_CONTACTS: Contacts = {}

# What history never keeps: the phone numbers, your own custom data, and the lists that
# carry them (they change every poll, too). The state itself and the costs are kept.
# Contact names are as personal as the numbers.
UNRECORDED = frozenset(
    {"calls", "conferences", "from", "to", "from_name", "to_name", "custom_data"}
)


def money(value: Decimal) -> float:
    """A cost for JSON (attributes, events, responses): the API gives 5 decimals."""
    return float(round(value, 5))


def _ids(subject: Subject) -> dict[str, Any]:
    if isinstance(subject, Conference):
        return {"type": "conference", "call_id": None, "conference_id": subject.id}
    return {"type": "call", "call_id": subject.id, "conference_id": subject.conference_id}


def _to(subject: Subject, contacts: Contacts) -> dict[str, Any]:
    if isinstance(subject, Conference):
        called = [leg.dst for leg in subject.legs if not leg.owner]
        return {"to": called, "to_name": [contacts.get(number) for number in called]}
    return {"to": subject.dst, "to_name": contacts.get(subject.dst)}


def describe(subject: Subject, currency: str, contacts: Contacts = _NO_CONTACTS) -> dict[str, Any]:
    """Everything about a call or conference: events, action responses, diagnostics.

    `from_name` and `to_name` are the contact book's names for the numbers (None
    for a number not in it).
    """
    data: dict[str, Any] = {
        **_ids(subject),
        "from": subject.src,
        "from_name": contacts.get(subject.src),
        **_to(subject, contacts),
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
    "from_name",
    "to",
    "to_name",
    "participants",
    "status",
    "duration",
    "cost",
)
LISTED_LEG_KEYS = ("call_id", "to", "to_name", "owner", "status", "duration", "cost")
LAST_CALL_KEYS = (
    "type",
    "call_id",
    "conference_id",
    "from",
    "from_name",
    "to",
    "to_name",
    "duration",
    "cost",
    "end",
)
# An ended call in the recent-calls list: its outcome is its status.
RECENT_KEYS = (*LAST_CALL_KEYS, "status")


def _pick(
    keys: tuple[str, ...], subject: Subject, currency: str, contacts: Contacts
) -> dict[str, Any]:
    data = describe(subject, currency, contacts)
    return {key: data[key] for key in keys if key in data}


def listed(subject: Subject, currency: str, contacts: Contacts = _NO_CONTACTS) -> dict[str, Any]:
    """One active call or conference in a sensor's list; a conference with its active
    legs, so that a dashboard can end one participant's leg."""
    data = _pick(LISTED_KEYS, subject, currency, contacts)
    if isinstance(subject, Conference):
        described = (_leg(leg, currency, contacts) for leg in subject.active_legs)
        data["legs"] = [{key: leg[key] for key in LISTED_LEG_KEYS} for leg in described]
    return data


def last_call(subject: Subject, currency: str, contacts: Contacts = _NO_CONTACTS) -> dict[str, Any]:
    """The last-call sensor's attributes."""
    return _pick(LAST_CALL_KEYS, subject, currency, contacts)


def recent(subject: Subject, currency: str, contacts: Contacts = _NO_CONTACTS) -> dict[str, Any]:
    """One ended call or conference in the recent-calls list."""
    return _pick(RECENT_KEYS, subject, currency, contacts)


def legs(
    conference: Conference, currency: str, contacts: Contacts = _NO_CONTACTS
) -> list[dict[str, Any]]:
    """A conference's legs, each with the same keys as a call."""
    return [_leg(leg, currency, contacts) for leg in conference.legs]


def _leg(leg: Call, currency: str, contacts: Contacts) -> dict[str, Any]:
    return {
        "call_id": leg.id,
        "to": leg.dst,
        "to_name": contacts.get(leg.dst),
        "owner": leg.owner,
        "status": leg.status.value,
        "duration": leg.duration,
        "cost": money(leg.total_costs),
        "currency": currency,
    }
