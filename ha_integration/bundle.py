"""The integration as Home Assistant receives it: one folder with the core inside.

Home Assistant installs an integration's requirements from PyPI only, and the
`talkety` package is not published there, so the folder carries `talkety_core`
as its subpackage `talkety/talkety_core/` (the integration's `core.py` finds it)
and requires only real PyPI packages. `talkety ha package` zips this folder for
HACS and GitHub releases; `talkety ha install` writes it into a configuration
directory. Both build it here, so what a test installs is what a release ships.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import INTEGRATION_DIR

CORE_PACKAGE = "talkety_core"
ZIP_NAME = "talkety.zip"  # hacs.json's `filename`: the same for every release
# A fixed time for every member, so that the same source always makes the same zip.
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Package:
    """A built release zip."""

    path: Path
    version: str
    files: tuple[str, ...]  # as they land in custom_components/talkety/

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def version() -> str:
    """The product's version (talkety_core.__version__, its one place)."""
    from talkety_core import __version__  # noqa: PLC0415 - only when a bundle is built

    return __version__


def core_dir() -> Path:
    spec = importlib.util.find_spec(CORE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{CORE_PACKAGE} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def core_files(source: Path) -> list[Path]:
    """The core's library: its top-level modules. Its tools live in subpackages (the CLI,
    the simulator) and stay out: Home Assistant never runs them."""
    return sorted(
        path
        for path in source.iterdir()
        if path.is_file()
        and (path.suffix == ".py" or path.name == "py.typed")
        and path.name != "__main__.py"
    )


def _shipped(directory: str, names: list[str]) -> set[str]:
    """What copytree leaves out: caches and hidden files, never part of a release."""
    return {
        name
        for name in names
        if name == "__pycache__" or name.startswith(".") or name.endswith((".pyc", ".pyo"))
    }


def write(target: Path) -> list[str]:
    """Write the integration with its core into `target` (which must not exist).

    Returns the files written, relative to `target`, sorted.
    """
    shutil.copytree(INTEGRATION_DIR, target, ignore=_shipped)
    vendored = target / CORE_PACKAGE
    vendored.mkdir()
    for module in core_files(core_dir()):
        shutil.copyfile(module, vendored / module.name)
    manifest_path = target / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    # The checkout's manifest says 0.0.0: only a build knows the release.
    manifest["version"] = version()
    # Vendored, the core logs under the integration's own package, which Home Assistant's
    # per-integration log level already covers; "talkety_core" would name no logger.
    manifest["loggers"] = [name for name in manifest.get("loggers", []) if name != CORE_PACKAGE]
    if not manifest["loggers"]:
        del manifest["loggers"]
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return sorted(
        path.relative_to(target).as_posix() for path in target.rglob("*") if path.is_file()
    )


def package(output_dir: Path) -> Package:
    """Build `<output_dir>/talkety.zip`: the folder's contents at the zip's root,
    which is how HACS unpacks a release into custom_components/talkety."""
    output_dir.mkdir(parents=True, exist_ok=True)
    path = output_dir / ZIP_NAME
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "talkety"
        files = write(folder)
        release = version()
        partial = path.with_suffix(".zip.partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.comment = f"talkety {release}".encode()
            for name in files:
                member = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                member.compress_type = zipfile.ZIP_DEFLATED
                member.external_attr = 0o644 << 16
                archive.writestr(member, (folder / name).read_bytes())
        partial.replace(path)  # never a half-written zip under the release name
    return Package(path=path, version=release, files=tuple(files))


def unpack(release: Path, target: Path) -> None:
    """Put a release zip where Home Assistant finds it, as HACS does: its
    contents, as they are, into `target` (custom_components/talkety)."""
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    with zipfile.ZipFile(release) as archive:
        archive.extractall(target)
