"""The vendor's own sample documents (tests/fixtures/seed), for the tests that read them."""

from __future__ import annotations

from pathlib import Path

SEED = Path(__file__).parent.parent / "fixtures" / "seed"


def seed(name: str) -> bytes:
    return (SEED / name).read_bytes()
