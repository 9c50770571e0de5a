"""Phone numbers inside a Slack message's text (pure): what "Call this number" offers.

Slack shows a typed number as a `<tel:+4930...|+49 30 ...>` link; the link's
label is what the author wrote. The `phonenumbers` matcher then finds numbers
in running text, national ones read with the workspace's default region.
"""

from __future__ import annotations

import re

import phonenumbers

_TEL_LINK = re.compile(r"<tel:[^|>]*\|([^>]*)>|<tel:([^>]*)>")
MAX_SCANNED = 50  # a message full of numbers: the matcher stops here


def find_numbers(text: str, default_region: str | None) -> list[str]:
    """The numbers in `text` as written (one per distinct number, in order)."""
    plain = _TEL_LINK.sub(lambda m: m.group(1) or m.group(2) or "", text)
    found: list[str] = []
    seen: set[str] = set()
    matcher = phonenumbers.PhoneNumberMatcher(
        plain, default_region or "ZZ", leniency=phonenumbers.Leniency.POSSIBLE, max_tries=500
    )
    for match in matcher:
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        if e164 in seen:
            continue
        seen.add(e164)
        found.append(match.raw_string)
        if len(found) >= MAX_SCANNED:
            break
    return found
