"""The repository and the release zip against HACS's rules for an integration.

HACS (custom_components/hacs/validate/ and repositories/integration.py) reads
the git tree: hacs.json at the root, exactly one directory under
custom_components/ (a real directory: a symlink is a file in the tree),
its manifest.json with domain, name, version, codeowners, documentation and
issue_tracker, brand/icon.png beside it, a README and an OSI licence. With
zip_release it downloads `filename` from the GitHub release and unpacks it,
as it is, into custom_components/<domain>.
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest
from awesomeversion import AwesomeVersion

from ha_integration import bundle
from talkety_core import __version__

ROOT = Path(__file__).resolve().parents[2]
HACS_JSON_KEYS = {
    "content_in_root",
    "country",
    "filename",
    "hacs",
    "hide_default_branch",
    "homeassistant",
    "persistent_directory",
    "render_readme",
    "zip_release",
    "name",
}
TESTED_HOME_ASSISTANT = "2025.4.4"  # the oldest Home Assistant the test suite runs on


def _tree() -> dict[str, str]:
    """path -> git mode of every tracked file."""
    out = subprocess.run(
        ["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return {line.split("\t", 1)[1]: line.split()[0] for line in out.splitlines()}


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_hacs_json() -> None:
    hacs = json.loads((ROOT / "hacs.json").read_text())
    assert set(hacs) <= HACS_JSON_KEYS
    assert hacs["name"] == "Talkety"
    assert hacs["zip_release"] is True
    assert hacs["filename"] == bundle.ZIP_NAME
    assert hacs["filename"].endswith(".zip")
    # The default branch has no vendored core: only releases can be installed.
    assert hacs["hide_default_branch"] is True
    assert AwesomeVersion(hacs["homeassistant"]) <= AwesomeVersion(TESTED_HOME_ASSISTANT)
    assert not hacs.get("content_in_root")  # the root manifest.json is Slack's


def test_one_real_integration_directory_in_the_tree() -> None:
    tree = _tree()
    under = {path.split("/")[1] for path in tree if path.startswith("custom_components/")}
    assert under == {"talkety"}
    symlinks = [path for path, mode in tree.items() if mode == "120000"]
    assert symlinks == [], "HACS does not follow symlinks"
    for required in (
        "hacs.json",
        "README.md",
        "LICENSE",
        "custom_components/talkety/manifest.json",
    ):
        assert required in tree


def test_manifest_has_what_hacs_and_home_assistant_require() -> None:
    manifest = json.loads((ROOT / "custom_components/talkety/manifest.json").read_text())
    assert manifest["domain"] == "talkety"
    assert manifest["name"]
    assert manifest["codeowners"] and isinstance(manifest["codeowners"], list)
    for key in ("documentation", "issue_tracker"):
        assert re.match(r"https://", manifest[key])
    AwesomeVersion(manifest["version"])  # the checkout's 0.0.0; a build writes the release
    # Only real PyPI packages, pinned: no requirement on this project itself.
    for requirement in manifest["requirements"]:
        assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", requirement), requirement
        assert not requirement.startswith("talkety")


def test_licence_is_mit_like_the_package() -> None:
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("icon.png", (256, 256)),
        ("icon@2x.png", (512, 512)),
        ("logo.png", None),
        ("logo@2x.png", None),
        ("dark_logo.png", None),
        ("dark_logo@2x.png", None),
    ],
)
def test_brand_images(name: str, size: tuple[int, int] | None) -> None:
    """Home Assistant 2026.3+ serves custom integrations' brand/ images (brands
    component: icon 256 px square, @2x double; logos at least 128 px high)."""
    path = ROOT / "custom_components/talkety/brand" / name
    assert f"custom_components/talkety/brand/{name}" in _tree()
    width, height = _png_size(path)
    if size is not None:
        assert (width, height) == size
    else:
        assert height >= (256 if "@2x" in name else 128) and width >= height


def test_release_zip(tmp_path: Path) -> None:
    built = bundle.package(tmp_path)
    assert built.path.name == "talkety.zip"
    with zipfile.ZipFile(built.path) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        assert archive.comment == f"talkety {__version__}".encode()
    # Flat: HACS unpacks it as it is into custom_components/talkety.
    tracked = {
        path.removeprefix("custom_components/talkety/")
        for path in _tree()
        if path.startswith("custom_components/talkety/")
    }
    assert tracked <= names, sorted(tracked - names)
    vendored = {name for name in names if name.startswith("talkety_core/")}
    assert {
        "talkety_core/__init__.py",
        "talkety_core/client.py",
        "talkety_core/py.typed",
    } <= vendored
    tools = [name for name in vendored if re.search(r"/__main__\.py$|/cli/|/simulator/", name)]
    assert tools == [], "the CLI and the simulator are not for Home Assistant"
    assert not any("__pycache__" in name for name in names)
    assert manifest["version"] == __version__ == built.version
    source = json.loads((ROOT / "custom_components/talkety/manifest.json").read_text())
    # The vendored core logs under the integration's own logger: no "talkety_core" one.
    loggers = [name for name in source.pop("loggers", []) if name != "talkety_core"]
    assert manifest == {
        **source,
        "version": __version__,
        **({"loggers": loggers} if loggers else {}),
    }
    # The same source makes the same zip, byte for byte.
    again = bundle.package(tmp_path / "again")
    assert again.path.read_bytes() == built.path.read_bytes()
