"""When the app hangs up by itself: the per-call caps (cost, duration), each user's daily
spend cap (from the policy) and each channel's monthly budget (set with `/call budget`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from talkety_core import Subject

from ..blocks.call_message import ChannelStanding
from ..policy import Policy
from ..store import CallRecord, Store


class SpendLimits:
    def __init__(
        self, policy: Policy, store: Store, currency: str, now: Callable[[], datetime]
    ) -> None:
        self.policy = policy
        self.store = store
        self.currency = currency
        self.now = now
        # (team, channel) -> its standing at the last look: status messages show it.
        self._standings: dict[tuple[str, str], ChannelStanding] = {}

    def standing(self, record: CallRecord) -> ChannelStanding | None:
        return self._standings.get((record.team_id, record.channel_id))

    def call_limit(self, subject: Subject) -> str | None:
        """Why this running call must end now (its cost or duration cap), or None."""
        return self.policy.limit_reached(subject, self.currency)

    async def over_daily_cap(self, live: Iterable[CallRecord]) -> list[tuple[str, str]]:
        """(key, reason) of each live call whose user has spent their day's cap."""
        if self.policy.daily_cap is None:
            return []
        live = list(live)
        over = []
        for team_id, user_id in {(r.team_id, r.user_id) for r in live}:
            spent = await self.store.history.spend_today(team_id, user_id, self.now())
            reason = self.policy.over_daily_cap(spent, self.currency)
            if reason:
                over += [
                    (r.key, reason) for r in live if (r.team_id, r.user_id) == (team_id, user_id)
                ]
        return over

    async def over_channel_budget(self, live: Iterable[CallRecord]) -> list[tuple[str, str]]:
        """(key, reason) of each live call whose channel has spent its monthly budget;
        every live call's channel standing looked at again."""
        live = list(live)
        over = []
        for team_id, channel_id in {(r.team_id, r.channel_id) for r in live}:
            monthly = await self.store.budgets.of(team_id, channel_id)
            if monthly is None:
                self._standings.pop((team_id, channel_id), None)
                continue
            spent = await self.store.history.spend_in_channel(team_id, channel_id, self.now())
            self._standings[team_id, channel_id] = ChannelStanding(channel_id, spent, monthly)
            reason = self.policy.over_channel_budget(spent, monthly, channel_id, self.currency)
            if reason:
                over += [
                    (r.key, reason)
                    for r in live
                    if (r.team_id, r.channel_id) == (team_id, channel_id)
                ]
        return over
