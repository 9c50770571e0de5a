"""`talkety ha install <config dir>`: put the integration into a Home Assistant.

Standard library only (no Home Assistant import), so the `talkety` CLI can
offer it anywhere.

What it does:
1. copies `ha_integration/talkety` to `<config>/custom_components/talkety`
   (or symlinks it with `--link`, for development);
2. copies the example blueprints to `<config>/blueprints/automation/talkety`;
3. pip-installs this project (the distribution `talkety`, which brings
   `talkety_core`) into Home Assistant's Python, honouring Home Assistant's
   own package constraints, so that the manifest's requirement
   `talkety==<version>` is already satisfied when Home Assistant starts and
   it never looks for it on PyPI.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import BLUEPRINTS_DIR, DOMAIN, INTEGRATION_DIR

DISTRIBUTION = "talkety"
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")
_NAME_LINE = re.compile(r'^name\s*=\s*"talkety"\s*$', re.MULTILINE)

# Asks Home Assistant's Python where Home Assistant's constraints file is and
# which talkety is installed.
_PROBE = """
import importlib.metadata as m, json, pathlib
out = {"talkety": None, "constraints": None}
try:
    out["talkety"] = m.version("talkety")
except m.PackageNotFoundError:
    pass
try:
    import homeassistant
    path = pathlib.Path(homeassistant.__file__).parent / "package_constraints.txt"
    out["constraints"] = str(path) if path.is_file() else None
    out["homeassistant"] = m.version("homeassistant")
except Exception:
    out["homeassistant"] = None
print(json.dumps(out))
"""


class InstallError(Exception):
    """The installation cannot go on; the message says why and what to do."""


@dataclass
class InstallReport:
    """What `install` did, for the caller to print."""

    integration: Path
    blueprints: list[Path] = field(default_factory=list)
    pip_command: list[str] | None = None
    talkety_version: str | None = None
    homeassistant_version: str | None = None
    notes: list[str] = field(default_factory=list)


def manifest_requirement(integration_dir: Path = INTEGRATION_DIR) -> str:
    """The manifest's requirement on this project, e.g. `talkety==0.1.0`."""
    manifest = json.loads((integration_dir / "manifest.json").read_text(encoding="utf-8"))
    for requirement in manifest.get("requirements", []):
        if re.match(rf"{DISTRIBUTION}\s*==", requirement):
            return str(requirement)
    raise InstallError("manifest.json does not require talkety==<version>")


def source_tree() -> Path | None:
    """This project's root when running from a source tree (pyproject.toml of `talkety`)."""
    root = Path(__file__).resolve().parent.parent
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and _NAME_LINE.search(pyproject.read_text(encoding="utf-8")):
        return root
    return None


def probe(
    python: str, run: Callable[..., subprocess.CompletedProcess[str]]
) -> dict[str, str | None]:
    """Ask `python` (Home Assistant's) what it has installed."""
    result = run([python, "-c", _PROBE], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise InstallError(f"cannot run {python}: {result.stderr.strip() or result.returncode}")
    data: dict[str, str | None] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def pip_command(python: str, source: str, constraints: str | None) -> list[str]:
    command = [python, "-m", "pip", "install", "--disable-pip-version-check", source]
    if constraints:
        # Never let this install move a package Home Assistant pins.
        command += ["--constraint", constraints]
    return command


def install(
    config_dir: Path,
    *,
    python: str | None = None,
    source: str | None = None,
    pip: bool = True,
    blueprints: bool = True,
    link: bool = False,
    run: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run,
) -> InstallReport:
    """Install the integration into the Home Assistant configuration `config_dir`."""
    config_dir = config_dir.expanduser().resolve()
    if config_dir.exists() and not config_dir.is_dir():
        raise InstallError(f"{config_dir} is not a directory")
    config_dir.mkdir(parents=True, exist_ok=True)
    report = InstallReport(integration=config_dir / "custom_components" / DOMAIN)
    if not (config_dir / "configuration.yaml").exists():
        report.notes.append(
            f"{config_dir} has no configuration.yaml yet: Home Assistant creates one on first start"
        )

    _place_integration(report.integration, link=link)
    if blueprints:
        report.blueprints = _place_blueprints(config_dir / "blueprints" / "automation" / DOMAIN)

    requirement = manifest_requirement()
    wanted = requirement.split("==", 1)[1].strip()
    if pip:
        python = python or sys.executable
        found = probe(python, run)
        report.homeassistant_version = found.get("homeassistant")
        if report.homeassistant_version is None:
            report.notes.append(f"{python} has no homeassistant: is it Home Assistant's Python?")
        if source is None:
            tree = source_tree()
            if tree is not None:
                source = str(tree)
            elif found.get("talkety") is None:
                raise InstallError(
                    "not running from a source tree: pass --source <path to the talkety "
                    "project or wheel> (or --no-pip if talkety is installed already)"
                )
        if source is not None:
            report.pip_command = pip_command(python, source, found.get("constraints"))
            result = run(report.pip_command, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise InstallError(
                    "pip could not install talkety into Home Assistant's Python:\n"
                    + (result.stderr or result.stdout).strip()[-2000:]
                )
            found = probe(python, run)
        report.talkety_version = found.get("talkety")
        if report.talkety_version is None:
            raise InstallError(f"talkety is still not importable by {python}")
        if report.talkety_version != wanted:
            report.notes.append(_version_note(report, requirement, link=link))
    return report


def _version_note(report: InstallReport, requirement: str, *, link: bool) -> str:
    installed = f"{DISTRIBUTION}=={report.talkety_version}"
    if link:
        return (
            f"the manifest requires {requirement} but {installed} is installed: "
            "Home Assistant would try PyPI; install the matching version"
        )
    manifest_path = report.integration / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["requirements"] = [
        installed if r == requirement else r for r in manifest.get("requirements", [])
    ]
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return f"the installed manifest now requires {installed} (was {requirement})"


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def _place_integration(target: Path, *, link: bool) -> None:
    if not (INTEGRATION_DIR / "manifest.json").is_file():
        raise InstallError(f"the integration is missing from {INTEGRATION_DIR}")
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove(target)
    if link:
        target.symlink_to(INTEGRATION_DIR.resolve(), target_is_directory=True)
    else:
        shutil.copytree(INTEGRATION_DIR, target, ignore=_IGNORE)


def _place_blueprints(target: Path) -> list[Path]:
    placed: list[Path] = []
    source = BLUEPRINTS_DIR / "automation"
    if not source.is_dir():
        return placed
    target.mkdir(parents=True, exist_ok=True)
    for blueprint in sorted(source.glob("*.yaml")):
        destination = target / blueprint.name
        shutil.copyfile(blueprint, destination)
        placed.append(destination)
    return placed


def uninstall(config_dir: Path) -> list[Path]:
    """Remove the integration and its blueprints (the config entry: remove it in the UI first)."""
    config_dir = config_dir.expanduser().resolve()
    removed = []
    for path in (
        config_dir / "custom_components" / DOMAIN,
        config_dir / "blueprints" / "automation" / DOMAIN,
    ):
        if path.exists() or path.is_symlink():
            _remove(path)
            removed.append(path)
    return removed


# --- the `talkety ha` sub-commands ------------------------------------------------


def register_subcommands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `install` and `uninstall` to `talkety ha`."""
    parser = subparsers.add_parser(
        "install",
        help="install the integration into a Home Assistant configuration directory",
        description=(
            "Copy the Talkety integration into <config dir>/custom_components/talkety, the "
            "example blueprints into <config dir>/blueprints/automation/talkety, and "
            "pip-install the talkety package into Home Assistant's Python."
        ),
    )
    parser.add_argument("config_dir", type=Path, help="Home Assistant's configuration directory")
    parser.add_argument(
        "--python",
        help="the Python that runs Home Assistant (default: the one running this command)",
    )
    parser.add_argument(
        "--source",
        help="what pip installs as talkety: a project directory or wheel (default: this tree)",
    )
    parser.add_argument(
        "--no-pip", dest="pip", action="store_false", help="do not pip-install talkety"
    )
    parser.add_argument(
        "--no-blueprints", dest="blueprints", action="store_false", help="skip the blueprints"
    )
    parser.add_argument(
        "--link", action="store_true", help="symlink the integration instead of copying it"
    )
    parser.set_defaults(handler=_install_command)

    remove = subparsers.add_parser(
        "uninstall",
        help="remove the integration and its blueprints from a configuration directory",
    )
    remove.add_argument("config_dir", type=Path, help="Home Assistant's configuration directory")
    remove.set_defaults(handler=_uninstall_command)


def _install_command(args: argparse.Namespace) -> int:
    try:
        report = install(
            args.config_dir,
            python=args.python,
            source=args.source,
            pip=args.pip,
            blueprints=args.blueprints,
            link=args.link,
        )
    except InstallError as err:
        print(f"talkety ha install: {err}", file=sys.stderr)
        return 1
    print(_describe(report))
    return 0


def _uninstall_command(args: argparse.Namespace) -> int:
    removed = uninstall(args.config_dir)
    for path in removed:
        print(f"removed {path}")
    if not removed:
        print("nothing to remove")
    print(
        "The talkety package stays installed; remove it with: <HA python> -m pip uninstall talkety"
    )
    return 0


def _describe(report: InstallReport) -> str:
    lines = [f"integration: {report.integration}"]
    lines += [f"blueprint:   {path}" for path in report.blueprints]
    if report.pip_command is not None:
        lines.append("pip:         " + " ".join(report.pip_command))
    if report.talkety_version:
        lines.append(f"talkety:     {report.talkety_version} importable by Home Assistant's Python")
    if report.homeassistant_version:
        lines.append(f"homeassistant: {report.homeassistant_version}")
    lines += [f"note:        {note}" for note in report.notes]
    lines.append("Restart Home Assistant, then add Talkety under Settings > Devices & services.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m ha_integration.installer install <config dir>` without the talkety CLI."""
    parser = argparse.ArgumentParser(prog="talkety ha")
    register_subcommands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
