"""`talkety ha ...`: the Home Assistant sub-commands of the `talkety` CLI.

Imported lazily by talkety_core's CLI (FRONT_ENDS, its FrontEndHook); standard
library only.
"""

from __future__ import annotations

import argparse

from .installer import register_subcommands


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """`talkety ha install | uninstall | package`."""
    register_subcommands(parser.add_subparsers(dest="action", required=True))
