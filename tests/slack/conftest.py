"""The real Slack app on its HTTP endpoint, a fake Slack Web API, the core simulator."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from devtools.slack.fake_functions import Execution
from devtools.slack.fake_slack import TEAM_ID, FakeSlack, Message
from devtools.slack.signing import (
    block_action_body,
    command_body,
    event_body,
    shortcut_body,
    signed_headers,
    view_submission_body,
)
from slack_app.app import STOP_GRACE, SlackTalketyApp
from slack_app.clock import Clocks
from slack_app.config import Settings, Timings, normalise_database_url
from slack_app.policy import Policy
from slack_app.server import HttpServer
from slack_app.store import CallRecord, DialKind, DialPlan, Requester, Store
from talkety_core import TalketyClient
from talkety_core.account import Account
from talkety_core.simulator import ManualClock, Simulator, SimulatorServer

SIGNING_SECRET = "test-signing-secret-0123456789"
MANIFEST = json.loads((Path(__file__).parents[2] / "manifest.json").read_text())
BOT_TOKEN = "xoxb-test-token-42"
SIM_USER = "slack-tests"
SIM_PASSWORD = "sim-Passw0rd-do-not-log"
SIM_APP_KEY = "0123456789abcdef0123456789abcdef"
LEASE_TTL = 20.0  # seconds of the test's clock
# Everything a test would otherwise wait for, shortened (post_spacing 0: no spacing).
FAST = Timings(
    update_budget_per_minute=6000,
    progress_interval=0.1,
    poll_interval=0.05,
    idle_poll_interval=0.1,
    lease_ttl=LEASE_TTL,
    guard_interval=0.1,
    lease_renew_interval=0.1,
    post_spacing=0.0,
    home_spacing=0.1,
    sweep_interval=0.1,
)
TIMING_NAMES = {f.name for f in fields(Timings)}


def manual_clocks(clock: ManualClock) -> Clocks:
    """Records and leases dated by the test's clock: a lease expires when the test moves
    the clock past it, never because the machine was slow."""
    return Clocks(now=clock.now, monotonic=lambda: clock.now().timestamp())


SAVED = "11234567890"  # the seed's caller
DST = "19876543210"  # the seed's callee


async def stored_call(
    store: Store,
    now: datetime,
    *,
    team_id: str = "T1",
    user_id: str = "U1",
    src: str = SAVED,
    dsts: tuple[str, ...] = (DST,),
    kind: DialKind = DialKind.CALL,
    per_minute: Decimal = Decimal("0.0219"),
    holder: str = "test",
    lease_until: datetime | None = None,
) -> CallRecord:
    """A call record as a dial stores it: dialling, leased to `holder` (30 s by default)."""
    plan = DialPlan(kind, src, dsts, per_minute, per_minute)
    until = now + timedelta(seconds=30) if lease_until is None else lease_until
    return await store.calls.new_call(
        Requester(team_id, user_id, "C1"), plan, now=now, holder=holder, lease_until=until
    )


@dataclass
class Instance:
    app: SlackTalketyApp
    server: HttpServer
    client: TalketyClient
    stopped: bool = False

    async def stop(self, *, release: bool = True, grace: float = STOP_GRACE) -> None:
        """A stop; `release=False, grace=0` is a crash: leases kept (until they expire),
        requests in progress cut off where they are."""
        if not self.stopped:
            self.stopped = True
            await self.server.stop(release=release, grace=grace)
            await self.client.close()


@dataclass
class Harness:
    tmp_path: Path
    sim: Simulator
    clock: ManualClock
    sim_server: SimulatorServer
    slack: FakeSlack
    session: aiohttp.ClientSession
    database_url: str = ""
    instances: list[Instance] = field(default_factory=list)

    def settings(self, **overrides: Any) -> Settings:
        base = Settings(
            bot_token=BOT_TOKEN,
            signing_secret=SIGNING_SECRET,
            slack_api_url=self.slack.api_url,
            host="127.0.0.1",
            port=0,
            database_url=self.database_url or f"sqlite+aiosqlite:///{self.tmp_path / 'slack.db'}",
            talkety=Account(
                url=self.sim_server.base_url,
                app_key=SIM_APP_KEY,
                username=SIM_USER,
                password=SIM_PASSWORD,
            ),
            policy=Policy(confirm_above=Decimal("0.50")),
            timings=FAST,
        )
        # Timings given by name (reconcile_window=...) change the timings.
        timed = {k: overrides.pop(k) for k in list(overrides) if k in TIMING_NAMES}
        return replace(base, timings=replace(base.timings, **timed), **overrides)

    async def start(self, *, real_limits: bool = False, **overrides: Any) -> Instance:
        """An instance of the app. `real_limits`: Slack's rate limits on in the fake, and
        the app's own budget, cost-tick interval and post spacing as it runs in production
        (otherwise both are off, so tests need not wait for them)."""
        if real_limits:
            self.slack.enforce_limits = True
            defaults = Timings()
            overrides = {
                "update_budget_per_minute": defaults.update_budget_per_minute,
                "progress_interval": defaults.progress_interval,
                "post_spacing": defaults.post_spacing,
                **overrides,
            }
        settings = self.settings(**overrides)
        client = TalketyClient(
            SIM_APP_KEY,
            SIM_USER,
            SIM_PASSWORD,
            base_url=self.sim_server.base_url,
            timeout=5,
            backoff=0.01,
            reconcile_delays=(0.0, 0.01),
        )
        app = SlackTalketyApp(settings, client=client, clocks=manual_clocks(self.clock))
        server = HttpServer(app, "127.0.0.1", 0)
        await server.start()
        instance = Instance(app, server, client)
        self.instances.append(instance)
        return instance

    @property
    def main(self) -> Instance:
        return next(i for i in self.instances if not i.stopped)

    # --- requests as Slack sends them ------------------------------------

    async def post(
        self,
        body: str,
        *,
        content_type: str = "application/x-www-form-urlencoded",
        secret: str = SIGNING_SECRET,
        timestamp: int | None = None,
        instance: Instance | None = None,
    ) -> tuple[int, str]:
        headers = signed_headers(secret, body, timestamp=timestamp)
        headers["Content-Type"] = content_type
        url = (instance or self.main).server.url
        async with self.session.post(url, data=body.encode(), headers=headers) as response:
            return response.status, await response.text()

    async def command(
        self, command: str, text: str = "", *, user: str = "U1", channel: str = "C1", **kw: Any
    ) -> tuple[int, str]:
        body = command_body(
            command,
            text,
            user=user,
            channel=channel,
            team=TEAM_ID,
            response_url=self.slack.response_url(f"{command.strip('/')}-{user}"),
            trigger_id=self.slack.issue_trigger(),
        )
        return await self.post(body, **kw)

    async def click(
        self,
        action_id: str,
        value: str,
        *,
        user: str = "U1",
        channel: str | None = "C1",
        message_ts: str | None = None,
        view: dict[str, Any] | None = None,
        **kw: Any,
    ) -> tuple[int, str]:
        body = block_action_body(
            action_id,
            value,
            user=user,
            team=TEAM_ID,
            channel=channel,
            response_url=self.slack.response_url(f"click-{user}") if channel else None,
            message_ts=message_ts,
            view=view,
            trigger_id=self.slack.issue_trigger(),
        )
        return await self.post(body, **kw)

    async def submit(
        self, view: dict[str, Any], values: dict[str, Any], *, user: str = "U1", team: str = TEAM_ID
    ) -> tuple[int, str]:
        body = view_submission_body(
            view, values, user=user, team=team, trigger_id=self.slack.issue_trigger()
        )
        return await self.post(body)

    async def shortcut(
        self,
        callback_id: str,
        message_text: str | None = None,
        *,
        user: str = "U1",
        channel: str = "C1",
        team: str = TEAM_ID,
        ts: str = "1700000000.000001",
        thread_ts: str | None = None,
    ) -> tuple[int, str]:
        """A global shortcut, or (with `message_text`) a message shortcut on that message."""
        message = (
            None if message_text is None else {"type": "message", "text": message_text, "ts": ts}
        )
        if message is not None and thread_ts is not None:
            message["thread_ts"] = thread_ts
        body = shortcut_body(
            callback_id,
            user=user,
            team=team,
            trigger_id=self.slack.issue_trigger(),
            message=message,
            channel=channel,
            response_url=self.slack.response_url(f"shortcut-{user}"),
        )
        return await self.post(body)

    def last_view(self, method: str = "views.open") -> dict[str, Any]:
        view: dict[str, Any] = self.slack.calls_to(method)[-1].args["view"]
        return view

    async def event(self, event: dict[str, Any]) -> tuple[int, str]:
        body, content_type = event_body(event, team=TEAM_ID)
        return await self.post(body, content_type=content_type)

    async def run_step(
        self, callback_id: str, inputs: dict[str, Any], *, instance: Instance | None = None
    ) -> Execution:
        """A workflow reaches one of the app's steps: Slack sends function_executed."""
        event = self.slack.execute_function(callback_id, inputs)
        body, content_type = event_body(event, team=TEAM_ID)
        await self.post(body, content_type=content_type, instance=instance)
        return self.slack.workflows.executions[event["function_execution_id"]]

    async def wait_for_step_end(self, execution: Execution, within: float = 10.0) -> Execution:
        await self.wait_for(
            lambda: execution.state != "running", f"step {execution.execution_id} to end", within
        )
        return execution

    # --- waiting for effects ---------------------------------------------

    async def wait_for(
        self, predicate: Callable[[], Any], what: str = "condition", within: float = 10.0
    ) -> Any:
        deadline = time.monotonic() + within
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(0.02)

    async def wait_for_reply(self, needle: str, within: float = 10.0) -> str:
        await self.wait_for(
            lambda: (
                needle in self.slack.all_response_text()
                or any(needle in t for t in self.slack.ephemeral_texts())
            ),
            f"a reply containing {needle!r}; got {self.slack.ephemeral_texts()!r}",
            within,
        )
        return self.slack.all_response_text()

    def call_messages(self, channel: str = "C1") -> list[Message]:
        return self.slack.messages_in(channel)

    async def wait_for_message(
        self, channel: str = "C1", count: int = 1, within: float = 10.0
    ) -> Message:
        await self.wait_for(
            lambda: len(self.call_messages(channel)) >= count,
            f"{count} messages in {channel}",
            within=within,
        )
        return self.call_messages(channel)[count - 1]

    async def save_number(self, user: str = "U1", number: str = SAVED) -> None:
        store: Store = self.main.app.store
        await store.workspaces.save_number(TEAM_ID, user, number)


@pytest.fixture
def clock() -> ManualClock:
    # Near real time: the monitor's call_list `since` comes from the local clock.
    return ManualClock(start=datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
async def store(tmp_path: Path, database_url: str) -> AsyncIterator[Store]:
    """The app's store alone, on the test's database, for tests below the app."""
    opened = Store(database_url or f"sqlite+aiosqlite:///{tmp_path / 'store.db'}")
    await opened.create()
    yield opened
    await opened.close()


@pytest.fixture
async def database_url() -> AsyncIterator[str]:
    """ "" (SQLite in tmp_path), or a fresh PostgreSQL database per test when
    TALKETY_TEST_POSTGRES names a server (postgresql://user@host/postgres)."""
    server = os.environ.get("TALKETY_TEST_POSTGRES")
    if not server:
        yield ""
        return
    import asyncpg  # noqa: PLC0415 - only for the PostgreSQL run

    name = f"talkety_test_{uuid.uuid4().hex}"
    admin = await asyncpg.connect(server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield normalise_database_url(server.rsplit("/", 1)[0] + "/" + name)
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
async def harness(tmp_path: Path, clock: ManualClock, database_url: str) -> AsyncIterator[Harness]:
    threads_before = database_threads()
    sim = Simulator(SIM_USER, SIM_PASSWORD, SIM_APP_KEY, clock=clock, credit=Decimal("50"))
    slack = FakeSlack(token=BOT_TOKEN, functions=MANIFEST["functions"])
    await slack.start()
    async with (
        SimulatorServer(sim, host="127.0.0.1", port=0) as sim_server,
        aiohttp.ClientSession() as session,
    ):
        h = Harness(tmp_path, sim, clock, sim_server, slack, session, database_url)
        try:
            yield h
        finally:
            for instance in h.instances:
                await instance.stop()
    await slack.stop()
    assert_no_connection_left(threads_before)


def database_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if "_connection_worker_thread" in t.name}


def assert_no_connection_left(before: set[threading.Thread]) -> None:
    """A database connection left open keeps its aiosqlite thread (and so the
    whole process) alive after the tests."""
    left = database_threads() - before
    deadline = time.monotonic() + 5
    for thread in left:  # a closed connection's thread ends a moment later
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    alive = [t for t in left if t.is_alive()]
    assert not alive, f"{len(alive)} database connection(s) outlived the app"


def pytest_unconfigure(config: pytest.Config) -> None:
    """A leaked connection's thread would keep the test run alive for ever:
    end it with a failure instead of a CI that never finishes."""
    deadline = time.monotonic() + 5
    for thread in database_threads():  # a closed connection's thread ends a moment later
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    left = [t for t in database_threads() if t.is_alive()]
    if left:
        print(f"\n{len(left)} database connection(s) were never closed; exiting.", flush=True)
        os._exit(3)


def last_reply_blocks(harness: Harness) -> list[dict[str, Any]]:
    """The blocks of the last private answer (to a response_url)."""
    blocks: list[dict[str, Any]] = harness.slack.responses[-1].get("blocks") or []
    return blocks


def text_of(message: Message) -> str:
    from devtools.slack.fake_slack import response_text  # noqa: PLC0415

    return response_text({"text": message.text, "blocks": message.blocks})
