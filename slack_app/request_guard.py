"""Slack's HTTP requests, authenticated before anything parses them.

Bolt parses a body before it checks the signature, so an unsigned `payload=null`
reached its parser (a 500 and a traceback). Here the signature and timestamp are
checked on the raw bytes first, then the body's shape, and only then does Bolt see
the request. A signed request seen before within Slack's 5-minute window is a
replay (Slack's signing has no nonce): it is acknowledged and ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import parse_qs

_LOGGER = logging.getLogger(__name__)

# Slack's own rule: a request older (or newer) than this is refused, so a signature
# needs remembering no longer than this either.
REPLAY_WINDOW = timedelta(minutes=5)
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
_KEY_PREFIX = "request:"
# Signatures are never seen again after the window: forgotten every this many requests.
PRUNE_EVERY = 500
BATCH_SECONDS = 0.01
# Who typed a command, where: every listener reads these.
_COMMAND_KEYS = ("user_id", "team_id", "channel_id", "trigger_id")


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a request is refused: the HTTP status it gets, and a line for the log."""

    status: int
    reason: str


def authenticate(secret: str, headers: Any, body: bytes, now: datetime) -> Refusal | None:
    """None when `body` carries a valid signature from now (Slack's v0 scheme)."""
    timestamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
        return Refusal(401, "missing or malformed signature headers")
    if abs(now.timestamp() - int(timestamp)) > REPLAY_WINDOW.total_seconds():
        return Refusal(401, "timestamp outside the 5-minute window")
    message = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        return Refusal(401, "signature does not match")
    return None


def check_shape(content_type: str, body: bytes) -> Refusal | None:
    """None when the body is one Slack sends: a slash command's form, an interaction's
    `payload` object, or an event's JSON object, with who sent it where it says so."""
    try:
        text = body.decode()
        if content_type.startswith("application/json"):
            return _object_shape(json.loads(text))
        form = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text))
    except ValueError:
        return Refusal(400, "body is not valid form data or JSON")
    if "payload" in form:
        try:
            return _object_shape(json.loads(form["payload"][0]))
        except ValueError:
            return Refusal(400, "payload is not JSON")
    if "command" in form:
        missing = [key for key in _COMMAND_KEYS if not form.get(key, [""])[0]]
        return Refusal(400, f"command without {', '.join(missing)}") if missing else None
    if "ssl_check" in form:
        return None
    return Refusal(400, "neither a command nor an interaction")


def _object_shape(value: Any) -> Refusal | None:
    """What Bolt reads of an interaction or event before any listener runs: it trusts
    these shapes, and raises (a 500 with a traceback) on others."""
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        return Refusal(400, "not an object with a type")
    if "command" in value:  # Slack sends commands as forms only; Bolt would take it for one
        return Refusal(400, "a command inside an object")
    user = value.get("user")
    if user is not None and not (isinstance(user, dict) and isinstance(user.get("id"), str)):
        return Refusal(400, "malformed user")
    for key in ("team", "channel", "enterprise", "container", "message"):
        if value.get(key) is not None and not isinstance(value[key], dict):
            return Refusal(400, f"malformed {key}")
    for key in ("view", "event"):  # read whenever present, even null
        if key in value and not isinstance(value[key], dict):
            return Refusal(400, f"malformed {key}")
    actions = value.get("actions", [])
    if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
        return Refusal(400, "malformed actions")
    needs = _NEEDS.get(value["type"])
    if needs is not None and not needs(value):
        return Refusal(400, f"malformed {value['type']}")
    return None


def _is_object_with(key: str) -> Callable[[Any], bool]:
    return lambda part: isinstance(part, dict) and isinstance(part.get(key), str)


_ACTION = _is_object_with("action_id")
_NEEDS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "block_actions": lambda v: (
        isinstance(v.get("actions"), list)
        and bool(v["actions"])
        and all(_ACTION(action) for action in v["actions"])
    ),
    "block_suggestion": lambda v: isinstance(v.get("action_id"), str),
    "view_submission": lambda v: _is_object_with("callback_id")(v.get("view")),
    "view_closed": lambda v: _is_object_with("callback_id")(v.get("view")),
    "shortcut": lambda v: isinstance(v.get("callback_id"), str),
    "message_action": lambda v: isinstance(v.get("callback_id"), str),
    "event_callback": lambda v: _is_object_with("type")(v.get("event")),
}


class RequestGuard:
    """Every check above; then, for what passes, the replay check in the database
    (several instances share it, and a replay may reach any of them)."""

    def __init__(
        self, secret: str, once: OnceStore, now: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        # The wall clock, not the app's: Slack dates its signatures by it.
        self._secret = secret
        self._once = once
        self._now = now
        self._waiting: dict[str, asyncio.Future[bool]] = {}
        self._writer: asyncio.Task[None] | None = None
        self._written = 0

    def refusal(self, headers: Any, content_type: str, body: bytes) -> Refusal | None:
        return authenticate(self._secret, headers, body, self._now()) or check_shape(
            content_type, body
        )

    async def first_seen(self, signature: str) -> bool:
        """False for a signature seen before within the window: a replay.

        Checks are written in batches, one transaction for all that arrive together:
        a write per request would cost the acks of a busy instance dearly."""
        key = _KEY_PREFIX + signature
        if key in self._waiting:  # the same signature twice in one batch: a replay
            return False
        waiting = self._waiting[key] = asyncio.get_running_loop().create_future()
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_batches())
        return await asyncio.shield(waiting)

    async def _write_batches(self) -> None:
        while self._waiting:
            await asyncio.sleep(BATCH_SECONDS)  # let a batch gather
            batch, self._waiting = self._waiting, {}
            now = self._now()
            try:
                first = await self._once.once_many(list(batch), now, REPLAY_WINDOW)
            except Exception as err:
                for waiting in batch.values():
                    waiting.set_exception(err)
                continue
            for key, waiting in batch.items():
                waiting.set_result(key in first)
            self._written += len(batch)
            if self._written >= PRUNE_EVERY:
                self._written = 0
                with contextlib.suppress(Exception):
                    await self._once.prune_once(_KEY_PREFIX, now - REPLAY_WINDOW)


class ReplayCheck:
    """The replay check of one request, made when its work is about to run (after the
    ack, as InFlight schedules work: the ack never waits for the database) and once,
    however many of its tasks ask."""

    def __init__(self, check: Callable[[], Awaitable[bool]]) -> None:
        self._check = check
        self._first_seen: asyncio.Future[bool] | None = None

    async def first_seen(self) -> bool:
        if self._first_seen is None:
            self._first_seen = asyncio.ensure_future(self._check())
        return await asyncio.shield(self._first_seen)


_CURRENT: ContextVar[ReplayCheck | None] = ContextVar("replay_check", default=None)


@contextlib.contextmanager
def replay_checked(check: ReplayCheck) -> Iterator[None]:
    """Within: the current request's replay check is `check` (tasks started here see it)."""
    token = _CURRENT.set(check)
    try:
        yield
    finally:
        _CURRENT.reset(token)


async def is_replay() -> bool:
    """Whether the request this task serves replays one already handled."""
    check = _CURRENT.get()
    if check is None:
        return False
    try:
        first = await check.first_seen()
    except Exception:  # the database is down: the work itself will say so
        _LOGGER.warning("The replay check of a request failed; handling it")
        return False
    if not first:
        _LOGGER.warning("Ignored a replay of a request already handled")
    return not first


class OnceStore(Protocol):
    async def once_many(
        self, keys: Sequence[str], now: datetime, window: timedelta
    ) -> set[str]: ...

    async def prune_once(self, prefix: str, before: datetime) -> None: ...
