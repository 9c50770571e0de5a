"""Reading settings from the environment: one reader per kind of value, each failing
with a ConfigError that names the variable and what it should look like."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from decimal import Decimal, InvalidOperation

Environ = Mapping[str, str]


class ConfigError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


def text(env: Environ, key: str, default: str = "") -> str:
    return env.get(key) or default


def names(env: Environ, key: str) -> frozenset[str]:
    """A comma (or semicolon) separated set: user ids, prefixes, hosts."""
    return frozenset(v.strip() for v in env.get(key, "").replace(";", ",").split(",") if v.strip())


def whole(env: Environ, key: str, default: int) -> int:
    try:
        return int(env.get(key) or default)
    except ValueError:
        raise ConfigError(f"{key} must be a whole number") from None


def number(env: Environ, key: str, default: float) -> float:
    try:
        return float(env.get(key) or default)
    except ValueError:
        raise ConfigError(f"{key} must be a number") from None


def scaled(env: Environ, key: str, scale: int, default: int | None) -> int | None:
    """A number of units (minutes, say) as a whole number of smaller ones (seconds)."""
    value = env.get(key)
    if not value:
        return default
    try:
        return int(Decimal(value) * scale)
    except (InvalidOperation, ValueError):
        raise ConfigError(f"{key} must be a number") from None


def amount(env: Environ, key: str, default: Decimal | None) -> Decimal | None:
    value = env.get(key)
    if not value:
        return default
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ConfigError(f"{key} must be an amount like 0.50") from None


def flag(env: Environ, key: str) -> bool:
    return env.get(key, "").lower() in {"1", "true", "yes"}


def time_of_day(env: Environ, key: str, default: time) -> time:
    value = env.get(key)
    if not value:
        return default
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{key} must be a time of day like 08:00 (UTC)") from None
