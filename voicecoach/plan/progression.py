"""PURE: progression rules. A routine and how its exercises went in past sessions -> next loads,
training maxes and stages.

The short form, per exercise:
    progression: {add: 2.5 kg, deload: 10%, after: 3}
is the rules `[{after: success, add: 2.5 kg}, {after: 3 failures, deload: 10%}]`. Rules act on the
exercise's load (each work set's, from the load written), or on its training max for an exercise
loaded by percentages, and on its stage. The history is replayed oldest first; a session whose
sets were only skipped is neither a success nor a failure. A deload is rounded to the nearest
0.5 of the unit (then to what the plates make, see `plan.loads`); additions are kept exact, so a
step smaller than the smallest plates still adds up.

Imports: voicecoach.routine.model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from voicecoach.routine.model import Exercise, Progression, Routine, Rule, SetSpec, with_exercises

_LOAD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")


class Result(NamedTuple):
    """How one session of one exercise went, or where a cycle of the program ended."""

    outcome: str                    # "success" | "failure" | "skipped" (neither) | "cycle"
    amrap_reps: int | None = None   # the reps reached in its last open set (AMRAP or 5+)
    at: str = ""                    # when (ISO 8601), to replay only what came after a max was set


CYCLE = Result("cycle")
LATER = "9999"
"""The time of what has not happened yet (a cycle ending before the day to play, a session ahead):
after any max set by hand."""


class Standing(NamedTuple):
    """Where an exercise stands after its history: its value (a load or a training max) and stage."""

    value: float
    stage: int = 0      # 0-based


def rules_of(ex: Exercise) -> tuple[Rule, ...]:
    """The exercise's rules, the short form made rules."""
    if ex.rules or ex.progression is None:
        return ex.rules
    p = ex.progression
    return (Rule("success", add=p.add),) + ((Rule("failures", times=p.after, deload_pct=p.deload_pct),)
                                           if p.deload_pct else ())


def replay(value: float, rules: Sequence[Rule], history: Sequence[Result], stages: int = 1) -> Standing:
    """Where `value` (and the stage) stand after `history`, oldest first."""
    stage, misses = 0, 0
    for past in history:
        fired: list[Rule] = []
        if past.outcome == "cycle":
            fired = [r for r in rules if r.when == "cycle"]
        else:
            last_stage = stage == stages - 1 and stages > 1
            if past.outcome == "success":
                misses = 0
                fired = [r for r in rules if r.when == "success"]
            elif past.outcome == "failure":
                misses += 1
                fired = [r for r in rules if (r.when == "failure" and not last_stage)
                         or (r.when == "last stage failure" and last_stage)
                         or (r.when == "failures" and misses >= r.times)]
                if any(r.when == "failures" for r in fired):
                    misses = 0
            if past.amrap_reps is not None and past.outcome != "skipped":
                fired += [r for r in rules if r.when == "amrap" and (r.table or past.amrap_reps >= r.times)]
        for rule in fired:
            value, stage = _act(rule, value, stage, stages, past)
    return Standing(max(0.0, value), stage)


def _act(rule: Rule, value: float, stage: int, stages: int, past: Result) -> tuple[float, int]:
    value += rule.add
    if rule.table and past.amrap_reps is not None:
        reps = past.amrap_reps
        value += next((add for low, high, add in rule.table if low <= reps and (high is None or reps <= high)), 0.0)
    if rule.deload_pct:
        value = round(value * (1 - rule.deload_pct / 100) * 2) / 2
    if rule.stage is not None:
        stage = min(stage + 1, stages - 1) if rule.stage == 0 else min(rule.stage - 1, stages - 1)
    return value, stage


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
    ex = Exercise("", (), progression=rule)
    past = [Result("success" if ok else "failure") for ok in results]
    return weight_text(replay(float(m.group(1)), rules_of(ex), past).value, m.group(2))


def _progress_exercise(ex: Exercise, history: Sequence[Result], maxes: dict[str, float],
                       since: Mapping[str, str]) -> Exercise:
    rules = rules_of(ex)
    if not rules or not history:
        return ex
    stages = max(1, len(ex.stages))
    by_percent = any(s.percent is not None for s in ex.sets + tuple(x for st in ex.stages for x in st))
    if by_percent and ex.name in maxes:   # from the max set by hand, if one was: what came after it
        after = [p for p in history if p.at > since[ex.name]] if ex.name in since else history
        maxes[ex.name] = replay(maxes[ex.name], rules, after, stages).value
    stage = replay(0.0, rules, history, stages).stage
    sets = ex.stages[stage] if ex.stages else ex.sets

    def moved(s: SetSpec) -> SetSpec:
        m = _LOAD.match(s.load or "")
        if s.warmup or m is None or by_percent:
            return s
        return s._replace(load=weight_text(replay(float(m.group(1)), rules, history, stages).value, m.group(2)))
    return ex._replace(sets=tuple(map(moved, sets)))


def apply_progression(routine: Routine, history: Mapping[str, Sequence[Result | bool]],
                      maxes: dict[str, float] | None = None, since: Mapping[str, str] | None = None) -> Routine:
    """`routine` with each exercise's load, stage (and training max, in `maxes`, changed in place:
    replayed over what came after `since` for a max set then) moved on by its rules and its history
    (a bool: True for a success, False for a failure)."""
    held = maxes if maxes is not None else {}
    when = since or {}
    pasts = {name: [p if not isinstance(p, bool) else Result("success" if p else "failure") for p in h]
             for name, h in history.items()}
    done: set[str] = set()

    def one(ex: Exercise) -> Exercise:
        if ex.name in done:   # an exercise twice in a session moves its max once
            return _progress_exercise(ex, pasts.get(ex.name, ()), dict(held), when)
        done.add(ex.name)
        return _progress_exercise(ex, pasts.get(ex.name, ()), held, when)

    return with_exercises(routine, one)


__all__ = ["CYCLE", "LATER", "Result", "SetSpec", "Standing", "apply_progression", "next_load", "replay", "rules_of"]
