"""devtools.ha.newest: which requirements make a stock install, and how programs reach the
Python of the newest Home Assistant."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from devtools.ha.newest import CHECKOUT, NewestPython, stock_requirements


def _component(components: Path, domain: str, **manifest: list[str]) -> None:
    (components / domain).mkdir(parents=True)
    (components / domain / "manifest.json").write_text(json.dumps({"domain": domain, **manifest}))


def test_stock_requirements_follow_dependencies_once(tmp_path: Path) -> None:
    _component(tmp_path, "default_config", dependencies=["assist_pipeline", "frontend"])
    _component(tmp_path, "assist_pipeline", dependencies=["tts"], requirements=["pymicro-vad==1"])
    _component(tmp_path, "tts", dependencies=["ffmpeg"], requirements=["mutagen==1"])
    _component(tmp_path, "ffmpeg", dependencies=["tts"], requirements=["ha-ffmpeg==3"])
    _component(tmp_path, "frontend", requirements=["home-assistant-frontend==2026"])
    _component(tmp_path, "unused", requirements=["never==1"])
    assert stock_requirements(tmp_path, ["default_config"]) == [
        "ha-ffmpeg==3",
        "home-assistant-frontend==2026",
        "mutagen==1",
        "pymicro-vad==1",
    ]


def test_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TALKETY_TEST_NEWEST_PYTHON", raising=False)
    assert NewestPython.from_environment() is None
    monkeypatch.setenv("TALKETY_TEST_NEWEST_PYTHON", "/usr/bin/python3.14")
    monkeypatch.setenv("TALKETY_TEST_NEWEST_ROOT", "/var/tmp/forky")
    assert NewestPython.from_environment() == NewestPython(
        "/usr/bin/python3.14", Path("/var/tmp/forky")
    )


def test_on_this_machine_a_program_is_itself(tmp_path: Path) -> None:
    here = NewestPython("/usr/bin/python3")
    assert here.command(["hass", "-c", "x"]) == ["hass", "-c", "x"]
    assert here.program(tmp_path / "bin" / "hass", tmp_path) == str(tmp_path / "bin" / "hass")


@pytest.mark.skipif(
    not os.environ.get("TALKETY_TEST_NEWEST_ROOT"), reason="no root (.ci/run makes one)"
)
def test_in_the_root_host_paths_are_the_same_files_and_the_mounts_go_away(tmp_path: Path) -> None:
    newest = NewestPython.from_environment()
    assert newest is not None
    assert newest.root is not None
    (tmp_path / "made-outside").write_text("hello\n")
    script = newest.program(Path("/bin/sh"), tmp_path)
    inside = subprocess.run(
        [script, "-c", f"cat {tmp_path}/made-outside; pwd; test -f {CHECKOUT}/pyproject.toml"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert inside.returncode == 0, inside.stderr
    assert inside.stdout.split() == ["hello", str(tmp_path)]
    version = subprocess.run(
        newest.command([newest.python, "--version"]),
        env=newest.environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert version.stdout.startswith("Python 3.14")
    assert str(newest.root) not in Path("/proc/self/mounts").read_text()
