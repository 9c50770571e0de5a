"""Every behaviour decision of the simulator that is a plain value, in one place.

Changing how the simulated network behaves should be a one-line edit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from ..actions import CALL_LIST_MAX_LIMIT as ACTION_CALL_LIST_MAX_LIMIT
from ..models import CallStatus


@dataclass(frozen=True, slots=True)
class Timings:
    """How long the simulated network takes, in (simulated) seconds.

    `connecting`: ringing the caller (`src`) until they answer.
    `ringing`: ringing the callee (`dst`) until they answer.
    """

    connecting: float = 2.0
    ringing: float = 3.0

    def __post_init__(self) -> None:
        if self.connecting < 0 or self.ringing < 0:
            raise ValueError("timings must not be negative")


# A number ending like this never answers; the call ends with this status once
# that number has rung for its phase. Every other valid number answers.
OUTCOME_BY_ENDING: Final = MappingProxyType(
    {
        "486": CallStatus.BUSY,  # SIP 486 Busy Here
        "408": CallStatus.NO_ANSWER,  # SIP 408 Request Timeout
        "503": CallStatus.FAILED,  # SIP 503 Service Unavailable
    }
)

# Status of calls ended by call_disconnect, conference end or empty credit, and
# of conference legs that were never dialled because the owner never answered.
ENDED_STATUS: Final = CallStatus.DISCONNECTED

# Values call_list accepts for its call_status filter.
KNOWN_STATUSES: Final = frozenset(s.value for s in CallStatus if s is not CallStatus.UNKNOWN)

# Phone numbers: digits only, this many of them (E.164 allows at most 15).
MIN_DIGITS: Final = 7
MAX_DIGITS: Final = 15

CALL_VIA: Final = "api"
CONFERENCE_DST: Final = "webconference"
CONFERENCE_DST_NAME: Final = "webconference"

CALL_LIST_DEFAULT_LIMIT: Final = 100
CALL_LIST_MAX_LIMIT: Final = ACTION_CALL_LIST_MAX_LIMIT  # the client's table says it once

# First ids handed out, as in the vendor's samples (call 148, conference 263).
FIRST_CALL_ID: Final = 148
FIRST_CONFERENCE_ID: Final = 263

# custom_data is stored and echoed back in XML; longer values are refused (121).
MAX_CUSTOM_DATA_CHARS: Final = 4096

DEFAULT_CREDIT: Final = Decimal("50")
DEFAULT_BLOCKED_PREFIXES: Final = ("882", "883")  # international networks: pricey, abused
DEFAULT_COUNTRY_CODE: Final = "1"

# Costs are rounded to this many decimals (the seed prints 1.94022).
COST_DECIMALS: Final = 5
