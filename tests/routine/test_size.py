"""How long a block lasts and how many events it can hold, by arithmetic on the routine alone."""

from __future__ import annotations

from conftest import routine_from

from voicecoach.routine.model import Exercise, SetSpec
from voicecoach.routine.size import Size, block_size, work_s


def test_an_amrap_set_without_a_cap_is_planned_as_a_minute() -> None:
    assert work_s(Exercise(name="Push-ups", sets=(SetSpec(reps=None),)), SetSpec(reps=None)) == 60.0


def test_the_rest_after_the_last_set_is_the_exercises_rest_after_not_its_rest_between_sets() -> None:
    (one_set,) = routine_from("name: R\ndefaults: {tempo: 1-0-1-0}\n"
                              "exercises:\n  - {name: Squats, reps: 5, rest: 30s, rest_after: 90s}\n").blocks
    assert block_size(one_set) == Size(10.0 + 90.0, 24 + 5)
