"""`talkety slack [--port P] [--sim]` and `python -m slack_app [--port P] [--sim]`.

HTTP mode by default (POST /slack/events on --port / $PORT, default 3000);
Socket Mode when SLACK_APP_TOKEN is set. --sim runs an in-process Talkety
simulator (real clock, --speed) instead of the real API.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from talkety_core.cli.front_ends import CoreOptions

if TYPE_CHECKING:
    from .config import Settings

_LOGGER = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=None, help="HTTP port ($PORT, default 3000)")
    parser.add_argument("--host", default=None, help="HTTP bind address (default 0.0.0.0)")
    parser.add_argument("--sim", action="store_true", help="use an in-process Talkety simulator")
    parser.add_argument(
        "--speed", type=float, default=1.0, help="simulator clock speed with --sim (default 1)"
    )
    parser.add_argument(
        "--database-url", default=None, help="SQLAlchemy URL ($DATABASE_URL, default SQLite)"
    )


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """The `talkety.front_ends` hook: `talkety slack [--port P] [--sim]`. Imports nothing
    of the slack extra, so that `talkety slack` without it can say what to install."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.description = __doc__
    add_arguments(parser)
    parser.set_defaults(handler=run_from_args)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m slack_app",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    return run_from_args(args, CoreOptions(verbose=args.verbose))


def settings_from_args(args: argparse.Namespace, core: CoreOptions) -> Settings:
    """The settings from the environment; this command's options and the core CLI's
    account options (`talkety --region DE slack`) win over their variables."""
    from .config import from_env  # noqa: PLC0415 - the slack extra, once it is needed

    overrides: dict[str, Any] = {
        "port": args.port,
        "host": args.host,
        "database_url": args.database_url,
    }
    return from_env(talkety=core.account, **overrides)


def missing_message(settings: Settings) -> str | None:
    """What is missing to start, said exactly (the README's run command prints it)."""
    needs = settings.missing()
    if not needs:
        return None
    lines = ["The Slack app cannot start; it needs:"]
    lines += [f"  - {need}" for need in needs]
    lines.append(
        "Create the app from manifest.json at https://api.slack.com/apps (see docs/slack.md)."
    )
    return "\n".join(lines)


def run_from_args(args: argparse.Namespace, core: CoreOptions) -> int:
    try:
        from .config import ConfigError  # noqa: PLC0415
    except ImportError as err:
        print(
            f"talkety slack: the Slack app's packages are not installed ({err}); "
            "install them with: pip install 'talkety[slack]'",
            file=sys.stderr,
        )
        return EXIT_ERROR
    try:
        settings = settings_from_args(args, core)
    except ConfigError as err:
        print(f"talkety slack: {err}", file=sys.stderr)
        return EXIT_USAGE
    problem = missing_message(settings)
    # Distributed mode: each workspace's admin connects its own Talkety account.
    if problem is None and not args.sim and not settings.distributed:
        missing = settings.talkety.missing()
        if missing:
            problem = f"Talkety credentials missing: set {', '.join(missing)}, or use --sim."
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_ERROR
    from .redact import install  # noqa: PLC0415

    install(settings.secrets(), logging.DEBUG if core.verbose else logging.INFO)
    try:
        asyncio.run(_serve(settings, sim=args.sim, speed=args.speed))
    except (KeyboardInterrupt, asyncio.CancelledError):  # Ctrl-C or SIGTERM
        return EXIT_OK
    except OSError as err:
        print(f"talkety slack: cannot serve: {err.strerror or err}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


@contextlib.contextmanager
def _graceful_sigterm() -> Iterator[None]:
    """SIGTERM (systemd, Docker, Kubernetes) stops like Ctrl-C does: requests
    in progress finish and leases are released, instead of dying mid-dial."""
    loop = asyncio.get_running_loop()
    serving = asyncio.current_task()
    if serving is None:  # pragma: no cover - always called from a task
        yield
        return

    def terminate() -> None:
        _LOGGER.info("SIGTERM: stopping")
        serving.cancel()

    try:
        loop.add_signal_handler(signal.SIGTERM, terminate)
    except (NotImplementedError, RuntimeError):  # pragma: no cover - Windows
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


@contextlib.asynccontextmanager
async def simulated(settings: Settings, speed: float) -> AsyncIterator[Settings]:
    """An in-process simulator, and settings pointing at it."""
    from dataclasses import replace  # noqa: PLC0415

    from talkety_core.simulator import embedded_account  # noqa: PLC0415

    configured = settings.talkety
    async with embedded_account(
        speed=speed, currency=configured.currency, region=configured.region
    ) as account:
        _LOGGER.info("Talkety simulator on %s (speed %sx)", account.url, speed)
        yield replace(settings, talkety=account)


async def _serve(settings: Settings, *, sim: bool, speed: float) -> None:
    from .app import SlackTalketyApp  # noqa: PLC0415 - Bolt only when serving
    from .server import run_http, run_socket_mode  # noqa: PLC0415

    async with contextlib.AsyncExitStack() as stack:
        stack.enter_context(_graceful_sigterm())
        if sim:
            settings = await stack.enter_async_context(simulated(settings, speed))
        slack = SlackTalketyApp(settings)
        if settings.socket_mode:
            await run_socket_mode(slack)
        else:
            await run_http(slack, settings.host, settings.port)
