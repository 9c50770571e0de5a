"""The Home Assistant side of Talkety, as tools that need no Home Assistant.

- The integration itself (domain `talkety`) lives in `custom_components/talkety`
  of the repository, where Home Assistant and HACS look for it; the wheel carries
  the same files as `ha_integration.talkety`.
- `blueprints/` holds example automations and scripts
  (`<config>/blueprints/<automation|script>/talkety`); `custom_sentences/` the
  sentences Assist's built-in agent matches to the integration's intent.
- `installer.py` and `cli.py` provide `talkety ha ...`; they use the standard
  library only, so importing this package never needs Home Assistant.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path


def _integration_dir() -> Path:
    # Found, not imported: importing the integration would import Home Assistant.
    spec = importlib.util.find_spec(f"{__name__}.talkety")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{__name__}.talkety is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


INTEGRATION_DIR = _integration_dir()
BLUEPRINTS_DIR = Path(__file__).parent / "blueprints"
SENTENCES_DIR = Path(__file__).parent / "custom_sentences"
DOMAIN = "talkety"
