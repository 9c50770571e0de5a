"""The whole product on the embedded simulator (what `scripts/run` starts).

1. the Talkety simulator on 127.0.0.1 (a child process, `talkety sim`);
2. a demo call through the `talkety` CLI, watched live until it is hung up;
3. the Slack app against the simulator, when Slack credentials are set
   (otherwise it says exactly what is missing);
4. a real Home Assistant on http://localhost:8123 with the integration set up
   against the simulator (devtools/ha/demo.py);
then waits for Ctrl-C and stops everything it started.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEMO_LOGIN = {"username": "demo", "password": "demo", "app_key": "demo"}
CALLER, CALLEE = "11234567890", "19876543210"  # the vendor's own example numbers


def talkety_env(sim_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "TALKETY_URL": sim_url,
        "TALKETY_USERNAME": DEMO_LOGIN["username"],
        "TALKETY_PASSWORD": DEMO_LOGIN["password"],
        "TALKETY_APP_KEY": DEMO_LOGIN["app_key"],
    }


def slack_missing(environ: dict[str, str]) -> list[str]:
    """What the Slack app still needs: HTTP mode or Socket Mode credentials, or with
    SLACK_CLIENT_ID (many workspaces) the OAuth app's."""
    if environ.get("SLACK_CLIENT_ID"):
        keys = ("SLACK_CLIENT_SECRET", "SLACK_SIGNING_SECRET", "TALKETY_SLACK_SECRET_KEY")
        return [key for key in keys if not environ.get(key)]
    if not environ.get("SLACK_BOT_TOKEN"):
        return ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET or SLACK_APP_TOKEN"]
    if environ.get("SLACK_APP_TOKEN") or environ.get("SLACK_SIGNING_SECRET"):
        return []
    return ["SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)"]


# Every way a person or a supervisor stops a program; each stops everything this started,
# also where SIGINT was ignored when it started (a background job, nohup, CI runners).
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# Home Assistant takes up to a minute to stop cleanly (devtools.ha.demo's own limit).
STOP_SECONDS = 75


class Children:
    """The processes this demo started, stopped in reverse order."""

    def __init__(self) -> None:
        self.processes: list[asyncio.subprocess.Process] = []

    async def start(
        self, *argv: str, env: dict[str, str] | None = None, stdout: int | None = None
    ) -> asyncio.subprocess.Process:
        # A session of its own: a terminal's Ctrl-C reaches only this script, which
        # stops the children one by one, so their last words come in order.
        process = await asyncio.create_subprocess_exec(
            *argv, env=env, cwd=ROOT, stdout=stdout, start_new_session=True
        )
        self.processes.append(process)
        return process

    async def stop(self) -> None:
        """SIGTERM, which every child treats as Ctrl-C, then SIGKILL if it hangs."""
        for process in reversed(self.processes):
            if process.returncode is None:
                process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), STOP_SECONDS)
                except TimeoutError:
                    process.kill()
                    await process.wait()


async def wait_for_port(port: int, seconds: float = 20) -> None:
    for _ in range(int(seconds * 20)):
        with contextlib.suppress(OSError):
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        await asyncio.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds:g}s")


async def demo_call(children: Children, env: dict[str, str], seconds: float) -> None:
    """Dial, watch the cost rise, hang up after `seconds`, show the summary."""
    talkety = str(BIN / "talkety")
    dial = await children.start(
        talkety, "--json", "call", CALLER, CALLEE, env=env, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await dial.communicate()
    if dial.returncode != 0:
        raise RuntimeError("the demo call could not be placed")
    call_id = str(json.loads(out.decode().splitlines()[0])["call_id"])
    print(f"\n== Demo call {call_id}: {CALLER} -> {CALLEE}, hung up after {seconds:g}s", flush=True)
    watch = await children.start(talkety, "watch", call_id, "--interval", "2", env=env)
    try:
        await asyncio.wait_for(asyncio.shield(watch.wait()), seconds)
    except TimeoutError:
        # Its answer waits until the watch has closed its live line.
        hangup = await children.start(
            talkety, "hangup", call_id, env=env, stdout=asyncio.subprocess.PIPE
        )
        said, _ = await hangup.communicate()
        await watch.wait()
        print(said.decode(), end="", flush=True)


async def run(args: argparse.Namespace, children: Children) -> int:
    sim_url = f"http://127.0.0.1:{args.port}/xml/v1"
    env = talkety_env(sim_url)
    await children.start(
        str(BIN / "talkety"),
        "sim",
        "--host",
        "127.0.0.1",
        "--port",
        str(args.port),
        "--username",
        DEMO_LOGIN["username"],
        "--password",
        DEMO_LOGIN["password"],
        "--app-key",
        DEMO_LOGIN["app_key"],
        "--speed",
        str(args.speed),
    )
    await wait_for_port(args.port)
    await demo_call(children, env, args.demo_seconds)

    missing = slack_missing(env)
    if args.no_slack:
        print("\n== Slack: skipped (--no-slack)")
    elif missing:
        print(
            "\n== Slack: not started; missing " + ", ".join(missing) + ".\n"
            "   Create the app from manifest.json (see docs/slack.md), install it to your\n"
            "   workspace, export those variables and run scripts/run again."
        )
    else:
        print(f"\n== Slack: starting the app on port {args.slack_port} against the simulator")
        await children.start(str(BIN / "talkety"), "slack", "--port", str(args.slack_port), env=env)

    if args.no_ha:
        print("\n== Home Assistant: skipped (--no-ha)")
    else:
        print(
            f"\n== Home Assistant: starting on http://localhost:{args.ha_port} "
            "(first start takes a while)",
            flush=True,
        )
        await children.start(
            sys.executable,
            "-m",
            "devtools.ha.demo",
            "--port",
            str(args.ha_port),
            "--config-dir",
            args.ha_config_dir,
            "--sim-url",
            sim_url,
            "--sim-username",
            DEMO_LOGIN["username"],
            "--sim-password",
            DEMO_LOGIN["password"],
            "--sim-app-key",
            DEMO_LOGIN["app_key"],
        )

    print(
        f"\n== Running. Simulator: {sim_url} (login demo/demo, app key demo)\n"
        f"   Try: TALKETY_URL={sim_url} TALKETY_USERNAME=demo TALKETY_PASSWORD=demo "
        f"TALKETY_APP_KEY=demo .venv/bin/talkety call {CALLER} {CALLEE} --watch\n"
        "   Ctrl-C stops everything.",
        flush=True,
    )
    if args.exit_after_demo:
        return 0
    await asyncio.Event().wait()
    return 0  # pragma: no cover - the wait above ends only by a signal


async def main(args: argparse.Namespace) -> int:
    """`run` until it ends or a stop signal comes, then stop every child, once."""
    children = Children()
    work = asyncio.create_task(run(args, children))
    loop = asyncio.get_running_loop()
    for signum in STOP_SIGNALS:
        # Replaces an inherited SIG_IGN too; later signals find the work cancelled
        # already and cannot cut the children's clean stop short.
        loop.add_signal_handler(signum, work.cancel)
    try:
        return await work
    except asyncio.CancelledError:
        # On its own line: a terminal has just echoed ^C.
        print("\n== Stopping everything scripts/run started ...", flush=True)
        return 0
    finally:
        await children.stop()
        print("== Stopped: nothing scripts/run started is left running.", flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Talkety on the embedded simulator: a demo call, then Slack and Home "
        "Assistant against it. Ctrl-C (or SIGTERM, SIGHUP) stops everything."
    )
    parser.add_argument("--port", type=int, default=8700, help="simulator port")
    parser.add_argument("--speed", type=float, default=1.0, help="simulator clock speed")
    parser.add_argument("--demo-seconds", type=float, default=30, help="length of the demo call")
    parser.add_argument(
        "--slack-port", type=int, default=3000, help="the Slack app's port (HTTP mode)"
    )
    parser.add_argument(
        "--no-slack", action="store_true", help="do not start the Slack app, even when configured"
    )
    parser.add_argument("--no-ha", action="store_true", help="do not start Home Assistant")
    parser.add_argument("--ha-port", type=int, default=8123, help="Home Assistant's port")
    parser.add_argument(
        "--ha-config-dir", default=".ha-demo", help="Home Assistant's configuration folder"
    )
    parser.add_argument("--exit-after-demo", action="store_true", help="stop after the demo call")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
