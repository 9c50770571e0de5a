"""The account balance: the credit minus what every call has cost so far.

balance(t) = credit - cost of closed calls - cost of open calls at t. A call
is closed once it has ended by the last settled moment; its cost never changes
again, so it is summed once instead of on every request.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from .lifecycle import CallRecord

_MICROSECOND = timedelta(microseconds=1)


class Ledger:
    def __init__(self, credit: Decimal | None, now: datetime) -> None:
        self._credit = credit  # None: unlimited
        self._spent_closed = Decimal(0)
        self._open: list[CallRecord] = []
        self._settled = now

    def track(self, call: CallRecord) -> None:
        self._open.append(call)

    def balance(self, now: datetime) -> Decimal | None:
        """The balance at `now` (call `settle` first); None when unlimited."""
        return None if self._credit is None else self._balance(now)

    def is_empty(self, now: datetime) -> bool:
        """True when dialling must be refused: a balance of zero or less."""
        return self._credit is not None and self._balance(now) <= 0

    def set_balance(self, value: Decimal | None, now: datetime) -> None:
        """Make the balance at `now` equal `value` (None: unlimited)."""
        self.settle(now)
        spent = self._spent_closed + self._open_cost(now)
        self._credit = None if value is None else value + spent
        self.settle(now)

    def settle(self, now: datetime) -> None:
        """Bring the account up to `now`. If the money ran out since the last
        settlement, every call still active at that moment is hung up then."""
        now = max(now, self._settled)  # a clock that stepped back must not undo history
        if self.is_empty(now):
            empty_at = self._exhaustion_time(now)
            for call in self._open:
                call.hang_up(empty_at)
        still_open = []
        for call in self._open:
            if call.is_active_at(now):
                still_open.append(call)
            else:
                self._spent_closed += call.cost_at(now)
        self._open = still_open
        self._settled = now

    def _balance(self, t: datetime) -> Decimal:
        assert self._credit is not None
        return self._credit - self._spent_closed - self._open_cost(t)

    def _open_cost(self, t: datetime) -> Decimal:
        return sum((call.cost_at(t) for call in self._open), Decimal(0))

    def _exhaustion_time(self, now: datetime) -> datetime:
        """Earliest moment in [settled, now] with balance <= 0.

        The balance only falls, in steps at whole connected seconds, and every
        time here is a whole number of microseconds: a binary search is exact.
        """
        if self._balance(self._settled) <= 0:
            return self._settled
        low, high = 0, (now - self._settled) // _MICROSECOND  # balance > 0 at low, <= 0 at high
        while high - low > 1:
            middle = (low + high) // 2
            if self._balance(self._settled + middle * _MICROSECOND) <= 0:
                high = middle
            else:
                low = middle
        return self._settled + high * _MICROSECOND
