"""The `talkety` command: the core's own tool, beside the library it drives."""

from .app import Settings, main

__all__ = ["Settings", "main"]
