"""Workflow Builder steps end to end: Slack's function_executed event in, the live status
in the channel, and functions.completeSuccess / completeError out when the call ends."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from devtools.slack.fake_slack import TEAM_ID, button_value
from devtools.slack.signing import event_body
from slack_app.blocks import ids
from slack_app.errors import UserError
from slack_app.listeners.functions.steps import read_order
from slack_app.policy import Policy
from slack_app.reports.csv_export import export_csv
from slack_app.service.steps import NEVER_DIALLED, StepFunction, StepOrder
from slack_app.store import AuditAction

from .conftest import DST, MANIFEST, SAVED, Harness, text_of

CALL, CONFERENCE = StepFunction.CALL, StepFunction.CONFERENCE
BUSY = "14165550486"  # the simulator's busy number


async def ended_by_hand(harness: Harness, seconds: int) -> None:
    """Answered, talked `seconds`, then hung up from the status message."""
    message = await harness.wait_for_message()
    harness.clock.advance(6)
    await harness.wait_for(lambda: "Connected" in text_of(message), "connected")
    harness.clock.advance(seconds - 1)  # connected at 5 s
    await harness.wait_for(lambda: f"{seconds // 60}m" in text_of(message), "talking")
    await harness.click(
        ids.HANG_UP, button_value(message.blocks, ids.HANG_UP), message_ts=message.ts
    )


async def step_audited(harness: Harness) -> dict[str, Any]:
    """The audit's entry for the step's end (written just after Slack was told)."""
    found: list[dict[str, Any]] = []

    async def look() -> None:
        audit = await harness.main.app.store.audit.latest()
        found[:] = [a for a in audit if a["action"] == AuditAction.STEP]

    for _ in range(200):
        await look()
        if found:
            break
        await asyncio.sleep(0.02)
    (told,) = found
    return told


async def test_a_call_to_a_colleague_completes_with_its_outcome(harness: Harness) -> None:
    await harness.start()
    await harness.save_number("U1", SAVED)
    await harness.save_number("U2", DST)
    step = await harness.run_step(CALL, {"caller": "U1", "person": "U2", "channel": "C1"})

    message = await harness.wait_for_message()
    assert "<@U2>" in text_of(message) and DST not in text_of(message)  # named, masked
    assert step.state == "running"  # a workflow waits for the call's end
    await ended_by_hand(harness, 120)

    await harness.wait_for_step_end(step)
    assert step.state == "completed", step.error
    assert step.outputs is not None
    key = step.outputs["call_id"]
    assert step.outputs == {
        "call_id": key,
        "outcome": "disconnected",
        "answered": True,
        "duration": 120,
        "cost": "0.0438",  # exact: 120 s at (0.0105 + 0.0114) / min
    }
    store = harness.main.app.store
    record = await store.calls.get_call(key)
    assert record is not None and record.user_id == "U1" and record.named == {DST: "U2"}
    told = await step_audited(harness)
    audit = await store.audit.latest()
    assert json.loads(told["detail"]) == {
        "function": CALL,
        "execution": step.execution_id,
        "outcome": "disconnected",
    }
    (dial,) = [a for a in audit if a["action"] == AuditAction.DIAL]
    assert json.loads(dial["detail"])["step"] == step.execution_id
    audits = {key: [(AuditAction.DIAL.value, dial["detail"])]}
    csv = export_csv([record], audits, currency="USD", mask_visible=4).decode()
    assert "placed by a Workflow Builder step" in csv


async def test_a_busy_number_completes_busy_so_a_workflow_can_branch(harness: Harness) -> None:
    await harness.start()
    await harness.save_number("U1", SAVED)
    step = await harness.run_step(CALL, {"caller": "U1", "number": f"+{BUSY}", "channel": "C1"})
    message = await harness.wait_for_message()
    harness.clock.advance(10)
    await harness.wait_for(lambda: "has ended" in text_of(message), "the end")
    await harness.wait_for_step_end(step)
    assert step.state == "completed" and step.outputs is not None
    assert step.outputs["outcome"] == "busy"
    assert (step.outputs["answered"], step.outputs["duration"], step.outputs["cost"]) == (
        False,
        0,
        "0",
    )


@pytest.mark.parametrize(
    ("inputs", "policy", "why"),
    [
        ({"caller": "U1", "number": DST}, Policy(), "Which number should ring first"),
        ({"caller": "U2", "person": "U3"}, Policy(), "<@U3> has no number for calls"),
        ({"caller": "U2", "number": DST}, Policy(allowed_users=frozenset({"U1"})), "not allowed"),
        (
            {"caller": "U2", "number": "+49 151 23456789"},
            Policy(confirm_above=Decimal("0.05")),
            "a workflow cannot confirm",
        ),
    ],
    ids=["caller-without-a-number", "person-without-a-number", "policy", "needs-confirmation"],
)
async def test_a_refused_step_fails_with_why_and_dials_nothing(
    harness: Harness, inputs: dict[str, Any], policy: Policy, why: str
) -> None:
    await harness.start(policy=policy)
    await harness.save_number("U2", SAVED)
    step = await harness.run_step(CALL, {**inputs, "channel": "C1"})
    await harness.wait_for_step_end(step)
    assert step.state == "failed" and why in (step.error or ""), step.error
    assert harness.sim.requests_by_action["call_connect"] == 0
    # The caller hears it too, privately, in the status channel.
    await harness.wait_for_reply("A workflow's call was not placed")
    told = await step_audited(harness)
    assert why in json.loads(told["detail"])["refused"]


async def test_inputs_that_cannot_be_read_fail_the_step_at_once(harness: Harness) -> None:
    await harness.start()
    await harness.save_number("U1", SAVED)
    step = await harness.run_step(CALL, {"caller": "U1", "channel": "C1"})  # nobody to call
    await harness.wait_for_step_end(step)
    assert step.state == "failed" and "Person to call" in (step.error or "")
    assert harness.sim.requests_by_action["pricing"] == 0
    # Bolt's fail() answers with the step's own short-lived token.
    (failed,) = harness.slack.calls_to("functions.completeError")
    assert failed.team == TEAM_ID


async def test_a_step_delivered_twice_to_two_instances_dials_once(harness: Harness) -> None:
    first = await harness.start()
    second = await harness.start()
    await harness.save_number("U1", SAVED)
    event = harness.slack.execute_function(CALL, {"caller": "U1", "number": DST, "channel": "C1"})
    body, content_type = event_body(event, team=TEAM_ID)
    # Slack's retry (a new signature, the same execution) reaches the other instance.
    await asyncio.gather(
        harness.post(body, content_type=content_type, instance=first),
        harness.post(body, content_type=content_type, instance=second),
    )
    await harness.wait_for_message()
    await asyncio.sleep(0.3)
    assert harness.sim.requests_by_action["call_connect"] == 1
    assert len(harness.call_messages()) == 1


async def test_completion_is_retried_until_slack_takes_it(harness: Harness) -> None:
    await harness.start()
    await harness.save_number("U1", SAVED)
    harness.slack.fail_next("functions.completeSuccess", "internal_error", status=500, times=2)
    step = await harness.run_step(CALL, {"caller": "U1", "number": f"+{BUSY}", "channel": "C1"})
    await harness.wait_for_message()
    harness.clock.advance(10)
    await harness.wait_for_step_end(step)
    assert step.state == "completed" and step.outputs and step.outputs["outcome"] == "busy"
    attempts = [c for c in harness.slack.calls if c.method == "functions.completeSuccess"]
    assert [c.error for c in attempts] == ["internal_error", "internal_error", None]


async def test_a_step_slack_no_longer_runs_is_closed_not_retried(harness: Harness) -> None:
    await harness.start()
    await harness.save_number("U1", SAVED)
    harness.slack.fail_next("functions.completeSuccess", "execution_not_in_running_state")
    step = await harness.run_step(CALL, {"caller": "U1", "number": f"+{BUSY}", "channel": "C1"})
    await harness.wait_for_message()
    harness.clock.advance(10)
    store = harness.main.app.store
    await harness.wait_for(
        lambda: (
            harness.slack.calls_to("functions.completeSuccess") == []
            and any(c.method == "functions.completeSuccess" for c in harness.slack.calls)
        ),
        "the one attempt",
    )
    await asyncio.sleep(0.4)  # several sweeps
    assert len([c for c in harness.slack.calls if c.method == "functions.completeSuccess"]) == 1
    assert await store.steps.due(None, harness.clock.now()) == []
    assert step.state == "running"  # in the fake; Slack itself had ended it


async def test_a_conference_step_rings_people_and_numbers(harness: Harness) -> None:
    await harness.start()
    await harness.save_number("U1", SAVED)
    await harness.save_number("U2", DST)
    step = await harness.run_step(
        CONFERENCE,
        {"caller": "U1", "people": ["U2"], "numbers": "+44 20 7946 0000", "channel": "C1"},
    )
    message = await harness.wait_for_message()
    assert harness.sim.requests_by_action["conference_connect"] == 1
    harness.clock.advance(30)
    await harness.wait_for(lambda: "Connected" in text_of(message), "connected")
    assert "<@U2>" in text_of(message)  # the legs name who is who
    await harness.click(
        ids.HANG_UP, button_value(message.blocks, ids.HANG_UP), message_ts=message.ts
    )
    await harness.wait_for_step_end(step)
    assert step.state == "completed" and step.outputs is not None
    assert step.outputs["answered"] is True and step.outputs["outcome"] == "disconnected"


async def test_a_step_whose_instance_stopped_before_dialling_fails(harness: Harness) -> None:
    await harness.start()
    event = harness.slack.execute_function(CALL, {"caller": "U1", "number": DST, "channel": "C1"})
    step = harness.slack.workflows.executions[event["function_execution_id"]]
    store = harness.main.app.store
    # Taken three minutes ago by an instance that never dialled.
    taken = harness.clock.now() - timedelta(minutes=3)
    assert await store.steps.claim(step.execution_id, TEAM_ID, "U1", CALL, taken)
    await harness.wait_for_step_end(step)
    assert (step.state, step.error) == ("failed", NEVER_DIALLED)
    assert harness.sim.requests_by_action["call_connect"] == 0


# --- reading a step's inputs (what a workflow's builder may have put there) ---------


def executed(inputs: Any, execution: str = "Fx0001") -> dict[str, Any]:
    return {"function_execution_id": execution, "inputs": inputs}


def test_inputs_read_as_an_order() -> None:
    order = read_order(CALL, executed({"caller": "U1", "person": "U2", "channel": "C9"}))
    assert order == StepOrder("Fx0001", CALL, "U1", "C9", ("U2",), "")
    assert order.text == "<@U2>"
    conf = read_order(
        CONFERENCE,
        executed({"caller": "U1", "people": ["U2", "W3"], "numbers": "+44 20", "channel": "G1"}),
    )
    assert conf.text == "<@U2> <@W3> +44 20"


@pytest.mark.parametrize(
    ("function", "event", "why"),
    [
        (CALL, executed({"caller": "U1", "number": DST}), "Channel for the status"),
        (CALL, executed({"caller": "alice", "number": DST, "channel": "C1"}), "Caller"),
        (CALL, executed({"caller": ["U1"], "number": DST, "channel": "C1"}), "Caller"),
        (CALL, executed({"caller": "U1", "number": DST, "channel": "#general"}), "Channel"),
        (CALL, executed({"caller": "U1", "person": "U2", "number": DST, "channel": "C1"}), "one"),
        (CALL, executed({"caller": "U1", "number": "1" * 501, "channel": "C1"}), "at most"),
        (CALL, executed({"caller": "U1", "number": 12345, "channel": "C1"}), "text"),
        (CALL, executed("not an object"), "Caller"),
        (CALL, executed({"caller": "U1", "number": DST, "channel": "C1"}, "../x"), "execution"),
        (CONFERENCE, executed({"caller": "U1", "people": "U2", "channel": "C1"}), "list"),
        (CONFERENCE, executed({"caller": "U1", "people": ["U2", 3], "channel": "C1"}), "People"),
        (CONFERENCE, executed({"caller": "U1", "people": ["U2"] * 21, "channel": "C1"}), "20"),
        (CONFERENCE, executed({"caller": "U1", "channel": "C1"}), "or both"),
    ],
)
def test_inputs_that_cannot_be_read_say_which(
    function: StepFunction, event: dict[str, Any], why: str
) -> None:
    with pytest.raises(UserError, match=why):
        read_order(function, event)


def test_a_number_input_cannot_smuggle_in_a_person() -> None:
    """People come only from the people inputs (picked in Workflow Builder)."""
    order = read_order(CALL, executed({"caller": "U1", "number": "<@U9>", "channel": "C1"}))
    assert "<@" not in order.text


def test_the_manifest_declares_each_output_a_step_gives() -> None:
    for function in StepFunction:
        declared = MANIFEST["functions"][function]["output_parameters"]
        assert (
            set(declared["required"])
            == set(declared["properties"])
            == {
                "call_id",
                "outcome",
                "answered",
                "duration",
                "cost",
            }
        )
        inputs = MANIFEST["functions"][function]["input_parameters"]
        assert set(inputs["required"]) == {"caller", "channel"}
