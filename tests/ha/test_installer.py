"""`talkety ha install`: the integration, blueprints and requirement land in place."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from ha_integration import INTEGRATION_DIR, installer

ROOT = Path(__file__).resolve().parents[2]


def test_importable_without_home_assistant() -> None:
    """The CLI hook imports ha_integration.cli; it must not pull in Home Assistant."""
    code = (
        "import sys; import ha_integration.cli, ha_integration.installer; "
        "assert 'homeassistant' not in sys.modules, 'homeassistant imported'; "
        "assert 'talkety_core' not in sys.modules, 'talkety_core imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_manifest_matches_the_project() -> None:
    manifest = json.loads((INTEGRATION_DIR / "manifest.json").read_text())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert manifest["version"] == project["version"]
    assert installer.manifest_requirement() == f"talkety=={project['version']}"
    for key in (
        "domain",
        "name",
        "version",
        "codeowners",
        "documentation",
        "issue_tracker",
        "iot_class",
        "integration_type",
        "config_flow",
        "requirements",
    ):
        assert manifest.get(key) not in (None, "", []), key
    assert installer.source_tree() == ROOT


class FakePython:
    """Stands for Home Assistant's Python: answers the probe, records pip runs."""

    def __init__(
        self, talkety: str | None = "0.1.0", installs: str = "0.1.0", pip_ok: bool = True
    ) -> None:
        self.talkety = talkety  # installed now
        self.installs = installs  # what pip install brings
        self.pip_ok = pip_ok
        self.commands: list[list[str]] = []

    def __call__(self, command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        self.commands.append(command)
        if command[1] == "-c":
            out = {
                "talkety": self.talkety,
                "constraints": "/ha/package_constraints.txt",
                "homeassistant": "2025.4.4",
            }
            return subprocess.CompletedProcess(command, 0, json.dumps(out) + "\n", "")
        if self.pip_ok:
            self.talkety = self.installs
            return subprocess.CompletedProcess(command, 0, "", "")
        return subprocess.CompletedProcess(command, 1, "", "no matching distribution")


def test_install_copies_and_pip_installs(tmp_path: Path) -> None:
    fake = FakePython(talkety=None)
    report = installer.install(tmp_path / "config", python="/ha/bin/python", run=fake)
    target = tmp_path / "config" / "custom_components" / "talkety"
    assert (target / "manifest.json").is_file()
    assert (target / "translations" / "en.json").is_file()
    assert not list(target.rglob("__pycache__"))
    assert not target.is_symlink()
    names = sorted(p.name for p in report.blueprints)
    assert names == ["call_on_alarm.yaml", "hang_up_expensive_calls.yaml", "notify_call_cost.yaml"]
    assert all(
        p.parent == tmp_path / "config" / "blueprints" / "automation" / "talkety"
        for p in report.blueprints
    )
    assert report.pip_command == [
        "/ha/bin/python",
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        str(ROOT),
        "--constraint",
        "/ha/package_constraints.txt",
    ]
    assert report.talkety_version == "0.1.0"
    assert report.homeassistant_version == "2025.4.4"
    assert "no configuration.yaml" in report.notes[0]
    # Again, over the first copy: replaced.
    (tmp_path / "config" / "configuration.yaml").write_text("default_config:\n")
    report = installer.install(tmp_path / "config", python="/ha/bin/python", run=fake, link=True)
    assert target.is_symlink()
    assert target.resolve() == INTEGRATION_DIR.resolve()
    assert report.notes == []


def test_install_rewrites_the_requirement_for_another_version(tmp_path: Path) -> None:
    """pip installed another version than the manifest pins: the copy pins that one."""
    fake = FakePython(talkety=None, installs="0.2.0")
    report = installer.install(tmp_path, python="py", run=fake, source="dist/talkety.whl")
    assert report.pip_command is not None
    assert report.pip_command[5] == "dist/talkety.whl"
    assert report.talkety_version == "0.2.0"
    manifest = json.loads((tmp_path / "custom_components/talkety/manifest.json").read_text())
    assert manifest["requirements"] == ["talkety==0.2.0"]
    assert "now requires talkety==0.2.0 (was talkety==0.1.0)" in report.notes[-1]
    # The source of the integration is untouched.
    assert installer.manifest_requirement() == "talkety==0.1.0"


def test_install_other_version_kept_notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(installer, "source_tree", lambda: None)
    fake = FakePython(talkety="0.2.0")
    report = installer.install(tmp_path, python="py", run=fake)
    assert report.pip_command is None  # installed already, and no tree to install from
    manifest = json.loads((tmp_path / "custom_components/talkety/manifest.json").read_text())
    assert manifest["requirements"] == ["talkety==0.2.0"]
    assert "now requires talkety==0.2.0" in report.notes[-1]
    report = installer.install(tmp_path, python="py", run=fake, link=True)
    assert "would try PyPI" in report.notes[-1]


def test_install_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(installer.InstallError, match="not a directory"):
        installer.install(tmp_path / "file", pip=False)
    with pytest.raises(installer.InstallError, match="pip could not install"):
        installer.install(tmp_path, python="py", run=FakePython(talkety=None, pip_ok=False))
    monkeypatch.setattr(installer, "source_tree", lambda: None)
    with pytest.raises(installer.InstallError, match="--source"):
        installer.install(tmp_path, python="py", run=FakePython(talkety=None))

    def broken(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 127, "", "not found")

    with pytest.raises(installer.InstallError, match="cannot run"):
        installer.install(tmp_path, python="nope", run=broken)


def test_probe_real_python() -> None:
    found = installer.probe(sys.executable, subprocess.run)
    assert found["homeassistant"] == "2025.4.4"
    assert found["constraints"] is not None


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert installer.main(["install", str(tmp_path), "--no-pip", "--no-blueprints"]) == 0
    out = capsys.readouterr().out
    assert "custom_components/talkety" in out
    assert not (tmp_path / "blueprints").exists()
    assert installer.main(["uninstall", str(tmp_path)]) == 0
    assert "removed" in capsys.readouterr().out
    assert not (tmp_path / "custom_components" / "talkety").exists()
    assert installer.main(["uninstall", str(tmp_path)]) == 0
    assert "nothing to remove" in capsys.readouterr().out
    (tmp_path / "file").write_text("")
    assert installer.main(["install", str(tmp_path / "file"), "--no-pip"]) == 1
    assert "not a directory" in capsys.readouterr().err


def test_register_subcommands_for_the_talkety_cli() -> None:
    parser = argparse.ArgumentParser()
    installer.register_subcommands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["install", "/config", "--python", "/usr/bin/python3", "--link"])
    assert args.handler is installer._install_command
    assert args.python == "/usr/bin/python3"
    assert args.link and args.pip and args.blueprints
