"""Immutable snapshots of calls and conferences at one moment: what render.py prints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ..models import CallStatus
from .rules import CALL_LIST_DEFAULT_LIMIT


@dataclass(frozen=True, slots=True)
class CallView:
    id: int
    start: datetime
    end: datetime | None
    status: CallStatus
    src: str
    src_name: str
    dst: str
    dst_name: str
    duration: int
    total_costs: Decimal
    custom_data: str | None = None
    conference_id: int | None = None  # set on conference legs
    owner: bool = False


@dataclass(frozen=True, slots=True)
class ConferenceView:
    id: int
    start: datetime
    end: datetime | None
    status: CallStatus
    src: str
    src_name: str
    duration: int
    total_costs: Decimal
    custom_data: str | None
    legs: tuple[CallView, ...]  # the owner's leg first


@dataclass(frozen=True, slots=True)
class CallQuery:
    """call_list's filters; None means "any". `since` inclusive, `until` exclusive."""

    status: CallStatus | None = None
    src: str | None = None
    dst: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = CALL_LIST_DEFAULT_LIMIT
    offset: int = 0
