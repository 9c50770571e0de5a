"""Who may call, control a call, and spend how much: the policy applied to a request."""

from __future__ import annotations

import time
from datetime import timedelta

from ..errors import UserError
from ..policy import PolicyError
from ..store import CallRecord, Requester
from ..store.guards import Restriction
from .tools import Part, Tools

USERGROUP_CACHE_SECONDS = 300.0


class Access(Part):
    def __init__(self, tools: Tools) -> None:
        super().__init__(tools)
        self._groups: dict[str, tuple[float, set[str]]] = {}

    async def check_allowed(self, req: Requester) -> None:
        members: set[str] = set()
        if self.policy.restricted and req.user_id not in self.policy.allowed_users:
            for group in self.policy.allowed_usergroups:
                members |= await self._members(group)
        if not self.policy.may_call(req.user_id, members):
            raise PolicyError("You are not allowed to place calls from this workspace.")
        if req.user_id in await self.store.guards.restricted(req.team_id, Restriction.USER):
            raise PolicyError(
                "An admin paused your calls after a fraud alert. Ask an admin to resume them."
            )

    async def check_prefixes(self, req: Requester, numbers: list[str]) -> None:
        """The policy's blocked prefixes, and those admins blocked from a fraud alert."""
        blocked = await self.store.guards.restricted(req.team_id, Restriction.PREFIX)
        self.policy.check_prefixes(numbers, also=sorted(blocked))

    async def _members(self, group: str) -> set[str]:
        cached = self._groups.get(group)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        members = await self.gateway.usergroup_members(group)
        if members is None:
            return cached[1] if cached else set()
        self._groups[group] = (time.monotonic() + USERGROUP_CACHE_SECONDS, members)
        return members

    async def check_budget(self, req: Requester) -> None:
        now = self.now()
        count, window = self.policy.rate_limit
        if count:
            recent = await self.store.audit.dials_since(
                req.team_id, req.user_id, now - timedelta(seconds=window)
            )
            self.policy.check_rate(recent)
        if self.policy.daily_cap is not None:
            spent = await self.store.history.spend_today(req.team_id, req.user_id, now)
            self.policy.check_daily_cap(spent, self.display.currency)
        budget = await self.store.budgets.of(req.team_id, req.channel_id)
        if budget is not None:
            spent = await self.store.history.spend_in_channel(req.team_id, req.channel_id, now)
            self.policy.check_channel_budget(spent, budget, req.channel_id, self.display.currency)

    async def recheck(self, req: Requester) -> None:
        """Time has passed since the plan: the user's rights and budget may have changed."""
        await self.check_allowed(req)
        await self.check_budget(req)

    async def record_of(self, req: Requester, key: str) -> CallRecord | None:
        """The record a button or form names, if it is one of the requester's workspace:
        in a channel two workspaces share, one must not act through the other's."""
        record = await self.store.calls.get_call(key)
        return record if record is not None and record.team_id == req.team_id else None

    async def controlled(self, req: Requester, key: str, verb: str) -> CallRecord:
        """The call `key`, if the requester may `verb` it (its owner or an admin)."""
        record = await self.record_of(req, key)
        if record is None:
            raise UserError("I don't know that call.")
        self.check_control(req, record, verb)
        return record

    def check_control(self, req: Requester, record: CallRecord, verb: str) -> None:
        if not self.policy.may_control(req.user_id, record.user_id):
            raise PolicyError(f"Only <@{record.user_id}> or an admin can {verb} this call.")
