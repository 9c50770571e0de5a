"""The account's contact book: a name for each saved number, the number for a name.

Kept in the entry's options as {Talkety's digits: name}. Names show in sensors,
events and action responses; actions, buttons, the notify entity and Assist take a
contact's name wherever they take a number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

from .const import CONF_CONTACTS

Contacts: TypeAlias = Mapping[str, str]


def contacts_of(options: Mapping[str, Any]) -> Contacts:
    contacts: Contacts = options.get(CONF_CONTACTS) or {}
    return contacts


def _key(name: str) -> str:
    """Names match whatever their case and spacing ("alice  SMITH" is "Alice Smith")."""
    return " ".join(name.casefold().split())


def number_for(contacts: Contacts, name: str) -> str | None:
    """The number saved under `name`, if there is one."""
    wanted = _key(name)
    return next((number for number, saved in contacts.items() if _key(saved) == wanted), None)


def name_taken(contacts: Contacts, name: str, number: str) -> bool:
    """True if another number is saved under this name (a name must say whom to ring)."""
    saved = number_for(contacts, name)
    return saved is not None and saved != number


def sorted_by_name(contacts: Contacts) -> list[tuple[str, str]]:
    """(number, name) pairs in the order a person looks for them."""
    return sorted(contacts.items(), key=lambda item: (_key(item[1]), item[0]))
