"""Split what people type after a slash command into phone numbers (pure).

"+1 123 456 7890, 030 1234567" is two numbers; so is "11234567890 19876543210".
Commas, semicolons and new lines always separate. Without them, spaces are
ambiguous ("+1 123 456 7890" is one number), so a new number starts at a
token beginning with + or tel:, once the current one has ten digits, or when
two long digit runs meet ("1234567 7654321").
The words "from" and "to" mark the caller's number explicitly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HARD_SEPARATORS = re.compile(r"[,;\n]+")
_FULL_NUMBER_DIGITS = 10


class NumberInputError(ValueError):
    """What the user typed is not a phone number; str() says which and why."""


@dataclass(frozen=True, slots=True)
class NumbersInput:
    src: str | None  # given with "from", else None
    numbers: tuple[str, ...]  # as typed, in order


def split_numbers(text: str) -> list[str]:
    """Numbers as typed (not yet normalised)."""
    numbers: list[str] = []
    for chunk in _HARD_SEPARATORS.split(text):
        numbers.extend(_split_spaces(chunk))
    return numbers


def _split_spaces(chunk: str) -> list[str]:
    groups: list[list[str]] = []
    for token in chunk.split():
        digits = sum(c.isdigit() for c in token)
        starts_new = token.startswith(("+", "tel:")) or not groups
        if groups and not starts_new:
            current = sum(c.isdigit() for c in " ".join(groups[-1]))
            starts_new = current >= _FULL_NUMBER_DIGITS or (current >= 7 and digits >= 7)
        if starts_new:
            groups.append([token])
        else:
            groups[-1].append(token)
    return [" ".join(g) for g in groups]


def read_numbers_input(text: str) -> NumbersInput:
    """Numbers, and the explicit caller after the word "from" (up to "to")."""
    words = re.split(r"(?i)(?:^|\s)(from|to)(?=\s|$)", " " + text.strip())
    src: str | None = None
    rest: list[str] = []
    pending_from = False
    for part in words:
        lowered = part.lower()
        if lowered == "from":
            pending_from = True
            continue
        if lowered == "to":
            pending_from = False
            continue
        found = split_numbers(part)
        if pending_from and found:
            src, found = found[0], found[1:]
            pending_from = False
        rest.extend(found)
    return NumbersInput(src, tuple(rest))
