"""The objects listeners need, built once in app.py and passed to register()."""

from __future__ import annotations

from dataclasses import dataclass

from .in_flight import InFlight
from .slack_gateway import SlackGateway
from .store import Store
from .workspaces.directory import Directory, NotConnected
from .workspaces.installs import Installs
from .workspaces.workspace import Workspace


@dataclass(frozen=True)
class AppContext:
    workspaces: Directory
    store: Store
    in_flight: InFlight
    # Distributed mode only (Slack's OAuth install): installations, Talkety accounts.
    installs: Installs | None = None

    async def workspace(self, team_id: str) -> Workspace:
        """The workspace a request acts for; NotConnected (a UserError) if it has no
        Talkety account yet."""
        return await self.workspaces.get(team_id)

    async def gateway(self, team_id: str) -> SlackGateway | None:
        """Where to tell a user something, even in a workspace without Talkety."""
        try:
            return (await self.workspaces.get(team_id)).gateway
        except NotConnected:
            return None if self.installs is None else await self.installs.gateway(team_id)
