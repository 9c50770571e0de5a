"""`talkety ha install | uninstall | package`: what lands where."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ha_integration import INTEGRATION_DIR, bundle, installer
from talkety_core import __version__

ROOT = Path(__file__).resolve().parents[2]


def test_importable_without_home_assistant() -> None:
    """The CLI hook imports ha_integration.cli; it must not pull in Home Assistant."""
    code = (
        "import sys; import ha_integration.cli, ha_integration.installer; "
        "assert 'homeassistant' not in sys.modules, 'homeassistant imported'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_the_integration_is_the_checkouts() -> None:
    assert INTEGRATION_DIR.resolve() == ROOT / "custom_components" / "talkety"


def test_install_writes_the_release_folder(tmp_path: Path) -> None:
    report = installer.install(tmp_path / "config")
    target = tmp_path / "config" / "custom_components" / "talkety"
    assert report.integration == target
    assert report.version == __version__
    assert (target / "translations" / "en.json").is_file()
    assert (target / "talkety_core" / "client.py").is_file()
    assert not (target / "talkety_core" / "simulator").exists()
    assert not list(target.rglob("__pycache__"))
    assert not target.is_symlink()
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["version"] == __version__
    # The vendored core logs as custom_components.talkety.talkety_core: the integration's own.
    assert "talkety_core" not in manifest.get("loggers", [])
    # The checkout's manifest stays as it is.
    assert json.loads((INTEGRATION_DIR / "manifest.json").read_text())["version"] == "0.0.0"
    blueprints = tmp_path / "config" / "blueprints"
    assert report.blueprints == [
        blueprints / "automation" / "talkety" / "call_on_alarm.yaml",
        blueprints / "automation" / "talkety" / "hang_up_expensive_calls.yaml",
        blueprints / "automation" / "talkety" / "notify_call_cost.yaml",
        blueprints / "script" / "talkety" / "call_with_escalation.yaml",
    ]
    assert report.sentences == [tmp_path / "config" / "custom_sentences" / "en" / "talkety.yaml"]
    assert "no configuration.yaml" in report.notes[0]
    # Again, over the first copy, linked: replaced.
    (tmp_path / "config" / "configuration.yaml").write_text("default_config:\n")
    report = installer.install(tmp_path / "config", link=True)
    assert target.is_symlink()
    assert target.resolve() == INTEGRATION_DIR.resolve()
    assert "needs the talkety package" in report.notes[0]


def test_install_the_same_folder_the_zip_carries(tmp_path: Path) -> None:
    installer.install(tmp_path, blueprints=False)
    built = bundle.package(tmp_path / "dist")
    installed = tmp_path / "custom_components" / "talkety"
    on_disk = sorted(
        p.relative_to(installed).as_posix() for p in installed.rglob("*") if p.is_file()
    )
    assert on_disk == list(built.files)
    with zipfile.ZipFile(built.path) as archive:
        for name in built.files:
            assert archive.read(name) == (installed / name).read_bytes(), name


def test_unpack_replaces_what_was_there(tmp_path: Path) -> None:
    built = bundle.package(tmp_path / "dist")
    target = tmp_path / "custom_components" / "talkety"
    target.mkdir(parents=True)
    (target / "stale.py").write_text("")
    bundle.unpack(built.path, target)
    assert not (target / "stale.py").exists()
    assert (target / "talkety_core" / "__init__.py").is_file()


def test_install_errors(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(installer.InstallError, match="not a directory"):
        installer.install(tmp_path / "file")


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert installer.main(["install", str(tmp_path), "--no-blueprints"]) == 0
    out = capsys.readouterr().out
    assert f"custom_components/talkety (talkety {__version__})" in out
    assert not (tmp_path / "blueprints").exists()
    sentences = tmp_path / "custom_sentences" / "en"
    assert f"sentences:   {sentences / 'talkety.yaml'}" in out
    (sentences / "mine.yaml").write_text("language: en\n")  # the user's own: kept
    assert installer.main(["uninstall", str(tmp_path)]) == 0
    assert "removed" in capsys.readouterr().out
    assert not (tmp_path / "custom_components" / "talkety").exists()
    assert [path.name for path in sentences.iterdir()] == ["mine.yaml"]
    assert installer.main(["uninstall", str(tmp_path)]) == 0
    assert "nothing to remove" in capsys.readouterr().out
    (tmp_path / "file").write_text("")
    assert installer.main(["install", str(tmp_path / "file")]) == 1
    assert "not a directory" in capsys.readouterr().err
    assert installer.main(["package", "--output", str(tmp_path / "dist")]) == 0
    out = capsys.readouterr().out
    assert f"talkety.zip: talkety {__version__}, " in out
    assert (tmp_path / "dist" / "talkety.zip").is_file()


def test_register_subcommands_for_the_talkety_cli() -> None:
    parser = argparse.ArgumentParser()
    installer.register_subcommands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["install", "/config", "--link"])
    assert args.handler is installer._install_command
    assert args.link and args.blueprints
    args = parser.parse_args(["package"])
    assert args.output == Path("dist")
