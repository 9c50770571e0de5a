"""/call report, the CSV export and the numbers behind the digest and App Home."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ..blocks.call_message import Display
from ..blocks.kit import Block
from ..blocks.report import summary_blocks
from ..errors import UserError
from ..formatting import code
from ..policy import Policy
from ..slack_gateway import ReplyTarget, SlackGateway
from ..store import Store
from ..store.summary import PERIODS, Summary, period, summarise
from .csv_export import export_csv

USAGE = "`/call report [today|week|month] [csv] [full]` (full: whole numbers in the CSV)"


class Reports:
    def __init__(
        self,
        *,
        store: Store,
        gateway: SlackGateway,
        policy: Policy,
        display: Display,
        team_id: str | None,
        now: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.gateway = gateway
        self.policy = policy
        self.display = display
        self.team_id = team_id  # None: every record (single-workspace mode)
        self.now = now

    async def summary(self, period_name: str) -> Summary:
        when = period(period_name, self.now())
        return summarise(
            await self.store.history.calls_between(self.team_id, when.start, when.end), when
        )

    async def today_and_month(self) -> tuple[Summary, Summary]:
        """Both from one read of the month (today lies within it): the admins' App Home
        is rebuilt whenever their calls change."""
        now = self.now()
        today, month = period("today", now), period("month", now)
        records = await self.store.history.calls_between(self.team_id, month.start, month.end)
        todays = [r for r in records if r.created_at >= today.start]
        return summarise(todays, today), summarise(records, month)

    async def answer(self, user_id: str, target: ReplyTarget, words: list[str]) -> None:
        """/call report ...: for admins, privately; a CSV goes to our DM with them."""
        if not self.policy.is_admin(user_id):
            raise UserError("Spend reports are for the app's admins.")
        unknown = [w for w in words if w not in (*PERIODS, "csv", "full")]
        if unknown:
            raise UserError(f"I don't know {code(unknown[0])} here. {USAGE}")
        name = next((w for w in words if w in PERIODS), "today")
        summary = await self.summary(name)
        text, blocks = summary_blocks(summary, self.display, title="Talkety spend")
        if "csv" in words:
            await self._upload(user_id, target, summary, full="full" in words)
            return
        await self.gateway.tell(target, text, blocks)

    async def _upload(
        self, user_id: str, target: ReplyTarget, summary: Summary, *, full: bool
    ) -> None:
        when = summary.period
        records = await self.store.history.calls_between(self.team_id, when.start, when.end)
        content = export_csv(
            records,
            await self.store.audit.of_calls(r.key for r in records),
            currency=self.display.currency,
            mask_visible=None if full else self.display.mask_visible,
        )
        name = f"talkety-calls-{when.start:%Y-%m-%d}-to-{when.end:%Y-%m-%d}.csv"
        result = await self.gateway.upload_file(
            user_id,
            name,
            content,
            comment=f"Talkety calls, {when.label}: {summary.calls} calls"
            + ("" if full else " (numbers masked; add `full` for whole numbers)"),
        )
        if result.ok:
            await self.gateway.tell(
                target, f"The CSV ({summary.calls} calls) is in our direct messages."
            )
        else:
            await self.gateway.tell(
                target, f":warning: Slack did not take the CSV ({result.error})."
            )

    def blocks(self, summary: Summary, title: str) -> tuple[str, list[Block]]:
        return summary_blocks(summary, self.display, title=title)
