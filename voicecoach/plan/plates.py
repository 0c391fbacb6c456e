"""PURE: what can really be put on the bar. A computed load (a percentage of a training max, a
progression's step) becomes the nearest load the lifter's own bar and plates make, by the
rounding they chose, in their unit; with the plates per side, fewest first and heaviest first.

Every sum is in thousandths of the unit (integers), so 2.5 + 1.25 is never 3.7499999.

Imports: voicecoach.routine.model (the roundings).
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from voicecoach.routine.model import ROUNDINGS
KG_PER_LB = 0.45359237


class Equipment(NamedTuple):
    """A bar and the plates owned for it (pairs: one plate for each side), or fixed weights
    (dumbbells, kettlebells) that are loaded as they are; all in `unit`."""

    unit: str                                  # "kg" | "lb"
    bar: float = 0.0
    pairs: tuple[tuple[float, int], ...] = ()  # (plate weight, pairs owned), heaviest first
    fixed: tuple[float, ...] = ()              # loads that exist as they are, lightest first


BARBELL_KG = Equipment("kg", 20.0, ((25.0, 8), (20.0, 2), (15.0, 2), (10.0, 2), (5.0, 2), (2.5, 2), (1.25, 2)))
BARBELL_LB = Equipment("lb", 45.0, ((45.0, 8), (35.0, 2), (25.0, 2), (10.0, 2), (5.0, 2), (2.5, 2)))
"""The defaults: a 20 kg bar with pairs of 25/20/15/10/5/2.5/1.25 kg, a 45 lb bar with 45/35/25/10/5/2.5 lb."""


class Loaded(NamedTuple):
    """A load that can be put together: its total and the plates on each side (none for a fixed weight)."""

    total: float
    unit: str
    per_side: tuple[float, ...] = ()


def _milli(value: float) -> int:
    return round(value * 1000)


@functools.lru_cache(maxsize=16)
def _sides(pairs: tuple[tuple[float, int], ...]) -> dict[int, tuple[int, ...]]:
    """Every weight one side can carry (in thousandths) -> the plates that make it: fewest plates,
    then heaviest first."""
    best: dict[int, tuple[int, ...]] = {0: ()}
    for weight, count in sorted(pairs, reverse=True):
        w = _milli(weight)
        grown = dict(best)
        for total, plates in best.items():
            for n in range(1, count + 1):
                key, combo = total + n * w, plates + (w,) * n
                held = grown.get(key)
                if held is None or (len(combo), [-p for p in combo]) < (len(held), [-p for p in held]):
                    grown[key] = combo
        best = grown
    return best


def loadable(equipment: Equipment) -> list[float]:
    """Every total the equipment can make, lightest first."""
    if equipment.fixed:
        return sorted(set(equipment.fixed))
    bar = _milli(equipment.bar)
    return [(bar + 2 * side) / 1000 for side in sorted(_sides(equipment.pairs))]


def load_for(target: float, equipment: Equipment, rounding: str = "nearest") -> Loaded:
    """The load nearest `target` (in the equipment's unit) that the equipment makes: `down` is the
    heaviest not above it, `up` the lightest not below it, `nearest` either (a tie goes down). A
    target beyond what can be made gets the nearest there is (the empty bar, every plate)."""
    if rounding not in ROUNDINGS:
        raise ValueError(rounding)
    totals = loadable(equipment)
    want = _milli(target)
    below = [t for t in totals if _milli(t) <= want]
    above = [t for t in totals if _milli(t) >= want]
    if rounding == "down":
        total = below[-1] if below else totals[0]
    elif rounding == "up":
        total = above[0] if above else totals[-1]
    elif not below or not above:
        total = (below or above)[-1 if below else 0]
    else:
        total = below[-1] if want - _milli(below[-1]) <= _milli(above[0]) - want else above[0]
    if equipment.fixed:
        return Loaded(total, equipment.unit)
    side = (_milli(total) - _milli(equipment.bar)) // 2
    return Loaded(total, equipment.unit, tuple(p / 1000 for p in _sides(equipment.pairs)[side]))


def convert(value: float, unit: str, to: str) -> float:
    """`value` in `unit` as `to` (kg or lb), unrounded."""
    if unit == to:
        return value
    return value * KG_PER_LB if to == "kg" else value / KG_PER_LB
