"""`/call budget`: admins give a channel (a team's cost centre) a monthly budget. Calls
placed there are refused once it is spent and hung up when it runs out mid-call (the
tracker's guard), and each status message posted there shows where it stands."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation

from ..errors import UserError
from ..formatting import format_money
from ..store import AuditAction, AuditEntry, Requester
from .tools import Part

USAGE = (
    "`/call budget` lists the channels' monthly budgets; `/call budget [#channel] <amount>` "
    "sets one (this channel without #channel); `/call budget [#channel] off` removes it."
)
# A channel as Slack escapes it in a command's text: <#C123|name> (or <#C123>).
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")
_OFF = {"off", "none", "remove"}
MAX_BUDGET = Decimal(10) ** 9  # beyond this it is a typo, not a budget


def read_budget(text: str, here: str) -> tuple[str, Decimal | None] | None:
    """(channel, amount or None to remove) from `/call budget`'s text; None: list them."""
    text = text.strip()
    if not text:
        return None
    channel = here
    if found := _CHANNEL.match(text):
        channel, text = found.group(1), text[found.end() :].strip()
    elif text.startswith("#"):
        raise UserError("Pick the channel from Slack's # suggestions, so I know which it is.")
    if text.lower() in _OFF:
        return channel, None
    try:
        amount = Decimal(text.replace(",", "").lstrip("$€£"))
    except InvalidOperation:
        raise UserError(USAGE) from None
    if not amount.is_finite() or not 0 < amount <= MAX_BUDGET:
        raise UserError("A budget is an amount above 0, such as `200` (or `off`).")
    return channel, amount


class ChannelBudgets(Part):
    async def answer(self, req: Requester, text: str) -> str:
        """What `/call budget <text>` does, said back to the admin."""
        if not self.policy.is_admin(req.user_id):
            raise UserError("Channel budgets are set by the app's admins.")
        wanted = read_budget(text, req.channel_id)
        if wanted is None:
            return await self._listed(req.team_id)
        channel, amount = wanted
        if not channel.startswith(("C", "G")):
            raise UserError("Budgets are for channels: name one (`/call budget #team 200`).")
        await self.store.budgets.set(req.team_id, channel, amount, req.user_id, self.now())
        detail = {"channel": channel, "monthly": None if amount is None else str(amount)}
        await self.store.audit.add(
            AuditEntry(
                self.now(), req.team_id, req.user_id, AuditAction.BUDGET, detail=json.dumps(detail)
            )
        )
        if amount is None:
            return f"<#{channel}> has no budget any more."
        spent = await self.store.history.spend_in_channel(req.team_id, channel, self.now())
        return (
            f"<#{channel}> may spend {self._money(amount)} a month on calls "
            f"({self._money(spent)} so far this month). Calls from there are refused once it "
            "is spent, and hung up when it runs out."
        )

    async def _listed(self, team_id: str) -> str:
        budgets = await self.store.budgets.all(team_id)
        if not budgets:
            return f"No channel has a budget. {USAGE}"
        lines = []
        for channel, monthly in budgets.items():
            spent = await self.store.history.spend_in_channel(team_id, channel, self.now())
            lines.append(f"• <#{channel}>: {self._money(spent)} of {self._money(monthly)}")
        return "Channel budgets this month (UTC):\n" + "\n".join(lines)

    def _money(self, amount: Decimal) -> str:
        return format_money(amount, self.display.currency)
