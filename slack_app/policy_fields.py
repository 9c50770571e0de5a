"""Every policy rule in one table: its Policy attribute, environment variable, kind and,
where a workspace's admins may change it, its label in the settings form.

Everything that reads or writes rules goes through the table: the environment
(policy_from_env), a workspace's stored settings (apply / stored_form), the settings
form (blocks/modals.settings_modal) and its reading (read_form). A new rule of a kind
that exists is one row here and its check in policy.py. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from . import env
from .numbers_input import split_numbers
from .policy import Policy


class Kind(StrEnum):
    USERS = "users"  # Slack user ids
    USERGROUPS = "usergroups"  # Slack user group ids
    AMOUNT = "amount"  # money, or None for no limit
    MINUTES = "minutes"  # held in seconds; None for no limit
    PREFIXES = "prefixes"  # number prefixes, digits with the country code
    COUNT = "count"  # a whole number
    RATE = "rate"  # (dials, per seconds)
    ALLOWED = "allowed"  # the variable allows what the rule (True) blocks
    REGION = "region"  # a country code, for numbers typed in national form
    FLAG = "flag"  # on or off: a checkbox in the form
    CHANNEL = "channel"  # a Slack conversation id, or None


@dataclass(frozen=True, slots=True)
class PolicyField:
    name: str  # the Policy attribute
    variables: tuple[str, ...]  # its environment variables, the first one set wins
    kind: Kind
    label: str = ""  # in the workspace settings form; empty: the operator's alone
    hint: str = ""
    required: bool = False  # the form may not leave it empty
    block_id: str = ""  # in the form; default: the name

    @property
    def editable(self) -> bool:
        return bool(self.label)

    @property
    def input_id(self) -> str:
        return self.block_id or self.name


FIELDS: tuple[PolicyField, ...] = (
    PolicyField(
        "admins",
        ("TALKETY_SLACK_ADMINS",),
        Kind.USERS,
        "Admins (reports, settings, any call)",
        required=True,
    ),
    PolicyField(
        "allowed_users",
        ("TALKETY_SLACK_ALLOWED_USERS",),
        Kind.USERS,
        "Who may call (empty: everyone)",
    ),
    PolicyField("allowed_usergroups", ("TALKETY_SLACK_ALLOWED_USERGROUPS",), Kind.USERGROUPS),
    PolicyField(
        "confirm_above",
        ("TALKETY_SLACK_CONFIRM_ABOVE",),
        Kind.AMOUNT,
        "Ask to confirm above (per minute)",
    ),
    PolicyField("daily_cap", ("TALKETY_SLACK_DAILY_CAP",), Kind.AMOUNT, "Daily limit per user"),
    PolicyField(
        "max_call_cost", ("TALKETY_SLACK_MAX_CALL_COST",), Kind.AMOUNT, "Most one call may cost"
    ),
    PolicyField(
        "max_call_seconds",
        ("TALKETY_SLACK_MAX_CALL_MINUTES",),
        Kind.MINUTES,
        "Longest call (minutes)",
        block_id="max_minutes",
    ),
    PolicyField(
        "blocked_prefixes",
        ("TALKETY_SLACK_BLOCKED_PREFIXES",),
        Kind.PREFIXES,
        "Blocked prefixes",
        hint="Numbers starting with these are refused: +1900, +44 9, ...",
    ),
    PolicyField("block_premium", ("TALKETY_SLACK_ALLOW_PREMIUM",), Kind.ALLOWED),
    PolicyField("rate_limit", ("TALKETY_SLACK_RATE_LIMIT",), Kind.RATE),
    PolicyField("mask_visible", ("TALKETY_SLACK_MASK_DIGITS",), Kind.COUNT),
    # TALKETY_REGION first: the Talkety account's own setting, which the CLI reads too.
    PolicyField("default_region", ("TALKETY_REGION", "TALKETY_SLACK_DEFAULT_REGION"), Kind.REGION),
    PolicyField("max_participants", ("TALKETY_SLACK_MAX_PARTICIPANTS",), Kind.COUNT),
    PolicyField(
        "profile_phones",
        ("TALKETY_SLACK_PROFILE_PHONES",),
        Kind.FLAG,
        "Calling a colleague by name",
        hint="Without this, only colleagues who saved a number with /call set-number can be "
        "called by name.",
    ),
    PolicyField(
        "approve_above",
        ("TALKETY_SLACK_APPROVE_ABOVE",),
        Kind.AMOUNT,
        "Needs an approver above (per minute)",
        hint="A second person approves these calls in the approvers' channel first.",
    ),
    PolicyField(
        "approve_prefixes",
        ("TALKETY_SLACK_APPROVE_PREFIXES",),
        Kind.PREFIXES,
        "Needs an approver for numbers starting with",
        hint="+882, +44 70, ... (satellite, personal numbers: what toll fraud goes for)",
    ),
    PolicyField(
        "approvals_channel",
        ("TALKETY_SLACK_APPROVALS_CHANNEL",),
        Kind.CHANNEL,
        "Approvers' channel",
        hint="Approval requests go here; anyone in it but the caller may approve or deny.",
    ),
    PolicyField("approval_seconds", ("TALKETY_SLACK_APPROVAL_MINUTES",), Kind.MINUTES),
    PolicyField(
        "alerts_channel",
        ("TALKETY_SLACK_ALERTS_CHANNEL",),
        Kind.CHANNEL,
        "Fraud alerts channel",
        hint="Tripwire alerts go here, and to each admin's DM.",
    ),
    PolicyField(
        "spend_alert_floor",
        ("TALKETY_SLACK_SPEND_ALERT_FLOOR",),
        Kind.AMOUNT,
        "Alert on an hour's spend only above",
        hint="Spend far above a user's usual is alerted once it passes this.",
    ),
    PolicyField("spend_alert_factor", ("TALKETY_SLACK_SPEND_ALERT_FACTOR",), Kind.COUNT),
    PolicyField("short_calls_alert", ("TALKETY_SLACK_SHORT_CALLS_ALERT",), Kind.COUNT),
    PolicyField("usual_hours_history", ("TALKETY_SLACK_USUAL_HOURS_HISTORY",), Kind.COUNT),
)
# A checkbox's one option: its text in the form.
FLAG_OPTIONS = {"profile_phones": "Ring the phone on their Slack profile if they saved none"}
EDITABLE = tuple(f for f in FIELDS if f.editable)
FORM_ERRORS = {
    Kind.AMOUNT: "An amount like 0.50, or empty for no limit.",
    Kind.MINUTES: "A whole number of minutes, or empty for no limit.",
    Kind.PREFIXES: "Prefixes are digits with a country code: +1900, +449",
    Kind.USERS: "Keep at least one admin.",  # only required user fields can be refused
}


# --- the environment ---------------------------------------------------------------


def policy_from_env(environ: env.Environ) -> Policy:
    defaults = Policy()
    return replace(
        defaults, **{f.name: _from_env(f, environ, getattr(defaults, f.name)) for f in FIELDS}
    )


def _from_env(field: PolicyField, environ: env.Environ, default: Any) -> Any:
    key = next((v for v in field.variables if environ.get(v)), field.variables[-1])
    match field.kind:
        case Kind.USERS | Kind.USERGROUPS:
            return env.names(environ, key)
        case Kind.AMOUNT:
            return env.amount(environ, key, default)
        case Kind.MINUTES:
            return env.scaled(environ, key, 60, default)
        case Kind.PREFIXES:
            return _env_prefixes(environ, key)
        case Kind.COUNT:
            return env.whole(environ, key, default)
        case Kind.ALLOWED:
            return not env.flag(environ, key)
        case Kind.FLAG:
            return env.flag(environ, key)
        case Kind.REGION:
            return env.text(environ, key).upper() or default
        case Kind.CHANNEL:
            return env.text(environ, key) or default
        case Kind.RATE:
            return _rate(environ, key, default)


def _env_prefixes(environ: env.Environ, key: str) -> tuple[str, ...]:
    """Digits with the country code, written as people write them (+44 70): a prefix that
    kept its + or spaces would never match a number, and block nothing."""
    prefixes = {p.lstrip("+").replace(" ", "") for p in env.names(environ, key)}
    if any(not p.isdigit() for p in prefixes):
        raise env.ConfigError(f"{key} takes prefixes with their country code: +1900, +44 70")
    return tuple(sorted(prefixes))


def _rate(environ: env.Environ, key: str, default: tuple[int, int]) -> tuple[int, int]:
    value = environ.get(key, "")
    if not value:
        return default
    try:
        count, _, window = value.partition("/")
        return int(count), int(window or 60)
    except ValueError:
        raise env.ConfigError(f"{key} must look like 5/60 (calls per seconds)") from None


# --- a workspace's stored settings (JSON) --------------------------------------------


def stored_form(policy: Policy) -> dict[str, Any]:
    """What is saved for `policy` (every editable field: the admin saw them all)."""
    return {f.name: _stored(f, getattr(policy, f.name)) for f in EDITABLE}


def _stored(field: PolicyField, value: Any) -> Any:
    match field.kind:
        case Kind.USERS:
            return sorted(value)
        case Kind.AMOUNT:
            return None if value is None else str(value)
        case Kind.PREFIXES:
            return list(value)
    return value


def apply(defaults: Policy, stored: Mapping[str, Any], *, installer: str | None) -> Policy:
    """The policy a workspace runs with: what its admins saved over the environment's
    defaults (a value that no longer reads is left at the default). The user who
    installed the app is always an admin, so that someone can connect Talkety and
    change these settings."""
    changes: dict[str, Any] = {}
    for field in EDITABLE:
        if field.name in stored:
            value = _from_stored(field, stored[field.name])
            if value is not _UNREADABLE:
                changes[field.name] = value
    policy = replace(defaults, **changes)
    if installer:
        policy = replace(policy, admins=policy.admins | {installer})
    return policy


_UNREADABLE = object()


def _from_stored(field: PolicyField, raw: Any) -> Any:
    match field.kind:
        case Kind.USERS:
            return frozenset(str(v) for v in raw) if isinstance(raw, list) else _UNREADABLE
        case Kind.AMOUNT:
            return _amount(raw)
        case Kind.MINUTES:
            return int(raw) if isinstance(raw, int) and raw > 0 else None
        case Kind.PREFIXES:
            return tuple(sorted(str(p) for p in raw)) if isinstance(raw, list) else _UNREADABLE
        case Kind.FLAG:
            return raw if isinstance(raw, bool) else _UNREADABLE
        case Kind.CHANNEL:
            return str(raw) if isinstance(raw, str) and raw else None
    return _UNREADABLE


def _amount(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and amount >= 0 else None


# --- the settings form ---------------------------------------------------------------


def form_text(field: PolicyField, policy: Policy) -> str | None:
    """A text field's value as the form shows it (None: empty)."""
    value = getattr(policy, field.name)
    match field.kind:
        case Kind.AMOUNT:
            return None if value is None else str(value)
        case Kind.MINUTES:
            return str(value // 60) if value else None
        case Kind.PREFIXES:
            return ", ".join(f"+{p}" for p in value) or None
    return None if value is None else str(value)


def read_form(field: PolicyField, typed: str | Sequence[str]) -> tuple[Any, str | None]:
    """What the form says for `field` (users: the selected ids; flags: the ticked options;
    others: the text), and the field's error if it does not read."""
    match field.kind:
        case Kind.FLAG:
            return bool(typed), None
        case Kind.CHANNEL:
            return (str(typed) or None), None
        case Kind.USERS:
            users = frozenset(typed)
            return users, FORM_ERRORS[Kind.USERS] if field.required and not users else None
        case Kind.AMOUNT:
            return _read_amount(str(typed))
        case Kind.MINUTES:
            minutes = str(typed)
            if minutes and not (minutes.isdigit() and int(minutes) > 0):
                return None, FORM_ERRORS[Kind.MINUTES]
            return (int(minutes) * 60 if minutes else None), None
        case Kind.PREFIXES:
            prefixes = [p.lstrip("+").replace(" ", "") for p in split_numbers(str(typed))]
            if any(not p.isdigit() for p in prefixes):
                return None, FORM_ERRORS[Kind.PREFIXES]
            return tuple(sorted(set(prefixes))), None
    raise ValueError(f"{field.name} is not in the settings form")


def _read_amount(typed: str) -> tuple[Decimal | None, str | None]:
    try:
        amount = Decimal(typed) if typed else None
    except InvalidOperation:
        return None, FORM_ERRORS[Kind.AMOUNT]
    if amount is not None and (not amount.is_finite() or amount < 0):
        return None, FORM_ERRORS[Kind.AMOUNT]
    return amount, None
