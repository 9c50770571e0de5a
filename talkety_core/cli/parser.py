"""The `talkety` command line: sub-commands and options.

Front ends add their own sub-commands (`talkety slack ...`, `talkety ha ...`) without
this package naming them: see front_ends.py.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime

from .. import __version__
from ..account import ENV_APP_KEY, ENV_CURRENCY, ENV_PASSWORD, ENV_REGION, ENV_URL, ENV_USERNAME
from ..actions import CALL_LIST_MAX_LIMIT
from ..models import CallStatus
from .front_ends import FrontEnd, installed

CORE_COMMANDS = ("price", "format", "call", "conf", "add", "hangup", "status", "list", "watch")
DEFAULT_INTERVAL = 2.0


def build_parser(front_ends: Sequence[FrontEnd] | None = None) -> argparse.ArgumentParser:
    """`front_ends`: default, the installed ones."""
    parser = argparse.ArgumentParser(
        prog="talkety",
        description="Phone and conference calls through the Talkety VoIP API.",
        epilog=(
            f"Credentials come from {ENV_APP_KEY}, {ENV_USERNAME} and {ENV_PASSWORD} "
            "(or the options above); --sim needs none. "
            "Numbers may be typed as people write them: +1 (123) 456-7890, 0049 30 1234567, "
            "030 1234567 with --region DE."
        ),
    )
    parser.add_argument("--version", action="version", version=f"talkety {__version__}")
    _add_global_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_core_commands(commands)
    _add_sim_command(commands)
    for front_end in installed() if front_ends is None else front_ends:
        # Everything after the command is the front end's to parse (its --help too).
        commands.add_parser(
            front_end.command, help=f"see talkety {front_end.command} --help", add_help=False
        )
    return parser


def _add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """Options accepted before and after the sub-command.

    On sub-commands they default to SUPPRESS, or their default would overwrite
    a value given before the sub-command.
    """

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    group = parser.add_argument_group("connection and output")
    group.add_argument(
        "--url", type=_url, default=default(None), help=f"API root up to /xml/v1 (${ENV_URL})"
    )
    group.add_argument("--app-key", default=default(None), help=f"app key (${ENV_APP_KEY})")
    group.add_argument("--username", default=default(None), help=f"login (${ENV_USERNAME})")
    group.add_argument(
        "--password",
        default=default(None),
        help=f"password (${ENV_PASSWORD}; prefer the variable: options show in `ps`)",
    )
    group.add_argument(
        "--currency", default=default(None), help=f"currency of costs (${ENV_CURRENCY}, USD)"
    )
    group.add_argument(
        "--region",
        default=default(None),
        help=f"country for national numbers such as 030 1234567, e.g. DE (${ENV_REGION})",
    )
    group.add_argument(
        "--json", action="store_true", default=default(False), help="machine-readable output"
    )
    group.add_argument(
        "--sim",
        action="store_true",
        default=default(False),
        help="run against an in-process simulator with throwaway credentials",
    )
    group.add_argument(
        "--speed",
        type=_positive_float,
        default=default(1.0),
        help="how much faster than real time the simulator runs (default 1)",
    )
    group.add_argument(
        "-v", "--verbose", action="store_true", default=default(False), help="log requests"
    )
    group.add_argument(
        "--debug",
        action="store_true",
        default=default(False),
        help="show the traceback of an unexpected error (a bug: please report it)",
    )


def _add_core_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _add_global_options(sub, suppress=True)
        return sub

    price = add("price", "per-minute price of numbers")
    price.add_argument("numbers", nargs="+", metavar="NUMBER")

    spell = add("format", "how Talkety (and this tool) spell numbers for dialling")
    spell.add_argument("numbers", nargs="+", metavar="NUMBER")

    call = add("call", "call SRC, then connect it to DST")
    call.add_argument("src", metavar="SRC")
    call.add_argument("dst", metavar="DST")
    call.add_argument("--custom-data", help="your own text, given back with the call")
    _add_watch_options(call, opt_in=True)

    conf = add("conf", "start a conference owned by SRC with DST...")
    conf.add_argument("src", metavar="SRC")
    conf.add_argument("dst", nargs="+", metavar="DST")
    conf.add_argument("--custom-data", help="your own text, given back with the conference")
    _add_watch_options(conf, opt_in=True)

    more = add("add", "dial more numbers into an active conference")
    more.add_argument("conference_id", type=_id, metavar="CONF_ID")
    more.add_argument("dst", nargs="+", metavar="DST")

    hangup = add("hangup", "hang up a call (or, with --conference, a conference)")
    hangup.add_argument("id", type=_id, metavar="ID")
    hangup.add_argument("--conference", action="store_true", help="ID is a conference")

    status = add("status", "the state of a call or conference")
    status.add_argument("id", type=_id, metavar="ID")
    status.add_argument("--conference", action="store_true", help="ID is a conference")

    listing = add("list", "recent calls, newest first")
    listing.add_argument(
        "--status", choices=[s.value for s in CallStatus if s is not CallStatus.UNKNOWN]
    )
    listing.add_argument("--src", help="only calls from this number")
    listing.add_argument("--dst", help="only calls to this number")
    listing.add_argument("--since", type=_moment, help="ISO 8601, UTC unless it says otherwise")
    listing.add_argument("--until", type=_moment, help="ISO 8601, UTC unless it says otherwise")
    listing.add_argument(
        "--limit", type=_limit, help=f"at most this many (1-{CALL_LIST_MAX_LIMIT})"
    )
    listing.add_argument("--offset", type=_non_negative_int, help="skip this many")

    watch = add("watch", "follow a call live until it ends (Ctrl-C stops watching, not the call)")
    watch.add_argument("id", type=_id, metavar="ID")
    watch.add_argument("--conference", action="store_true", help="ID is a conference")
    _add_watch_options(watch, opt_in=False)


def _add_watch_options(parser: argparse.ArgumentParser, *, opt_in: bool) -> None:
    if opt_in:
        parser.add_argument("--watch", action="store_true", help="follow it live after dialling")
    parser.add_argument(
        "--interval",
        type=_positive_float,
        default=DEFAULT_INTERVAL,
        help=f"seconds between polls while watching (default {DEFAULT_INTERVAL:g})",
    )


def _add_sim_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sim = commands.add_parser(
        "sim",
        help="serve a simulated Talkety API until Ctrl-C",
        description=(
            "Serve a simulated Talkety API over HTTP until Ctrl-C. Credentials are what "
            "clients must send (default: user / pass / key); they are not read from the "
            "environment."
        ),
    )
    sim.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    sim.add_argument("--port", type=_port, default=8080, help="port to listen on (8080)")
    _add_global_options(sim, suppress=True)


# --- argument types (their errors are usage errors: exit 2) ----------------------------


def _url(text: str) -> str:
    if not text.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"{text!r} is not an http(s) URL")
    return text.rstrip("/")


def _id(text: str) -> str:
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r} is not an id (ids are digits)")
    return text


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
    return value


def _limit(text: str) -> int:
    value = _non_negative_int(text)
    if not 1 <= value <= CALL_LIST_MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 1 and {CALL_LIST_MAX_LIMIT}")
    return value


def _port(text: str) -> int:
    value = _non_negative_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port")
    return value


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 time (like 2026-01-31T18:00:00Z)"
        ) from None
    # Talkety speaks UTC; a time without an offset is taken as UTC too.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
