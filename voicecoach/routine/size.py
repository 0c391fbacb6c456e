"""PURE: how long a routine's blocks last and how many events they can hold, by arithmetic on the
routine's values alone (no plan is built: a routine may ask for billions of reps). The reader
checks the format's limits with it; the planner builds on its set lengths and tempo beats.

Imports: voicecoach.routine.model.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from voicecoach.routine.model import Exercise, Group, Intervals, SetSpec, Sides

BEATS_FROM_LOWER_S = 2.0  # a lowering phase this long or longer is paced by beats
CUE_EVERY_S = 20.0        # a form cue at most this often during a set


def movements(ex: Exercise, spec: SetSpec) -> int:
    """Reps moved in one set (one side of it) of `ex`, both sides of an alternating set; 0 for a
    hold or an AMRAP set."""
    return 0 if spec.reps is None else spec.reps * (2 if ex.sides is Sides.ALTERNATE else 1)


def reps_at_tempo(ex: Exercise, seconds: float) -> int:
    """Reps of `ex` done at its tempo in `seconds` (pairs, for an alternating exercise): the coach's own
    count of an AMRAP set, which is not counted aloud (a count every rep would leave no silence for
    "coach, done")."""
    return int(seconds // (ex.tempo.rep_s * (2 if ex.sides is Sides.ALTERNATE else 1)))   # a rep lasts > 0 s


def work_s(ex: Exercise, spec: SetSpec) -> float:
    """Planned seconds of work of one set (one side of it) of `ex`: the cap for an AMRAP set."""
    if spec.hold_s is not None:
        return spec.hold_s
    if spec.reps is None:
        return spec.cap_s or 60.0
    if spec.plus:   # the reps asked for, then on to the cap
        return max(movements(ex, spec) * ex.tempo.rep_s, spec.cap_s or 60.0)
    return movements(ex, spec) * ex.tempo.rep_s


class Size(NamedTuple):
    """How much a block adds to a plan: seconds of session, and at most this many events."""

    seconds: float
    events: int

    def __add__(self, other: object) -> Size:
        assert isinstance(other, Size)
        return Size(self.seconds + other.seconds, self.events + other.events)

    def __mul__(self, times: object) -> Size:
        assert isinstance(times, int)
        return Size(self.seconds * times, self.events * times)


_EVENTS_AROUND_A_SET = 24  # lead-in phrases, ticks, go, end, "10 seconds left", a tip: far fewer in practice
_LEAD_S = 5.0  # a shorter rest before a set is stretched to fit what must be said and the 3-2-1


def beat_times_s(ex: Exercise) -> tuple[float, ...]:
    """Seconds from a rep's start of its tempo beats: each whole second of a lowering phase of 2 s
    or more after its first, then (the last) where the lift starts; none without `tempo_beats`."""
    tempo = ex.tempo
    if not ex.tempo_beats or tempo.lower_s < BEATS_FROM_LOWER_S:
        return ()
    return (*(float(s) for s in range(1, math.ceil(tempo.lower_s))), tempo.lower_s + tempo.bottom_s)


def _between(gap_s: float) -> Size:
    return Size(max(gap_s, _LEAD_S), 0)


def _set_size(ex: Exercise, spec: SetSpec) -> Size:
    seconds = work_s(ex, spec)
    counts = reps_at_tempo(ex, seconds) + 1 if spec.plus else movements(ex, spec)
    beats = counts * len(beat_times_s(ex))
    calls = int(seconds // CUE_EVERY_S) + int(seconds // 60)   # cues, and a long set's time every minute
    one_side = Size(seconds, _EVENTS_AROUND_A_SET + counts + beats + calls)
    return one_side * 2 + _between(ex.switch_s) if ex.sides is Sides.EACH else one_side


def block_size(block: Exercise | Group | Intervals) -> Size:
    """About how long `block` lasts in a plan, and at most how many events it holds, by arithmetic
    alone (no steps are built: a routine may ask for billions). Pure; O(exercises + sets)."""
    if isinstance(block, Exercise):
        total = Size(0.0, 0)
        for i, spec in enumerate(block.sets):
            total += _set_size(block, spec) + _between(block.rest_after_s if i == len(block.sets) - 1
                                                       else block.rest_s)
        return total
    if isinstance(block, Group):
        one_round = _between(block.rest_between_s) * (len(block.exercises) - 1)
        for ex in block.exercises:
            one_round += _set_size(ex, ex.sets[0])
        return one_round * block.rounds + _between(block.rest_s) * (block.rounds - 1) + _between(block.rest_after_s)
    work = Size(block.work_s, _EVENTS_AROUND_A_SET + int(block.work_s // CUE_EVERY_S))
    return work * block.rounds + _between(block.rest_s) * (block.rounds - 1) + _between(block.rest_after_s)
