"""A faithful simulator of the Talkety XML API v1, served over real HTTP.

It is the product's embedded default backend: demos and the tests of the
client, the Slack app and the Home Assistant integration talk to it over
loopback HTTP. It follows talkety-api.md; where that page leaves a choice
open, the simulator decides as listed here (values live in rules.py).

Time and state
  * State is derived lazily from the clock on each request; nothing runs in
    the background, so a ManualClock makes every test deterministic.
  * A call's schedule is fixed when it is placed: `connecting` (ringing src,
    Timings.connecting s) -> `ringing` (ringing dst, Timings.ringing s) ->
    `connected` -> `disconnected` (call_disconnect, end of its conference, or
    credit exhausted). call_start is the creation time; call_end is empty
    until the call has ended.
  * A number ending in 486 is `busy`, 408 `no_answer`, 503 `failed` (src or
    dst), decided once that number's ringing phase is over: call_end set,
    duration 0, cost 0. Every other valid number answers.
  * All times are printed in whole seconds (`2026-01-01T00:00:05Z`).

Money
  * duration = whole seconds connected. Cost accrues per whole connected
    second: a call at (price(src) + price(dst)) / 60, a conference leg at
    price(leg dst) / 60. total_costs = round(seconds * rate, 5), ROUND_HALF_UP,
    printed without exponent or trailing zeros (`0.4869`, `0`).
  * The balance is debited by accrued cost. Dialling is refused (150) while
    the balance is <= 0. The instant the balance reaches <= 0, every active
    call (in any phase) is ended as `disconnected`. credit=None: unlimited.

Numbers
  * Valid: ASCII digits only, 7-15 of them, not starting with 0, and a priced
    prefix (longest prefix wins). The default price table reproduces the seed's
    pricing example; *_name fields are the prefix's country name.
  * call_connect / conference_connect / conference_add take wire-format numbers
    only (digits); anything else answers 130. Blocked prefixes (131) apply to
    every number the API would ring, src included. pricing and number_format
    report validity by the number plan only: a blocked number is priced valid.
  * number_format strips spaces, tabs, dashes, dots, slashes and parentheses,
    accepts `tel:` (dropping `;` parameters), treats `+` and `00` as
    international, a single leading 0 as national in the account's default
    country, and anything else as already international. An invalid result
    is printed as rewritten, with valid="false".
  * pricing prints invalid numbers as sent; total_costs sums the valid ones,
    counting a repeated number each time.

Conferences
  * The owner leg is a call with src = dst = owner number, `owner="true"`,
    billed at price(owner); it has no ringing phase (the bridge answers).
    Participant legs (src = owner, dst = participant) stay `connecting` until
    the owner leg is connected, then ring for Timings.ringing s. If the owner
    never answers, they end with it, never dialled (`disconnected`).
  * Conference status, start, end and duration are the owner leg's;
    total_costs is the sum of all legs. Hanging up the owner leg, or
    conference_disconnect, ends every leg. conference_add works while the
    conference is active (any active status), else 142.
  * Legs inside <conference> print like the seed's: no call_via, custom_data
    or conference_id. Printed on their own (call_status, call_list) they carry
    call_via, the conference's custom_data and then <conference_id>; the
    owner's leg keeps owner="true" there too.

Requests
  * Checked in this order: credentials (100, 401 with WWW-Authenticate),
    app key (101), rate limit (160), action (110), injected faults,
    parameters (120/121), then the action's own errors.
  * GET query and POST form are merged; single-valued parameters use their
    first value; an empty value counts as missing (custom_data too).
  * Ids must be digits (121); unknown ids answer 140/141.
  * call_list: call_status must be a known status (121); src/dst match
    exactly; since (inclusive) and until (exclusive) are ISO 8601, taken as
    UTC without an offset, compared with call_start as printed (whole
    seconds); limit 1..1000 (default 100), offset >= 0, else 121. Newest
    first: call_start desc, then id desc.
  * custom_data longer than 4096 characters, or with characters XML cannot
    carry, answers 121.
  * Rate limit: a token bucket on the simulator's clock (burst, then rate per
    second) covering every authenticated request; 429 carries Retry-After in
    whole seconds, at least 1.
  * Methods other than GET/POST answer 405 with an <error> code 110; paths
    outside /xml/v1/<app_key>/<action> answer 404 with code 110.
  * request_count and requests_by_action count every GET/POST request to the
    API path, including refused ones.

Faults (`sim.faults`)
  * fail_next: HTTP 5xx with <error> code 500, action not performed.
    drop_before_effect: connection closed, action not performed.
    drop_after_effect: action performed, connection closed without answer.
    malformed_next: action performed, 200 with XML cut before its closing tag.
    latency: the action is performed at once and the answer is delayed (real
    time), so a client that times out has still dialled.
    hold: the action is performed and the answer waits for
    `sim.faults.release()`: a client's timeout fires after the effect, however
    short or slow the machine.
  * Faults apply to requests that passed authentication, app key, rate limit
    and name a known action.
  * aiohttp's ClientSession silently re-sends a GET (not a POST) once when
    the connection drops, so a dropped GET reaches the simulator twice.
"""

from __future__ import annotations

from .clock import Clock, ManualClock, RealClock
from .embedded import embedded_account
from .faults import Faults
from .prices import PriceTable, Rate
from .rules import Timings
from .server import SimulatorServer, create_app, serve
from .simulator import Simulator
from .views import CallView, ConferenceView

__all__ = [
    "CallView",
    "Clock",
    "ConferenceView",
    "Faults",
    "ManualClock",
    "PriceTable",
    "Rate",
    "RealClock",
    "Simulator",
    "SimulatorServer",
    "Timings",
    "create_app",
    "embedded_account",
    "serve",
]
