"""A real Home Assistant with the Talkety integration, configured against a simulator.

    python -m devtools.ha.demo --sim-url http://127.0.0.1:8700/xml/v1 \
        --sim-username demo --sim-password demo --sim-app-key demo

1. creates a Home Assistant configuration directory (default `.ha-demo/`):
   configuration.yaml with a lean set of integrations, onboarding marked
   done, a dashboard (the Talkety card: live calls, a dialler, recent calls and
   costs; the costs' history; buttons that call, escalate and hang up) and the
   scripts behind its buttons;
2. installs the integration with `talkety ha install` (no pip: this Python
   already has talkety);
3. creates the login with `hass --script auth -c <dir> add <user> <password>`;
4. starts `hass` on http://localhost:8123 (the `hass` beside this Python);
5. logs in through /auth/login_flow and /auth/token, adds the Talkety account
   through the REST config flow API (what the UI does) and its demo contacts
   through the options flow;
6. prints the ready login, then keeps Home Assistant running until Ctrl-C
   (or SIGTERM), and stops it cleanly.

Standard library only (plus the rest of ha_integration). The functions are
reused by the tests that boot a real Home Assistant.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ha_integration import DOMAIN, bundle, installer

DEFAULT_PORT = 8123
CLIENT_ID_PATH = "/"
DEMO_CALLER = "+1 123 456 7890"
DEMO_CALLEE = "+1 987 654 3210"
# The account's contact book: the simulator's ...486 numbers are always busy.
DEMO_CONTACTS = {"Alice": DEMO_CALLEE, "Bob": "+1 987 654 3486", "Me": DEMO_CALLER}


class DemoError(Exception):
    """The demo cannot go on; the message says why."""


# --- the configuration directory ----------------------------------------------------


def slug(text: str) -> str:
    """Roughly Home Assistant's slugify, for the entity ids of the account's device."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def entity_ids(username: str) -> dict[str, str]:
    base = f"talkety_{slug(username)}"
    return {
        "active_calls": f"sensor.{base}_active_calls",
        "active_conferences": f"sensor.{base}_active_conferences",
        "running_cost": f"sensor.{base}_running_cost",
        "cost_today": f"sensor.{base}_cost_today",
        "cost_month": f"sensor.{base}_cost_this_month",
        "recent_calls": f"sensor.{base}_recent_calls",
        "last_call": f"sensor.{base}_last_call",
        "last_call_cost": f"sensor.{base}_last_call_cost",
        "on_call": f"binary_sensor.{base}_on_a_call",
        "call_event": f"event.{base}_call",
        "call_default_number": f"button.{base}_call_default_number",
        "hang_up_all": f"button.{base}_hang_up_all_calls",
        "ring": f"notify.{base}_ring_my_phone",
    }


CONFIGURATION = """\
# Written by devtools/ha/demo.py: a lean Home Assistant for the Talkety demo.
homeassistant:
  name: Talkety demo
  country: {country}
  currency: {currency}
  unit_system: metric
  time_zone: {time_zone}
  latitude: 52.52
  longitude: 13.40
  elevation: 34

http:
  server_port: {port}

# No default_config: only what the demo needs, nothing that looks for hardware
# or installs packages at start.
frontend:
config:
api:
lovelace:
# The cost history graph, and "call Alice" in Assist (the conversation API; the
# voice pipeline would want ffmpeg).
history:
recorder:
  purge_keep_days: 7
conversation:
script: !include scripts.yaml
automation: !include automations.yaml

logger:
  default: warning
  logs:
    custom_components.talkety: info
    talkety_core: warning
"""


def scripts_yaml(ids: Mapping[str, str], caller: str, callee: str) -> str:
    active = ids["active_calls"]
    return f"""\
# Written by devtools/ha/demo.py. The account is found from one of its entities.
talkety_demo_call:
  alias: Place a Talkety demo call
  icon: mdi:phone-outgoing
  mode: parallel
  sequence:
    - action: talkety.place_call
      data:
        config_entry: "{{{{ config_entry_id('{active}') }}}}"
        from: "{caller}"
        to: "{callee}"
        custom_data: demo
talkety_demo_escalate:
  alias: Call Bob, then Alice if Bob is busy
  icon: mdi:phone-forward
  use_blueprint:
    path: talkety/call_with_escalation.yaml
    input:
      account: "{{{{ config_entry_id('{active}') }}}}"
      first: Bob
      fallback: Alice
"""


def _button(entity: str, name: str, icon: str) -> dict[str, Any]:
    """A card that runs a script."""
    return {
        "type": "button",
        "entity": entity,
        "name": name,
        "icon": icon,
        "show_state": False,
        "tap_action": {"action": "toggle"},
    }


def _press(button: str, name: str, icon: str) -> dict[str, Any]:
    """A card that presses a button entity."""
    action = {"action": "perform-action", "perform_action": "button.press"}
    return _button(button, name, icon) | {"tap_action": {**action, "target": {"entity_id": button}}}


def dashboard(ids: Mapping[str, str]) -> dict[str, Any]:
    return {
        "title": "Talkety",
        "views": [
            {
                "title": "Talkety",
                "path": "talkety",
                "icon": "mdi:phone",
                "cards": [
                    # The integration's own card: live calls, dialler, recent calls, costs.
                    {"type": "custom:talkety-card"},
                    {
                        "type": "entities",
                        "title": "Calls",
                        "entities": [
                            ids["on_call"],
                            ids["last_call"],
                            ids["last_call_cost"],
                            ids["call_event"],
                            ids["ring"],  # notify.send_message to it rings you
                        ],
                    },
                    {
                        "type": "horizontal-stack",
                        "cards": [
                            _button(
                                "script.talkety_demo_call",
                                "Place a demo call",
                                "mdi:phone-outgoing",
                            ),
                            _press(ids["call_default_number"], "Call Alice", "mdi:account-voice"),
                            _button(
                                "script.talkety_demo_escalate",
                                "Bob, else Alice",
                                "mdi:phone-forward",
                            ),
                            _press(ids["hang_up_all"], "Hang up all", "mdi:phone-hangup"),
                        ],
                    },
                    {
                        "type": "history-graph",
                        "title": "Cost history",
                        "hours_to_show": 24,
                        "entities": [
                            {"entity": ids["cost_today"], "name": "Today"},
                            {"entity": ids["cost_month"], "name": "This month"},
                        ],
                    },
                ],
            }
        ],
    }


def _store(path: Path, key: str, version: int, data: Any, minor_version: int = 1) -> None:
    path.write_text(
        json.dumps(
            {"version": version, "minor_version": minor_version, "key": key, "data": data},
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )


def prepare(
    config_dir: Path,
    *,
    port: int = DEFAULT_PORT,
    username: str,
    caller: str = DEMO_CALLER,
    callee: str = DEMO_CALLEE,
    currency: str = "USD",
    country: str = "US",
    time_zone: str = "UTC",
    fresh: bool = False,
    release: Path | None = None,
) -> Path:
    """Write the demo configuration and install the integration; returns the dir.

    The integration comes from this checkout (`talkety ha install`), or from the
    release zip `release`, unpacked as HACS unpacks it.
    """
    config_dir = config_dir.resolve()
    if fresh and config_dir.exists():
        shutil.rmtree(config_dir)
    storage = config_dir / ".storage"
    storage.mkdir(parents=True, exist_ok=True)
    ids = entity_ids(username)
    (config_dir / "configuration.yaml").write_text(
        CONFIGURATION.format(port=port, currency=currency, country=country, time_zone=time_zone),
        encoding="utf-8",
    )
    (config_dir / "scripts.yaml").write_text(scripts_yaml(ids, caller, callee), encoding="utf-8")
    automations = config_dir / "automations.yaml"
    if not automations.exists():
        automations.write_text("[]\n", encoding="utf-8")
    # Onboarding done: the login below is the owner; no wizard.
    onboarding = storage / "onboarding"
    if not onboarding.exists():
        _store(
            onboarding,
            "onboarding",
            4,
            {"done": ["user", "core_config", "analytics", "integration"]},
        )
    _store(storage / "lovelace", "lovelace", 1, {"config": dashboard(ids)})
    if release is None:
        installer.install(config_dir)
    else:
        bundle.unpack(release, config_dir / "custom_components" / DOMAIN)
        # What a HACS user copies by hand: the escalation script needs its blueprint.
        installer.place_blueprints(config_dir)
        installer.place_sentences(config_dir)
    return config_dir


# --- Home Assistant processes ---------------------------------------------------------


def hass_executable(python: str = sys.executable) -> str:
    """The `hass` beside `python` (the venv's), else the one on PATH."""
    candidate = Path(python).parent / "hass"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("hass")
    if found is None:
        raise DemoError("hass not found: install homeassistant (pip install 'talkety[ha]')")
    return found


def add_user(hass: str, config_dir: Path, username: str, password: str) -> None:
    """`hass --script auth -c <dir> add <user> <password>` (skipped if it exists)."""
    listing = subprocess.run(  # noqa: S603
        [hass, "--script", "auth", "-c", str(config_dir), "list"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if any(line.strip() == username for line in listing.stdout.splitlines()):
        subprocess.run(  # noqa: S603
            [
                hass,
                "--script",
                "auth",
                "-c",
                str(config_dir),
                "change_password",
                username,
                password,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return
    result = subprocess.run(  # noqa: S603
        [hass, "--script", "auth", "-c", str(config_dir), "add", username, password],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if result.returncode != 0:
        raise DemoError(
            f"cannot create the login: {result.stderr.strip() or result.stdout.strip()}"
        )


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def start_hass(
    hass: str,
    config_dir: Path,
    log_file: Path,
    *,
    skip_pip: bool = False,
    env: Mapping[str, str] | None = None,
) -> subprocess.Popen[bytes]:
    command = [hass, "-c", str(config_dir), "--log-file", str(log_file)]
    if skip_pip:
        command.append("--skip-pip")
    log = log_file.with_suffix(".out").open("wb")
    return subprocess.Popen(  # noqa: S603
        command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env
    )


def stop_hass(process: subprocess.Popen[bytes], timeout: float = 60) -> int:
    """SIGTERM (Home Assistant stops cleanly), then SIGKILL after `timeout`."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
    return process.returncode


# --- REST -------------------------------------------------------------------------------


class Rest:
    """A tiny Home Assistant REST client (urllib)."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        form: Mapping[str, str] | None = None,
        timeout: float = 30,
    ) -> Any:
        headers = {}
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(  # noqa: S310 - our own http://127.0.0.1 URL
            self.base_url + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                text = response.read().decode()
        except urllib.error.HTTPError as err:
            detail = err.read().decode(errors="replace")[:500]
            raise DemoError(f"{method} {path}: HTTP {err.code}: {detail}") from None
        return json.loads(text) if text else None

    def wait_up(self, process: subprocess.Popen[bytes], deadline: float) -> None:
        """Until Home Assistant's HTTP server answers (or the process dies)."""
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise DemoError(f"hass exited with status {process.returncode}")
            with contextlib.suppress(OSError, DemoError):
                self.request("GET", "/manifest.json", timeout=5)
                return
            time.sleep(1)
        raise DemoError("Home Assistant did not start in time")

    def login(self, username: str, password: str) -> str:
        """An access token through /auth/login_flow and /auth/token, as the frontend does."""
        client_id = self.base_url + CLIENT_ID_PATH
        flow = self.request(
            "POST",
            "/auth/login_flow",
            {"client_id": client_id, "handler": ["homeassistant", None], "redirect_uri": client_id},
        )
        result = self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {"client_id": client_id, "username": username, "password": password},
        )
        if result.get("type") != "create_entry":
            raise DemoError(f"login refused: {result.get('errors')}")
        tokens = self.request(
            "POST",
            "/auth/token",
            form={
                "grant_type": "authorization_code",
                "code": result["result"],
                "client_id": client_id,
            },
        )
        self.token = tokens["access_token"]
        return str(self.token)

    def talkety_entries(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.request(
            "GET", "/api/config/config_entries/entry?domain=talkety"
        )
        return entries

    def add_talkety(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """Run the integration's config flow through the REST API; returns the result."""
        flow = self.request(
            "POST",
            "/api/config/config_entries/flow",
            {"handler": "talkety", "show_advanced_options": False},
        )
        if flow.get("type") != "form":
            raise DemoError(f"unexpected config flow answer: {flow}")
        result: dict[str, Any] = self.request(
            "POST", f"/api/config/config_entries/flow/{flow['flow_id']}", dict(data)
        )
        if result.get("type") != "create_entry":
            raise DemoError(
                f"the Talkety config flow did not finish: {result.get('errors') or result}"
            )
        return result

    def options_step(self, entry_id: str, step: str, data: Mapping[str, Any]) -> dict[str, Any]:
        """One step of an entry's options flow (its menu, then `step`), through REST."""
        flow = self.request(
            "POST", "/api/config/config_entries/options/flow", {"handler": entry_id}
        )
        path = f"/api/config/config_entries/options/flow/{flow['flow_id']}"
        self.request("POST", path, {"next_step_id": step})
        result: dict[str, Any] = self.request("POST", path, dict(data))
        if result.get("type") != "create_entry":
            raise DemoError(f"the options step {step} did not finish: {result}")
        return result

    def state(self, entity_id: str) -> dict[str, Any] | None:
        try:
            state: dict[str, Any] = self.request("GET", f"/api/states/{entity_id}")
        except DemoError as err:
            if "HTTP 404" in str(err):
                return None
            raise
        return state

    def wait_state(self, entity_id: str, predicate: Any, deadline: float) -> dict[str, Any]:
        last = None
        while time.monotonic() < deadline:
            last = self.state(entity_id)
            if last is not None and predicate(last):
                return last
            time.sleep(0.5)
        raise DemoError(f"{entity_id} never reached the expected state (last: {last})")


# --- the whole demo -------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    config_dir = Path(args.config_dir)
    port = args.port
    base_url = f"http://127.0.0.1:{port}"
    if not port_free(port):
        print(f"devtools.ha.demo: port {port} is in use (another Home Assistant?)", file=sys.stderr)
        return 1
    prepare(
        config_dir,
        port=port,
        username=args.sim_username,
        currency=args.currency,
        fresh=args.fresh,
    )
    hass = args.hass or hass_executable()
    add_user(hass, config_dir, args.user, args.password)
    log_file = config_dir / "home-assistant.log"
    process = start_hass(hass, config_dir, log_file, skip_pip=args.skip_pip)
    keep_running = False

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    # SIGINT too: started with it ignored (a background job), Ctrl-C must still stop it.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    try:
        rest = Rest(base_url)
        print(f"Starting Home Assistant in {config_dir} (log: {log_file}) ...", flush=True)
        rest.wait_up(process, time.monotonic() + args.timeout)
        rest.login(args.user, args.password)
        if not rest.talkety_entries():
            added = rest.add_talkety(
                {
                    "username": args.sim_username,
                    "password": args.sim_password,
                    "app_key": args.sim_app_key,
                    "api_url": args.sim_url,
                    "default_caller": DEMO_CALLER,
                    "default_number": DEMO_CALLEE,
                    "country": "US",
                    "currency": args.currency,
                }
            )
            for name, number in DEMO_CONTACTS.items():
                contact = {"name": name, "number": number}
                rest.options_step(added["result"]["entry_id"], "add_contact", contact)
        ids = entity_ids(args.sim_username)
        rest.wait_state(
            ids["active_calls"], lambda s: s["state"] != "unavailable", time.monotonic() + 60
        )
        print(
            f"\nHome Assistant is ready: http://localhost:{port}\n"
            f"  login:     {args.user} / {args.password}\n"
            "  dashboard: Overview (Talkety) - press 'Place a demo call'\n"
            "  Assist:    'call Alice' (contacts: " + ", ".join(DEMO_CONTACTS) + ")\n"
            f"  Talkety:   {args.sim_url} (simulator)\n"
            "Ctrl-C stops Home Assistant.",
            flush=True,
        )
        if args.exit_when_ready:
            keep_running = True
            print(
                f"hass runs in the background (pid {process.pid}); stop it with: kill {process.pid}"
            )
            return 0
        while process.poll() is None:
            time.sleep(1)
        print(f"hass exited with status {process.returncode}; see {log_file}", file=sys.stderr)
        return 1
    except DemoError as err:
        print(f"devtools.ha.demo: {err} (see {log_file})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        if not keep_running:
            # A second Ctrl-C (a terminal signals the whole group, and
            # scripts/run passes one on) must not cut the clean stop short.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            print("Stopping Home Assistant ...", flush=True)
            stop_hass(process)
            print("Home Assistant stopped.", flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config-dir", default=".ha-demo")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument(
        "--sim-url", default=os.environ.get("TALKETY_URL", "http://127.0.0.1:8700/xml/v1")
    )
    parser.add_argument("--sim-username", default="demo")
    parser.add_argument("--sim-password", default="demo")
    parser.add_argument("--sim-app-key", default="demo")
    parser.add_argument("--currency", default="USD")
    parser.add_argument("--user", default="demo", help="the Home Assistant login to create")
    parser.add_argument("--password", default="demo", help="its password")
    parser.add_argument("--hass", help="the hass executable (default: beside this Python)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for the start")
    parser.add_argument("--fresh", action="store_true", help="start from an empty config dir")
    parser.add_argument("--skip-pip", action="store_true", help="run hass with --skip-pip")
    parser.add_argument(
        "--exit-when-ready",
        action="store_true",
        help="leave Home Assistant running in the background and exit once ready",
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(run(parse_args()))
