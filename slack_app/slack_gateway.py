"""The Slack Web API edge: every call returns a SlackResult, never raises.

Callers decide from `error` what to do (repost, stop, wait); nothing here
retries on its own except spacing chat.postMessage per channel (Slack allows
about one per second per channel).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

_LOGGER = logging.getLogger(__name__)

# Errors meaning the token no longer works: stop using it, do not crash.
AUTH_ERRORS = frozenset(
    {"token_revoked", "invalid_auth", "account_inactive", "not_authed", "token_expired"}
)
# The message's channel cannot take (more) messages from this app.
CHANNEL_ERRORS = frozenset(
    {"channel_not_found", "not_in_channel", "is_archived", "restricted_action"}
)
TRANSPORT_ERROR = "transport_error"
RATE_LIMITED = "ratelimited"
# Slack's own failures that pass: the same request later lands (Slack's docs advise a
# retry with backoff), as do HTTP 5xx answers and requests that never got an answer.
TRANSIENT_ERRORS = frozenset(
    {TRANSPORT_ERROR, "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
# An existing message that can no longer be edited: a fresh one takes its place.
STALE_MESSAGE_ERRORS = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})


def is_transient(error: str | None) -> bool:
    return error in TRANSIENT_ERRORS or (error or "").startswith("http_5")


@dataclass(frozen=True, slots=True)
class SlackResult:
    ok: bool
    error: str | None = None
    retry_after: float | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def ts(self) -> str | None:
        return self.data.get("ts")

    @property
    def channel(self) -> str | None:
        return self.data.get("channel")


@dataclass(frozen=True, slots=True)
class ReplyTarget:
    """Where to tell a user something privately, best first."""

    user_id: str
    channel_id: str | None = None
    response_url: str | None = None


class SlackGateway:
    def __init__(self, client: AsyncWebClient, *, post_spacing: float = 1.1) -> None:
        self.client = client
        self.post_spacing = post_spacing
        self._next_post: dict[str, float] = {}
        self._post_locks: dict[str, asyncio.Lock] = {}

    async def call(self, method: str, **kwargs: Any) -> SlackResult:
        try:
            # The typed method knows each API method's encoding (JSON, form or GET).
            response = await getattr(self.client, method.replace(".", "_"))(**kwargs)
        except SlackApiError as err:
            resp = err.response
            error = resp.get("error") if isinstance(resp.data, dict) else None
            retry_after = None
            if resp.status_code == 429:
                error = RATE_LIMITED
                retry_after = _seconds(_header(resp.headers, "Retry-After"))
            _LOGGER.info("Slack %s failed: %s", method, error or resp.status_code)
            return SlackResult(False, error or f"http_{resp.status_code}", retry_after)
        except (aiohttp.ClientError, TimeoutError, OSError, SlackRequestError) as err:
            # SlackRequestError: a file's bytes were refused by the upload URL.
            _LOGGER.warning("Slack %s: %s", method, type(err).__name__)
            return SlackResult(False, TRANSPORT_ERROR)
        return SlackResult(
            True, data=dict(response.data) if isinstance(response.data, dict) else {}
        )

    async def post_message(
        self, channel: str, text: str, blocks: Sequence[Any], *, thread_ts: str | None = None
    ) -> SlackResult:
        # One post per channel at a time, the next one `post_spacing` after the
        # previous answer: Slack then sees them at least that far apart.
        lock = self._post_locks.setdefault(channel, asyncio.Lock())
        async with lock:
            wait = self._next_post.get(channel, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                return await self.call(
                    "chat.postMessage",
                    channel=channel,
                    text=text,
                    blocks=list(blocks),
                    unfurl_links=False,
                    **({"thread_ts": thread_ts} if thread_ts else {}),
                )
            finally:
                self._next_post[channel] = time.monotonic() + self.post_spacing

    async def update_message(
        self, channel: str, ts: str, text: str, blocks: Sequence[Any]
    ) -> SlackResult:
        return await self.call(
            "chat.update", channel=channel, ts=ts, text=text, blocks=list(blocks)
        )

    async def views_open(self, trigger_id: str, view: dict[str, Any]) -> SlackResult:
        return await self.call("views.open", trigger_id=trigger_id, view=view)

    async def views_update(self, view_id: str, view: dict[str, Any]) -> SlackResult:
        return await self.call("views.update", view_id=view_id, view=view)

    async def upload_file(
        self, user_id: str, filename: str, content: bytes, *, comment: str
    ) -> SlackResult:
        """A file in our DM with `user_id` (Slack's upload flow: getUploadURLExternal,
        the bytes, completeUploadExternal; files_upload_v2 does the three)."""
        opened = await self.call("conversations.open", users=user_id)
        if not opened.ok:
            return opened
        return await self.call(
            "files_upload_v2",
            channel=opened.data["channel"]["id"],
            filename=filename,
            title=filename,
            content=content,
            initial_comment=comment,
        )

    async def views_publish(self, user_id: str, view: dict[str, Any]) -> SlackResult:
        return await self.call("views.publish", user_id=user_id, view=view)

    async def profile_phone(self, user_id: str) -> str | None:
        """The phone on a person's Slack profile ("" or None: none, or not readable)."""
        result = await self.call("users.profile.get", user=user_id)
        profile = result.data.get("profile") if result.ok else None
        if not isinstance(profile, dict):
            return None
        return str(profile.get("phone") or "").strip() or None

    async def usergroup_members(self, usergroup: str) -> set[str] | None:
        result = await self.call("usergroups.users.list", usergroup=usergroup)
        return set(result.data.get("users", [])) if result.ok else None

    async def tell(
        self,
        target: ReplyTarget,
        text: str,
        blocks: Sequence[Any] | None = None,
        *,
        replace_original: bool = False,
    ) -> SlackResult:
        """A private message: via response_url, else ephemeral, else a DM."""
        if target.response_url:
            result = await self.respond(
                target.response_url, text, blocks, replace_original=replace_original
            )
            if result.ok:
                return result
        if target.channel_id:
            result = await self.call(
                "chat.postEphemeral",
                channel=target.channel_id,
                user=target.user_id,
                text=text,
                blocks=list(blocks or []),
            )
            if result.ok:
                return result
        return await self.post_message(target.user_id, text, blocks or [])

    async def respond(
        self,
        response_url: str,
        text: str,
        blocks: Sequence[Any] | None = None,
        *,
        replace_original: bool = False,
        delete_original: bool = False,
    ) -> SlackResult:
        webhook = AsyncWebhookClient(response_url, session=getattr(self.client, "session", None))
        try:
            response = await webhook.send(
                text=text,
                blocks=list(blocks) if blocks else None,
                response_type="ephemeral",
                replace_original=replace_original,
                delete_original=delete_original,
            )
        except (aiohttp.ClientError, TimeoutError, OSError) as err:
            _LOGGER.warning("Slack response_url: %s", type(err).__name__)
            return SlackResult(False, TRANSPORT_ERROR)
        if response.status_code == 200:
            return SlackResult(True)
        return SlackResult(False, response.body or f"http_{response.status_code}")


def _header(headers: Any, name: str) -> str | None:
    for key, value in dict(headers or {}).items():
        if key.lower() == name.lower():
            return str(value[0] if isinstance(value, list) else value)
    return None


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
