"""Slack's Block Kit limits, checked on what the builders produce."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block

LIMITS = {
    "message_blocks": 50,
    "view_blocks": 100,
    "section_text": 3000,
    "field_text": 2000,
    "fields": 10,
    "button_text": 75,
    "button_value": 2000,
    "action_id": 255,
    "block_id": 255,
    "context_elements": 10,
    "actions_elements": 25,
    "confirm_title": 100,
    "confirm_text": 300,
    "confirm_button": 30,
    "modal_title": 24,
    "modal_button": 24,
    "private_metadata": 3000,
    "accessibility_label": 75,
    "message_text": 40000,
}


def check_message(text: str, blocks: list[dict[str, Any]]) -> None:
    assert len(blocks) <= LIMITS["message_blocks"], f"{len(blocks)} blocks"
    assert len(text) <= LIMITS["message_text"]
    check_blocks(blocks)


def check_view(view: dict[str, Any]) -> None:
    assert len(view["blocks"]) <= LIMITS["view_blocks"]
    if view["type"] == "modal":
        assert len(view["title"]["text"]) <= LIMITS["modal_title"]
        for key in ("submit", "close"):
            if key in view:
                assert len(view[key]["text"]) <= LIMITS["modal_button"]
        assert len(view.get("private_metadata", "")) <= LIMITS["private_metadata"]
    check_blocks(view["blocks"])


def check_blocks(blocks: list[dict[str, Any]]) -> None:
    for block in blocks:
        # slack_sdk's own models: what they cannot parse or validate, Slack refuses.
        parsed = Block.parse(block)
        assert parsed is not None, block
        parsed.validate_json()
        assert parsed.to_dict() == block, block  # nothing it does not know
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids)), "block_ids must be unique"
    for block in blocks:
        assert len(block.get("block_id", "")) <= LIMITS["block_id"]
        kind = block["type"]
        if kind == "section":
            assert "text" in block or "fields" in block
            if "text" in block:
                assert 0 < len(block["text"]["text"]) <= LIMITS["section_text"]
            fields = block.get("fields", [])
            assert len(fields) <= LIMITS["fields"]
            for field in fields:
                assert len(field["text"]) <= LIMITS["field_text"]
            if "accessory" in block:
                check_element(block["accessory"])
        elif kind == "actions":
            assert 0 < len(block["elements"]) <= LIMITS["actions_elements"]
            action_ids = [e["action_id"] for e in block["elements"]]
            assert len(action_ids) == len(set(action_ids)), "action_ids unique in a block"
            for element in block["elements"]:
                check_element(element)
        elif kind == "context":
            assert 0 < len(block["elements"]) <= LIMITS["context_elements"]
            for element in block["elements"]:
                assert len(element["text"]) <= LIMITS["section_text"]
        elif kind == "input":
            assert len(block["label"]["text"]) <= 2000
            check_element(block["element"])
        else:
            assert kind in {"divider", "header"}, kind


def check_element(element: dict[str, Any]) -> None:
    assert len(element["action_id"]) <= LIMITS["action_id"]
    if element["type"] == "button":
        assert len(element["text"]["text"]) <= LIMITS["button_text"]
        assert len(element.get("value", "")) <= LIMITS["button_value"]
        # A screen reader says this, not "Hang up" N times: it must name its subject.
        label = element.get("accessibility_label", "")
        assert 0 < len(label) <= LIMITS["accessibility_label"], element
        assert label != element["text"]["text"], element
        confirm = element.get("confirm")
        if confirm:
            assert len(confirm["title"]["text"]) <= LIMITS["confirm_title"]
            assert confirm["text"]["type"] == "plain_text"  # Slack's reference requires it
            assert len(confirm["text"]["text"]) <= LIMITS["confirm_text"]
            assert len(confirm["confirm"]["text"]) <= LIMITS["confirm_button"]
            assert len(confirm["deny"]["text"]) <= LIMITS["confirm_button"]
