"""Approvals end to end: a dial above the workspace's approval price (or to a listed prefix)
waits in the approvers' channel, is dialled once on the first approval (two approvers on
two instances at once: one dial), and never when denied or expired."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from decimal import Decimal

import pytest

from devtools.slack.fake_slack import TEAM_ID, Message, action_ids, button_value
from slack_app.blocks import ids
from slack_app.env import ConfigError
from slack_app.policy import Policy
from slack_app.policy_fields import FIELDS, apply, policy_from_env, read_form, stored_form
from slack_app.service.steps import StepFunction
from slack_app.store import AuditAction
from slack_app.store.guards import Restriction

from .conftest import SAVED, Harness, text_of

MOBILE_DE = "+49 151 23456789"  # 0.0790/min in the simulator's price table
APPROVERS = "C9"
GUARDED = Policy(approve_above=Decimal("0.05"), approvals_channel=APPROVERS)


async def asked(harness: Harness, policy: Policy = GUARDED, number: str = MOBILE_DE) -> Message:
    """U1 asks for a call that needs an approver: the request in the approvers' channel."""
    await harness.start(policy=policy)
    await harness.save_number("U1", SAVED)
    await harness.command("/call", number)
    await harness.wait_for_reply("This needs an approver")
    request = await harness.wait_for_message(APPROVERS)
    assert harness.sim.requests_by_action["call_connect"] == 0
    return request


async def answer(
    harness: Harness, request: Message, action: str, user: str = "U2", **kw: object
) -> None:
    value = button_value(request.blocks, action)
    await harness.click(action, value, user=user, channel=APPROVERS, message_ts=request.ts, **kw)  # type: ignore[arg-type]


async def approvals_audited(harness: Harness, count: int) -> list[dict[str, object]]:
    for _ in range(200):
        audit = await harness.main.app.store.audit.latest()
        found = [json.loads(str(a["detail"])) for a in audit if a["action"] == AuditAction.APPROVAL]
        if len(found) >= count:
            return found[::-1]  # oldest first
        await asyncio.sleep(0.02)
    raise AssertionError(f"{count} approval entries in the audit")


async def test_an_approved_call_is_dialled_once_and_everyone_sees_each_step(
    harness: Harness,
) -> None:
    request = await asked(harness)
    shown = text_of(request)
    assert "<@U1> asks to place a call" in shown and "$0.0895/min" in shown
    assert "above the $0.05 that needs an approver" in shown
    assert "23456789" not in shown  # masked as anywhere else
    assert set(action_ids(request.blocks)) == {ids.APPROVE_DIAL, ids.DENY_DIAL}
    assert "I asked in <#C9>" in harness.slack.all_response_text()

    await answer(harness, request, ids.APPROVE_DIAL)
    call = await harness.wait_for_message("C1")  # the status goes where it was asked
    assert "started by <@U1>" in text_of(call)
    assert harness.sim.requests_by_action["call_connect"] == 1
    await harness.wait_for(lambda: "Approved by <@U2>" in text_of(request), "approved shown")
    assert action_ids(request.blocks) == []  # nothing left to click
    await harness.wait_for_reply("<@U2> approved your call")

    entries = await approvals_audited(harness, 2)
    assert [e["approval"] for e in entries] == ["asked", "approved"]
    audit = await harness.main.app.store.audit.latest()
    (dial,) = [a for a in audit if a["action"] == AuditAction.DIAL]
    assert json.loads(str(dial["detail"]))["approved_by"] == "U2"


async def test_two_approvers_on_two_instances_at_once_dial_once(harness: Harness) -> None:
    request = await asked(harness)
    second = await harness.start(policy=GUARDED)
    first = harness.instances[0]
    value = button_value(request.blocks, ids.APPROVE_DIAL)
    await asyncio.gather(
        harness.click(ids.APPROVE_DIAL, value, user="U2", channel=APPROVERS, instance=first),
        harness.click(ids.APPROVE_DIAL, value, user="U3", channel=APPROVERS, instance=second),
    )
    await harness.wait_for_message("C1")
    await harness.wait_for_reply("already answered")
    await asyncio.sleep(0.3)
    assert harness.sim.requests_by_action["call_connect"] == 1
    assert len(harness.call_messages("C1")) == 1
    assert [e["approval"] for e in await approvals_audited(harness, 2)] == ["asked", "approved"]


async def test_a_denied_call_is_never_dialled(harness: Harness) -> None:
    request = await asked(harness)
    late = button_value(request.blocks, ids.APPROVE_DIAL)
    await answer(harness, request, ids.DENY_DIAL)
    await harness.wait_for(lambda: "Denied by <@U2>" in text_of(request), "denied shown")
    await harness.wait_for_reply("<@U2> denied your call; nothing was dialled")
    await harness.click(ids.APPROVE_DIAL, late, user="U3", channel=APPROVERS)  # too late
    await harness.wait_for_reply("already answered")
    assert harness.sim.requests_by_action["call_connect"] == 0
    assert [e["approval"] for e in await approvals_audited(harness, 2)] == ["asked", "denied"]


async def test_a_request_nobody_answers_expires(harness: Harness) -> None:
    request = await asked(harness)
    late = button_value(request.blocks, ids.APPROVE_DIAL)
    harness.clock.advance(14 * 60)
    await asyncio.sleep(0.3)  # sweeps: not yet
    assert "Expires in 15m" in text_of(request)
    harness.clock.advance(61)
    await harness.wait_for(lambda: "Nobody answered in time" in text_of(request), "expired")
    await harness.wait_for_reply("Nobody approved your call in time")
    await harness.click(ids.APPROVE_DIAL, late, user="U2", channel=APPROVERS)
    await harness.wait_for_reply("already answered (or it expired)")
    assert harness.sim.requests_by_action["call_connect"] == 0
    assert [e["approval"] for e in await approvals_audited(harness, 2)] == ["asked", "expired"]


async def test_the_requester_cannot_approve_and_nobody_answers_from_elsewhere(
    harness: Harness,
) -> None:
    request = await asked(harness)
    await answer(harness, request, ids.APPROVE_DIAL, user="U1")
    await harness.wait_for_reply("You cannot approve your own call")
    value = button_value(request.blocks, ids.APPROVE_DIAL)
    await harness.click(ids.APPROVE_DIAL, value, user="U2", channel="C1")
    await harness.wait_for_reply("Approvals are answered in <#C9>")
    await asyncio.sleep(0.2)
    assert harness.sim.requests_by_action["call_connect"] == 0
    assert ids.APPROVE_DIAL in action_ids(request.blocks)  # still waiting


async def test_listed_prefixes_need_an_approver_at_any_price(harness: Harness) -> None:
    policy = Policy(approve_prefixes=("44",), approvals_channel=APPROVERS)
    request = await asked(harness, policy, "+44 20 7946 0000")
    assert "starting with +44 need an approver" in text_of(request)


async def test_without_an_approvers_channel_the_call_is_refused(harness: Harness) -> None:
    await harness.start(policy=Policy(approve_above=Decimal("0.05")))
    await harness.save_number("U1", SAVED)
    await harness.command("/call", MOBILE_DE)
    await harness.wait_for_reply("no approvers' channel is set")
    assert harness.sim.requests_by_action["call_connect"] == 0


async def test_an_approvers_channel_the_bot_cannot_post_in_refuses_at_once(
    harness: Harness,
) -> None:
    harness.slack.not_in_channels.add(APPROVERS)
    await harness.start(policy=GUARDED)
    await harness.save_number("U1", SAVED)
    await harness.command("/call", MOBILE_DE)
    await harness.wait_for_reply("I cannot post in <#C9> (not_in_channel)")
    store = harness.main.app.store
    later = harness.clock.now() + timedelta(hours=1)
    assert await store.approvals.expired(None, later) == []  # nothing left waiting


async def test_a_workflow_step_that_needs_an_approver_is_refused(harness: Harness) -> None:
    await harness.start(policy=GUARDED)
    await harness.save_number("U1", SAVED)
    step = await harness.run_step(
        StepFunction.CALL, {"caller": "U1", "number": MOBILE_DE, "channel": "C1"}
    )
    await harness.wait_for_step_end(step)
    assert step.state == "failed" and "a workflow cannot wait for one" in (step.error or "")
    assert harness.sim.requests_by_action["call_connect"] == 0


def test_the_approval_settings_read_from_everywhere() -> None:
    policy = policy_from_env(
        {
            "TALKETY_SLACK_APPROVE_ABOVE": "0.75",
            "TALKETY_SLACK_APPROVE_PREFIXES": "+882, +44 70",
            "TALKETY_SLACK_APPROVALS_CHANNEL": "C123",
            "TALKETY_SLACK_APPROVAL_MINUTES": "5",
        }
    )
    assert policy.approve_above == Decimal("0.75")
    assert policy.approve_prefixes == ("4470", "882")  # as written: + and spaces dropped
    assert (policy.approvals_channel, policy.approval_seconds) == ("C123", 300)
    assert Policy().approval_seconds == 15 * 60 and Policy().approvals_channel is None
    # Saved by a workspace's admins, read back; a stored value that does not read is dropped.
    stored = stored_form(policy)
    assert stored["approvals_channel"] == "C123" and stored["approve_prefixes"] == ["4470", "882"]
    assert apply(Policy(), stored, installer=None).approvals_channel == "C123"
    assert apply(Policy(), {"approvals_channel": 7}, installer=None).approvals_channel is None
    with pytest.raises(ConfigError, match="TALKETY_SLACK_BLOCKED_PREFIXES"):
        policy_from_env({"TALKETY_SLACK_BLOCKED_PREFIXES": "+1900, premium"})
    (channel,) = [f for f in FIELDS if f.name == "approvals_channel"]
    assert read_form(channel, "C77") == ("C77", None)
    assert read_form(channel, "") == (None, None)


async def test_an_approval_for_someone_who_may_no_longer_call_dials_nothing(
    harness: Harness,
) -> None:
    request = await asked(harness)
    store = harness.main.app.store  # meanwhile an admin paused the requester
    await store.guards.restrict(TEAM_ID, Restriction.USER, "U1", "U9", harness.clock.now())
    await answer(harness, request, ids.APPROVE_DIAL)
    await harness.wait_for_reply("Approved, but not dialled: <@U1> may not place it now")
    await harness.wait_for_reply("An admin paused your calls")
    assert harness.sim.requests_by_action["call_connect"] == 0
