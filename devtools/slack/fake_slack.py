"""A Slack-compatible Web API server for tests and benchmarks (aiohttp on 127.0.0.1).

It records every call, keeps the messages it was sent (so tests read what a
user would see), answers the errors Slack answers (scripted per method, or
from its own state: unknown channels, deleted messages, revoked tokens), and
can enforce Slack's rate limits (chat.update ~50/min per workspace,
chat.postMessage ~1/s per channel) with 429 + Retry-After.
"""

from __future__ import annotations

import base64
import json
import math
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web

from .fake_functions import Workflows

TEAM_ID = "T0TEST"
COUNTS_PATH = "/fake/counts"


@dataclass
class Recorded:
    method: str
    args: dict[str, Any]
    at: float
    status: int = 200
    error: str | None = None
    team: str | None = None  # the workspace whose token made the call


@dataclass
class Upload:
    file_id: str
    filename: str
    content: bytes = b""
    channel: str | None = None
    comment: str = ""


@dataclass
class Scripted:
    error: str
    status: int = 200
    retry_after: float | None = None


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    history: list[dict[str, Any]] = field(default_factory=list)
    thread_ts: str | None = None  # a reply in that message's thread


class FakeSlack:
    def __init__(
        self,
        *,
        token: str = "xoxb-test-token",
        enforce_limits: bool = False,
        update_limit: int = 50,
        update_window: float = 60.0,
        post_spacing: float = 0.9,
        clock: Callable[[], float] = time.monotonic,
        functions: dict[str, Any] | None = None,
    ) -> None:
        self.token = token
        # Workflow Builder: executions of the manifest's `functions`.
        self.workflows = Workflows(functions or {})
        self.app_token = "xapp-test-app-token"
        self.sockets: list[web.WebSocketResponse] = []
        self.socket_acks: list[dict[str, Any]] = []
        self.enforce_limits = enforce_limits
        self.update_limit = update_limit
        self.update_window = update_window
        self.post_spacing = post_spacing
        # Arrival times, and with them the rate windows, follow this clock (a test's).
        self.clock = clock
        self.calls: list[Recorded] = []
        self.responses: list[dict[str, Any]] = []  # bodies sent to response_url
        self.messages: dict[tuple[str, str], Message] = {}
        self.script: dict[str, deque[Scripted]] = defaultdict(deque)
        self.missing_channels: set[str] = set()
        self.not_in_channels: set[str] = set()
        self.archived_channels: set[str] = set()
        self.usergroups: dict[str, list[str]] = {}
        self.profiles: dict[str, dict[str, Any]] = {}  # users.profile.get, by user id
        self.revoked = False
        self.rate_limited = 0
        self._updates: deque[float] = deque()
        self._last_post: dict[str, float] = {}
        self._ts = 0
        # trigger_id -> when Slack issued it (a command or a click); None once exchanged.
        self._triggers: dict[str, float | None] = {}
        self.failing_responses = 0  # response_url posts still to refuse
        self._runner: web.AppRunner | None = None
        self.port = 0
        # Bot token -> its workspace (OAuth installs add theirs); OAuth codes pending.
        self.tokens: dict[str, str] = {token: TEAM_ID}
        self._codes: dict[str, tuple[str, str]] = {}
        # code -> the Grid org it installs into, and whether into the whole org
        self._enterprises: dict[str, tuple[str, bool]] = {}
        self.uploads: dict[str, Upload] = {}
        self.refuse_uploads = False  # the upload URL answers 500
        self.client_id = "fake-client-id"
        self.client_secret = "fake-client-secret"

    # --- set-up ----------------------------------------------------------

    @property
    def api_url(self) -> str:
        return api_url(self.port)

    def response_url(self, name: str = "r") -> str:
        return response_url(self.port, name)

    def issue_trigger(self) -> str:
        """A trigger_id, as Slack sends with a command or a click: good for one views.open
        within TRIGGER_TTL seconds."""
        trigger_id = f"trigger-{len(self._triggers) + 1}-{time.monotonic_ns()}"
        self._triggers[trigger_id] = time.monotonic()
        return trigger_id

    def age_triggers(self, seconds: float) -> None:
        """Every trigger issued so far, `seconds` older (a slow app, or a user's wait)."""
        for trigger_id, issued in self._triggers.items():
            if issued is not None:
                self._triggers[trigger_id] = issued - seconds

    def authorize(
        self,
        team_id: str,
        user_id: str,
        *,
        enterprise_id: str | None = None,
        org_wide: bool = False,
    ) -> str:
        """A user approved the install in `team_id` (a workspace of the Enterprise Grid
        org `enterprise_id`, if given): the code Slack sends to the app's redirect URL
        (exchanged with oauth.v2.access for a new bot token)."""
        code = f"code-{team_id}-{len(self._codes)}"
        self._codes[code] = (team_id, user_id)
        if enterprise_id is not None:
            self._enterprises[code] = (enterprise_id, org_wide)
        return code

    def revoke(self, team_id: str) -> None:
        """The workspace's tokens stop working (uninstalled or revoked)."""
        for token in [t for t, team in self.tokens.items() if team == team_id]:
            del self.tokens[token]

    def fail_responses(self, times: int = 1) -> None:
        """The next `times` posts to a response_url fail (it expired, or Slack is down)."""
        self.failing_responses += times

    def fail_next(
        self,
        method: str,
        error: str,
        *,
        status: int = 200,
        retry_after: float | None = None,
        times: int = 1,
    ) -> None:
        for _ in range(times):
            self.script[method].append(Scripted(error, status, retry_after))

    async def start(self, port: int = 0) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response)
        app.router.add_get("/socket", self._socket)
        app.router.add_get(COUNTS_PATH, self._counts)
        app.router.add_post("/upload/{file_id}", self._upload)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    # --- reading what happened -------------------------------------------

    def calls_to(self, method: str) -> list[Recorded]:
        return [c for c in self.calls if c.method == method and c.error is None]

    def message(self, channel: str, ts: str) -> Message:
        return self.messages[(channel, ts)]

    def messages_in(self, channel: str) -> list[Message]:
        """The channel's own messages (thread replies are under `replies_to`)."""
        return [m for (c, _), m in self.messages.items() if c == channel and not m.thread_ts]

    def replies_to(self, message: Message) -> list[Message]:
        return [m for m in self.messages.values() if m.thread_ts == message.ts]

    def last_response_text(self) -> str:
        return response_text(self.responses[-1]) if self.responses else ""

    def all_response_text(self) -> str:
        return "\n".join(response_text(r) for r in self.responses)

    def ephemeral_texts(self) -> list[str]:
        texts = [response_text(r) for r in self.responses]
        texts += [response_text(c.args) for c in self.calls_to("chat.postEphemeral")]
        return texts

    # --- the API ---------------------------------------------------------

    async def _read(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = {k: v[0] for k, v in parse_qs(request.query_string).items()}
        if request.method == "POST":
            raw = await request.text()
            if request.content_type == "application/json":
                args.update(json.loads(raw or "{}"))
            else:
                args.update({k: v[0] for k, v in parse_qs(raw).items()})
        for key in ("blocks", "view"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._read(request)
        record = Recorded(method, args, self.clock())
        self.calls.append(record)
        auth = request.headers.get("Authorization", "")
        if self.revoked:
            return self._error(record, "token_revoked")
        if method == "apps.connections.open":
            if auth != f"Bearer {self.app_token}":
                return self._error(record, "invalid_auth")
            url = f"ws://127.0.0.1:{self.port}/socket"
            return web.json_response({"ok": True, "url": url})
        if method == "oauth.v2.access":
            return self._oauth_v2_access(record, args, auth)
        record.team = self.tokens.get(auth.removeprefix("Bearer "))
        if record.team is None:
            return self._error(record, "invalid_auth")
        if self.script[method]:
            scripted = self.script[method].popleft()
            return self._error(record, scripted.error, scripted.status, scripted.retry_after)
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return self._error(record, "unknown_method")
        response: web.Response = handler(record, args)
        return response

    def _error(
        self, record: Recorded, error: str, status: int = 200, retry_after: float | None = None
    ) -> web.Response:
        record.status, record.error = status, error
        headers = {}
        if status == 429 or error == "ratelimited":
            status = 429
            record.status = 429
            self.rate_limited += 1
            headers["Retry-After"] = str(math.ceil(retry_after if retry_after is not None else 1))
        return web.json_response({"ok": False, "error": error}, status=status, headers=headers)

    def _channel_error(self, channel: str) -> str | None:
        if channel in self.missing_channels:
            return "channel_not_found"
        if channel in self.not_in_channels:
            return "not_in_channel"
        if channel in self.archived_channels:
            return "is_archived"
        return None

    def _auth_test(self, record: Recorded, args: dict[str, Any]) -> web.Response:
        team = record.team or TEAM_ID
        return web.json_response(
            {"ok": True, "team_id": team, "user_id": "UBOT", "bot_id": "BBOT", "team": team}
        )

    def _oauth_v2_access(self, record: Recorded, args: dict[str, Any], auth: str) -> web.Response:
        # The app's credentials come as HTTP Basic auth (or, older clients, in the form).
        client = (args.get("client_id"), args.get("client_secret"))
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            client = (client_id, secret)
        if client != (self.client_id, self.client_secret):
            return self._error(record, "invalid_client_id")
        found = self._codes.pop(str(args.get("code", "")), None)
        if found is None:
            return self._error(record, "invalid_code")
        team, user = found
        enterprise_id, org_wide = self._enterprises.pop(str(args.get("code", "")), (None, False))
        token = f"xoxb-{team}-{len(self.tokens)}"
        self.tokens[token] = team
        enterprise = {"id": enterprise_id, "name": "Org"} if enterprise_id else None
        return web.json_response(
            {
                "ok": True,
                "enterprise": enterprise,
                "is_enterprise_install": org_wide,
                "app_id": "A0TALKETY",
                "access_token": token,
                "token_type": "bot",
                "scope": str(args.get("scope", "commands,chat:write")),
                "bot_user_id": "UBOT",
                "team": {"id": team, "name": f"Workspace {team}"},
                "authed_user": {"id": user},
            }
        )

    def _message_error(self, args: dict[str, Any]) -> str | None:
        """What Slack refuses in a message it is sent (the limits the app can reach)."""
        if not args.get("channel"):
            return "channel_not_found"
        blocks = args.get("blocks") or []
        if not args.get("text") and not blocks:
            return "no_text"
        if len(str(args.get("text", ""))) > MAX_MESSAGE_TEXT:
            return "msg_too_long"
        return block_error(blocks, MAX_MESSAGE_BLOCKS)

    def _chat_postMessage(self, record: Recorded, args: dict[str, Any]) -> web.Response:
        channel = str(args.get("channel", ""))
        if error := self._message_error(args) or self._channel_error(channel):
            return self._error(record, error)
        if self.enforce_limits:
            last = self._last_post.get(channel)
            if last is not None and record.at - last < self.post_spacing:
                return self._error(record, "ratelimited", 429, 1)
            self._last_post[channel] = record.at
        if channel.startswith("U"):  # posting to a user id opens the DM with the bot
            channel = "D" + channel[1:]
        self._ts += 1
        ts = f"1700000000.{self._ts:06d}"
        self.messages[(channel, ts)] = Message(
            channel,
            ts,
            args.get("text", ""),
            args.get("blocks") or [],
            thread_ts=str(args["thread_ts"]) if args.get("thread_ts") else None,
        )
        return web.json_response({"ok": True, "channel": channel, "ts": ts})

    def _chat_update(self, record: Recorded, args: dict[str, Any]) -> web.Response:
        channel, ts = str(args.get("channel", "")), str(args.get("ts", ""))
        if error := self._message_error(args) or self._channel_error(channel):
            return self._error(record, error)
        if self.enforce_limits:
            while self._updates and self._updates[0] <= record.at - self.update_window:
                self._updates.popleft()
            if len(self._updates) >= self.update_limit:
                wait = self._updates[0] + self.update_window - record.at
                return self._error(record, "ratelimited", 429, wait)
            self._updates.append(record.at)
        message = self.messages.get((channel, ts))
        if message is None:
            return self._error(record, "message_not_found")
        message.history.append({"text": message.text, "blocks": message.blocks})
        message.text = args.get("text", "")
        message.blocks = args.get("blocks") or []
        return web.json_response({"ok": True, "channel": channel, "ts": ts})

    def _chat_postEphemeral(self, record: Recorded, args: dict[str, Any]) -> web.Response:
        channel = str(args.get("channel", ""))
        if error := self._message_error(args) or self._channel_error(channel):
            return self._error(record, error)
        return web.json_response({"ok": True, "message_ts": "1700000000.999999"})

    def _views_open(self, record: Recorded, args: dict[str, Any]) -> web.Response:
        trigger_id = str(args.get("trigger_id", ""))
        if trigger_id not in self._triggers:
            return self._error(record, "invalid_trigger_id")
        issued = self._triggers[trigger_id]
        if issued is None:
            return self._error(record, "trigger_exchanged")
        if record.at - issued > TRIGGER_TTL:
            return self._error(record, "expired_trigger_id")
        self._triggers[trigger_id] = None
        view = dict(args.get("view") or {})
        if error := block_error(view.get("blocks") or [], MAX_VIEW_BLOCKS):
            return self._error(record, error)
        view["id"] = f"V{len(self.calls)}"
        return web.json_response({"ok": True, "view": view})

    def _views_update(self, record: Recorded, args: dict[str, Any]) -> web.Response:
        view = dict(args.get("view") or {})
        if error := block_error(view.get("blocks") or [], MAX_VIEW_BLOCKS):
            return self._error(record, error)
        view["id"] = args.get("view_id")
        return web.json_response({"ok": True, "view": view})

    def _conversations_open(self, record: Recorded, args: dict[str, Any]) -> web.Response:
        user = str(args.get("users", ""))
        return web.json_response({"ok": True, "channel": {"id": "D" + user[1:]}})

    def _files_getUploadURLExternal(self, record: Recorded, args: dict[str, Any]) -> web.Response:
        file_id = f"F{len(self.uploads) + 1:04d}"
        self.uploads[file_id] = Upload(file_id, str(args.get("filename", "")))
        url = f"http://127.0.0.1:{self.port}/upload/{file_id}"
        return web.json_response({"ok": True, "upload_url": url, "file_id": file_id})

    def _files_completeUploadExternal(self, record: Recorded, args: dict[str, Any]) -> web.Response:
        files = args.get("files")
        files = json.loads(files) if isinstance(files, str) else files or []
        for entry in files:
            upload = self.uploads.get(entry.get("id", ""))
            if upload is None or not upload.content:
                return self._error(record, "file_not_found")
            upload.channel = args.get("channel_id")
            upload.comment = str(args.get("initial_comment", ""))
        return web.json_response({"ok": True, "files": files})

    async def _upload(self, request: web.Request) -> web.Response:
        upload = self.uploads.get(request.match_info["file_id"])
        if upload is None or self.refuse_uploads:
            return web.Response(status=404 if upload is None else 500)
        upload.content = await request.read()
        return web.Response(text=f"OK - {len(upload.content)}")

    def _views_publish(self, record: Recorded, args: dict[str, Any]) -> web.Response:
        view = args.get("view") or {}
        if error := block_error(view.get("blocks") or [], MAX_VIEW_BLOCKS):
            return self._error(record, error)
        return web.json_response({"ok": True, "view": view})

    def _users_profile_get(self, record: Recorded, args: dict[str, Any]) -> web.Response:
        profile = self.profiles.get(str(args.get("user")))
        if profile is None:
            return self._error(record, "user_not_found")
        return web.json_response({"ok": True, "profile": profile})

    def execute_function(
        self, callback_id: str, inputs: dict[str, Any], *, team: str = TEAM_ID
    ) -> dict[str, Any]:
        """A workflow reached a step of ours: the function_executed event Slack sends. Its
        short-lived bot token works as the workspace's does."""
        token = f"xwfp-{team}-{len(self.workflows.executions) + 1}"
        self.tokens[token] = team
        return self.workflows.execute(callback_id, inputs, team=team, token=token)

    def _functions_completeSuccess(self, record: Recorded, args: dict[str, Any]) -> web.Response:
        if error := self.workflows.complete_success(record.team, args):
            return self._error(record, error)
        return web.json_response({"ok": True})

    def _functions_completeError(self, record: Recorded, args: dict[str, Any]) -> web.Response:
        if error := self.workflows.complete_error(record.team, args):
            return self._error(record, error)
        return web.json_response({"ok": True})

    def _usergroups_users_list(self, record: Recorded, args: dict[str, Any]) -> web.Response:
        group = str(args.get("usergroup", ""))
        if group not in self.usergroups:
            return self._error(record, "no_such_subteam")
        return web.json_response({"ok": True, "users": self.usergroups[group]})

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, then relay envelopes; acks are recorded."""
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {}})
        async for message in ws:
            if message.type == web.WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
        self.sockets.remove(ws)
        return ws

    async def send_envelope(self, kind: str, payload: dict[str, Any]) -> str:
        envelope_id = f"env-{len(self.socket_acks)}-{time.monotonic_ns()}"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }
        await self.sockets[-1].send_json(envelope)
        return envelope_id

    async def _counts(self, _request: web.Request) -> web.Response:
        """What a process that started this fake elsewhere (a benchmark) may ask."""
        return web.json_response(
            {"responses": len(self.responses), "calls": len(self.calls), "429": self.rate_limited}
        )

    async def _response(self, request: web.Request) -> web.Response:
        if self.failing_responses:
            self.failing_responses -= 1
            return web.Response(status=404, text="expired_url")
        body = await request.json()
        body["_url"] = request.match_info["name"]
        self.responses.append(body)
        return web.Response(text="ok")


def api_url(port: int) -> str:
    """The Web API root of a fake Slack listening on `port`."""
    return f"http://127.0.0.1:{port}/api/"


def response_url(port: int, name: str = "r") -> str:
    return f"http://127.0.0.1:{port}/response/{name}"


# Slack's limits on what the app sends (api.slack.com/reference/block-kit).
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_TEXT = 40_000
MAX_BLOCK_TEXT = 3000  # a section's text, a context element's
MAX_ACTIONS_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
TRIGGER_TTL = 3.0  # seconds a trigger_id may be exchanged for a view


def block_error(blocks: list[dict[str, Any]], max_blocks: int) -> str | None:
    """`invalid_blocks` when Slack would refuse these blocks, else None."""
    if len(blocks) > max_blocks:
        return "invalid_blocks"
    for block in blocks:
        kind = block.get("type")
        texts = [block.get("text"), *(block.get("fields") or [])]
        if kind == "context":
            texts += list(block.get("elements") or [])
            if len(block.get("elements") or []) > MAX_CONTEXT_ELEMENTS:
                return "invalid_blocks"
        if kind == "actions" and len(block.get("elements") or []) > MAX_ACTIONS_ELEMENTS:
            return "invalid_blocks"
        for text in texts:
            if isinstance(text, dict) and len(str(text.get("text", ""))) > MAX_BLOCK_TEXT:
                return "invalid_blocks"
    return None


def response_text(body: dict[str, Any]) -> str:
    """A message's text and the text of all its blocks, for assertions."""
    parts = [str(body.get("text", ""))]
    parts += block_texts(body.get("blocks") or [])
    return "\n".join(parts)


def _dicts(node: Any) -> Iterator[dict[str, Any]]:
    """Every object in a Block Kit tree, each before what it holds."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _dicts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _dicts(value)


def block_texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [
        str(node["text"])
        for node in _dicts(blocks)
        if node.get("type") in ("mrkdwn", "plain_text") and "text" in node
    ]


def _buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [node for node in _dicts(blocks) if "action_id" in node and node.get("type") == "button"]


def action_ids(blocks: list[dict[str, Any]]) -> list[str]:
    return [str(button["action_id"]) for button in _buttons(blocks)]


def button_value(blocks: list[dict[str, Any]], action_id: str) -> str:
    found = [str(b["value"]) for b in _buttons(blocks) if b["action_id"] == action_id]
    if not found:
        raise AssertionError(f"no {action_id} button in {blocks}")
    return found[0]
