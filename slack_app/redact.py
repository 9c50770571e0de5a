"""A logging filter that blanks secrets, wherever a library might print them: in the
message, its args, a traceback and a stack.

slack_sdk already redacts the Authorization header and talkety_core never
puts its password or app key in a message; this is the belt to those braces.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

_TOKEN = re.compile(r"xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+")


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 4]

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return _TOKEN.sub("xox…***", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redact(message)
        if clean != message:
            # The message with its args merged in: no handler sees the raw args.
            record.msg, record.args = clean, None
        if record.exc_info:
            # A traceback's text (an exception's message, a URL with the app key in
            # it) is rendered here and redacted; handlers print exc_text as it is.
            text = record.exc_text or _FORMATTER.formatException(record.exc_info)
            record.exc_text, record.exc_info = self.redact(text), None
        elif record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


_FORMATTER = logging.Formatter()


def install(secrets: Iterable[str], level: int = logging.INFO) -> RedactingFilter:
    """Log to stderr through the filter (the CLI's logging set-up)."""
    redacting = RedactingFilter(secrets)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in root.handlers:
        handler.addFilter(redacting)
    return redacting
