"""The Home Assistant side of Talkety.

- `talkety/` is the custom integration itself (domain `talkety`): what goes
  into `<config>/custom_components/talkety`.
- `blueprints/` holds example automations (`<config>/blueprints/automation/talkety`).
- `installer.py` and `cli.py` provide `talkety ha install <config dir>`; they
  use the standard library only, so importing this package never needs
  Home Assistant.
"""

from __future__ import annotations

from pathlib import Path

INTEGRATION_DIR = Path(__file__).parent / "talkety"
BLUEPRINTS_DIR = Path(__file__).parent / "blueprints"
DOMAIN = "talkety"
