"""`talkety ha install | uninstall | package`: put the integration where Home Assistant is.

Standard library only (no Home Assistant import), so the `talkety` CLI can offer
it anywhere.

`install` writes the same folder a release zip carries (bundle.py: the
integration with talkety_core inside) to `<config>/custom_components/talkety`
the example blueprints to `<config>/blueprints/<automation|script>/talkety` and
Assist's sentences to `<config>/custom_sentences/<language>/talkety.yaml`. Home
Assistant then installs the manifest's requirements (real PyPI packages) itself,
as it does for an integration from HACS. `--link` symlinks the checkout's
integration instead, for development: Home Assistant's Python must then have
the `talkety` package installed (`pip install -e .`).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import BLUEPRINTS_DIR, DOMAIN, INTEGRATION_DIR, SENTENCES_DIR, bundle


class InstallError(Exception):
    """The installation cannot go on; the message says why and what to do."""


@dataclass
class InstallReport:
    """What `install` did, for the caller to print."""

    integration: Path
    version: str
    blueprints: list[Path] = field(default_factory=list)
    sentences: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def install(config_dir: Path, *, blueprints: bool = True, link: bool = False) -> InstallReport:
    """Install the integration into the Home Assistant configuration `config_dir`."""
    config_dir = config_dir.expanduser().resolve()
    if config_dir.exists() and not config_dir.is_dir():
        raise InstallError(f"{config_dir} is not a directory")
    config_dir.mkdir(parents=True, exist_ok=True)
    report = InstallReport(
        integration=config_dir / "custom_components" / DOMAIN, version=bundle.version()
    )
    if not (config_dir / "configuration.yaml").exists():
        report.notes.append(
            f"{config_dir} has no configuration.yaml yet: Home Assistant creates one on first start"
        )
    _place_integration(report.integration, link=link)
    if link:
        report.notes.append(
            "linked for development: the Python that runs Home Assistant needs the talkety "
            "package installed (pip install -e <this checkout>)"
        )
    if blueprints:
        report.blueprints = place_blueprints(config_dir)
    report.sentences = place_sentences(config_dir)
    return report


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
        bundle.write(target)


def place_blueprints(config_dir: Path) -> list[Path]:
    """Each blueprint to <config>/blueprints/<its domain>/talkety/ (automation, script)."""
    placed: list[Path] = []
    for blueprint in sorted(BLUEPRINTS_DIR.glob("*/*.yaml")):
        destination = config_dir / "blueprints" / blueprint.parent.name / DOMAIN / blueprint.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(blueprint, destination)
        placed.append(destination)
    return placed


def place_sentences(config_dir: Path) -> list[Path]:
    """Assist's sentences, one talkety.yaml per language (only that file is ours)."""
    placed: list[Path] = []
    for sentences in sorted(SENTENCES_DIR.glob("*/talkety.yaml")):
        destination = config_dir / "custom_sentences" / sentences.parent.name / sentences.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sentences, destination)
        placed.append(destination)
    return placed


def uninstall(config_dir: Path) -> list[Path]:
    """Remove the integration, its blueprints and sentences (the config entry: remove it in
    the UI first)."""
    config_dir = config_dir.expanduser().resolve()
    removed = []
    ours = [config_dir / "custom_components" / DOMAIN]
    ours += [config_dir / "blueprints" / path.name / DOMAIN for path in _dirs(BLUEPRINTS_DIR)]
    ours += [
        config_dir / "custom_sentences" / path.name / "talkety.yaml"
        for path in _dirs(SENTENCES_DIR)
    ]
    for path in ours:
        if path.exists() or path.is_symlink():
            _remove(path)
            removed.append(path)
    return removed


def _dirs(parent: Path) -> list[Path]:
    return sorted(path for path in parent.iterdir() if path.is_dir())


# --- the `talkety ha` sub-commands ------------------------------------------------


def register_subcommands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `install`, `uninstall` and `package` to `talkety ha`."""
    parser = subparsers.add_parser(
        "install",
        help="install the integration into a Home Assistant configuration directory",
        description=(
            "Write the Talkety integration (with its core inside, as a release ships it) to "
            "<config dir>/custom_components/talkety, the example blueprints to "
            "<config dir>/blueprints/<automation|script>/talkety and Assist's sentences to "
            "<config dir>/custom_sentences/<language>/talkety.yaml. Home Assistant installs the "
            "integration's requirements from PyPI when it starts."
        ),
    )
    parser.add_argument("config_dir", type=Path, help="Home Assistant's configuration directory")
    parser.add_argument(
        "--no-blueprints", dest="blueprints", action="store_false", help="skip the blueprints"
    )
    parser.add_argument(
        "--link",
        action="store_true",
        help="symlink this checkout's integration instead (development; needs talkety installed)",
    )
    parser.set_defaults(handler=_install_command)

    remove = subparsers.add_parser(
        "uninstall",
        help="remove the integration and its blueprints from a configuration directory",
    )
    remove.add_argument("config_dir", type=Path, help="Home Assistant's configuration directory")
    remove.set_defaults(handler=_uninstall_command)

    build = subparsers.add_parser(
        "package",
        help=f"build the release zip ({bundle.ZIP_NAME}) that HACS installs",
        description=(
            f"Build <output dir>/{bundle.ZIP_NAME}: the integration with talkety_core inside "
            "and only PyPI requirements, laid out as HACS unpacks a release into "
            "custom_components/talkety. Attach it to the GitHub release."
        ),
    )
    build.add_argument(
        "--output", type=Path, default=Path("dist"), help="where to write it (default: dist)"
    )
    build.set_defaults(handler=_package_command)


# Each command's handler also takes the core CLI's global options (talkety_core.cli's
# CoreOptions, unused here: importing talkety_core would import aiohttp).
def _install_command(args: argparse.Namespace, _core: object = None) -> int:
    try:
        report = install(args.config_dir, blueprints=args.blueprints, link=args.link)
    except InstallError as err:
        print(f"talkety ha install: {err}", file=sys.stderr)
        return 1
    print(_describe(report))
    return 0


def _uninstall_command(args: argparse.Namespace, _core: object = None) -> int:
    removed = uninstall(args.config_dir)
    for path in removed:
        print(f"removed {path}")
    if not removed:
        print("nothing to remove")
    return 0


def _package_command(args: argparse.Namespace, _core: object = None) -> int:
    built = bundle.package(args.output)
    print(
        f"{built.path}: talkety {built.version}, {len(built.files)} files, "
        f"{built.size / 1024:.0f} KiB"
    )
    return 0


def _describe(report: InstallReport) -> str:
    lines = [f"integration: {report.integration} (talkety {report.version})"]
    lines += [f"blueprint:   {path}" for path in report.blueprints]
    lines += [f"sentences:   {path}" for path in report.sentences]
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
