"""How money, durations, numbers and statuses read in Slack (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext

from talkety_core import CallStatus
from talkety_core.numbers import mask_number

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CHF": "CHF "}


# What Slack's mrkdwn reads as markup: escaped as Slack documents it, so `<!channel>`
# or `<https://evil.example|verify>` in an API's answer or a user's text stays text.
_MRKDWN = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: str) -> str:
    """Text from the API or a user, safe in mrkdwn: the one way such text enters a message."""
    return text.translate(_MRKDWN)


def code(text: str) -> str:
    """`text` as a code span it cannot break out of (a backtick inside would end it)."""
    return "`" + escape(text).replace("`", "\u02cb") + "`"


def format_money(amount: Decimal, currency: str = "USD") -> str:
    """Amounts below 1 keep 4 decimals (per-minute prices are fractions of a cent).

    Never raises: a message that shows a cost must still be written whatever the amount.
    """
    currency = escape(currency)
    if not amount.is_finite():
        return f"? {currency.upper()}"
    places = Decimal("0.01") if abs(amount) >= 1 else Decimal("0.0001")
    with localcontext() as exact:
        exact.prec = max(exact.prec, amount.adjusted() + 8)  # enough digits for any size
        value = amount.quantize(places, rounding=ROUND_HALF_UP)
    text = f"{value:,f}"
    if "." in text and places == Decimal("0.0001"):
        whole, frac = text.split(".")
        text = f"{whole}.{frac.rstrip('0').ljust(2, '0')}"
    symbol = _SYMBOLS.get(currency.upper())
    return f"{symbol}{text}" if symbol else f"{text} {currency.upper()}"


def format_duration(seconds: int | float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m {secs:02d}s"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def format_time(moment: datetime) -> str:
    """Slack's date token renders in the reader's own time zone; the fallback is UTC."""
    epoch = int(moment.timestamp())
    fallback = moment.strftime("%H:%M:%S UTC")
    return f"<!date^{epoch}^{{time_secs}}|{fallback}>"


def format_moment(moment: datetime) -> str:
    """A date and time in the reader's own time zone (Slack's date token)."""
    epoch = int(moment.timestamp())
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{epoch}^{{date_short_pretty}} at {{time}}|{fallback}>"


def mask(number: str, visible: int, *, escaped: bool = True) -> str:
    """A number as others see it, for mrkdwn (it may come from the API: escaped) or, with
    `escaped=False`, for plain text."""
    shown = (
        f"+{number}"
        if visible < 0 or visible >= len(number)
        else "+" + mask_number(number, visible=visible)
    )
    return escape(shown) if escaped else shown


def person_or_number(number: str, people: Mapping[str, str], visible: int) -> str:
    """A number as others see it in mrkdwn, named after the person it is when one was
    called by name (`/call @alice`): their mention, then the number masked as any other."""
    shown = mask(number, visible)
    user = people.get(number)
    return f"<@{user}> ({shown})" if user else shown


def people_or_numbers(numbers: Sequence[str], people: Mapping[str, str], visible: int) -> str:
    """Several numbers as others see them, each named where it is a person."""
    return ", ".join(person_or_number(n, people, visible) for n in numbers)


STATUS_LABELS: dict[CallStatus, tuple[str, str]] = {
    CallStatus.CONNECTING: (":hourglass_flowing_sand:", "Calling the caller…"),
    CallStatus.RINGING: (":bell:", "Ringing"),
    CallStatus.CONNECTED: (":large_green_circle:", "Connected"),
    CallStatus.DISCONNECTED: (":white_check_mark:", "Ended"),
    CallStatus.BUSY: (":no_entry:", "Busy"),
    CallStatus.NO_ANSWER: (":mute:", "No answer"),
    CallStatus.FAILED: (":x:", "Failed"),
    CallStatus.UNKNOWN: (":grey_question:", "Unknown"),
}


def status_label(status: CallStatus, raw: str = "") -> str:
    emoji, text = STATUS_LABELS.get(status, STATUS_LABELS[CallStatus.UNKNOWN])
    if status is CallStatus.UNKNOWN and raw:
        text = f"Unknown ({escape(raw[:40])})"
    return f"{emoji} {text}"
