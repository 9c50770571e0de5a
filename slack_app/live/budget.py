"""A per-workspace send budget for chat.update (pure; times are monotonic seconds).

Slack allows about 50 chat.update calls per minute per workspace. Two sliding
windows keep under that without storming: at most `limit` in any `window`,
and at most `burst` in any `window * burst / limit` (so the budget is spread
out instead of spent in the first second). A 429 pauses everything until its
Retry-After has passed.
"""

from __future__ import annotations

from collections import deque


class SlidingWindow:
    def __init__(self, limit: int, window: float) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self._sent: deque[float] = deque()

    def _trim(self, now: float) -> None:
        while self._sent and self._sent[0] <= now - self.window:
            self._sent.popleft()

    def next_allowed(self, now: float) -> float:
        self._trim(now)
        if len(self._sent) < self.limit:
            return now
        return self._sent[-self.limit] + self.window

    def record(self, now: float) -> None:
        self._sent.append(now)


class UpdateBudget:
    def __init__(self, per_minute: int = 45, *, burst: int = 5, window: float = 60.0) -> None:
        burst = max(1, min(burst, per_minute))
        self.long = SlidingWindow(per_minute, window)
        self.short = SlidingWindow(burst, window * burst / per_minute)
        self.paused_until = 0.0

    def next_allowed(self, now: float) -> float:
        return max(self.paused_until, self.long.next_allowed(now), self.short.next_allowed(now))

    def record(self, now: float) -> None:
        self.long.record(now)
        self.short.record(now)

    def pause(self, now: float, seconds: float) -> None:
        self.paused_until = max(self.paused_until, now + seconds)
