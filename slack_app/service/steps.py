"""Workflow Builder steps: *Place a call* and *Start a conference* run as the person
named their caller, post the usual live status, and complete with the call's outcome
when it ends (or fail with why nothing was dialled).

Slack may deliver a step twice; it is claimed once (store.steps) before anything is
dialled. Completing (complete_due, run by the workspace's sweeper) is retried until Slack
has it: the call may end on any instance, and any instance's sweep tells Slack (a second
telling is refused by Slack, harmlessly).
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from talkety_core import TalketyError

from ..errors import USER_ERRORS, UserError, friendly
from ..formatting import format_money
from ..slack_gateway import RATE_LIMITED, SlackResult, is_transient
from ..store import AuditAction, AuditEntry, CallRecord, DialPlan, RecordState, Requester
from ..store.steps import StepRecord
from .dialler import Dialler
from .numbers import NumberReader
from .planner import Planner
from .tools import Part, Tools

_LOGGER = logging.getLogger(__name__)

# A step with no call this long after it was taken: its instance stopped before dialling.
STALE_STEP = timedelta(minutes=2)
NEVER_DIALLED = "The Talkety app stopped before dialling; nothing was dialled. Run it again."


class StepFunction(StrEnum):
    """The manifest's functions (their callback ids)."""

    CALL = "place_call_step"
    CONFERENCE = "start_conference_step"


@dataclass(frozen=True, slots=True)
class StepOrder:
    """One step's inputs, read: who calls, whom (people and typed numbers), and where
    its status goes."""

    execution_id: str
    function: StepFunction
    caller: str
    channel: str
    people: tuple[str, ...] = ()
    numbers: str = ""

    @property
    def text(self) -> str:
        """The order as the matching command's text: people as Slack writes mentions."""
        return " ".join([*(f"<@{user}>" for user in self.people), self.numbers]).strip()


def step_outputs(record: CallRecord) -> dict[str, Any]:
    """What a finished call gives the workflow's next steps (the manifest's outputs)."""
    return {
        "call_id": record.key,
        "outcome": record.status,
        "answered": record.duration > 0,
        "duration": record.duration,
        "cost": str(record.cost),
    }


class WorkflowSteps(Part):
    def __init__(
        self,
        tools: Tools,
        *,
        numbers: NumberReader,
        planner: Planner,
        dialler: Dialler,
        team_id: str | None,
    ) -> None:
        super().__init__(tools)
        self.numbers = numbers
        self.planner = planner
        self.dialler = dialler
        self.team_id = team_id  # None: every workspace's (single-workspace mode)
        self._completing = asyncio.Lock()

    # --- running a step ----------------------------------------------------

    async def run(self, team_id: str, order: StepOrder) -> None:
        """Dial what the step asks for, once per execution; refused: nothing is dialled,
        the caller is told, and the step fails with the same sentence."""
        claimed = await self.store.steps.claim(
            order.execution_id, team_id, order.caller, order.function, self.now()
        )
        if not claimed:
            _LOGGER.info("Workflow step %s delivered again; ignored", order.execution_id)
            return
        req = Requester(team_id, order.caller, order.channel)
        try:
            plan = await self._plan(req, order)
            await self.dialler.place(req, plan, step=order.execution_id)
        except USER_ERRORS as err:
            await self._refuse(req, order, str(err))
        except TalketyError as err:
            await self._refuse(req, order, friendly(err))
        else:
            return
        await self.complete_due()

    async def _plan(self, req: Requester, order: StepOrder) -> DialPlan:
        if order.function is StepFunction.CALL:
            numbers = await self.numbers.call_numbers(req, order.text)
        else:
            numbers = await self.numbers.conference_numbers(req, order.text)
        plan = await self.planner.plan_numbers(req, numbers)
        if reason := self.dialler.approvals.reason(plan):
            raise UserError(
                f"This needs an approver ({reason}), and a workflow cannot wait for one. "
                "Place this call with `/call`."
            )
        if self.policy.needs_confirmation([plan.highest]):
            # Nobody is there to confirm: a workflow may place only what needs no question.
            limit = self.policy.confirm_above
            assert limit is not None
            raise UserError(
                f"A number costs {format_money(plan.highest, self.display.currency)} a minute, "
                f"above the {format_money(limit, self.display.currency)} that needs a "
                "confirmation, and a workflow cannot confirm. Place this call with `/call`."
            )
        return plan

    async def _refuse(self, req: Requester, order: StepOrder, reason: str) -> None:
        await self.store.steps.refuse(order.execution_id, reason)
        await self.gateway.tell(req.target, f":warning: A workflow's call was not placed: {reason}")

    # --- telling Slack how steps ended -------------------------------------

    async def complete_due(self) -> None:
        """Complete every open step whose end is known (one sweep at a time here)."""
        async with self._completing:
            now = self.now()
            for step, record in await self.store.steps.due(self.team_id, now - STALE_STEP):
                result = await self._complete(step, record)
                # Done, or Slack will never take it (already completed elsewhere, say).
                settled = result.ok or not (
                    is_transient(result.error) or result.error == RATE_LIMITED
                )
                if settled and await self.store.steps.close(step.execution_id, self.now()):
                    await self._audit(step, record, result)

    async def _complete(self, step: StepRecord, record: CallRecord | None) -> SlackResult:
        if record is not None and record.state is RecordState.ENDED:
            return await self.gateway.call(
                "functions.completeSuccess",
                function_execution_id=step.execution_id,
                outputs=step_outputs(record),
            )
        reason = step.refused or (record.auto_hangup if record else None) or NEVER_DIALLED
        return await self.gateway.call(
            "functions.completeError", function_execution_id=step.execution_id, error=reason
        )

    async def _audit(self, step: StepRecord, record: CallRecord | None, told: SlackResult) -> None:
        detail = {"function": step.function, "execution": step.execution_id}
        if not told.ok:
            detail["slack_error"] = told.error or ""
        if record is not None and record.state is RecordState.ENDED:
            detail["outcome"] = record.status
        else:
            detail["refused"] = step.refused or (record and record.auto_hangup) or NEVER_DIALLED
        await self.store.audit.add(
            AuditEntry(
                self.now(),
                step.team_id,
                step.user_id,
                AuditAction.STEP,
                call_key=step.call_key,
                subject_id=record.subject_id if record else None,
                detail=json.dumps(detail),
            )
        )
