"""Async client, models, call monitor and simulator for the Talkety XML API."""

# The product's one version number: the wheel, `talkety --version`, the Home
# Assistant manifest and the release zip all read it from here.
__version__ = "0.2.0"

from .actions import DEFAULT_BASE_URL, Action
from .client import TalketyClient
from .errors import (
    TalketyApiError,
    TalketyAppKeyError,
    TalketyAuthenticationError,
    TalketyCallNotFoundError,
    TalketyCallOutcomeUnknownError,
    TalketyConferenceNotFoundError,
    TalketyConnectionError,
    TalketyDestinationBlockedError,
    TalketyError,
    TalketyInsufficientCreditError,
    TalketyInvalidNumberError,
    TalketyMalformedParameterError,
    TalketyMissingParameterError,
    TalketyNotActiveError,
    TalketyNotFoundError,
    TalketyParameterError,
    TalketyParseError,
    TalketyRateLimitError,
    TalketyServerError,
    TalketyTimeoutError,
    TalketyUnknownActionError,
)
from .models import (
    Call,
    CallStatus,
    Conference,
    FormattedNumber,
    PricedNumber,
    Pricing,
    Subject,
)
from .monitor import (
    CallEnded,
    CallEvent,
    CallMonitor,
    CallProgress,
    CallStarted,
    CallStatusChanged,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "Action",
    "Call",
    "CallEnded",
    "CallEvent",
    "CallMonitor",
    "CallProgress",
    "CallStarted",
    "CallStatus",
    "CallStatusChanged",
    "Conference",
    "FormattedNumber",
    "PricedNumber",
    "Pricing",
    "Subject",
    "TalketyApiError",
    "TalketyAppKeyError",
    "TalketyAuthenticationError",
    "TalketyCallNotFoundError",
    "TalketyCallOutcomeUnknownError",
    "TalketyClient",
    "TalketyConferenceNotFoundError",
    "TalketyConnectionError",
    "TalketyDestinationBlockedError",
    "TalketyError",
    "TalketyInsufficientCreditError",
    "TalketyInvalidNumberError",
    "TalketyMalformedParameterError",
    "TalketyMissingParameterError",
    "TalketyNotActiveError",
    "TalketyNotFoundError",
    "TalketyParameterError",
    "TalketyParseError",
    "TalketyRateLimitError",
    "TalketyServerError",
    "TalketyTimeoutError",
    "TalketyUnknownActionError",
    "__version__",
]
