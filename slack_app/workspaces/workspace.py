"""Everything that acts for one Slack workspace with one Talkety account.

A single-workspace app (bot token from the environment) has one of these for
every request; a distributed app (Slack's OAuth install) has one per installed
workspace that connected its Talkety account, each with its own bot token,
Talkety client, policy and live updates.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from talkety_core import TalketyClient

from ..blocks.call_message import Display
from ..blocks.home import RECENT_CALLS, AdminPanel, home_view
from ..clock import Clocks
from ..config import Settings
from ..live.home import HomeRefresher
from ..live.sweeper import Sweeper
from ..live.tracker import CallTracker
from ..policy import Policy
from ..reports.reporting import Reports
from ..service.access import Access
from ..service.announcer import Announcer
from ..service.approvals import Approvals
from ..service.budgets import ChannelBudgets
from ..service.dialler import Dialler
from ..service.hangups import HangUps
from ..service.numbers import NumberReader
from ..service.planner import Planner
from ..service.saved_numbers import SavedNumbers
from ..service.steps import WorkflowSteps
from ..service.tools import Tools
from ..service.tripwires import Tripwires
from ..slack_gateway import SlackGateway
from ..store import Store


class Workspace:
    def __init__(
        self,
        *,
        team_id: str | None,
        settings: Settings,
        store: Store,
        client: TalketyClient,
        web_client: AsyncWebClient,
        policy: Policy,
        currency: str,
        clocks: Clocks,
        own_client: bool,
        talkety_login: str | None = None,
    ) -> None:
        # None: the only workspace there is (single-workspace mode).
        self.team_id = team_id
        self.client = client
        self.web_client = web_client
        self.policy = policy
        self.store = store
        self.talkety_login = talkety_login  # shown to admins (distributed mode)
        self._own_client = own_client
        self.display = Display(currency, policy.mask_visible)
        timings = settings.timings
        self.gateway = SlackGateway(web_client, post_spacing=timings.post_spacing)
        # Built before the service it uses: the tracker only gets `request`.
        self.home = HomeRefresher(self.gateway, self.home_view, spacing=timings.home_spacing)
        self.tracker = CallTracker(
            store=store,
            client=client,
            gateway=self.gateway,
            policy=policy,
            display=self.display,
            instance_id=settings.instance_id,
            timings=timings,
            on_calls_changed=self.home.request,
            # A lambda: the sweeper is built after the tracker it hears from.
            on_call_ended=lambda: self.sweeper.wake(),  # noqa: PLW0108
            clocks=clocks,
            team_id=team_id,
        )
        self.now = now = clocks.now
        tools = Tools(client, store, self.tracker, self.gateway, policy, self.display, now)
        self.numbers = NumberReader(policy, store.workspaces, self.gateway.profile_phone)
        self.access = Access(tools)
        self.planner = Planner(tools, access=self.access, numbers=self.numbers)
        self.approvals = Approvals(tools, access=self.access, team_id=team_id)
        self.hangups = HangUps(tools, access=self.access)
        self.tripwires = Tripwires(tools, hangups=self.hangups, team_id=team_id)
        self.dialler = Dialler(
            tools,
            access=self.access,
            announcer=Announcer(tools),
            approvals=self.approvals,
            tripwires=self.tripwires,
        )
        self.saved_numbers = SavedNumbers(tools, numbers=self.numbers)
        self.budgets = ChannelBudgets(tools)
        self.steps = WorkflowSteps(
            tools,
            numbers=self.numbers,
            planner=self.planner,
            dialler=self.dialler,
            team_id=team_id,
        )
        self.sweeper = Sweeper(
            [self.steps.complete_due, self.approvals.expire_due, self.tripwires.watch],
            timings.sweep_interval,
        )
        self.reports = Reports(
            store=store,
            gateway=self.gateway,
            policy=policy,
            display=self.display,
            team_id=team_id,
            now=now,
        )

    async def home_view(self, team_id: str, user_id: str) -> dict[str, Any]:
        store, now = self.store, self.now()
        admin = None
        if self.policy.is_admin(user_id):
            today, month = await self.reports.today_and_month()
            admin = AdminPanel(today, month, self.talkety_login)
        return home_view(
            saved_number=await store.workspaces.saved_number(team_id, user_id),
            spent_today=await store.history.spend_today(team_id, user_id, now),
            daily_cap=self.policy.daily_cap,
            calls=await store.calls.live_calls(team_id, user_id),
            display=self.display,
            recent=await store.history.recent_calls(team_id, user_id, RECENT_CALLS),
            admin=admin,
        )

    async def start(self) -> None:
        await self.tracker.start()
        self.sweeper.start()

    async def stop(self, *, release: bool = True) -> None:
        await self.sweeper.stop()
        await self.tracker.stop(release=release)
        await self.home.stop()
        if self._own_client:
            await self.client.close()
