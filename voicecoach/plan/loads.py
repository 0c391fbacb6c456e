"""PURE: loads put together. A load written as a share of the training max ("75%") becomes the
nearest load the lifter's equipment makes, with the plates per side; a barbell load written as a
weight gets its plates too. The routine's unit is kept; where only the other unit's plates are
owned, the load is converted once, and said in the unit of the plates.

Imports: voicecoach.routine.model, voicecoach.plan (plates, progression).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from voicecoach.plan.progression import weight_text
from voicecoach.plan.plates import BARBELL_KG, BARBELL_LB, Equipment, convert, load_for
from voicecoach.routine.model import Exercise, Routine, SetSpec, every_exercise, iter_exercises, with_exercises

_WEIGHT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(kg|kgs|lb|lbs)\s*$", re.IGNORECASE)


class Gear(NamedTuple):
    """What the lifter owns, per unit, and how a computed load is rounded to it."""

    barbell: tuple[Equipment, ...] = (BARBELL_KG, BARBELL_LB)
    dumbbells: tuple[Equipment, ...] = ()
    kettlebell: tuple[Equipment, ...] = ()
    rounding: str = "nearest"

    def for_exercise(self, gear: str, unit: str) -> Equipment | None:
        """The equipment of that kind in `unit`, else in the other unit, else none."""
        owned: tuple[Equipment, ...] = getattr(self, gear, ())
        return next((e for e in owned if e.unit == unit), owned[0] if owned else None)


def missing_maxes(routine: Routine, known: Mapping[str, float], *, every_day: bool = False) -> list[Exercise]:
    """The exercises (of the day, or of `every_day` of a program, in any week or stage) whose loads are
    shares of a training max nobody gave, each once."""
    out: dict[str, Exercise] = {}
    for ex in (every_exercise if every_day else iter_exercises)(routine):
        sets = ex.sets + tuple(s for group in ex.weeks + ex.stages for s in group)
        if ex.name not in known and any(s.percent is not None for s in sets):
            out.setdefault(ex.name, ex)
    return list(out.values())


def put_together(routine: Routine, maxes: Mapping[str, float], gear: Gear = Gear()) -> Routine:
    """`routine` with every percentage made a load (of `maxes`, in the routine's unit) and every
    barbell, dumbbell or kettlebell load made one the equipment makes, with its plates.

    A percentage without a max stays as written (`missing_maxes` finds them first).
    """
    unit = routine.defaults.unit
    rounding = routine.defaults.rounding or gear.rounding

    def one(ex: Exercise) -> Exercise:
        kind = ex.gear
        if kind == "other":
            return ex
        own = gear.for_exercise(kind, unit)
        return ex._replace(sets=tuple(_set(s, ex, own) for s in ex.sets))

    def _set(spec: SetSpec, ex: Exercise, own: Equipment | None) -> SetSpec:
        if spec.percent is not None:
            if ex.name not in maxes:
                return spec
            target, of = maxes[ex.name] * spec.percent / 100, unit
        else:
            m = _WEIGHT.match(spec.load or "")
            if m is None:
                return spec
            target, of = float(m.group(1)), m.group(2).lower().rstrip("s")
        if own is None:
            return spec._replace(load=weight_text(target, of))
        loaded = load_for(convert(target, of, own.unit), own, rounding)
        return spec._replace(load=weight_text(loaded.total, loaded.unit),
                             plates=loaded.per_side if not own.fixed else None)

    return with_exercises(routine, one)
