"""Bolt's listener decorators, with every listener counted while it runs.

The register() functions take this instead of the AsyncApp, so no listener
can be added that a stop would not wait for.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from ..in_flight import InFlight

Listener = Callable[..., Awaitable[Any]]
Decorator = Callable[[Listener], Any]


class Registrar:
    def __init__(self, app: AsyncApp, in_flight: InFlight) -> None:
        self._app = app
        self._in_flight = in_flight

    def _tracked(self, decorator: Decorator) -> Callable[[Listener], None]:
        def register(listener: Listener) -> None:
            decorator(self._in_flight.track(listener))

        return register

    def command(self, name: str) -> Callable[[Listener], None]:
        return self._tracked(self._app.command(name))

    def action(self, action_id: str) -> Callable[[Listener], None]:
        return self._tracked(self._app.action(action_id))

    def view(self, callback_id: str) -> Callable[[Listener], None]:
        return self._tracked(self._app.view(callback_id))

    def shortcut(self, callback_id: str) -> Callable[[Listener], None]:
        return self._tracked(self._app.shortcut(callback_id))

    def event(self, event_type: str) -> Callable[[Listener], None]:
        return self._tracked(self._app.event(event_type))

    def function(self, callback_id: str) -> Callable[[Listener], None]:
        """A Workflow Builder step; Bolt acknowledges the event itself."""
        return self._tracked(self._app.function(callback_id))
