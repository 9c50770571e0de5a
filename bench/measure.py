"""What every benchmark shares: CPU time measured in alternating rounds, and the
line that prints a figure next to its floor."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def cpu_ms(work: Callable[[], object], repeat: int = 1) -> float:
    """CPU milliseconds of this process for one run of `work` (mean of `repeat`)."""
    started = time.process_time()
    for _ in range(repeat):
        work()
    return (time.process_time() - started) * 1000 / repeat


def alternating(rounds: int, **sides: Callable[[], float]) -> dict[str, float]:
    """Median of each side's measurements, taken in turn round after round so that
    a machine that slows down or speeds up affects every side alike."""
    taken: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, measure in sides.items():
            taken[name].append(measure())
    return {name: statistics.median(values) for name, values in taken.items()}


def verdict(ratio: float, goal: float) -> str:
    return f"goal <= {goal:.2f}x: {'met' if ratio <= goal else 'NOT met'}"


def ratio_line(label: str, figure: float, floor: float, goal: float | None, unit: str) -> str:
    """`label: figure unit vs floor unit = ratio (goal)` on one line."""
    ratio = figure / floor
    tail = f"   {verdict(ratio, goal)}" if goal is not None else ""
    return f"{label}: {figure:.2f} {unit} / floor {floor:.2f} {unit} = {ratio:.2f}x{tail}"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
