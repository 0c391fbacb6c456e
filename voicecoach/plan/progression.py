"""PURE: progression rules. A routine and how its exercises went in past sessions -> next loads.

Rule (per exercise, in the routine file):
    progression: {add: 2.5 kg, deload: 10%, after: 3}
After a session where every set of the exercise was completed, its load goes up by `add`;
after `after` sessions in a row with a set not completed, it goes down by `deload` (rounded
to the nearest 0.5). The history is replayed from the routine's own load, oldest first.

Imports: voicecoach.routine.model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from voicecoach.routine.model import Exercise, Group, Intervals, Progression, Routine, SetSpec

_LOAD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")


def weight_text(value: float, unit: str) -> str:
    """A weight as the log and the screen write it: "102.5 kg", "60 kg", "12.25 lb"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()


def next_load(load: str, rule: Progression, results: Sequence[bool]) -> str:
    """The load after replaying `results` (True: every set completed), oldest first.

    A load that is not a number with a unit ("bodyweight", "RPE 8") never changes.
    """
    m = _LOAD.match(load)
    if m is None:
        return load
    value, unit = float(m.group(1)), m.group(2)
    misses = 0
    for ok in results:
        if ok:
            value += rule.add
            misses = 0
            continue
        misses += 1
        if rule.deload_pct and misses >= rule.after:
            value = round(value * (1 - rule.deload_pct / 100) * 2) / 2
            misses = 0
    return weight_text(max(0.0, value), unit)


def _progress_exercise(ex: Exercise, results: Sequence[bool]) -> Exercise:
    if ex.progression is None or not results:
        return ex
    rule = ex.progression
    sets = tuple(s if s.warmup or s.load is None else s._replace(load=next_load(s.load, rule, results))
                 for s in ex.sets)
    return ex._replace(sets=sets)


def apply_progression(routine: Routine, history: Mapping[str, Sequence[bool]]) -> Routine:
    """`routine` with each exercise's load moved on by its progression rule and its history."""
    def block(b: Exercise | Group | Intervals) -> Exercise | Group | Intervals:
        if isinstance(b, Exercise):
            return _progress_exercise(b, history.get(b.name, ()))
        if isinstance(b, Group):
            return b._replace(exercises=tuple(_progress_exercise(e, history.get(e.name, ())) for e in b.exercises))
        return b
    return routine._replace(warmup=tuple(map(block, routine.warmup)), exercises=tuple(map(block, routine.exercises)),
                   cooldown=tuple(map(block, routine.cooldown)))


__all__ = ["SetSpec", "apply_progression", "next_load"]
