"""Dials a second person must approve (above a price, or to listed prefixes): asked in the
approvers' channel, dialled once on the first approval, whichever instance gets it; denied
or expired, never dialled. The requester hears each step privately."""

from __future__ import annotations

import json
from datetime import timedelta

from ..blocks.approval import approval_message, asked_text, decided_text
from ..errors import UserError
from ..policy import PolicyError
from ..slack_gateway import ReplyTarget
from ..store import AuditAction, AuditEntry, DialPlan, PendingState, Requester
from ..store.approvals import Approval
from .access import Access
from .tools import Part, Tools


class Approvals(Part):
    def __init__(self, tools: Tools, *, access: Access, team_id: str | None) -> None:
        super().__init__(tools)
        self.access = access
        self.team_id = team_id  # None: every workspace's (single-workspace mode)

    @property
    def ttl(self) -> int:
        return self.policy.approval_seconds

    def reason(self, plan: DialPlan) -> str | None:
        """Why `plan` needs an approver, or None."""
        return self.policy.approval_reason(plan.dsts, plan.highest, self.display.currency)

    async def request(self, req: Requester, plan: DialPlan, reason: str) -> None:
        """Ask the approvers' channel; tell the requester it waits."""
        channel = self.policy.approvals_channel
        if not channel:
            raise UserError(
                f"This needs an approver ({reason}), but no approvers' channel is set. "
                "Ask an admin to choose one in the Talkety settings; nothing was dialled."
            )
        pending = await self.store.pending.add(req, plan, self.now())
        await self.store.approvals.add(pending, reason, channel)
        approval = await self._get(pending.id)
        text, blocks = approval_message(approval, self.display, self.ttl)
        posted = await self.gateway.post_message(channel, text, blocks)
        if not posted.ok or posted.ts is None:
            # Nobody can answer what nobody sees: refused now, not left to expire.
            await self.store.approvals.decide(
                pending.id, PendingState.CANCELLED, None, pending.created_at
            )
            raise UserError(
                f"This needs an approver ({reason}), but I cannot post in <#{channel}> "
                f"({posted.error}). Ask an admin to invite me there; nothing was dialled."
            )
        await self.store.approvals.posted(pending.id, posted.ts)
        await self._audit(approval, "asked", req.user_id)
        await self.gateway.tell(req.target, asked_text(approval, self.ttl))

    async def decide(
        self, req: Requester, approval_id: str, *, approve: bool
    ) -> tuple[Requester, DialPlan] | None:
        """An approver's answer: the dial to place (approved, first answer), or None."""
        approval = await self.store.approvals.get(approval_id)
        if approval is None or approval.pending.requester.team_id != req.team_id:
            raise UserError("That approval request is no longer valid.")
        if req.channel_id != approval.channel_id:
            raise UserError(f"Approvals are answered in <#{approval.channel_id}>.")
        requester = approval.pending.requester
        if req.user_id == requester.user_id:
            raise UserError("You cannot approve your own call: someone else here must.")
        answer = PendingState.USED if approve else PendingState.CANCELLED
        not_before = self.now() - self._ttl_delta
        if not await self.store.approvals.decide(approval_id, answer, req.user_id, not_before):
            raise UserError("This was already answered (or it expired); nothing more was done.")
        await self._show(await self._get(approval_id))
        if not approve:
            return None
        where = Requester(requester.team_id, requester.user_id, requester.channel_id)
        try:
            await self.access.recheck(where)  # time has passed: their rights may have changed
        except PolicyError as err:
            await self.gateway.tell(
                ReplyTarget(where.user_id, where.channel_id), f":warning: {err}"
            )
            raise UserError(
                f"Approved, but not dialled: <@{where.user_id}> may not place it now ({err})"
            ) from None
        return where, approval.pending.plan

    async def expire_due(self) -> None:
        """Requests nobody answered in time: expired, shown so, their requester told."""
        cutoff = self.now() - self._ttl_delta
        for approval_id in await self.store.approvals.expired(self.team_id, cutoff):
            if await self.store.approvals.decide(approval_id, PendingState.EXPIRED, None, cutoff):
                await self._show(await self._get(approval_id))

    @property
    def _ttl_delta(self) -> timedelta:
        return timedelta(seconds=self.ttl)

    async def _get(self, approval_id: str) -> Approval:
        approval = await self.store.approvals.get(approval_id)
        assert approval is not None  # added before it is read; never deleted
        return approval

    async def _show(self, approval: Approval) -> None:
        """The approvers' message rebuilt from the decision; the requester told; audited."""
        if approval.message_ts:
            text, blocks = approval_message(approval, self.display, self.ttl)
            await self.gateway.update_message(
                approval.channel_id, approval.message_ts, text, blocks
            )
        requester = approval.pending.requester
        target = ReplyTarget(requester.user_id, requester.channel_id)
        await self.gateway.tell(target, decided_text(approval))
        state = {
            PendingState.USED: "approved",
            PendingState.CANCELLED: "denied",
            PendingState.EXPIRED: "expired",
        }
        await self._audit(approval, state[approval.state], approval.decided_by)

    async def _audit(self, approval: Approval, what: str, by: str | None) -> None:
        pending = approval.pending
        detail = {
            "approval": what,
            "id": pending.id,
            "reason": approval.reason,
            "dsts": list(pending.plan.dsts),
            "per_minute": str(pending.plan.per_minute),
        }
        await self.store.audit.add(
            AuditEntry(
                self.now(),
                pending.requester.team_id,
                by or pending.requester.user_id,
                AuditAction.APPROVAL,
                detail=json.dumps(detail),
            )
        )
