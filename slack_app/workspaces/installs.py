"""Distributed mode: Slack's OAuth install, and each workspace's own Talkety account.

Everything lives in the app's one database: slack_sdk's installation and
OAuth-state tables on the store's engine, and our tables for the Talkety
accounts (password and app key sealed with Fernet) and workspace policies.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from talkety_core import TalketyAuthenticationError, TalketyError
from talkety_core.account import Account

from .. import policy_fields
from ..clock import Clocks
from ..config import Settings
from ..errors import UserError, friendly
from ..policy import Policy
from ..scopes import BOT_SCOPES
from ..secret_box import SecretBox, SecretBoxError
from ..slack_gateway import SlackGateway
from ..store import Store, TalketyAccountRecord
from . import outbound
from .sealed_tokens import ORG_WIDE_REFUSAL, OrgWideInstallRefused, SealedInstallationStore
from .workspace import Workspace

if TYPE_CHECKING:
    from .directory import Directory

_LOGGER = logging.getLogger(__name__)

# Any well-formed number: the check only needs Talkety to accept the credentials.
PROBE_NUMBER = "4930901820"
OAUTH_STATE_SECONDS = 600


@dataclass(frozen=True)
class AccountForm:
    """What a workspace admin typed into the Connect Talkety modal."""

    url: str
    username: str
    password: str
    app_key: str

    def __repr__(self) -> str:
        return f"AccountForm(url={self.url!r}, username={self.username!r}, <secrets hidden>)"


class Installs:
    def __init__(self, settings: Settings, store: Store, clocks: Clocks) -> None:
        self.settings = settings
        self.store = store
        self.clocks = clocks
        self.box = SecretBox(settings.secret_key)
        self.installation_store = SealedInstallationStore(
            AsyncSQLAlchemyInstallationStore(client_id=settings.client_id, engine=store.engine),
            self.box,
        )
        self.state_store = AsyncSQLAlchemyOAuthStateStore(
            expiration_seconds=OAUTH_STATE_SECONDS, engine=store.engine
        )
        self.directory: Directory | None = None  # set by the app once built
        self._session: aiohttp.ClientSession | None = None
        # Talkety requests for workspaces: a pool of their own, public addresses only.
        self._talkety_session: aiohttp.ClientSession | None = None

    def bolt_options(self) -> dict[str, Any]:
        oauth = AsyncOAuthSettings(
            client_id=self.settings.client_id,
            client_secret=self.settings.client_secret,
            scopes=list(BOT_SCOPES),
            installation_store=self.installation_store,
            installation_store_bot_only=True,
            state_store=self.state_store,
            authorization_url=self.settings.slack_authorize_url,
            redirect_uri=self.settings.oauth_redirect_url or None,
        )

        async def success(args: AsyncSuccessArgs) -> BoltResponse:
            return await args.default.success(args)

        async def failure(args: AsyncFailureArgs) -> BoltResponse:
            if isinstance(args.error, OrgWideInstallRefused):  # said plainly, not "failed"
                return BoltResponse(status=400, body=f"<p>{ORG_WIDE_REFUSAL}</p>")
            return await args.default.failure(args)

        oauth.callback_options = AsyncCallbackOptions(success=success, failure=failure)
        client = AsyncWebClient(base_url=self.settings.slack_api_url)
        return {"oauth_flow": AsyncOAuthFlow(client=client, settings=oauth)}

    async def create(self, session: aiohttp.ClientSession) -> None:
        self._session = session
        self._talkety_session = outbound.session_for(self.settings.talkety_hosts)
        await self.installation_store.create_tables()
        await self.state_store.create_tables()  # type: ignore[no-untyped-call]

    async def close(self) -> None:
        session, self._talkety_session = self._talkety_session, None
        if session is not None:
            await session.close()

    # --- Slack's side ----------------------------------------------------

    async def bot_token(self, team_id: str) -> str | None:
        bot = await self.installation_store.async_find_bot(enterprise_id=None, team_id=team_id)
        return None if bot is None else bot.bot_token

    async def installer(self, team_id: str) -> str | None:
        found = await self.installation_store.async_find_installation(
            enterprise_id=None, team_id=team_id
        )
        return None if found is None else found.user_id

    def _web_client(self, token: str) -> AsyncWebClient:
        return AsyncWebClient(
            token=token, base_url=self.settings.slack_api_url, session=self._session
        )

    async def gateway(self, team_id: str) -> SlackGateway | None:
        """A gateway with the workspace's bot token, Talkety or not."""
        token = await self.bot_token(team_id)
        if not token:
            return None
        return SlackGateway(
            self._web_client(token), post_spacing=self.settings.timings.post_spacing
        )

    async def uninstalled(self, team_id: str) -> None:
        """The app was removed: its tokens and Talkety secrets go; call records stay."""
        await self.store.workspaces.forget_talkety_account(team_id)
        await self.tokens_revoked(team_id)

    async def tokens_revoked(self, team_id: str) -> None:
        await self.installation_store.async_delete_all(enterprise_id=None, team_id=team_id)
        if self.directory is not None:
            await self.directory.forget(team_id)

    # --- Talkety's side --------------------------------------------------

    async def policy(self, team_id: str) -> Policy:
        stored = await self.store.workspaces.workspace_policy(team_id)
        return policy_fields.apply(
            self.settings.policy, stored, installer=await self.installer(team_id)
        )

    async def is_admin(self, team_id: str, user_id: str) -> bool:
        return (await self.policy(team_id)).is_admin(user_id)

    async def account(self, team_id: str) -> Account | None:
        row = await self.store.workspaces.talkety_account(team_id)
        if row is None:
            return None
        secrets = self.box.open(row.sealed)
        return Account(
            url=row.url,
            username=row.username,
            password=secrets["password"],
            app_key=secrets["app_key"],
            currency=row.currency,
            region=row.region,
        )

    async def version(self, team_id: str) -> object:
        """Changes whenever the workspace's bot, Talkety account or settings change."""
        bot = await self.installation_store.async_find_bot(enterprise_id=None, team_id=team_id)
        return (
            None if bot is None else bot.bot_token,
            await self.store.workspaces.workspace_version(team_id),
        )

    async def connected(self) -> list[str]:
        return await self.store.workspaces.connected_teams()

    async def build(self, team_id: str) -> Workspace | None:
        token = await self.bot_token(team_id)
        try:
            account = await self.account(team_id)
        except SecretBoxError:
            return None  # the key changed: an admin connects the account again
        if not token or account is None:
            return None
        refused = outbound.refusal(self.settings.talkety_hosts, account.url)
        if refused is not None:  # saved before the operator narrowed the list
            _LOGGER.warning("Workspace %s: its Talkety URL is refused: %s", team_id, refused)
            return None
        policy = await self.policy(team_id)
        if account.region and not policy.default_region:
            policy = replace(policy, default_region=account.region)
        return Workspace(
            team_id=team_id,
            talkety_login=f"`{account.username}` at {account.url}",
            settings=self.settings,
            store=self.store,
            client=account.client(session=self._talkety_session, follow_redirects=False),
            web_client=self._web_client(token),
            policy=policy,
            currency=account.currency,
            clocks=self.clocks,
            own_client=True,
        )

    async def connect(self, team_id: str, user_id: str, form: AccountForm, now: datetime) -> None:
        """Check the credentials with a pricing request, then save them (sealed) and
        restart the workspace on them. UserError says what Talkety answered."""
        if not await self.is_admin(team_id, user_id):
            raise UserError("Only an admin of this app can connect a Talkety account.")
        defaults = self.settings.talkety
        account = Account(
            url=form.url or defaults.url,
            username=form.username,
            password=form.password,
            app_key=form.app_key,
            currency=defaults.currency,
            region=defaults.region,
        )
        refused = outbound.refusal(self.settings.talkety_hosts, account.url)
        if refused is not None:
            _LOGGER.warning("Workspace %s: Talkety URL refused: %s", team_id, refused)
            raise UserError(outbound.UNREACHABLE)
        client = account.client(session=self._talkety_session, timeout=10, follow_redirects=False)
        try:
            await client.pricing([PROBE_NUMBER])
        except TalketyAuthenticationError as err:
            raise UserError(f"Talkety did not accept these details: {friendly(err)}") from None
        except TalketyError as err:
            # Anything but a refused login looks the same to the admin (no oracle of
            # what answers where); the operator's log has what happened.
            _LOGGER.warning("Workspace %s: Talkety check failed: %s", team_id, err)
            raise UserError(outbound.UNREACHABLE) from None
        finally:
            await client.close()
        await self.store.workspaces.save_talkety_account(
            TalketyAccountRecord(
                team_id=team_id,
                url=account.url,
                username=account.username,
                sealed=self.box.seal({"password": account.password, "app_key": account.app_key}),
                currency=account.currency,
                region=account.region,
                connected_by=user_id,
                connected_at=now,
            )
        )
        await self._restart(team_id)

    async def save_policy(
        self,
        team_id: str,
        user_id: str,
        policy: Policy,
        now: datetime,
        *,
        report_channel: str | None,
    ) -> None:
        # Checked again at submission: the user may have lost the role since the form opened.
        if not await self.is_admin(team_id, user_id):
            raise UserError("Only an admin of this app can change its settings.")
        stored = policy_fields.stored_form(policy)
        stored["report_channel"] = report_channel
        await self.store.workspaces.save_workspace_policy(team_id, stored, user_id, now)
        await self._restart(team_id)

    async def report_channel(self, team_id: str) -> str | None:
        """Where this workspace's daily digest goes (its admins choose)."""
        channel = (await self.store.workspaces.workspace_policy(team_id)).get("report_channel")
        return str(channel) if channel else None

    async def _restart(self, team_id: str) -> None:
        # Built again at once on what was just saved: its live calls are followed
        # again without waiting for someone's next request.
        if self.directory is not None:
            await self.directory.forget(team_id)
            with contextlib.suppress(UserError):
                await self.directory.get(team_id)
