"""A planned dial, asked about first when it should be, then dialled exactly once."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

from talkety_core import TalketyCallOutcomeUnknownError, TalketyError

from ..errors import UserError, friendly
from ..store import (
    AuditAction,
    AuditEntry,
    DialKind,
    DialPlan,
    PendingDial,
    PendingState,
    RecordState,
    Requester,
)
from .access import Access
from .announcer import Announcer
from .approvals import Approvals
from .tools import Part, Tools
from .tripwires import Tripwires

_LOGGER = logging.getLogger(__name__)

# The same person asking for the same call again this soon is asked before it dials.
REPEAT_WINDOW = timedelta(minutes=2)
CONFIRMATION_TTL = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Question:
    """A dial held until its requester confirms it: placed `repeated` ago already, or
    with a number dearer than `threshold` a minute."""

    pending: PendingDial
    repeated: timedelta | None = None
    threshold: Decimal | None = None


class Dialler(Part):
    def __init__(
        self,
        tools: Tools,
        *,
        access: Access,
        announcer: Announcer,
        approvals: Approvals,
        tripwires: Tripwires,
    ) -> None:
        super().__init__(tools)
        self.access = access
        self.announcer = announcer
        self.approvals = approvals
        self.tripwires = tripwires

    async def submit(
        self, req: Requester, plan: DialPlan, *, ask_if_repeated: bool = True
    ) -> Question | None:
        """Dial now (None), or hold it for a Question: when the same call was just placed
        (typed twice, say), or when a number is above the price threshold. A dial that
        needs an approver goes to the approvers instead (None: its requester was told)."""
        if ask_if_repeated and plan.kind is not DialKind.ADD:
            since = self.now() - REPEAT_WINDOW
            placed = await self.store.history.same_dial_since(req, plan, since)
            if placed is not None:
                pending = await self.store.pending.add(req, plan, self.now())
                return Question(pending, repeated=self.now() - placed)
        if reason := self.approvals.reason(plan):
            # The approver sees the price: no confirmation asked on top.
            await self.approvals.request(req, plan, reason)
            return None
        if self.policy.needs_confirmation([plan.highest]):
            pending = await self.store.pending.add(req, plan, self.now())
            return Question(pending, threshold=self.policy.confirm_above)
        await self.place(req, plan)
        return None

    async def confirm(self, req: Requester, pending_id: str, *, accept: bool) -> None:
        pending = await self.store.pending.get(pending_id)
        if pending is None or pending.requester.team_id != req.team_id:
            raise UserError("That confirmation is no longer valid.")
        owner = pending.requester.user_id
        if owner != req.user_id:
            raise UserError(f"Only <@{owner}> can answer this.")
        answer = PendingState.USED if accept else PendingState.CANCELLED
        if not await self.store.pending.answer(pending_id, answer, self.now() - CONFIRMATION_TTL):
            raise UserError(
                "This was already answered (or is older than 10 minutes); nothing more was done."
            )
        if not accept:
            await self.gateway.tell(
                req.target, "Cancelled: nothing was dialled.", replace_original=True
            )
            return
        await self.gateway.tell(req.target, "Confirmed, dialling…", replace_original=True)
        where = req.elsewhere(pending.requester.channel_id)
        await self.access.recheck(where)
        if reason := self.approvals.reason(pending.plan):
            await self.approvals.request(where, pending.plan, reason)
            return
        await self.place(where, pending.plan, confirmed=True)

    async def place(
        self,
        req: Requester,
        plan: DialPlan,
        *,
        confirmed: bool = False,
        step: str | None = None,
        approved_by: str | None = None,
    ) -> None:
        """Dial `plan` once; `step`: the Workflow Builder step it is for (execution id);
        `approved_by`: the approver who let it through."""
        if plan.kind is DialKind.ADD:
            await self._add(req, plan)
            return
        now = self.now()
        record = await self.store.calls.new_call(
            req,
            plan,
            now=now,
            holder=self.tracker.instance_id,
            lease_until=now + self.tracker.lease_ttl,
            step=step,
        )
        self.tracker.hold(record.key)
        dialled = {
            "kind": plan.kind,
            "src": plan.src,
            "dsts": list(plan.dsts),
            "confirmed": confirmed,
            **({"step": step} if step else {}),
            **({"approved_by": approved_by} if approved_by else {}),
        }
        await self.store.audit.add(
            AuditEntry.of_call(record, AuditAction.DIAL, now, detail=json.dumps(dialled))
        )
        try:
            if plan.kind is DialKind.CONFERENCE:
                subject_id = await self.client.conference_connect(
                    plan.src, list(plan.dsts), custom_data=record.tag
                )
            else:
                subject_id = await self.client.call_connect(
                    plan.src, plan.dsts[0], custom_data=record.tag
                )
        except TalketyCallOutcomeUnknownError as err:
            _LOGGER.warning("Dial %s: outcome unknown; reconciling", record.key)
            await self.store.calls.set_unknown(record.key)
            await self.announcer.show(req, record.key)
            await self.gateway.tell(req.target, f":warning: {friendly(err)}")
            await self.tripwires.after_dial(req, record)  # it may have been placed
            return
        except TalketyError as err:
            await self.store.calls.set_not_placed(record.key, self.now(), friendly(err))
            await self.tracker.release(record.key)
            raise UserError(friendly(err)) from None
        await self.store.calls.set_placed(record.key, subject_id)
        await self.announcer.show(req, record.key)
        await self.tripwires.after_dial(req, record)

    async def _add(self, req: Requester, plan: DialPlan) -> None:
        record = await self.access.controlled(req, plan.target_key or "", "add participants to")
        if record.subject_id is None or record.state is not RecordState.LIVE:
            raise UserError("That conference has already ended.")
        await self.store.audit.add(
            AuditEntry.of_call(
                record,
                AuditAction.ADD,
                self.now(),
                by=req.user_id,
                detail=json.dumps({"dsts": list(plan.dsts)}),
            )
        )
        try:
            await self.client.conference_add(record.subject_id, list(plan.dsts))
        except TalketyCallOutcomeUnknownError:
            await self.gateway.tell(
                req.target,
                ":warning: Talkety did not answer clearly, so the new participants *may or may "
                "not have been dialled*. I did not dial again; the conference message will show "
                "them if they were.",
            )
        finally:
            self.tracker.wake()  # the change shows with the next poll
        # The tripwires look at who was added, as at a new dial.
        await self.tripwires.after_dial(req, replace(record, dsts=plan.dsts, created_at=self.now()))
