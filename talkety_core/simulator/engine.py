"""The simulated account: calls, conferences, credit and rate limit. No HTTP here.

Every public method takes `now`; state between two requests is derived from
the call schedules (lifecycle.py) when the next request arrives, so nothing
runs in the background. Errors are raised as ApiError.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from ..models import FormattedNumber, PricedNumber
from .api_errors import ApiError, ErrorCode
from .ledger import Ledger
from .lifecycle import CallRecord, plan_call, plan_owner_leg, plan_participant_leg
from .numbers import rate_of, to_international
from .prices import PriceTable, Rate
from .ratelimit import TokenBucket
from .rules import FIRST_CALL_ID, FIRST_CONFERENCE_ID, Timings
from .views import CallQuery, CallView, ConferenceView


@dataclass(slots=True, eq=False)
class _Conference:
    id: int
    owner: CallRecord
    custom_data: str | None
    legs: list[CallRecord] = field(default_factory=list)  # owner first


class Engine:
    def __init__(
        self,
        *,
        now: datetime,
        prices: PriceTable,
        timings: Timings,
        credit: Decimal | None,
        rate_limit: tuple[float, int] | None,
        blocked_prefixes: Sequence[str],
        default_country_code: str,
    ) -> None:
        self.prices = prices
        self.timings = timings
        self.blocked_prefixes = tuple(blocked_prefixes)
        self.default_country_code = default_country_code
        self._bucket = None if rate_limit is None else TokenBucket(*rate_limit, now=now)
        self._call_ids = itertools.count(FIRST_CALL_ID)
        self._conference_ids = itertools.count(FIRST_CONFERENCE_ID)
        self._calls: dict[int, CallRecord] = {}
        self._conferences: dict[int, _Conference] = {}
        self._ledger = Ledger(credit, now)

    # -- account -----------------------------------------------------------

    def admit(self, now: datetime) -> float | None:
        """Rate limit: None if the request may proceed, else seconds to wait."""
        return None if self._bucket is None else self._bucket.take(now)

    def credit(self, now: datetime) -> Decimal | None:
        """The balance at `now` (None: unlimited)."""
        self._sync(now)
        return self._ledger.balance(now)

    def set_credit(self, value: Decimal | None, now: datetime) -> None:
        """Set the balance at `now`; a balance <= 0 ends the calls at once."""
        self._ledger.set_balance(value, now)

    # -- calls -------------------------------------------------------------

    def call_connect(self, src: str, dst: str, custom_data: str | None, now: datetime) -> int:
        self._sync(now)
        src_rate = self._dialable("src", src)
        dst_rate = self._dialable("dst", dst)
        self._check_credit(now)
        per_minute = src_rate.per_minute + dst_rate.per_minute
        call = self._record(src, src_rate.name, dst, dst_rate.name, per_minute, now)
        call.custom_data = custom_data
        plan_call(call, self.timings)
        return call.id

    def call_disconnect(self, call_id: int, now: datetime) -> int:
        self._sync(now)
        call = self._call(call_id)
        if not call.is_active_at(now):
            raise ApiError(ErrorCode.NOT_ACTIVE, f"call {call_id} is not active")
        conference = self._conference_of(call)
        if conference is not None and call is conference.owner:
            self._end_conference(conference, now)
        else:
            call.hang_up(now)
        return call_id

    def call_status(self, call_id: int, now: datetime) -> CallView:
        self._sync(now)
        return self._view(self._call(call_id), now)

    def call_list(self, query: CallQuery, now: datetime) -> list[CallView]:
        self._sync(now)
        matches = [c for c in self._calls.values() if _matches(c, query, now)]
        matches.sort(key=lambda c: (c.created, c.id), reverse=True)
        page = matches[query.offset : query.offset + query.limit]
        return [self._view(c, now) for c in page]

    # -- conferences ---------------------------------------------------------

    def conference_connect(
        self, src: str, dsts: Sequence[str], custom_data: str | None, now: datetime
    ) -> int:
        self._sync(now)
        src_rate = self._dialable("src", src)
        dst_rates = [self._dialable("dst[]", d) for d in dsts]
        self._check_credit(now)
        # The owner's leg connects the owner to the bridge: src = dst, as in the seed.
        owner = self._record(src, src_rate.name, src, src_rate.name, src_rate.per_minute, now)
        owner.owner = True
        plan_owner_leg(owner, self.timings)
        conference = _Conference(next(self._conference_ids), owner, custom_data, [owner])
        owner.conference_id = conference.id
        self._conferences[conference.id] = conference
        self._add_legs(conference, dsts, dst_rates, now)
        return conference.id

    def conference_add(self, conference_id: int, dsts: Sequence[str], now: datetime) -> int:
        self._sync(now)
        conference = self._conference(conference_id)
        if not conference.owner.is_active_at(now):
            raise ApiError(ErrorCode.NOT_ACTIVE, f"conference {conference_id} is not active")
        dst_rates = [self._dialable("dst[]", d) for d in dsts]
        self._check_credit(now)
        self._add_legs(conference, dsts, dst_rates, now)
        return conference_id

    def conference_disconnect(self, conference_id: int, now: datetime) -> int:
        self._sync(now)
        conference = self._conference(conference_id)
        if not conference.owner.is_active_at(now):
            raise ApiError(ErrorCode.NOT_ACTIVE, f"conference {conference_id} is not active")
        self._end_conference(conference, now)
        return conference_id

    def conference_status(self, conference_id: int, now: datetime) -> ConferenceView:
        self._sync(now)
        conference = self._conference(conference_id)
        owner = conference.owner
        return ConferenceView(
            id=conference.id,
            start=owner.created,
            end=owner.end_at(now),
            status=owner.status_at(now),
            src=owner.src,
            src_name=owner.src_name,
            duration=owner.connected_seconds_at(now),
            total_costs=sum((leg.cost_at(now) for leg in conference.legs), Decimal(0)),
            custom_data=conference.custom_data,
            legs=tuple(self._view(leg, now) for leg in conference.legs),
        )

    # -- numbers (stateless) -------------------------------------------------

    def pricing(self, numbers: Iterable[str]) -> list[PricedNumber]:
        """Per-minute price of each number; invalid ones come back as sent."""
        priced = []
        for number in numbers:
            rate = rate_of(number, self.prices)
            cost = None if rate is None else rate.per_minute
            priced.append(PricedNumber(number=number, valid=rate is not None, cost=cost))
        return priced

    def number_format(self, numbers: Iterable[str]) -> list[FormattedNumber]:
        formatted = []
        for raw in numbers:
            digits = to_international(raw, self.default_country_code)
            valid = rate_of(digits, self.prices) is not None
            formatted.append(FormattedNumber(input=raw, number=digits, valid=valid))
        return formatted

    # -- internals -----------------------------------------------------------

    def _dialable(self, param: str, number: str) -> Rate:
        rate = rate_of(number, self.prices)
        if rate is None:
            raise ApiError(ErrorCode.INVALID_NUMBER, f"invalid phone number in {param}: {number}")
        if any(number.startswith(p) for p in self.blocked_prefixes):
            raise ApiError(
                ErrorCode.BLOCKED_DESTINATION, f"number in {param} is blocked for this account"
            )
        return rate

    def _sync(self, now: datetime) -> None:
        """State between requests is derived lazily: only credit needs settling."""
        self._ledger.settle(now)

    def _check_credit(self, now: datetime) -> None:
        if self._ledger.is_empty(now):
            raise ApiError(ErrorCode.INSUFFICIENT_CREDIT, "insufficient credit")

    def _add_legs(
        self, conference: _Conference, dsts: Sequence[str], rates: Sequence[Rate], now: datetime
    ) -> None:
        owner = conference.owner
        for dst, rate in zip(dsts, rates, strict=True):
            # Each leg is one physical connection, billed at its participant's price.
            leg = self._record(owner.src, owner.src_name, dst, rate.name, rate.per_minute, now)
            leg.conference_id = conference.id
            plan_participant_leg(leg, owner, self.timings)
            conference.legs.append(leg)

    def _record(
        self, src: str, src_name: str, dst: str, dst_name: str, per_minute: Decimal, now: datetime
    ) -> CallRecord:
        call = CallRecord(
            id=next(self._call_ids),
            src=src,
            dst=dst,
            created=now,
            per_minute=per_minute,
            src_name=src_name,
            dst_name=dst_name,
        )
        self._calls[call.id] = call
        self._ledger.track(call)
        return call

    def _end_conference(self, conference: _Conference, now: datetime) -> None:
        for leg in conference.legs:
            leg.hang_up(now)

    def _call(self, call_id: int) -> CallRecord:
        call = self._calls.get(call_id)
        if call is None:
            raise ApiError(ErrorCode.CALL_NOT_FOUND, f"call {call_id} not found")
        return call

    def _conference(self, conference_id: int) -> _Conference:
        conference = self._conferences.get(conference_id)
        if conference is None:
            raise ApiError(ErrorCode.CONFERENCE_NOT_FOUND, f"conference {conference_id} not found")
        return conference

    def _conference_of(self, call: CallRecord) -> _Conference | None:
        return None if call.conference_id is None else self._conferences[call.conference_id]

    def _view(self, call: CallRecord, now: datetime) -> CallView:
        conference = self._conference_of(call)
        return CallView(
            id=call.id,
            start=call.created,
            end=call.end_at(now),
            status=call.status_at(now),
            src=call.src,
            src_name=call.src_name,
            dst=call.dst,
            dst_name=call.dst_name,
            duration=call.connected_seconds_at(now),
            total_costs=call.cost_at(now),
            custom_data=call.custom_data if conference is None else conference.custom_data,
            conference_id=None if conference is None else conference.id,
            owner=call.owner,
        )


def _matches(call: CallRecord, query: CallQuery, now: datetime) -> bool:
    start = call.created.replace(microsecond=0)  # compared as printed
    return (
        (query.status is None or call.status_at(now) is query.status)
        and (query.src is None or call.src == query.src)
        and (query.dst is None or call.dst == query.dst)
        and (query.since is None or start >= query.since)
        and (query.until is None or start < query.until)
    )
