"""`talkety ha ...`: the Home Assistant sub-commands of the `talkety` CLI.

Found by talkety_core's CLI through the `talkety.front_ends` entry point and imported
when `talkety ha` is used; standard library only.
"""

from __future__ import annotations

import argparse

from .installer import register_subcommands


def configure_parser(parser: argparse.ArgumentParser) -> None:
    """`talkety ha install | uninstall | package`."""
    register_subcommands(parser.add_subparsers(dest="action", required=True))
