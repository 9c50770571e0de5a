"""The container deployment's files as a reviewer would check them: the Dockerfile against
hadolint (the Dockerfile linter Docker's own docs point to), the compose file read for what
it promises: PostgreSQL, two instances of the app behind one port, a demo profile with the
simulator. Whether the image really builds and runs is tests/installed/test_container.py."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def test_hadolint_finds_nothing() -> None:
    result = subprocess.run(
        [str(BIN / "hadolint"), "--format", "json", "Dockerfile"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert json.loads(result.stdout or "[]") == [], result.stdout + result.stderr
    assert result.returncode == 0


def test_the_image_runs_the_app_as_a_non_root_user_with_a_health_check() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^ARG BASE=python:3\.1[3-9]-slim$", dockerfile, re.MULTILINE)
    assert re.search(r"^USER 10001$", dockerfile, re.MULTILINE)
    assert "HEALTHCHECK" in dockerfile and "/healthz" in dockerfile
    assert re.search(r'^ENTRYPOINT \["talkety", "slack"\]$', dockerfile, re.MULTILINE)
    assert "[slack]" in dockerfile  # the wheel with the Slack app's extra


def test_compose_runs_two_instances_on_postgresql_behind_one_port() -> None:
    services = _compose()["services"]
    apps = {name: s for name, s in services.items() if s.get("image") == "talkety-slack"}
    instances = {name for name, s in apps.items() if "profiles" not in s}
    assert instances == {"app-1", "app-2"}
    for name in instances:
        app = services[name]
        assert app["environment"]["DATABASE_URL"].startswith("postgresql://")
        assert app["depends_on"]["db"]["condition"] == "service_healthy"
        # Compose waits this long after SIGTERM: more than the app's 20 s drain.
        assert int(app["stop_grace_period"].removesuffix("s")) > 20
    assert services["db"]["image"].startswith("postgres:")
    published = [s for s in services.values() if s.get("ports")]
    assert [s["ports"] for s in published] == [["3000:3000"]]
    command = published[0]["command"]
    assert "app-1:3000" in command and "app-2:3000" in command


def test_the_demo_profile_adds_the_simulator() -> None:
    simulator = _compose()["services"]["simulator"]
    assert simulator["profiles"] == ["demo"]
    assert simulator["entrypoint"][:2] == ["talkety", "sim"]
