"""A throwaway simulator login for the benchmarks, fresh every run (no literal secrets)."""

from __future__ import annotations

import secrets

USERNAME = "bench"
PASSWORD = secrets.token_urlsafe(12)
APP_KEY = secrets.token_hex(16)
