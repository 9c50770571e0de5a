"""The Home Assistant side of Talkety, as tools that need no Home Assistant.

- The integration itself (domain `talkety`) lives in `custom_components/talkety`
  of the repository, where Home Assistant and HACS look for it; the wheel carries its
  files as data in `custom-component/` here (setup.py copies them: a folder name no
  import reaches, so the integration's one module name stays `custom_components.talkety`).
- `blueprints/` holds example automations and scripts
  (`<config>/blueprints/<automation|script>/talkety`); `custom_sentences/` the
  sentences Assist's built-in agent matches to the integration's intent.
- `installer.py` and `cli.py` provide `talkety ha ...`; they use the standard
  library only, so importing this package never needs Home Assistant.
"""

from __future__ import annotations

from pathlib import Path

# The integration's files: in the wheel beside this package, else (a checkout, an
# editable install) where HACS reads them.
_IN_THE_WHEEL = Path(__file__).parent / "custom-component"
INTEGRATION_DIR = (
    _IN_THE_WHEEL
    if _IN_THE_WHEEL.is_dir()
    else Path(__file__).parents[1] / "custom_components" / "talkety"
)
BLUEPRINTS_DIR = Path(__file__).parent / "blueprints"
SENTENCES_DIR = Path(__file__).parent / "custom_sentences"
DOMAIN = "talkety"
