"""People named in a slash command: Slack's escaped mentions, taken out of the text (pure).

With "escape users" on (manifest.json: `should_escape`), Slack sends a mention picked
from its autocomplete as `<@U0123ABCD>` or `<@U0123ABCD|alice>`; a typed `@alice`
that Slack did not turn into a mention stays plain text and names nobody for sure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_PLAIN_AT = re.compile(r"(?<![\w<])@([\w.-]+)")
# Links Slack may make of typed numbers: what was typed is the label (or the target).
_TEL_LINK = re.compile(r"<tel:([^|>]*)(?:\|([^>]*))?>")


@dataclass(frozen=True, slots=True)
class Mentions:
    rest: str  # the text without the mentions: numbers and words
    people: tuple[str, ...]  # user ids, in the order named, each once
    unresolved: tuple[str, ...]  # "@name" typed as plain text


def take_mentions(text: str) -> Mentions:
    people: list[str] = []
    for user_id in _MENTION.findall(text):
        if user_id not in people:
            people.append(user_id)
    # A comma where a mention was: the numbers on either side stay apart.
    rest = _MENTION.sub(", ", text)
    rest = _TEL_LINK.sub(lambda link: link.group(2) or link.group(1), rest)
    unresolved = tuple(f"@{name}" for name in _PLAIN_AT.findall(rest))
    return Mentions(rest, tuple(people), unresolved)
