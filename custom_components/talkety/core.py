"""The integration's one door to talkety_core.

A release (`talkety ha package`, the zip HACS installs) carries the core inside
the integration, as `talkety/talkety_core/`, because Home Assistant installs
requirements from PyPI only and the core is not published there. From a checkout
of this repository the core is the installed `talkety` package. Every other
module of the integration imports the core from here, so that choice is made once.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

VENDORED = f"{__package__}.talkety_core"


def _import(name: str) -> ModuleType:
    vendored = f"{__package__}.{name}"
    try:
        return importlib.import_module(vendored)
    except ModuleNotFoundError as err:
        if err.name not in (VENDORED, vendored):
            # The vendored core is there but cannot load (a requirement is
            # missing): say so instead of quietly using some other installed core.
            raise
    return importlib.import_module(name)


if TYPE_CHECKING:
    import talkety_core as _core
    import talkety_core.numbers as _numbers
else:
    _core = _import("talkety_core")
    _numbers = _import("talkety_core.numbers")

__version__ = _core.__version__
DEFAULT_BASE_URL = _core.DEFAULT_BASE_URL
Call = _core.Call
CallEnded = _core.CallEnded
CallEvent = _core.CallEvent
CallMonitor = _core.CallMonitor
CallStarted = _core.CallStarted
CallStatus = _core.CallStatus
CallStatusChanged = _core.CallStatusChanged
Conference = _core.Conference
Subject = _core.Subject
TalketyApiError = _core.TalketyApiError
TalketyAppKeyError = _core.TalketyAppKeyError
TalketyAuthenticationError = _core.TalketyAuthenticationError
TalketyCallOutcomeUnknownError = _core.TalketyCallOutcomeUnknownError
TalketyClient = _core.TalketyClient
TalketyConnectionError = _core.TalketyConnectionError
TalketyDestinationBlockedError = _core.TalketyDestinationBlockedError
TalketyError = _core.TalketyError
TalketyInsufficientCreditError = _core.TalketyInsufficientCreditError
TalketyInvalidNumberError = _core.TalketyInvalidNumberError
TalketyNotActiveError = _core.TalketyNotActiveError
TalketyNotFoundError = _core.TalketyNotFoundError
TalketyParameterError = _core.TalketyParameterError
TalketyRateLimitError = _core.TalketyRateLimitError
PhoneNumberError = _numbers.PhoneNumberError
PremiumRateNumberError = _numbers.PremiumRateNumberError
parse_number = _numbers.parse_number
