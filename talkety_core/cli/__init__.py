"""The `talkety` command: the core's own tool, beside the library it drives."""

from .app import main

__all__ = ["main"]
