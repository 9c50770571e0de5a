"""Only what pyproject.toml cannot say: the wheel carries the Home Assistant integration's
files (custom_components/talkety, where HACS reads them) as data of ha_integration, under
a folder name no import reaches, so the integration's one module name stays
custom_components.talkety. `talkety ha install | package` read them there."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

INTEGRATION = Path("custom_components") / "talkety"
IN_THE_WHEEL = Path("ha_integration") / "custom-component"


class BuildWithIntegration(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's own folder
        target = Path(self.build_lib) / IN_THE_WHEEL
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(
            INTEGRATION, target, ignore=shutil.ignore_patterns("__pycache__", "*.py[co]", ".*")
        )


setup(cmdclass={"build_py": BuildWithIntegration})
