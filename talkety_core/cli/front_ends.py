"""Sub-commands other packages add to `talkety` (`talkety slack`, `talkety ha ...`).

A package declares its front end in the `talkety.front_ends` entry-point group; the
name is the command and the value the module that provides it::

    [project.entry-points."talkety.front_ends"]
    slack = "slack_app.cli"

The core names no front end: it finds them installed, and imports one only when its
command is used, so `talkety` works without any front end's dependencies. The module
has one hook (FrontEndHook)::

    def configure_parser(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--port", ...)     # a single command: talkety slack --port 3000
        parser.set_defaults(handler=run_app)   # handler(args, core) -> int, or a coroutine

A front end with sub-commands (`talkety ha install ...`) adds them to `parser`. `args`
holds only the front end's own options; the core's global options given before the
command come as CoreOptions. A front end whose extra is not installed says what to
install itself (it knows its extra; the core does not).
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Protocol

GROUP = "talkety.front_ends"


class FrontEndHook(Protocol):
    """What a front end's module provides: it fills in `talkety <command>`'s parser."""

    def configure_parser(self, parser: argparse.ArgumentParser) -> None: ...


@dataclass(frozen=True, slots=True)
class CoreOptions:
    """The core's global options, as a front end may read them."""

    # Account.from_environ's options given on the command line (url, app_key, username,
    # password, currency, region): each wins over its TALKETY_* variable.
    account: Mapping[str, str | None] = field(default_factory=dict)
    verbose: bool = False


Handler = Callable[[argparse.Namespace, CoreOptions], "int | Awaitable[int]"]


@dataclass(frozen=True, slots=True, order=True)
class FrontEnd:
    """An installed front end: `talkety <command>`, provided by `module`."""

    command: str
    module: str


def installed() -> tuple[FrontEnd, ...]:
    """The front ends of every installed package, by command."""
    found = {ep.name: FrontEnd(ep.name, ep.module) for ep in entry_points(group=GROUP)}
    return tuple(sorted(found.values()))
