"""Reading request parameters: missing ones answer 120, malformed ones 121.

Parameters arrive as {name: [values]} (query string and form body merged);
single-valued parameters use their first value. List parameters carry their
brackets in the name (`dst[]`), as on the wire.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from ..models import CallStatus
from .api_errors import ApiError, ErrorCode
from .render import NOT_XML
from .rules import KNOWN_STATUSES, MAX_CUSTOM_DATA_CHARS

_DIGITS = re.compile(r"[0-9]+")


class Params:
    def __init__(self, values: Mapping[str, Sequence[str]]) -> None:
        self._values = values

    def optional(self, name: str) -> str | None:
        """The first value; an empty value counts as absent."""
        values = self._values.get(name)
        return values[0] if values and values[0] != "" else None

    def required(self, name: str) -> str:
        value = self.optional(name)
        if value is None:
            raise missing(name)
        return value

    def required_list(self, name: str) -> list[str]:
        values = list(self._values.get(name) or ())
        if not values:
            raise missing(name)
        return values

    def identifier(self, name: str) -> int:
        text = self.required(name)
        if not _DIGITS.fullmatch(text):
            raise malformed(name, "must be a positive integer")
        return int(text)

    def integer(self, name: str, *, default: int, minimum: int, maximum: int | None) -> int:
        text = self.optional(name)
        if text is None:
            return default
        if not _DIGITS.fullmatch(text):
            raise malformed(name, "must be a whole number")
        value = int(text)
        if value < minimum or (maximum is not None and value > maximum):
            upper = "" if maximum is None else f" and at most {maximum}"
            raise malformed(name, f"must be at least {minimum}{upper}")
        return value

    def timestamp(self, name: str) -> datetime | None:
        """ISO 8601; without an offset it is taken as UTC, like every API time."""
        text = self.optional(name)
        if text is None:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise malformed(name, "must be an ISO 8601 date-time") from None
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)

    def status(self, name: str) -> CallStatus | None:
        text = self.optional(name)
        if text is None:
            return None
        if text not in KNOWN_STATUSES:
            raise malformed(name, f"must be one of {', '.join(sorted(KNOWN_STATUSES))}")
        return CallStatus(text)

    def custom_data(self, name: str = "custom_data") -> str | None:
        """Stored as sent and echoed in XML, so it must fit there."""
        value = self.optional(name)  # empty means none, as for every parameter
        if value is None:
            return None
        if len(value) > MAX_CUSTOM_DATA_CHARS:
            raise malformed(name, f"longer than {MAX_CUSTOM_DATA_CHARS} characters")
        if NOT_XML.search(value):
            raise malformed(name, "contains characters XML cannot carry")
        return value


def missing(name: str) -> ApiError:
    return ApiError(ErrorCode.MISSING_PARAMETER, f"missing parameter: {name}")


def malformed(name: str, reason: str) -> ApiError:
    return ApiError(ErrorCode.MALFORMED_PARAMETER, f"malformed parameter: {name} ({reason})")
