"""The Home Assistant side of Talkety, as tools that need no Home Assistant.

- The integration itself (domain `talkety`) lives in `custom_components/talkety`
  of the repository, where Home Assistant and HACS look for it; `custom-component/`
  here links to it, and the wheel carries its files there as data (a folder name no
  import reaches: the integration's one module name stays `custom_components.talkety`).
- `blueprints/` holds example automations and scripts
  (`<config>/blueprints/<automation|script>/talkety`); `custom_sentences/` the
  sentences Assist's built-in agent matches to the integration's intent.
- `installer.py` and `cli.py` provide `talkety ha ...`; they use the standard
  library only, so importing this package never needs Home Assistant.
"""

from __future__ import annotations

from pathlib import Path

INTEGRATION_DIR = Path(__file__).parent / "custom-component"
BLUEPRINTS_DIR = Path(__file__).parent / "blueprints"
SENTENCES_DIR = Path(__file__).parent / "custom_sentences"
DOMAIN = "talkety"
