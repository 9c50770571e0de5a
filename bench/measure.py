"""What every benchmark shares: CPU time measured in alternating rounds, and the
line that prints a figure next to its floor."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable


def cpu_ms(work: Callable[[], object], repeat: int = 1) -> float:
    """CPU milliseconds of this process for one run of `work` (mean of `repeat`)."""
    started = time.process_time()
    for _ in range(repeat):
        work()
    return (time.process_time() - started) * 1000 / repeat


def alternating(rounds: int, **sides: Callable[[], float]) -> dict[str, list[float]]:
    """Each side's measurement, round after round, the order turning every round (so a
    machine that drifts slower or faster weighs on every side alike), each side
    starting with no garbage of another's left to collect."""
    taken: dict[str, list[float]] = {name: [] for name in sides}
    names = list(sides)
    for index in range(rounds):
        turn = index % len(names)
        for name in names[turn:] + names[:turn]:
            gc.collect()
            taken[name].append(sides[name]())
    return taken


def paired_ratio(figures: list[float], floors: list[float]) -> float:
    """The median of the rounds' own ratios: steadier than a ratio of medians on a
    machine whose speed changes from one round to the next."""
    return statistics.median(f / b for f, b in zip(figures, floors, strict=True))


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
