"""Assist: "call Alice" rings your phone and connects you to the contact Alice.

The intent is registered for every conversation agent: LLM-based agents see it
as a tool (llm.py); the built-in agent matches it with the sentences in
`custom_sentences/<language>/talkety.yaml` (see docs/home-assistant.md).
"""

from __future__ import annotations

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import intent

from .calls import caller, place_call
from .const import DOMAIN
from .contacts import contacts_of, number_for
from .coordinator import TalketyConfigEntry

# Its own slug: LLM tools are named after the slug of the intent type.
INTENT_CALL_CONTACT = "talkety_call_contact"
# Its name as an LLM tool since Home Assistant 2026.10 (llm.py): prefixed with the domain.
TOOL_CALL_CONTACT = f"{DOMAIN}__call_contact"


async def async_setup_intents(hass: HomeAssistant) -> None:
    intent.async_register(hass, CallContactIntentHandler())


class CallContactIntentHandler(intent.IntentHandler):
    """Call a contact of a Talkety account by name."""

    intent_type = INTENT_CALL_CONTACT
    description = (
        "Calls one of the user's Talkety contacts by name: Talkety rings the user's "
        "own phone first, then connects it to the contact. It cannot speak a message."
    )

    @property
    def slot_schema(self) -> dict[vol.Marker, object]:
        return {vol.Required("name"): cv.string}

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        slots = self.async_validate_slots(intent_obj.slots)
        name: str = slots["name"]["value"].strip()
        response = intent_obj.create_response()
        # A failure is the answer, spoken as it is: the built-in agent would
        # replace a raised error's text with a generic one.
        found = _find_contact(intent_obj.hass, name)
        if found is None:
            response.async_set_error(
                intent.IntentResponseErrorCode.NO_VALID_TARGETS,
                f"There is no Talkety contact called {name}",
            )
            return response
        entry, number = found
        try:
            await place_call(intent_obj.hass, entry, caller(entry, None), number, f"assist: {name}")
        except HomeAssistantError as err:
            response.async_set_error(intent.IntentResponseErrorCode.FAILED_TO_HANDLE, str(err))
            return response
        response.async_set_speech(f"Calling {contacts_of(entry.options)[number]}")
        return response


def loaded_accounts(hass: HomeAssistant) -> list[TalketyConfigEntry]:
    entries: list[TalketyConfigEntry] = hass.config_entries.async_entries(DOMAIN)
    return [entry for entry in entries if entry.state is ConfigEntryState.LOADED]


def _find_contact(hass: HomeAssistant, name: str) -> tuple[TalketyConfigEntry, str] | None:
    """The loaded account with a contact of that name, and the contact's number."""
    for entry in loaded_accounts(hass):
        if (number := number_for(contacts_of(entry.options), name)) is not None:
            return entry, number
    return None
