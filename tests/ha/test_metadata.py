"""manifest, strings, translations, services.yaml and icons agree with the code."""

from __future__ import annotations

import json
import re

import yaml
from homeassistant.core import HomeAssistant
from homeassistant.helpers.service import async_get_all_descriptions
from pytest_homeassistant_custom_component.common import MockConfigEntry

from ha_integration import INTEGRATION_DIR

STRINGS = json.loads((INTEGRATION_DIR / "strings.json").read_text())
SOURCES = "\n".join(p.read_text() for p in INTEGRATION_DIR.glob("*.py"))


def test_english_translation_is_strings_json() -> None:
    assert json.loads((INTEGRATION_DIR / "translations" / "en.json").read_text()) == STRINGS


def test_every_translation_key_exists() -> None:
    keys = set(re.findall(r'translation_key="([a-z_]+)"', SOURCES))
    # The keys of the service error tables are plain strings.
    keys |= set(re.findall(r'Error, "([a-z_]+)"\)', SOURCES))
    keys -= {key for entities in STRINGS["entity"].values() for key in entities}  # entities
    assert keys <= set(STRINGS["exceptions"]), keys - set(STRINGS["exceptions"])
    assert set(STRINGS["exceptions"]) <= keys, set(STRINGS["exceptions"]) - keys


def test_services_yaml_strings_and_icons_agree() -> None:
    services = yaml.safe_load((INTEGRATION_DIR / "services.yaml").read_text())
    icons = json.loads((INTEGRATION_DIR / "icons.json").read_text())
    assert set(services) == set(STRINGS["services"]) == set(icons["services"])
    for name, service in services.items():
        assert set(service["fields"]) == set(STRINGS["services"][name]["fields"]), name
        assert "config_entry" in service["fields"]


def test_entity_strings_and_icons_agree() -> None:
    icons = json.loads((INTEGRATION_DIR / "icons.json").read_text())
    for platform, entities in STRINGS["entity"].items():
        assert set(entities) == set(icons["entity"][platform]), platform


async def test_service_descriptions_load(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    descriptions = await async_get_all_descriptions(hass)
    talkety = descriptions["talkety"]
    assert set(talkety) == {
        "place_call",
        "start_conference",
        "add_participants",
        "hang_up",
        "get_prices",
        "format_numbers",
        "get_call",
    }
    assert talkety["place_call"]["name"] == "Place call"
    assert talkety["place_call"]["fields"]["to"]["required"] is True
    assert talkety["get_prices"]["response"] == {"optional": False}
    assert talkety["place_call"]["response"] == {"optional": True}
