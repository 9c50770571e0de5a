"""A placed call's message: posted in its channel (or a direct message), then followed."""

from __future__ import annotations

from ..blocks.call_message import render_call_message
from ..formatting import code
from ..slack_gateway import CHANNEL_ERRORS, RATE_LIMITED, is_transient
from ..store import Requester
from .tools import Part


class Announcer(Part):
    """Posts a placed call's message, then hands it to the tracker."""

    async def show(self, req: Requester, key: str) -> None:
        """Post the call's message in the channel (or a DM), then follow it live."""
        record = await self.store.calls.get_call(key)
        assert record is not None
        # The call is in the store now, whatever happens to its message.
        self.tracker.calls_changed(record.team_id, record.user_id)
        rendered = render_call_message(record, None, self.display, self.now())
        result = await self.gateway.post_message(
            req.channel_id, rendered.text, rendered.blocks, thread_ts=record.thread_ts
        )
        nowhere = not result.ok and result.error in CHANNEL_ERRORS
        if nowhere:
            result = await self.gateway.post_message(req.user_id, rendered.text, rendered.blocks)
            # Not even a direct message, and not for a passing reason: nowhere for good.
            nowhere = (
                not result.ok and result.error != RATE_LIMITED and not is_transient(result.error)
            )
            if result.ok:
                await self.gateway.tell(
                    req.target,
                    "I can't post in this channel (invite me with `/invite @Talkety`), so the "
                    "call's status is in our direct messages.",
                )
        if result.ok and result.channel and result.ts:
            await self.store.calls.set_message(key, result.channel, result.ts)
            record = await self.store.calls.get_call(key)
            assert record is not None
            self.tracker.adopt(record, shown=True)
        elif not nowhere:
            # Not posted yet (Slack failed, limited or refused this once): the updater
            # posts it as soon as Slack lets it, retrying until it lands.
            self.tracker.adopt(record)
        else:  # neither the channel nor a direct message will take it
            await self.store.calls.set_delivery_error(key, result.error or "unknown")
            record = await self.store.calls.get_call(key)
            assert record is not None
            self.tracker.adopt(record)
            await self.gateway.tell(
                req.target,
                f"The call was placed (id {code(record.subject_id or '?')}), but I can't post "
                f"its status anywhere ({result.error}). `/hangup` still lists it.",
            )
