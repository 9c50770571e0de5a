"""The repair issue for an account out of credit: the one problem fixed outside Home Assistant.

Raised when the API refuses a dial for insufficient credit (error 150); cleared by
the next dial that goes through, so it never outlives a top-up.
"""

from __future__ import annotations

from homeassistant.const import CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN
from .coordinator import TalketyConfigEntry


def issue_id(entry: TalketyConfigEntry) -> str:
    return f"no_credit_{entry.entry_id}"


def raise_issue(hass: HomeAssistant, entry: TalketyConfigEntry) -> None:
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(entry),
        is_fixable=False,
        is_persistent=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="no_credit",
        translation_placeholders={"account": entry.data[CONF_USERNAME]},
        learn_more_url="https://talkety.com",
    )


def clear_issue(hass: HomeAssistant, entry: TalketyConfigEntry) -> None:
    ir.async_delete_issue(hass, DOMAIN, issue_id(entry))
