"""The whole product on the embedded simulator (what `scripts/run` starts).

1. the Talkety simulator on 127.0.0.1 (a child process, `talkety sim`);
2. a demo call through the `talkety` CLI, watched live until it is hung up;
3. the Slack app against the simulator, when Slack credentials are set
   (otherwise it says exactly what is missing);
4. a real Home Assistant on http://localhost:8123 with the integration set up
   against the simulator (ha_integration/demo.py);
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


class Children:
    """The processes this demo started, stopped in reverse order."""

    def __init__(self) -> None:
        self.processes: list[asyncio.subprocess.Process] = []

    async def start(
        self, *argv: str, env: dict[str, str] | None = None
    ) -> asyncio.subprocess.Process:
        process = await asyncio.create_subprocess_exec(*argv, env=env, cwd=ROOT)
        self.processes.append(process)
        return process

    async def stop(self) -> None:
        for process in reversed(self.processes):
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
                try:
                    await asyncio.wait_for(process.wait(), 20)
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


async def demo_call(env: dict[str, str], seconds: float) -> None:
    """Dial, watch the cost rise, hang up after `seconds`, show the summary."""
    talkety = str(BIN / "talkety")
    dial = await asyncio.create_subprocess_exec(
        talkety, "--json", "call", CALLER, CALLEE, env=env, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await dial.communicate()
    if dial.returncode != 0:
        raise RuntimeError("the demo call could not be placed")
    call_id = str(json.loads(out.decode().splitlines()[0])["call_id"])
    print(f"\n== Demo call {call_id}: {CALLER} -> {CALLEE}, hung up after {seconds:g}s")
    watch = await asyncio.create_subprocess_exec(
        talkety, "watch", call_id, "--interval", "2", env=env
    )
    try:
        await asyncio.wait_for(asyncio.shield(watch.wait()), seconds)
    except TimeoutError:
        hangup = await asyncio.create_subprocess_exec(talkety, "hangup", call_id, env=env)
        await hangup.wait()
        await watch.wait()


async def main(args: argparse.Namespace) -> int:
    children = Children()
    sim_url = f"http://127.0.0.1:{args.port}/xml/v1"
    env = talkety_env(sim_url)
    try:
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
        await demo_call(env, args.demo_seconds)

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
            await children.start(
                str(BIN / "talkety"), "slack", "--port", str(args.slack_port), env=env
            )

        if args.no_ha:
            print("\n== Home Assistant: skipped (--no-ha)")
        else:
            print(
                "\n== Home Assistant: starting on http://localhost:8123 (first start takes a while)"
            )
            await children.start(
                sys.executable,
                "-m",
                "ha_integration.demo",
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
            "   Ctrl-C stops everything."
        )
        if args.exit_after_demo:
            return 0
        await asyncio.Event().wait()
    finally:
        await children.stop()
    return 0  # pragma: no cover - the wait above ends only by Ctrl-C


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Talkety on the embedded simulator.")
    parser.add_argument("--port", type=int, default=8700, help="simulator port")
    parser.add_argument("--speed", type=float, default=1.0, help="simulator clock speed")
    parser.add_argument("--demo-seconds", type=float, default=30, help="length of the demo call")
    parser.add_argument("--slack-port", type=int, default=3000)
    parser.add_argument("--no-slack", action="store_true")
    parser.add_argument("--no-ha", action="store_true")
    parser.add_argument("--exit-after-demo", action="store_true", help="stop after the demo call")
    return parser.parse_args(argv)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(asyncio.run(main(parse_args())))
