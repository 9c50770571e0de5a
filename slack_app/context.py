"""The objects listeners need, built once in app.py and passed to register()."""

from __future__ import annotations

from dataclasses import dataclass

from .blocks.call_message import Display
from .in_flight import InFlight
from .live.tracker import CallTracker
from .policy import Policy
from .service import CallService
from .slack_gateway import SlackGateway
from .store import Store


@dataclass(frozen=True)
class AppContext:
    service: CallService
    tracker: CallTracker
    gateway: SlackGateway
    store: Store
    policy: Policy
    display: Display
    in_flight: InFlight
