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


def test_a_long_hold_counts_a_time_call_every_minute_among_its_events() -> None:
    (wall_sit,) = routine_from("name: R\nexercises:\n  - {name: Wall sit, hold: 10m, rest_after: 0s}\n").blocks
    # 24 around the set, a cue slot every 20 s (30), and the time left every minute (10)
    assert block_size(wall_sit) == Size(600.0 + 5.0, 24 + 30 + 10)
    (a_minute,) = routine_from("name: R\nexercises:\n  - {name: Plank, hold: 119s, rest_after: 0s}\n").blocks
    assert block_size(a_minute).events == 24 + 5 + 1, "119 s: one minute call, not two"


def test_the_coachs_count_of_an_amrap_set_is_whole_reps_at_the_tempo() -> None:
    from voicecoach.routine.size import reps_at_tempo
    (quick,) = routine_from("name: R\nexercises:\n  - {name: Jumps, reps: amrap, tempo: 0-0-1-0}\n").blocks
    assert isinstance(quick, Exercise) and quick.tempo.rep_s == 1, "the shortest rep there is"
    assert [reps_at_tempo(quick, s) for s in (0.0, 0.9, 1.0, 3.5)] == [0, 0, 1, 3]
