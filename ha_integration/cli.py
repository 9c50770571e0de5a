"""`talkety ha ...`: the Home Assistant sub-commands of the `talkety` CLI.

Imported lazily by talkety_core's CLI (FRONT_ENDS); standard library only.
"""

from __future__ import annotations

from .installer import register_subcommands

__all__ = ["register_subcommands"]
