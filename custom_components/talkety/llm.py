"""The "call a contact" intent as a tool for LLM-based conversation agents.

Up to Home Assistant 2026.9 the Assist API offered every registered intent to LLMs on
its own; since 2026.10 each integration names its tools in an `llm` platform (this
module), prefixed with its domain. Older releases never load this module, so its
imports may be newer than the oldest Home Assistant the integration supports.
"""

from __future__ import annotations

from homeassistant.components.llm import LLMTools  # type: ignore[import-not-found,unused-ignore]
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.llm import LLM_API_ASSIST, IntentTool, LLMContext

from .const import DOMAIN
from .contacts import contacts_of
from .intent import TOOL_CALL_CONTACT, CallContactIntentHandler, loaded_accounts


@callback
def async_get_tools(hass: HomeAssistant, llm_context: LLMContext, api_id: str) -> LLMTools | None:
    """The tool while a loaded account has contacts to call (None: nothing to offer)."""
    if api_id != LLM_API_ASSIST:
        return None
    if not any(contacts_of(entry.options) for entry in loaded_accounts(hass)):
        return None
    tool = IntentTool(  # type: ignore[call-arg,unused-ignore]  # keywords of 2026.10+
        TOOL_CALL_CONTACT,
        CallContactIntentHandler(),
        title="Call a Talkety contact",
        integration=DOMAIN,
    )
    return LLMTools(tools=[tool])
