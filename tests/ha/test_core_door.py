"""custom_components/talkety/core.py: which talkety_core the integration uses."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import talkety_core
from custom_components.talkety import core
from ha_integration import bundle


def test_a_checkout_uses_the_installed_core() -> None:
    assert core.TalketyClient is talkety_core.TalketyClient
    assert core.__version__ == talkety_core.__version__


def _import_core(config_dir: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from custom_components.talkety import core; print(core.TalketyClient.__module__)"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(config_dir)], capture_output=True, text=True, check=False
    )


def test_a_release_uses_its_own_core_and_fails_loudly_when_it_is_broken(tmp_path: Path) -> None:
    target = tmp_path / "custom_components" / "talkety"
    bundle.write(target)
    result = _import_core(tmp_path)
    assert result.stdout.strip() == "custom_components.talkety.talkety_core.client", result.stderr
    # A module missing from the vendored core: an error, never another core.
    (target / "talkety_core" / "monitor.py").unlink()
    shutil.rmtree(target / "talkety_core" / "__pycache__", ignore_errors=True)
    result = _import_core(tmp_path)
    assert result.returncode != 0
    assert "No module named 'custom_components.talkety.talkety_core.monitor'" in result.stderr
