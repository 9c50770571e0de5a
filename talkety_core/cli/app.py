"""`talkety`: the command line of talkety_core.

main() parses, finds the settings, runs one sub-command and turns every
failure into one line on stderr and an exit status:
0 done, 1 error, 2 usage error, 3 a call may or may not have been placed,
130 interrupted (Ctrl-C, SIGTERM or SIGHUP; a watched call goes on).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import inspect
import logging
import os
import signal
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Iterator, Mapping, Sequence
from typing import cast

from ..account import (
    ENV_APP_KEY,
    ENV_CURRENCY,
    ENV_PASSWORD,
    ENV_REGION,
    ENV_URL,
    ENV_USERNAME,
    Account,
    AccountError,
)
from ..errors import (
    TalketyAppKeyError,
    TalketyAuthenticationError,
    TalketyCallOutcomeUnknownError,
    TalketyConnectionError,
    TalketyError,
)
from ..numbers import PhoneNumberError
from .commands import COMMANDS
from .console import Console
from .context import CliError, Context, InterruptNotice
from .front_ends import CoreOptions, FrontEnd, FrontEndHook, Handler, installed
from .parser import build_parser

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_OUTCOME_UNKNOWN = 3
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run `talkety` with `argv` (default: the process's arguments); returns the exit status."""
    front_ends = installed()
    parser = build_parser(front_ends)
    try:
        args, extras = parser.parse_known_args(argv)
        front_end = next((f for f in front_ends if f.command == args.command), None)
        if front_end is None and extras:
            parser.error(f"unrecognized arguments: {' '.join(extras)}")
    except SystemExit as stop:  # argparse: --help (0) or a usage error (2)
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    console = Console(sys.stdout, sys.stderr, json=args.json)
    interrupt = InterruptNotice()
    with _logging(verbose=args.verbose), _stop_signals_like_ctrl_c():
        try:
            if front_end is not None:
                return _run_front_end(front_end, args, extras)
            if args.command == "sim":
                return _serve_simulator(args, console)
            return asyncio.run(_run(args, console, interrupt))
        except KeyboardInterrupt:
            console.end_live()
            if interrupt.message:
                console.note(interrupt.message)
            return EXIT_INTERRUPTED
        except (TalketyError, PhoneNumberError, CliError) as err:
            console.error(_explain(err))
            return _exit_status(err)
        except Exception as err:
            if args.debug:
                raise
            # No traceback for a user: one line, and the way to get one for a report.
            console.error(f"unexpected error ({type(err).__name__}); run with --debug for details")
            return EXIT_ERROR


# The global options that choose the account (Account.from_environ's), as front ends get them.
ACCOUNT_OPTIONS = ("url", "app_key", "username", "password", "currency", "region")
# The option of each credential's environment variable, for the error that names them.
_OPTIONS = {ENV_APP_KEY: "--app-key", ENV_USERNAME: "--username", ENV_PASSWORD: "--password"}
_OPTION_OF = {**_OPTIONS, ENV_URL: "--url", ENV_CURRENCY: "--currency", ENV_REGION: "--region"}


def settings_from(args: argparse.Namespace, environ: Mapping[str, str]) -> Account:
    """Options win over environment variables; says exactly which credential is missing."""
    account = _account_from(args, environ)
    missing = [f"{env} (or {_OPTIONS[env]})" for env in account.missing()]
    if missing:
        raise CliError(
            f"missing credentials: set {', '.join(missing)}; or try --sim for a simulated account"
        )
    return account


def _account_from(
    args: argparse.Namespace, environ: Mapping[str, str], *, connection: bool = True
) -> Account:
    """`connection=False`: only how costs and numbers read (currency, region), for a
    simulated account; a real account's URL and credentials are then not even checked."""
    if not connection:
        environ = {k: v for k, v in environ.items() if k in (ENV_CURRENCY, ENV_REGION)}
    try:
        return Account.from_environ(
            environ,
            url=args.url if connection else None,
            app_key=args.app_key if connection else None,
            username=args.username if connection else None,
            password=args.password if connection else None,
            currency=args.currency,
            region=args.region,
        )
    except AccountError as err:
        raise CliError(f"{err} ({err.variable} / {_OPTION_OF[err.variable]})") from None


async def _run(args: argparse.Namespace, console: Console, interrupt: InterruptNotice) -> int:
    async with (
        _account(args) as settings,
        settings.client() as client,
    ):
        ctx = Context(
            client=client,
            console=console,
            currency=settings.currency,
            region=settings.region,
            simulated=args.sim,
            interrupt=interrupt,
        )
        return await COMMANDS[args.command](ctx, args)


@contextlib.asynccontextmanager
async def _account(args: argparse.Namespace) -> AsyncIterator[Account]:
    """The configured account, or with --sim a simulator in this process on a free port."""
    if not args.sim:
        yield settings_from(args, os.environ)
        return
    # Imported on use: only --sim needs the simulator.
    from ..simulator import embedded_account  # noqa: PLC0415

    configured = _account_from(args, os.environ, connection=False)
    async with embedded_account(
        speed=args.speed, currency=configured.currency, region=configured.region
    ) as account:
        yield account


def _serve_simulator(args: argparse.Namespace, console: Console) -> int:
    """`talkety sim`: serve until Ctrl-C, which is the normal way to stop it."""
    from ..simulator import serve  # noqa: PLC0415 - only this command needs it

    # Only what was typed: a real password from the environment must not
    # become a simulator's login.
    login = {
        key: value
        for key, value in (
            ("username", args.username),
            ("password", args.password),
            ("app_key", args.app_key),
        )
        if value
    }
    try:
        asyncio.run(
            _until_a_stop_signal(serve(host=args.host, port=args.port, speed=args.speed, **login))
        )
    except KeyboardInterrupt:
        pass  # a signal before the event loop took them over
    except OSError as err:
        raise CliError(f"cannot serve on {args.host}:{args.port}: {err.strerror or err}") from None
    console.note("Simulator stopped.")
    return EXIT_OK


async def _until_a_stop_signal(work: Awaitable[None]) -> None:
    """Run `work` until Ctrl-C, SIGTERM or SIGHUP cancels it, then return normally.

    The event loop takes the signals over: a KeyboardInterrupt raised wherever the
    process happens to be can land in a finalizer (`__del__`), where Python only prints
    it and the process runs on, as if never asked to stop.
    """
    task = asyncio.current_task()
    assert task is not None
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, task.cancel)
    try:
        await work
    except asyncio.CancelledError:
        if task.uncancel() > 0:  # cancelled for another reason too
            raise


def _run_front_end(front_end: FrontEnd, args: argparse.Namespace, extras: list[str]) -> int:
    """Import the front end's module now, let it add its sub-commands, and run the chosen one
    with its own options and the core's global ones."""
    try:
        module = cast(FrontEndHook, importlib.import_module(front_end.module))
    except ImportError as err:
        raise CliError(
            f"`talkety {front_end.command}` is not available here ({err}); "
            "reinstall the package that provides it"
        ) from None
    parser = argparse.ArgumentParser(prog=f"talkety {front_end.command}")
    module.configure_parser(parser)
    try:
        own = parser.parse_args(extras)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    core = CoreOptions(
        account={name: getattr(args, name) for name in ACCOUNT_OPTIONS},
        verbose=args.verbose,
    )
    handler: Handler = own.handler
    result = handler(own, core)
    if inspect.isawaitable(result):
        result = asyncio.run(_awaited(result))
    return int(result)


async def _awaited(result: Awaitable[int]) -> int:
    return await result


def _exit_status(err: Exception) -> int:
    # Not "error": the call may be ringing, and a retry could dial twice.
    if isinstance(err, TalketyCallOutcomeUnknownError):
        return EXIT_OUTCOME_UNKNOWN
    return EXIT_ERROR


def _explain(err: Exception) -> str:
    """The error's message, what to do about it where that is clear, then its notes."""
    return " ".join([str(err) + _advice(err), *getattr(err, "__notes__", ())])


def _advice(err: Exception) -> str:
    if isinstance(err, TalketyCallOutcomeUnknownError):
        legs = f" Calls that carry it: {', '.join(err.leg_ids)}." if err.leg_ids else ""
        return f"{legs} See what is active with: talkety list"
    if isinstance(err, TalketyAppKeyError):
        return f" (check {ENV_APP_KEY} / --app-key)"
    if isinstance(err, TalketyAuthenticationError):
        return f" (check {ENV_USERNAME} and {ENV_PASSWORD})"
    if isinstance(err, TalketyConnectionError):
        return f" (check {ENV_URL} / --url)"
    if isinstance(err, PhoneNumberError) and "default region" in str(err):
        return f" ({ENV_REGION} / --region)"
    return ""


@contextlib.contextmanager
def _stop_signals_like_ctrl_c() -> Iterator[None]:
    """SIGTERM and SIGHUP (a supervisor, a closed terminal, scripts/run) end a command as
    Ctrl-C does: with its notice (a dial that may have been placed) and its last line."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread
        return
    previous = {
        signum: signal.signal(signum, signal.default_int_handler)
        for signum in (signal.SIGTERM, signal.SIGHUP)
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def _logging(*, verbose: bool) -> Iterator[None]:
    """Library log lines only with --verbose: otherwise the one error line says it all."""
    logger = logging.getLogger("talkety_core")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("talkety: %(levelname)s: %(message)s"))
    handler.setLevel(logging.DEBUG if verbose else logging.ERROR)
    level = logger.level
    if verbose:
        logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
