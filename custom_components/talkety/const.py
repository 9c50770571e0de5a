"""Constants of the Talkety integration."""

from __future__ import annotations

import logging
from typing import Final

from homeassistant.const import Platform

DOMAIN: Final = "talkety"
LOGGER = logging.getLogger(__package__)

PLATFORMS: Final = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.NOTIFY,
    Platform.SENSOR,
]

# Config entry data (set in the config flow).
CONF_APP_KEY: Final = "app_key"
CONF_API_URL: Final = "api_url"
CONF_DEFAULT_CALLER: Final = "default_caller"
CONF_COUNTRY: Final = "country"
CONF_CURRENCY: Final = "currency"
# Who the "call default number" button and the notify entity connect you to.
CONF_DEFAULT_NUMBER: Final = "default_number"
# Not needed to connect, so kept in the entry's options (asked for once at setup).
ACCOUNT_OPTIONS: Final = (CONF_DEFAULT_CALLER, CONF_DEFAULT_NUMBER, CONF_COUNTRY, CONF_CURRENCY)
# The numbers whose caller passes them through normalise_numbers (Talkety's digits).
NUMBER_OPTIONS: Final = (CONF_DEFAULT_CALLER, CONF_DEFAULT_NUMBER)

# Options.
CONF_ACTIVE_INTERVAL: Final = "active_interval"
CONF_IDLE_INTERVAL: Final = "idle_interval"
CONF_COST_ALERT: Final = "cost_alert"
CONF_BLOCK_PREMIUM: Final = "block_premium"
# The contact book: {Talkety's digits: name}.
CONF_CONTACTS: Final = "contacts"

DEFAULT_CURRENCY: Final = "USD"
DEFAULT_ACTIVE_INTERVAL: Final = 5  # seconds, while a call or conference is active
DEFAULT_IDLE_INTERVAL: Final = 60  # seconds, while nothing is active
DEFAULT_COST_ALERT: Final = 0.0  # 0 = no alert
DEFAULT_BLOCK_PREMIUM: Final = True
MIN_ACTIVE_INTERVAL: Final = 2
MIN_IDLE_INTERVAL: Final = 10

# How long one API request may take, and how often a poll is retried by the
# client before the coordinator reports the API unreachable.
REQUEST_TIMEOUT: Final = 10.0
POLL_RETRIES: Final = 1
# Seconds between two polls asked for by actions.
REFRESH_COOLDOWN: Final = 1.0

# Attributes listing calls stay well below the recorder's 16 KB limit.
MAX_LISTED_CALLS: Final = 10
# The recent-calls sensor lists this many ended calls and conferences, newest first.
RECENT_CALLS: Final = 10

# Bus events fired for automations.
EVENT_CALL_STARTED: Final = "talkety_call_started"
EVENT_CALL_CONNECTED: Final = "talkety_call_connected"
EVENT_CALL_ENDED: Final = "talkety_call_ended"
EVENT_COST_ALERT: Final = "talkety_cost_alert"
