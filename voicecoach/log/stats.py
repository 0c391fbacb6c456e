"""Progress over time: reps, volume and seconds held per exercise per week, as a terminal chart or a PNG;
the estimated one-rep max (Epley) from the best set.

`weekly` is pure; `draw_png` uses matplotlib (imported only when asked for).
Imports: voicecoach.fileio, voicecoach.plan.plates (kg and lb).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from voicecoach.fileio import atomic_path
from voicecoach.plan.plates import KG_PER_LB, convert

_LOAD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(kg|kgs|lb|lbs)?\s*$", re.IGNORECASE)
LB_KG = KG_PER_LB
BAR = "▇"


@dataclass(frozen=True, slots=True)
class Week:
    """One week of one exercise."""

    start: date
    reps: int
    volume_kg: float
    held_s: float = 0.0   # holds (planks, wall sits): seconds held


def load_kg(load: str | None) -> float:
    """Kilograms in a load such as "60 kg" or "135 lb"; 0 for bodyweight, RPE and the like."""
    m = _LOAD.match(load or "")
    if m is None:
        return 0.0
    value = float(m.group(1))
    return value * LB_KG if (m.group(2) or "kg").lower().startswith("lb") else value


class Estimate(NamedTuple):
    """An estimated one-rep max and the set it comes from."""

    one_rm: float
    unit: str
    load: float
    reps: int
    on: str        # the date of the set, YYYY-MM-DD


EPLEY_MAX_REPS = 12
"""Beyond a dozen reps a one-rep max estimated from a set says more about endurance than strength."""


def epley(load: float, reps: int) -> float:
    """Epley's estimate of a one-rep max from `reps` done with `load` (a single is itself)."""
    return load if reps == 1 else load * (1 + reps / 30)


def best_estimate(lifts: Iterable[tuple[str, int, str | None]], unit: str) -> Estimate | None:
    """The highest Epley estimate over (ended_at, reps, load) of work sets, in `unit` (kg or lb):
    sets of 1 to 12 reps with a load in kg or lb."""
    best: Estimate | None = None
    for ended_at, reps, load in lifts:
        m = _LOAD.match(load or "")
        if m is None or not m.group(2) or not 1 <= reps <= EPLEY_MAX_REPS:
            continue
        value = convert(float(m.group(1)), "kg" if m.group(2).lower().startswith("kg") else "lb", unit)
        guess = epley(value, reps)
        if best is None or guess > best.one_rm:
            best = Estimate(round(guess, 1), unit, round(value, 2), reps, ended_at[:10])
    return best


def weekly(rows: Iterable[tuple[str, str, int, str | None, float]], *, weeks: int,
           today: date) -> dict[str, list[Week]]:
    """(exercise, ended_at ISO, reps, load, seconds held) rows -> per exercise, the last `weeks` weeks
    (Monday first)."""
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    starts = [first + timedelta(weeks=i) for i in range(weeks)]
    acc: dict[str, dict[date, list[float]]] = {}
    for exercise, ended_at, reps, load, held_s in rows:
        day = datetime.fromisoformat(ended_at).date()
        week = day - timedelta(days=day.weekday())
        if week < first or week > starts[-1]:
            continue
        cell = acc.setdefault(exercise, {}).setdefault(week, [0, 0.0, 0.0])
        cell[0] += reps
        cell[1] += reps * load_kg(load)
        cell[2] += held_s
    empty = [0, 0.0, 0.0]
    return {ex: [_week(s, by_week.get(s, empty)) for s in starts] for ex, by_week in sorted(acc.items())}


def _week(start: date, cell: list[float]) -> Week:
    reps, volume_kg, held_s = cell
    return Week(start, int(reps), round(volume_kg, 1), round(held_s, 1))


def _holds(weeks: list[Week]) -> bool:
    """True for a hold (plank, wall sit): seconds held, never reps."""
    return not any(w.reps for w in weeks) and any(w.held_s for w in weeks)


def terminal_chart(table: dict[str, list[Week]], width: int = 40) -> str:
    """A bar per week per exercise: reps and volume where there is a load, or seconds held for a hold."""
    lines = []
    for exercise, weeks in table.items():
        holds = _holds(weeks)
        amounts = [w.held_s if holds else w.reps for w in weeks]
        top = max(amounts, default=0) or 1
        lines.append(f"{exercise}")
        for w, amount in zip(weeks, amounts):
            bar = BAR * round(width * amount / top)
            if holds:
                lines.append(f"  {w.start:%d %b} {bar:<{width}} {_held(w.held_s):>9} held")
                continue
            volume = f"  {w.volume_kg:,.0f} kg" if w.volume_kg else ""
            lines.append(f"  {w.start:%d %b} {bar:<{width}} {w.reps:>4} reps{volume}")
    return "\n".join(lines)


def _held(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 60}:{s % 60:02d}" if s >= 60 else f"{s} s"


def draw_png(table: dict[str, list[Week]], target: Path) -> None:
    """Reps or seconds held (bars) and volume (line) per week, one panel per exercise, written atomically."""
    import matplotlib.pyplot as plt
    fig = chart_figure(table)
    with atomic_path(target, suffix=".png") as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    plt.close(fig)


def chart_figure(table: dict[str, list[Week]]) -> Any:
    """The matplotlib figure `draw_png` writes: whole reps on the axis, a legend for bars and line."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, axes = plt.subplots(len(table), 1, figsize=(8, 2.2 * len(table) + 0.5), squeeze=False)
    for ax, (exercise, weeks) in zip(axes[:, 0], table.items()):
        x = [w.start for w in weeks]
        holds = _holds(weeks)
        ax.bar(x, [w.held_s if holds else w.reps for w in weeks], width=5, color="#4c78a8",
               label="seconds held" if holds else "reps")
        ax.set_title(exercise, loc="left", fontsize=10)
        ax.set_ylabel("seconds held" if holds else "reps")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # a rep is whole
        handles, labels = ax.get_legend_handles_labels()
        if any(w.volume_kg for w in weeks):
            ax2 = ax.twinx()
            ax2.plot(x, [w.volume_kg for w in weeks], color="#f58518", marker="o", label="volume (kg)")
            ax2.set_ylabel("kg")
            more_handles, more_labels = ax2.get_legend_handles_labels()
            handles, labels = handles + more_handles, labels + more_labels
        ax.legend(handles, labels, loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig
