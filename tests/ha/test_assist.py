"""Assist: "call Alice" through the built-in agent's sentences and as an LLM tool."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path

import pytest
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent, llm
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.talkety.const import CONF_CONTACTS
from custom_components.talkety.intent import INTENT_CALL_CONTACT, TOOL_CALL_CONTACT
from ha_integration import installer
from talkety_core.simulator import Simulator

from .conftest import CALLEE, CALLER

WITH_ALICE = pytest.mark.parametrize("options", [{CONF_CONTACTS: {CALLEE: "Alice"}}])


async def _assist(hass: HomeAssistant, tmp_path: Path) -> None:
    hass.config.config_dir = str(tmp_path)
    installer.install(tmp_path)  # writes custom_sentences/en/talkety.yaml
    for component in ("homeassistant", "intent", "conversation"):
        assert await async_setup_component(hass, component, {})
    await hass.async_block_till_done()


async def _say(hass: HomeAssistant, text: str) -> conversation.ConversationResult:
    return await conversation.async_converse(hass, text, None, Context(), language="en")


@WITH_ALICE
async def test_the_built_in_agent_calls_a_contact(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator, tmp_path: Path
) -> None:
    await _assist(hass, tmp_path)
    result = await _say(hass, "call alice")
    assert result.response.response_type is intent.IntentResponseType.ACTION_DONE
    assert result.response.speech["plain"]["speech"] == "Calling Alice"
    [call] = sim.calls()
    assert (call.src, call.dst) == (CALLER, CALLEE)
    assert call.custom_data.endswith("assist: alice")
    assert hass.states.get("sensor.talkety_alice_active_calls").state == "1"

    result = await _say(hass, "call Carol")
    assert result.response.response_type is intent.IntentResponseType.ERROR
    assert result.response.speech["plain"]["speech"] == "There is no Talkety contact called Carol"
    assert len(sim.calls()) == 1


def _llm_context() -> llm.LLMContext:
    # Home Assistant 2026 dropped the user's prompt from the context.
    prompt = {"user_prompt": "Ring Alice for me"}
    if "user_prompt" not in inspect.signature(llm.LLMContext).parameters:
        prompt = {}
    return llm.LLMContext(
        platform="test",
        context=Context(),
        language="en",
        assistant=conversation.DOMAIN,
        device_id=None,
        **prompt,
    )


def _tool_name() -> str:
    """Since 2026.10 an integration names its tools (llm.py); before, the Assist API
    offered each intent under its own name."""
    if importlib.util.find_spec("homeassistant.components.llm") is None:
        return INTENT_CALL_CONTACT
    return TOOL_CALL_CONTACT


async def _tools(hass: HomeAssistant) -> list[llm.Tool]:
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, _llm_context())
    return [tool for tool in api.tools if tool.name in (INTENT_CALL_CONTACT, TOOL_CALL_CONTACT)]


@WITH_ALICE
async def test_an_llm_agent_sees_the_intent_as_a_tool(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator, tmp_path: Path
) -> None:
    await _assist(hass, tmp_path)
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, _llm_context())
    [tool] = await _tools(hass)
    assert tool.name == _tool_name()
    assert "Talkety contacts" in (tool.description or "")
    answer = await api.async_call_tool(
        llm.ToolInput(tool_name=tool.name, tool_args={"name": "Alice"})
    )
    speech = getattr(answer, "data", answer)  # a ToolResult since 2026.10, a dict before
    assert speech["speech"]["plain"]["speech"] == "Calling Alice"
    [call] = sim.calls()
    assert call.dst == CALLEE


async def test_no_tool_without_contacts_where_integrations_name_their_tools(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, tmp_path: Path
) -> None:
    if _tool_name() == INTENT_CALL_CONTACT:
        pytest.skip("before 2026.10 the Assist API offers every intent")
    await _assist(hass, tmp_path)
    assert await _tools(hass) == []


@WITH_ALICE
async def test_a_failed_dial_is_told(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, sim: Simulator, tmp_path: Path
) -> None:
    await _assist(hass, tmp_path)
    sim.credit = 0
    result = await _say(hass, "call Alice")
    assert result.response.response_type is intent.IntentResponseType.ERROR
    assert "no credit" in result.response.speech["plain"]["speech"]
