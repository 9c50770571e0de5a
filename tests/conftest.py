"""Hypothesis profiles for every part's tests.

No deadline anywhere: a test asserts behaviour, never how long an example took (a
loaded CI machine is slow, not wrong). In CI (CI=true) the examples are many and
derandomized, so a run is repeatable and a failure comes back the same way.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", deadline=None, max_examples=200)
settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    max_examples=2000,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")
