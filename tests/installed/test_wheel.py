"""The `talkety` package as a release makes it: sdist and wheel, checked, installed, run.

`python -m build` (with no --sdist/--wheel it builds the wheel from the sdist,
so a file the sdist forgets fails here too), `twine check --strict`, then the
wheel alone in a new virtualenv: `talkety --version` and a call on the
embedded simulator until it connects.
"""

from __future__ import annotations

import json
import os
import subprocess
import tarfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from talkety_core import __version__
from tests.named_hosts import TEST_HOST, by_name, with_hosts

ROOT = Path(__file__).resolve().parents[2]
RELEASE_TOOLS = ("build>=1.2", "twine>=6")

pytestmark = pytest.mark.timeout(600)


@dataclass(frozen=True)
class Built:
    wheel: Path
    sdist: Path
    tools: Any  # the Venv with build and twine


@pytest.fixture(scope="session")
def built(make_venv: Any, tmp_path_factory: pytest.TempPathFactory) -> Built:
    # Build tools get a virtualenv of their own: twine's dependencies would
    # move packages Home Assistant pins in the development one.
    tools = make_venv("release-tools", *RELEASE_TOOLS)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([tools.python, "-m", "build", "--outdir", str(out), str(ROOT)], check=True)
    [wheel] = out.glob("*.whl")
    [sdist] = out.glob("*.tar.gz")
    return Built(wheel=wheel, sdist=sdist, tools=tools)


def test_names_carry_the_one_version(built: Built) -> None:
    assert built.wheel.name == f"talkety-{__version__}-py3-none-any.whl"
    assert built.sdist.name == f"talkety-{__version__}.tar.gz"


def test_twine_check_passes(built: Built) -> None:
    result = subprocess.run(
        [
            built.tools.python,
            "-m",
            "twine",
            "check",
            "--strict",
            str(built.wheel),
            str(built.sdist),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


def _tracked(*paths: str) -> set[str]:
    out = subprocess.run(
        ["git", "ls-files", "--", *paths], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return {line for line in out.splitlines() if not line.endswith("/.gitkeep")}


def test_wheel_holds_every_module_and_the_integration_files(built: Built) -> None:
    with zipfile.ZipFile(built.wheel) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(f"talkety-{__version__}.dist-info/METADATA").decode()
    assert "talkety_core/py.typed" in names
    expected = {
        path for path in _tracked("talkety_core", "slack_app", "ha_integration") if "/." not in path
    }
    assert expected <= names, sorted(expected - names)
    # The integration, with every data file, under a folder name no import reaches.
    integration = {
        "ha_integration/custom-component/" + path.removeprefix("custom_components/talkety/")
        for path in _tracked("custom_components/talkety")
    }
    assert integration <= names, sorted(integration - names)
    assert "ha_integration/custom-component/brand/icon.png" in names
    # Tools that are not the product stay out; the integration has no second module name.
    assert not {name for name in names if name.startswith(("devtools/", "custom_components/"))}
    assert not {name for name in names if name.startswith("ha_integration/talkety/")}
    assert "Requires-Python: >=3.11" in metadata
    assert "License-Expression: MIT" in metadata


def test_sdist_holds_the_sources_and_licence(built: Built) -> None:
    with tarfile.open(built.sdist) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    for path in ("LICENSE", "README.md", "pyproject.toml", "custom_components/talkety/core.py"):
        assert path in names


def test_the_wheel_alone_places_a_call(built: Built, make_venv: Any) -> None:
    venv = make_venv("wheel-only", str(built.wheel))
    talkety = str(venv.path / "bin" / "talkety")
    version = subprocess.run([talkety, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"talkety {__version__}"
    assert not venv.has("homeassistant") and not venv.has("slack_bolt")

    command = [talkety, "--sim", "--speed", "20", "--json", "call", "11234567890", "19876543210"]
    process = subprocess.Popen(
        [*command, "--watch", "--interval", "0.5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    statuses = []
    try:
        deadline = time.monotonic() + 60
        assert process.stdout is not None
        for line in process.stdout:
            event = json.loads(line)
            statuses.append(event.get("call", {}).get("status"))
            if statuses[-1] == "connected" or time.monotonic() > deadline:
                break
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert statuses[-1] == "connected", (statuses, err)


@pytest.mark.parametrize("host", ["localhost", TEST_HOST])
def test_the_wheel_alone_reaches_talkety_by_name(
    built: Built, make_venv: Any, simulator: str, host: str, tmp_path: Path
) -> None:
    venv = make_venv("wheel-by-name", str(built.wheel))
    command = [str(venv.path / "bin" / "talkety"), "price", "11234567890"]
    if host != "localhost":
        command = with_hosts(command, tmp_path)
    credentials = {
        "TALKETY_USERNAME": "demo",
        "TALKETY_PASSWORD": "demo",
        "TALKETY_APP_KEY": "demo",
    }
    env = {**os.environ, **credentials, "TALKETY_URL": by_name(simulator, host)}
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert "USD/min" in result.stdout
