"""Progression rules: a pure function of the history."""

from __future__ import annotations

import pytest
from conftest import routine_from

from voicecoach.errors import RoutineError
from voicecoach.plan.progression import apply_progression, next_load
from voicecoach.routine.model import Exercise, Progression, iter_exercises

RULE = Progression(add=2.5, deload_pct=10, after=3)


def test_a_completed_session_adds_the_increment() -> None:
    assert next_load("60 kg", RULE, [True]) == "62.5 kg"
    assert next_load("60 kg", RULE, [True, True, True]) == "67.5 kg"


def test_three_failed_sessions_in_a_row_deload_ten_percent() -> None:
    assert next_load("60 kg", RULE, [False, False]) == "60 kg"
    assert next_load("60 kg", RULE, [False, False, False]) == "54 kg"
    assert next_load("60 kg", RULE, [False, False, True, False]) == "62.5 kg", "a success breaks the run"


def test_loads_that_are_not_weights_never_change() -> None:
    assert next_load("bodyweight", RULE, [True, True]) == "bodyweight"
    assert next_load("RPE 8", RULE, [True]) == "RPE 8"


def test_the_routine_gets_the_new_loads_and_the_plan_announces_them() -> None:
    r = routine_from("""
        name: Legs
        exercises:
          - {name: Deadlifts, sets: 3, reps: 5, load: 60 kg, progression: {add: 2.5 kg, deload: 10%, after: 3}}
          - {name: Rows, sets: 3, reps: 8, load: 30 kg}
    """)
    moved = apply_progression(r, {"Deadlifts": [True], "Rows": [True]})
    dl, rows = moved.exercises
    assert isinstance(dl, Exercise) and isinstance(rows, Exercise)
    assert {s.load for s in dl.sets} == {"62.5 kg"} and {s.load for s in rows.sets} == {"30 kg"}
    from voicecoach.plan.timeline import build_timeline, estimate_speech_s
    texts = [e.text for e in build_timeline(moved, estimate_speech_s).events]
    assert "62.5 kilograms." in texts


@pytest.mark.parametrize("rule, message", [
    ("{add: lots}", "'add' must be an amount such as 2.5 kg"),
    ("{add: 2.5 kg, deload: half}", "'deload' must be a percentage such as 10%"),
    ("{deload: 10%}", "'progression' is missing 'add'"),
])
def test_bad_rules_are_located(rule: str, message: str) -> None:
    with pytest.raises(RoutineError, match=message):
        routine_from(f"name: X\nexercises:\n  - {{name: A, reps: 5, load: 60 kg, progression: {rule}}}\n")


def test_a_deload_is_rounded_to_the_nearest_half() -> None:
    assert next_load("63 kg", RULE, [False, False, False]) == "56.5 kg", "63 x 0.9 = 56.7"
    assert next_load("47 kg", RULE, [False, False, False]) == "42.5 kg", "47 x 0.9 = 42.3"
    assert next_load("100 lb", RULE, [False, False, False]) == "90 lb"


def test_warm_up_sets_keep_their_own_loads() -> None:
    r = routine_from("""
        name: Legs
        exercises:
          - name: Squats
            warmup_sets: [{reps: 10, load: 20 kg}, {reps: 5, load: 40 kg}]
            sets: 2
            reps: 5
            load: 60 kg
            progression: {add: 5 kg}
    """)
    squats = apply_progression(r, {"Squats": [True, True]}).exercises[0]
    assert isinstance(squats, Exercise)
    assert [(s.warmup, s.load) for s in squats.sets] == [(True, "20 kg"), (True, "40 kg"), (False, "70 kg"),
                                                         (False, "70 kg")]


def test_a_deload_starts_a_new_count_of_misses() -> None:
    assert next_load("60 kg", RULE, [False] * 5) == "54 kg", "the 4th and 5th misses count from the deload"
    assert next_load("60 kg", RULE, [False] * 6) == "48.5 kg", "a second deload after three more: 48.6"
    assert next_load("60 kg", RULE, [False, False, True, False, False]) == "62.5 kg", "a success resets the count"


def test_a_load_never_goes_below_zero() -> None:
    rule = Progression(add=0.5, deload_pct=90, after=1)
    assert next_load("0.5 kg", rule, [False]) == "0 kg"


def test_every_block_moves_its_loads_supersets_warm_ups_and_cool_downs_too() -> None:
    r = routine_from("""
        name: All
        warmup:
          - {name: Swings, reps: 10, load: 8 kg, progression: {add: 2 kg}}
        exercises:
          - superset:
              rounds: 2
              exercises:
                - {name: Bench, reps: 8, load: 40 kg, progression: {add: 2.5 kg}}
                - {name: Rows, reps: 8, load: 30 kg, progression: {add: 2.5 kg}}
        cooldown:
          - {name: Carry, hold: 30s, load: 20 kg, progression: {add: 5 kg}}
          - {name: Walk, hold: 30s, load: 10 kg, progression: {add: 5 kg}}
    """)
    moved = apply_progression(r, {"Swings": [True], "Bench": [True], "Rows": [False], "Carry": [True]})
    loads = {e.name: e.sets[0].load for e in iter_exercises(moved)}
    assert loads == {"Swings": "10 kg", "Bench": "42.5 kg", "Rows": "30 kg", "Carry": "25 kg", "Walk": "10 kg"}
