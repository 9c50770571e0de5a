"""Workflow Builder's side of custom steps, for the fake Slack: it starts executions of
the manifest's functions (the function_executed event Slack sends) and takes their
completion (functions.completeSuccess / completeError), checking outputs against the
manifest's output parameters the way Slack does."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

# Slack's answers (functions.completeSuccess / completeError reference).
NOT_FOUND = "function_execution_not_found"
NOT_RUNNING = "execution_not_in_running_state"
INVALID_OUTPUTS = "parameter_validation_failed"

_IDS = {
    "slack#/types/user_id": re.compile(r"[UW][A-Z0-9]+"),
    "slack#/types/channel_id": re.compile(r"[CGD][A-Z0-9]+"),
}


@dataclass
class Execution:
    execution_id: str
    callback_id: str
    team: str
    inputs: dict[str, Any]
    state: str = "running"  # running | completed | failed
    outputs: dict[str, Any] | None = None
    error: str | None = None


class Workflows:
    def __init__(self, functions: dict[str, Any]) -> None:
        self.functions = functions  # the manifest's "functions"
        self.executions: dict[str, Execution] = {}
        self._ids = itertools.count(1)

    def execute(
        self, callback_id: str, inputs: dict[str, Any], *, team: str, token: str
    ) -> dict[str, Any]:
        """A new execution of `callback_id`: the function_executed event for it."""
        n = next(self._ids)
        execution = Execution(f"Fx{n:010d}", callback_id, team, inputs)
        self.executions[execution.execution_id] = execution
        declared = self.functions[callback_id]
        return {
            "type": "function_executed",
            "function": {
                "id": f"Fn{n:010d}",
                "callback_id": callback_id,
                "title": declared["title"],
                "description": declared.get("description", ""),
                "type": "app",
                "input_parameters": _listed(declared["input_parameters"]),
                "output_parameters": _listed(declared["output_parameters"]),
                "app_id": "A0TALKETY",
                "date_created": 1700000000,
                "date_updated": 1700000000,
                "date_deleted": 0,
            },
            "inputs": inputs,
            "function_execution_id": execution.execution_id,
            "workflow_execution_id": f"Wx{n:010d}",
            "event_ts": f"1700000000.{n:06d}",
            "bot_access_token": token,
        }

    def complete_success(self, team: str | None, args: dict[str, Any]) -> str | None:
        """None if taken, else Slack's error."""
        execution = self._running(team, args)
        if isinstance(execution, str):
            return execution
        outputs = args.get("outputs")
        if isinstance(outputs, str):
            outputs = json.loads(outputs)
        declared = self.functions[execution.callback_id]["output_parameters"]
        if not isinstance(outputs, dict) or not _valid(outputs, declared):
            return INVALID_OUTPUTS
        execution.state, execution.outputs = "completed", outputs
        return None

    def complete_error(self, team: str | None, args: dict[str, Any]) -> str | None:
        execution = self._running(team, args)
        if isinstance(execution, str):
            return execution
        if not args.get("error"):
            return "invalid_arguments"
        execution.state, execution.error = "failed", str(args["error"])
        return None

    def _running(self, team: str | None, args: dict[str, Any]) -> Execution | str:
        execution = self.executions.get(str(args.get("function_execution_id", "")))
        if execution is None or execution.team != team:
            return NOT_FOUND
        if execution.state != "running":
            return NOT_RUNNING
        return execution


def _listed(parameters: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(parameters.get("required", []))
    return [
        {"name": name, **spec, "is_required": name in required}
        for name, spec in parameters.get("properties", {}).items()
    ]


def _valid(outputs: dict[str, Any], declared: dict[str, Any]) -> bool:
    properties = declared.get("properties", {})
    if set(declared.get("required", [])) - set(outputs) or set(outputs) - set(properties):
        return False
    return all(_fits(value, properties[name]["type"]) for name, value in outputs.items())


def _fits(value: Any, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind in _IDS:
        return isinstance(value, str) and bool(_IDS[kind].fullmatch(value))
    return True
