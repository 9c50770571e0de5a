"""What every listener shares: who is asking, and failures told kindly."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any

from talkety_core import TalketyError
from talkety_core.numbers import PhoneNumberError

from ..context import AppContext
from ..errors import UserError, friendly
from ..numbers_input import NumberInputError
from ..policy import PolicyError
from ..service import Requester
from ..slack_gateway import ReplyTarget

_LOGGER = logging.getLogger(__name__)

USER_ERRORS = (UserError, PolicyError, NumberInputError, PhoneNumberError)


async def guarded(
    ctx: AppContext, target: ReplyTarget, work: Awaitable[Any], *, urgent: bool = False
) -> Any:
    """Run `work` (after the ack, a few at a time: see InFlight.run); tell the user
    privately if it fails."""
    gateway = ctx.gateway
    try:
        return await ctx.in_flight.run(work, urgent=urgent)
    except USER_ERRORS as err:
        await gateway.tell(target, f":warning: {err}")
    except TalketyError as err:
        _LOGGER.info("Talkety refused a Slack request: %s", err)
        await gateway.tell(target, f":warning: {friendly(err)}")
    except Exception:
        _LOGGER.exception("A Slack request failed")
        await gateway.tell(
            target,
            ":warning: Something went wrong on my side. `/hangup` lists your active calls; "
            "check it before trying again.",
        )
    return None


def from_command(command: dict[str, Any]) -> Requester:
    return Requester(
        team_id=command.get("team_id", ""),
        user_id=command["user_id"],
        channel_id=command.get("channel_id", ""),
        response_url=command.get("response_url"),
    )


def from_interaction(body: dict[str, Any], channel_id: str | None = None) -> Requester:
    """The clicker of a button or the submitter of a modal."""
    team = body.get("team") or {}
    user = body.get("user") or {}
    channel = body.get("channel") or {}
    response_url = body.get("response_url")
    if not response_url:
        urls = body.get("response_urls") or []
        response_url = urls[0].get("response_url") if urls else None
    return Requester(
        team_id=team.get("id") or user.get("team_id", ""),
        user_id=user["id"],
        channel_id=channel_id or channel.get("id") or user["id"],
        response_url=response_url,
    )


def action_value(body: dict[str, Any]) -> str:
    actions = body.get("actions") or [{}]
    return str(actions[0].get("value", ""))
