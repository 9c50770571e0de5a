"""What every `talkety` sub-command gets: the client, the console and the settings."""

from __future__ import annotations

from dataclasses import dataclass

from ..client import TalketyClient
from .console import Console


class CliError(Exception):
    """A problem to report in one line (exit status 1): bad settings, a refused request."""


@dataclass(slots=True)
class InterruptNotice:
    """What to tell the user if Ctrl-C arrives now (the call goes on, say); None: nothing."""

    message: str | None = None


@dataclass(slots=True)
class Context:
    client: TalketyClient
    console: Console
    currency: str
    region: str | None
    simulated: bool  # the API is a simulator inside this process
    # Shared with main(), which prints it after Ctrl-C.
    interrupt: InterruptNotice
