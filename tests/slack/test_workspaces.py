"""Distributed mode: installs in two workspaces through Slack's OAuth flow, each with its
own Talkety account (checked, then stored encrypted), its own policy and token."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text
from yarl import URL

from devtools.slack.fake_slack import FakeSlack, action_ids, button_value, response_text
from devtools.slack.signing import (
    block_action_body,
    command_body,
    event_body,
    shortcut_body,
    signed_headers,
    view_submission_body,
)
from slack_app.app import SlackTalketyApp
from slack_app.blocks import ids
from slack_app.blocks.modals import connect_modal
from slack_app.config import Settings, TalketyHosts, Timings
from slack_app.policy import Policy
from slack_app.server import HttpServer
from slack_app.workspaces.outbound import UNREACHABLE
from slack_app.workspaces.sealed_tokens import ORG_WIDE_REFUSAL
from talkety_core import TalketyClient
from talkety_core.account import Account
from talkety_core.simulator import ManualClock, Simulator, SimulatorServer

from .conftest import (
    DST,
    FAST,
    SAVED,
    SIGNING_SECRET,
    assert_no_connection_left,
    database_threads,
    manual_clocks,
    text_of,
)

TEAM_A, TEAM_B = "TACME", "TGLOBEX"
ADMIN_A, ADMIN_B = "UA1", "UB1"
SECRET_KEY = Fernet.generate_key().decode()
LOOPBACK_SIMULATORS = TalketyHosts(("127.0.0.1",), https_only=False, public_only=False)


@dataclass
class SimulatedAccount:
    sim: Simulator
    server: SimulatorServer
    username: str
    password: str
    app_key: str


@dataclass
class Workspaces:
    slack: FakeSlack
    accounts: dict[str, SimulatedAccount]
    session: aiohttp.ClientSession
    clock: ManualClock
    database: str
    servers: list[HttpServer] = field(default_factory=list)

    @property
    def server(self) -> HttpServer:
        return self.servers[-1]

    @property
    def app(self) -> SlackTalketyApp:
        return self.server.slack

    async def start(self, **overrides: Any) -> SlackTalketyApp:
        settings = Settings(
            client_id=self.slack.client_id,
            client_secret=self.slack.client_secret,
            secret_key=overrides.pop("secret_key", SECRET_KEY),
            signing_secret=SIGNING_SECRET,
            slack_api_url=self.slack.api_url,
            slack_authorize_url=f"http://127.0.0.1:{self.slack.port}/oauth/v2/authorize",
            database_url=self.database,
            talkety=Account(url="https://api.talkety.example/xml/v1"),
            # The simulators these tests connect are on loopback, over http.
            talkety_hosts=overrides.pop("talkety_hosts", LOOPBACK_SIMULATORS),
            policy=overrides.pop("policy", Policy(confirm_above=Decimal("0.50"))),
            timings=replace(FAST, lease_ttl=Timings().lease_ttl),
            **overrides,
        )
        app = SlackTalketyApp(settings, clocks=manual_clocks(self.clock))
        server = HttpServer(app, "127.0.0.1", 0)
        await server.start()
        self.servers.append(server)
        return app

    async def post(self, body: str, content_type: str = "application/x-www-form-urlencoded") -> str:
        headers = signed_headers(SIGNING_SECRET, body)
        headers["Content-Type"] = content_type
        async with self.session.post(
            self.server.url, data=body.encode(), headers=headers
        ) as response:
            assert response.status == 200, await response.text()
            return await response.text()

    async def install(
        self,
        team: str,
        user: str,
        *,
        enterprise_id: str | None = None,
        org_wide: bool = False,
        status: int = 200,
    ) -> str:
        """The installer clicks "Add to Slack", approves, and comes back with a code;
        the page the app then shows."""
        base = f"http://127.0.0.1:{self.server.port}"
        async with self.session.get(f"{base}/slack/install") as response:
            page = await response.text()
            cookie = response.headers["Set-Cookie"].split(";")[0]
        state = re.search(r"state=([^&\"']+)", page)
        assert state, page
        code = self.slack.authorize(team, user, enterprise_id=enterprise_id, org_wide=org_wide)
        url = f"{base}/slack/oauth_redirect?code={code}&state={state.group(1)}"
        async with self.session.get(url, headers={"Cookie": cookie}) as response:
            page = await response.text()
            assert response.status == status, page
            return page

    async def connect(
        self, team: str, user: str, account: SimulatedAccount, **changes: str
    ) -> None:
        values = {
            ids.INPUT_TALKETY_URL: account.server.base_url,
            ids.INPUT_TALKETY_USERNAME: account.username,
            ids.INPUT_TALKETY_PASSWORD: account.password,
            ids.INPUT_TALKETY_APP_KEY: account.app_key,
            **changes,
        }
        view = connect_modal(url="", username="")
        trigger = self.slack.issue_trigger()
        await self.post(
            view_submission_body(view, values, user=user, team=team, trigger_id=trigger)
        )

    async def command(self, team: str, user: str, command: str, text_: str, channel: str) -> None:
        body = command_body(
            command,
            text_,
            user=user,
            channel=channel,
            team=team,
            response_url=self.slack.response_url(f"{team}-{user}"),
            trigger_id=self.slack.issue_trigger(),
        )
        await self.post(body)

    async def event(self, team: str, event: dict[str, Any]) -> None:
        body, content_type = event_body(event, team=team)
        await self.post(body, content_type)

    def replies(self, team: str, user: str) -> str:
        return "\n".join(
            response_text(r) for r in self.slack.responses if r["_url"] == f"{team}-{user}"
        )


@pytest.fixture
async def workspaces(
    tmp_path: Path, database_url: str, clock: ManualClock
) -> AsyncIterator[Workspaces]:
    threads = database_threads()
    slack = FakeSlack(token="xoxb-unused")
    await slack.start()
    accounts = {}
    async with aiohttp.ClientSession() as session:
        for team, (user, password, key) in {
            TEAM_A: ("acme", "acme-Passw0rd", "a" * 32),
            TEAM_B: ("globex", "globex-Passw0rd", "b" * 32),
        }.items():
            sim = Simulator(user, password, key, clock=clock, credit=Decimal("50"))
            server = SimulatorServer(sim, host="127.0.0.1", port=0)
            await server.start()
            accounts[team] = SimulatedAccount(sim, server, user, password, key)
        database = database_url or f"sqlite+aiosqlite:///{tmp_path / 'slack.db'}"
        found = Workspaces(slack, accounts, session, clock, database)
        try:
            yield found
        finally:
            for server in found.servers:
                await server.stop()
            for account in accounts.values():
                await account.server.stop()
    await slack.stop()
    assert_no_connection_left(threads)


async def set_up_both(ws: Workspaces) -> None:
    await ws.start()
    await ws.install(TEAM_A, ADMIN_A)
    await ws.install(TEAM_B, ADMIN_B)
    await ws.connect(TEAM_A, ADMIN_A, ws.accounts[TEAM_A])
    await ws.connect(TEAM_B, ADMIN_B, ws.accounts[TEAM_B])
    for team, admin in ((TEAM_A, ADMIN_A), (TEAM_B, ADMIN_B)):
        await wait_for(lambda t=team, a=admin: "connected" in ws.replies(t, a) or connected(ws, t))
        await ws.app.store.workspaces.save_number(team, admin, SAVED)


def connected(ws: Workspaces, team: str) -> bool:
    return any(
        c.team == team and "connected" in str(c.args.get("text", ""))
        for c in ws.slack.calls_to("chat.postEphemeral") + ws.slack.calls_to("chat.postMessage")
    )


async def wait_for(predicate: Any, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


async def test_each_workspace_calls_with_its_own_account_and_token(workspaces: Workspaces) -> None:
    ws = workspaces
    await set_up_both(ws)
    sim_a, sim_b = ws.accounts[TEAM_A].sim, ws.accounts[TEAM_B].sim

    await ws.command(TEAM_A, ADMIN_A, "/call", DST, "CA1")
    await wait_for(lambda: ws.slack.messages_in("CA1"))
    assert sim_a.requests_by_action["call_connect"] == 1
    assert sim_b.requests_by_action["call_connect"] == 0
    await ws.command(TEAM_B, ADMIN_B, "/call", DST, "CB1")
    await wait_for(lambda: ws.slack.messages_in("CB1"))
    assert sim_b.requests_by_action["call_connect"] == 1
    assert sim_a.requests_by_action["call_connect"] == 1

    # Every Web API call about a workspace's channel used that workspace's own token.
    for call in ws.slack.calls:
        channel = str(call.args.get("channel", ""))
        if channel.startswith("CA"):
            assert call.team == TEAM_A, call
        if channel.startswith("CB"):
            assert call.team == TEAM_B, call

    # Both calls have the same Talkety id in their own accounts: each hangs up its own.
    (message_a,), (message_b,) = ws.slack.messages_in("CA1"), ws.slack.messages_in("CB1")
    id_a = (
        await ws.app.store.calls.get_call(button_value(message_a.blocks, ids.HANG_UP))
    ).subject_id  # type: ignore[union-attr]
    id_b = (
        await ws.app.store.calls.get_call(button_value(message_b.blocks, ids.HANG_UP))
    ).subject_id  # type: ignore[union-attr]
    assert id_a == id_b
    await ws.command(TEAM_A, ADMIN_A, "/hangup", str(id_a), "CA1")
    await wait_for(lambda: "has ended" in text_of(message_a))
    assert sim_b.requests_by_action["call_disconnect"] == 0
    assert "has ended" not in text_of(message_b)


async def test_talkety_details_are_checked_before_saving_and_stored_encrypted(
    workspaces: Workspaces,
) -> None:
    ws = workspaces
    await ws.start()
    await ws.install(TEAM_A, ADMIN_A)
    account = ws.accounts[TEAM_A]

    # Not connected yet: commands explain what to do; the App Home offers the form to admins.
    await ws.command(TEAM_A, ADMIN_A, "/price", DST, "CA1")
    await wait_for(lambda: "has not connected a Talkety account" in ws.replies(TEAM_A, ADMIN_A))
    await ws.event(TEAM_A, {"type": "app_home_opened", "user": ADMIN_A, "tab": "home"})
    await ws.event(TEAM_A, {"type": "app_home_opened", "user": "UA2", "tab": "home"})
    await wait_for(lambda: len(ws.slack.calls_to("views.publish")) == 2)
    homes = {c.args["user_id"]: c.args["view"] for c in ws.slack.calls_to("views.publish")}
    assert action_ids(homes[ADMIN_A]["blocks"]) == [ids.CONNECT_TALKETY]
    assert action_ids(homes["UA2"]["blocks"]) == []

    await ws.connect(TEAM_A, "UA2", account)  # not an admin
    await ws.connect(TEAM_A, ADMIN_A, account, **{ids.INPUT_TALKETY_PASSWORD: "wrong"})
    await wait_for(
        lambda: (
            len(ws.slack.calls_to("chat.postEphemeral"))
            + len(ws.slack.calls_to("chat.postMessage"))
            >= 2
        )
    )
    told = " ".join(
        str(c.args.get("text"))
        for c in ws.slack.calls_to("chat.postEphemeral") + ws.slack.calls_to("chat.postMessage")
    )
    assert "Only an admin of this app can connect" in told
    assert "Talkety did not accept these details" in told
    assert await ws.app.store.workspaces.connected_teams() == []

    await ws.connect(TEAM_A, ADMIN_A, account)
    await wait_for(lambda: connected(ws, TEAM_A))
    async with ws.app.store.engine.connect() as conn:
        row = (await conn.execute(text("SELECT * FROM slack_talkety_accounts"))).mappings().one()
    stored = " ".join(str(v) for v in row.values())
    assert account.password not in stored and account.app_key not in stored
    assert row["username"] == account.username
    await ws.command(TEAM_A, ADMIN_A, "/price", DST, "CA1")
    await wait_for(lambda: "$0.0114" in ws.replies(TEAM_A, ADMIN_A))


async def test_uninstall_stops_one_workspace_and_leaves_the_other_working(
    workspaces: Workspaces,
) -> None:
    ws = workspaces
    await set_up_both(ws)
    await ws.command(TEAM_A, ADMIN_A, "/call", DST, "CA1")
    await wait_for(lambda: ws.slack.messages_in("CA1"))
    (message_a,) = ws.slack.messages_in("CA1")
    key = button_value(message_a.blocks, ids.HANG_UP)

    ws.slack.revoke(TEAM_A)
    await ws.event(TEAM_A, {"type": "app_uninstalled"})
    await wait_for(lambda: not [w for w in ws.app.workspaces.running() if w.team_id == TEAM_A])
    assert await ws.app.installs.bot_token(TEAM_A) is None  # type: ignore[union-attr]
    assert await ws.app.store.workspaces.connected_teams() == [TEAM_B]
    assert await ws.app.store.calls.get_call(key) is not None  # kept for the audit
    updates = len(ws.slack.calls_to("chat.update"))
    ws.clock.advance(30)
    await ws.command(TEAM_B, ADMIN_B, "/call", DST, "CB1")
    await wait_for(lambda: ws.slack.messages_in("CB1"))
    assert all(c.team == TEAM_B for c in ws.slack.calls_to("chat.update")[updates:])


async def test_policies_are_per_workspace_and_checked_at_submission(workspaces: Workspaces) -> None:
    ws = workspaces
    await set_up_both(ws)
    await ws.app.store.workspaces.save_number(TEAM_A, "UA2", SAVED)
    # U A2 opens "Call this number" while still allowed to call...
    body = shortcut_body(
        ids.SHORTCUT_CALL_NUMBER,
        user="UA2",
        team=TEAM_A,
        trigger_id=ws.slack.issue_trigger(),
        message={"type": "message", "text": "Call +1 987 654 3210", "ts": "1.1"},
        channel="CA1",
        response_url=ws.slack.response_url(f"{TEAM_A}-UA2"),
    )
    await ws.post(body)
    await wait_for(lambda: ws.slack.calls_to("views.update"))
    form = ws.slack.calls_to("views.update")[-1].args["view"]
    option = form["blocks"][1]["element"]["options"][0]

    # ...then A's admin opens Settings: only A1 may call, and every call asks first.
    click = block_action_body(
        ids.OPEN_SETTINGS,
        "settings",
        user=ADMIN_A,
        team=TEAM_A,
        channel=None,
        response_url=None,
        trigger_id=ws.slack.issue_trigger(),
    )
    await ws.post(click)
    await wait_for(
        lambda: any(
            c.args["view"]["callback_id"] == ids.VIEW_SETTINGS
            for c in ws.slack.calls_to("views.open")
        )
    )
    settings_view = ws.slack.calls_to("views.open")[-1].args["view"]
    values = {
        ids.INPUT_ADMINS: {"type": "multi_users_select", "selected_users": [ADMIN_A]},
        ids.INPUT_ALLOWED_USERS: {"type": "multi_users_select", "selected_users": [ADMIN_A]},
        ids.INPUT_CONFIRM_ABOVE: "0",
        ids.INPUT_DAILY_CAP: "",
        ids.INPUT_MAX_CALL_COST: "abc",
        ids.INPUT_MAX_MINUTES: "",
        ids.INPUT_BLOCKED_PREFIXES: "",
        "profile_phones": {"type": "checkboxes", "selected_options": [{"value": "on"}]},
        "approve_above": "1.00",
        "approve_prefixes": "+882, +44 70",
        "approvals_channel": {"type": "conversations_select", "selected_conversation": "CAOK"},
        "alerts_channel": {"type": "conversations_select", "selected_conversation": None},
        "spend_alert_floor": "20",
        ids.INPUT_REPORT_CHANNEL: {
            "type": "conversations_select",
            "selected_conversation": "CAREPORT",
        },
    }
    refused = await ws.post(view_submission_body(settings_view, values, user=ADMIN_A, team=TEAM_A))
    assert ids.INPUT_MAX_CALL_COST in refused  # a field error, the form stays open
    values[ids.INPUT_MAX_CALL_COST] = ""
    await ws.post(view_submission_body(settings_view, values, user=ADMIN_A, team=TEAM_A))
    await wait_for(
        lambda: (
            "Settings saved"
            in " ".join(
                str(c.args.get("text"))
                for c in ws.slack.calls_to("chat.postEphemeral")
                + ws.slack.calls_to("chat.postMessage")
            )
        )
    )

    selected = {"type": "static_select", "selected_option": option}
    await ws.post(
        view_submission_body(
            form, {ids.INPUT_FROM: "", ids.INPUT_TO: selected}, user="UA2", team=TEAM_A
        )
    )
    await wait_for(lambda: "not allowed to place calls" in ws.replies(TEAM_A, "UA2"))
    await ws.command(TEAM_A, ADMIN_A, "/call", DST, "CA1")
    await wait_for(lambda: "Place it?" in ws.replies(TEAM_A, ADMIN_A))
    await ws.command(TEAM_B, ADMIN_B, "/call", DST, "CB1")  # B's policy is its own
    await wait_for(lambda: ws.slack.messages_in("CB1"))
    assert ws.accounts[TEAM_A].sim.requests_by_action["call_connect"] == 0
    assert await ws.app.installs.report_channel(TEAM_A) == "CAREPORT"  # type: ignore[union-attr]
    stored = await ws.app.store.workspaces.workspace_policy(TEAM_A)
    assert stored["profile_phones"] is True  # the checkbox, ticked
    # The guardrails' settings: this workspace's own, read back as its policy.
    assert (stored["approve_above"], stored["approve_prefixes"]) == ("1.00", ["4470", "882"])
    assert (stored["approvals_channel"], stored["alerts_channel"]) == ("CAOK", None)
    assert stored["spend_alert_floor"] == "20"
    assert await ws.app.installs.report_channel(TEAM_B) is None  # type: ignore[union-attr]


async def test_a_restart_follows_every_connected_workspace_again(workspaces: Workspaces) -> None:
    ws = workspaces
    await set_up_both(ws)
    await ws.command(TEAM_B, ADMIN_B, "/call", DST, "CB1")
    await wait_for(lambda: ws.slack.messages_in("CB1"))
    (message,) = ws.slack.messages_in("CB1")
    await ws.server.stop()

    app = await ws.start()  # nobody has asked it anything yet
    assert {w.team_id for w in app.workspaces.running()} == {TEAM_A, TEAM_B}
    subject = (await app.store.calls.get_call(button_value(message.blocks, ids.HANG_UP))).subject_id  # type: ignore[union-attr]
    b = ws.accounts[TEAM_B]
    async with TalketyClient(
        b.app_key, b.username, b.password, base_url=b.server.base_url
    ) as client:
        await client.call_disconnect(str(subject))  # hung up elsewhere
    await wait_for(lambda: "has ended" in text_of(message))


async def test_admin_buttons_and_revoked_tokens(workspaces: Workspaces) -> None:
    ws = workspaces
    await set_up_both(ws)
    for user in ("UA2", ADMIN_A):
        for action in (ids.CONNECT_TALKETY, ids.OPEN_SETTINGS):
            body = block_action_body(
                action,
                "x",
                user=user,
                team=TEAM_A,
                channel=None,
                response_url=None,
                trigger_id=ws.slack.issue_trigger(),
            )
            await ws.post(body)
    await wait_for(lambda: len(ws.slack.calls_to("views.open")) == 2)
    opened = [c.args["view"]["callback_id"] for c in ws.slack.calls_to("views.open")]
    assert sorted(opened) == [ids.VIEW_CONNECT, ids.VIEW_SETTINGS]
    told = " ".join(str(c.args.get("text")) for c in ws.slack.calls_to("chat.postEphemeral"))
    assert "Only an admin of this app can connect" in told
    assert "Only an admin of this app can change its settings" in told
    # The connect form shows the login, never the password or app key.
    connect = next(
        c.args["view"]
        for c in ws.slack.calls_to("views.open")
        if c.args["view"]["callback_id"] == ids.VIEW_CONNECT
    )
    assert ws.accounts[TEAM_A].password not in str(connect) and "acme" in str(connect)

    ws.slack.revoke(TEAM_B)
    await ws.event(TEAM_B, {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}})
    await wait_for(lambda: [w.team_id for w in ws.app.workspaces.running()] == [TEAM_A])
    assert await ws.app.installs.bot_token(TEAM_B) is None  # type: ignore[union-attr]
    assert (
        TEAM_B in await ws.app.store.workspaces.connected_teams()
    )  # a reinstall needs no new login


async def test_the_digest_goes_to_each_workspace_s_own_channel(workspaces: Workspaces) -> None:
    ws = workspaces
    await set_up_both(ws)
    await ws.app.installs.save_policy(  # type: ignore[union-attr]
        TEAM_A,
        ADMIN_A,
        Policy(admins=frozenset({ADMIN_A})),
        ws.clock.now(),
        report_channel="CADIGEST",
    )
    await ws.command(TEAM_A, ADMIN_A, "/call", DST, "CA1")
    await wait_for(lambda: ws.slack.messages_in("CA1"))
    ws.clock.advance(24 * 3600)
    assert await ws.app.digest.post_all() == 1  # B chose no channel
    (digest,) = ws.slack.messages_in("CADIGEST")
    assert "Talkety daily digest" in text_of(digest) and "1 calls" in text_of(digest)
    assert ws.slack.calls_to("chat.postMessage")[-1].team == TEAM_A


async def test_another_instance_applies_changed_settings(
    workspaces: Workspaces, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("slack_app.workspaces.directory.RECHECK_SECONDS", 0.0)
    ws = workspaces
    await set_up_both(ws)
    first = ws.app
    await first.store.workspaces.save_number(TEAM_A, "UA2", SAVED)
    await ws.start()  # a second instance on the same database serves from now on
    await ws.command(TEAM_A, "UA2", "/price", DST, "CA1")
    await wait_for(lambda: "$0.0114" in ws.replies(TEAM_A, "UA2"))

    only_admin = Policy(admins=frozenset({ADMIN_A}), allowed_users=frozenset({ADMIN_A}))
    await first.installs.save_policy(  # type: ignore[union-attr]
        TEAM_A, ADMIN_A, only_admin, ws.clock.now(), report_channel=None
    )
    await ws.command(TEAM_A, "UA2", "/call", DST, "CA1")
    await wait_for(lambda: "not allowed to place calls" in ws.replies(TEAM_A, "UA2"))
    assert ws.accounts[TEAM_A].sim.requests_by_action["call_connect"] == 0


async def test_a_workspace_s_talkety_url_reaches_only_allowed_public_https_hosts(
    workspaces: Workspaces, caplog: pytest.LogCaptureFixture
) -> None:
    """Every refused URL gets the same words (no oracle); the operator's log says why."""
    ws = workspaces
    await ws.start(talkety_hosts=TalketyHosts(("localhost", "127.0.0.1", "169.254.169.254")))
    await ws.install(TEAM_A, ADMIN_A)
    account = ws.accounts[TEAM_A]
    port = URL(account.server.base_url).port
    urls = [
        account.server.base_url,  # http
        f"https://localhost:{port}/xml/v1",  # allowed, but resolves to loopback
        "https://169.254.169.254/latest/meta-data",  # cloud metadata, allowed by mistake
        "https://api.talkety.com.evil.example/xml/v1",  # not allowed
        "https://10.0.0.1/xml/v1",
    ]
    for url in urls:
        await ws.connect(TEAM_A, ADMIN_A, account, **{ids.INPUT_TALKETY_URL: url})
    await wait_for(lambda: len(ws.slack.calls_to("chat.postEphemeral")) >= len(urls))
    told = [str(c.args.get("text")) for c in ws.slack.calls_to("chat.postEphemeral")]
    assert len(set(told)) == 1 and UNREACHABLE in told[0], told
    assert account.sim.requests_by_action["pricing"] == 0  # nothing reached the simulator
    assert await ws.app.store.workspaces.connected_teams() == []
    assert "no public address" in caplog.text and "is not https" in caplog.text


async def _stored_tokens(app: SlackTalketyApp) -> list[str]:
    async with app.store.engine.connect() as conn:
        rows = [
            *(await conn.execute(text("SELECT bot_token FROM slack_bots"))).scalars(),
            *(await conn.execute(text("SELECT bot_token FROM slack_installations"))).scalars(),
        ]
    return [str(row) for row in rows if row]


async def test_slack_tokens_are_sealed_at_rest_and_old_rows_sealed_on_start(
    workspaces: Workspaces,
) -> None:
    ws = workspaces
    await set_up_both(ws)
    stored = await _stored_tokens(ws.app)
    assert stored and not [t for t in stored if t.startswith("xox")]

    # A row as an earlier version wrote it: the token in plain text.
    plain = await ws.app.installs.installation_store.async_find_bot(  # type: ignore[union-attr]
        enterprise_id=None, team_id=TEAM_A
    )
    async with ws.app.store.engine.begin() as conn:
        await conn.execute(
            text("UPDATE slack_bots SET bot_token = :t WHERE team_id = :team"),
            {"t": plain.bot_token, "team": TEAM_A},
        )
    await ws.server.stop()
    app = await ws.start()
    assert not [t for t in await _stored_tokens(app) if t.startswith("xox")]
    await ws.command(TEAM_A, ADMIN_A, "/price", DST, "CA1")
    await wait_for(lambda: "$0.0114" in ws.replies(TEAM_A, ADMIN_A))


async def test_a_changed_key_reads_as_not_installed(workspaces: Workspaces) -> None:
    ws = workspaces
    await set_up_both(ws)
    await ws.server.stop()
    app = await ws.start(secret_key=Fernet.generate_key().decode())
    installs = app.installs
    assert installs is not None
    assert await installs.bot_token(TEAM_A) is None
    assert await installs.build(TEAM_A) is None


async def test_a_workspace_of_an_enterprise_grid_org_works_end_to_end(
    workspaces: Workspaces,
) -> None:
    """Installed into one workspace of a Grid org: stored with the org's id, found by the
    workspace alone (background work knows no more), and removed on uninstall."""
    ws = workspaces
    await ws.start()
    await ws.install(TEAM_A, ADMIN_A, enterprise_id="E0ORG")
    installs = ws.app.installs
    assert installs is not None
    assert await installs.bot_token(TEAM_A)  # found without the org's id
    await ws.connect(TEAM_A, ADMIN_A, ws.accounts[TEAM_A])
    await wait_for(lambda: connected(ws, TEAM_A))
    await ws.app.store.workspaces.save_number(TEAM_A, ADMIN_A, SAVED)
    await ws.command(TEAM_A, ADMIN_A, "/call", DST, "CA1")
    await wait_for(lambda: ws.slack.messages_in("CA1"))
    assert ws.accounts[TEAM_A].sim.requests_by_action["call_connect"] == 1

    await ws.event(TEAM_A, {"type": "app_uninstalled"})
    for _ in range(100):
        if await installs.bot_token(TEAM_A) is None:
            break
        await asyncio.sleep(0.02)
    assert await installs.bot_token(TEAM_A) is None


async def test_an_org_wide_install_is_refused_with_a_clear_page(workspaces: Workspaces) -> None:
    ws = workspaces
    await ws.start()
    page = await ws.install(TEAM_A, ADMIN_A, enterprise_id="E0ORG", org_wide=True, status=400)
    assert ORG_WIDE_REFUSAL in page
    installs = ws.app.installs
    assert installs is not None and await installs.bot_token(TEAM_A) is None
