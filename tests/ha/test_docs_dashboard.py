"""The example dashboard in docs/home-assistant.md names only entities the integration has."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

DOCS = Path(__file__).parents[2] / "docs" / "home-assistant.md"
ENTITY_ID = re.compile(r"(?:sensor|binary_sensor|button|event|notify)\.talkety_alice_\w+")


def _dashboard() -> dict[str, Any]:
    section = DOCS.read_text(encoding="utf-8").split("### Example dashboard", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    dashboard: dict[str, Any] = yaml.safe_load(block)
    return dashboard


async def test_example_dashboard_names_real_entities(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    dashboard = _dashboard()
    named = set(ENTITY_ID.findall(yaml.safe_dump(dashboard, width=1000)))
    assert len(named) >= 8
    missing = {entity_id for entity_id in named if hass.states.get(entity_id) is None}
    assert not missing
    kinds = {card["type"] for card in dashboard["views"][0]["cards"]}
    assert {"history-graph", "statistics-graph"} <= kinds  # the cost history
    assert "custom:talkety-card" in kinds  # calls, dialler, recent calls, costs
