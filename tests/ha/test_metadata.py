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
    keys -= set(STRINGS["issues"])  # repair issues
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
    # Later releases leave the names to the frontend's translations.
    assert talkety["place_call"].get("name", "Place call") == "Place call"
    assert talkety["place_call"]["fields"]["to"]["required"] is True
    assert talkety["get_prices"]["response"] == {"optional": False}
    assert talkety["place_call"]["response"] == {"optional": True}


# The rules hassfest knows (Home Assistant 2026.11: the union over core's quality_scale.yaml).
QUALITY_SCALE_RULES = set(
    [
        "action-exceptions",
        "action-setup",
        "appropriate-polling",
        "async-dependency",
        "brands",
        "common-modules",
        "config-entry-unloading",
        "config-flow",
        "config-flow-test-coverage",
        "dependency-transparency",
        "devices",
        "diagnostics",
        "discovery",
        "discovery-update-info",
        "docs-actions",
        "docs-conditions",
        "docs-configuration-parameters",
        "docs-data-update",
        "docs-examples",
        "docs-high-level-description",
        "docs-installation-instructions",
        "docs-installation-parameters",
        "docs-known-limitations",
        "docs-removal-instructions",
        "docs-supported-devices",
        "docs-supported-functions",
        "docs-troubleshooting",
        "docs-triggers",
        "docs-use-cases",
        "dynamic-devices",
        "entity-category",
        "entity-device-class",
        "entity-disabled-by-default",
        "entity-event-setup",
        "entity-translations",
        "entity-unavailable",
        "entity-unique-id",
        "exception-translations",
        "has-entity-name",
        "icon-translations",
        "inject-websession",
        "integration-owner",
        "log-when-unavailable",
        "parallel-updates",
        "reauthentication-flow",
        "reconfiguration-flow",
        "repair-issues",
        "runtime-data",
        "stale-devices",
        "strict-typing",
        "test-before-configure",
        "test-before-setup",
        "test-coverage",
        "unique-config-entry",
    ]
)


def test_quality_scale_names_every_rule_once() -> None:
    scale = yaml.safe_load((INTEGRATION_DIR / "quality_scale.yaml").read_text())["rules"]
    assert len(QUALITY_SCALE_RULES) == 54
    assert set(scale) == QUALITY_SCALE_RULES
    for rule, value in scale.items():
        status = value if isinstance(value, str) else value["status"]
        assert status in ("done", "todo", "exempt"), rule
        if status != "done":
            assert isinstance(value, dict) and value.get("comment"), f"{rule} needs a why"
