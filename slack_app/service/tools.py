"""What every part of the service works with, for one workspace."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from talkety_core import TalketyClient

from ..blocks.call_message import Display
from ..live.tracker import CallTracker
from ..policy import Policy
from ..slack_gateway import SlackGateway
from ..store import Store


@dataclass(frozen=True, slots=True)
class Tools:
    client: TalketyClient
    store: Store
    tracker: CallTracker
    gateway: SlackGateway
    policy: Policy
    display: Display
    now: Callable[[], datetime]


class Part:
    """A part of the service: the workspace's tools at hand as attributes."""

    def __init__(self, tools: Tools) -> None:
        self.client = tools.client
        self.store = tools.store
        self.tracker = tools.tracker
        self.gateway = tools.gateway
        self.policy = tools.policy
        self.display = tools.display
        self.now = tools.now
