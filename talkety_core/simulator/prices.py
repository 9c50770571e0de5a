"""Per-minute prices and country names by number prefix (longest prefix wins)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Rate:
    """The price of one minute on a connection to numbers starting with `prefix`."""

    prefix: str
    per_minute: Decimal
    name: str  # shown as src_name / dst_name

    def __post_init__(self) -> None:
        if not self.prefix.isdigit() or not self.prefix.isascii():
            raise ValueError(f"price prefix must be digits: {self.prefix!r}")
        if not isinstance(self.per_minute, Decimal) or not self.per_minute.is_finite():
            raise ValueError(f"price must be a finite Decimal: {self.per_minute!r}")
        if self.per_minute < 0:
            raise ValueError(f"price must not be negative: {self.per_minute}")


class PriceTable:
    """Looks up the Rate of a number; a number without a matching prefix is not dialable."""

    def __init__(self, rates: Iterable[Rate]) -> None:
        self._rates: dict[str, Rate] = {}
        for rate in rates:
            self._rates[rate.prefix] = rate
        self._longest = max((len(p) for p in self._rates), default=0)

    @classmethod
    def from_mapping(cls, table: Mapping[str, tuple[str | Decimal, str]]) -> PriceTable:
        """Build from `{prefix: (price per minute, country name)}`."""
        return cls(Rate(prefix, Decimal(price), name) for prefix, (price, name) in table.items())

    @classmethod
    def default(cls) -> PriceTable:
        return cls.from_mapping(DEFAULT_RATES)

    def lookup(self, digits: str) -> Rate | None:
        for length in range(min(len(digits), self._longest), 0, -1):
            rate = self._rates.get(digits[:length])
            if rate is not None:
                return rate
        return None

    def __iter__(self) -> Iterator[Rate]:
        return iter(self._rates.values())

    def __len__(self) -> int:
        return len(self._rates)


# USD per minute. "1" and "1987" reproduce the vendor's pricing example exactly
# (11234567890 -> 0.0105, 19876543210 -> 0.0114); nothing may start with "0" or
# "87" so that its invalid examples stay invalid.
DEFAULT_RATES: Mapping[str, tuple[str, str]] = {
    "1": ("0.0105", "USA"),
    "1987": ("0.0114", "USA"),
    "1900": ("1.99", "USA"),  # premium rate
    "1416": ("0.0105", "Canada"),
    "1514": ("0.0105", "Canada"),
    "1604": ("0.0105", "Canada"),
    "31": ("0.0150", "Netherlands"),
    "316": ("0.0690", "Netherlands"),  # mobile
    "33": ("0.0142", "France"),
    "336": ("0.0480", "France"),  # mobile
    "337": ("0.0480", "France"),  # mobile
    "34": ("0.0160", "Spain"),
    "39": ("0.0170", "Italy"),
    "41": ("0.0210", "Switzerland"),
    "43": ("0.0180", "Austria"),
    "44": ("0.0125", "United Kingdom"),
    "447": ("0.0390", "United Kingdom"),  # mobile
    "449": ("1.50", "United Kingdom"),  # premium rate (09xx)
    "46": ("0.0150", "Sweden"),
    "49": ("0.0139", "Germany"),
    "4930": ("0.0119", "Germany"),  # Berlin
    "4915": ("0.0790", "Germany"),  # mobile
    "4916": ("0.0790", "Germany"),  # mobile
    "4917": ("0.0790", "Germany"),  # mobile
    "4990": ("2.50", "Germany"),  # premium rate
    "61": ("0.0240", "Australia"),
    "81": ("0.0390", "Japan"),
    "882": ("0.99", "International Networks"),  # blocked by default
    "883": ("0.99", "International Networks"),  # blocked by default
}
