"""Where the `talkety` command writes: results to stdout, trouble to stderr.

A live line (while watching) is redrawn in place on a terminal and printed
once per change otherwise, so that a log or a pipe gets one line per change
instead of carriage returns.
"""

from __future__ import annotations

from typing import Any, TextIO

from .formatting import to_json

_ERASE_LINE = "\r\x1b[2K"


class Console:
    def __init__(self, stdout: TextIO, stderr: TextIO, *, json: bool = False) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.json = json
        self.redraws = not json and _isatty(stdout)
        self._live: str | None = None  # the live line now showing, if any

    def show(self, text: str) -> None:
        """Print a result (human output)."""
        self._close_live()
        print(text, file=self.stdout, flush=True)

    def show_json(self, value: Any) -> None:
        """Print one JSON document on one line."""
        self._close_live()
        print(to_json(value), file=self.stdout, flush=True)

    def live(self, line: str) -> None:
        """Show the current state of something that changes; repeats are dropped."""
        if line == self._live:
            return
        if self.redraws:
            self.stdout.write(_ERASE_LINE + line)
            self.stdout.flush()
        else:
            print(line, file=self.stdout, flush=True)
        self._live = line

    def error(self, message: str) -> None:
        """One line on stderr: `talkety: error: ...`."""
        self.note(f"talkety: error: {message}")

    def note(self, message: str) -> None:
        self._close_live()
        print(" ".join(message.split("\n")), file=self.stderr, flush=True)

    def end_live(self) -> None:
        """Leave the live line as it is and move on (on a terminal: to the next line)."""
        self._close_live()

    def _close_live(self) -> None:
        if self._live is not None and self.redraws:
            self.stdout.write("\n")
            self.stdout.flush()
        self._live = None


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False
