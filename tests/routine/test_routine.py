"""The routine format, version 1: what it expresses and how every mistake is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, errors_of, routine_from

from voicecoach.errors import RoutineError
from voicecoach.routine.quantity import Tempo
from voicecoach.routine.model import Exercise, Group, Intervals, SetSpec, Sides
from voicecoach.routine.file import load_routine


# ---------------------------------------------------------------- what it expresses

def test_minimal_routine_uses_the_defaults() -> None:
    r = routine_from("""
        name: Quick
        exercises:
          - {name: Squats, sets: 3, reps: 12}
    """)
    ex = r.exercises[0]
    assert isinstance(ex, Exercise)
    assert ex.sets == (SetSpec(reps=12, cap_s=60.0),) * 3
    assert ex.rest_s == 60 and ex.rest_after_s == 90 and ex.tempo == Tempo(2, 0, 1, 0)


def test_defaults_are_inherited_and_overridden_per_exercise() -> None:
    r = routine_from("""
        name: D
        defaults: {rest: 45s, rest_after: 2 min, tempo: 3-1-1-0, get_ready: 15, switch_sides: 8s, unit: lb}
        exercises:
          - {name: A, reps: 5}
          - {name: B, reps: 5, rest: 1m30s, tempo: 2-0-2-0}
    """)
    a, b = r.exercises
    assert isinstance(a, Exercise) and isinstance(b, Exercise)
    assert (a.rest_s, a.rest_after_s, a.tempo, a.switch_s) == (45, 120, Tempo(3, 1, 1, 0), 8)
    assert (b.rest_s, b.tempo) == (90, Tempo(2, 0, 2, 0))
    assert r.defaults.get_ready_s == 15 and r.defaults.unit == "lb"


def test_each_leg_and_alternating_sides() -> None:
    r = routine_from("""
        name: S
        exercises:
          - {name: Lunges, reps: 10, sides: each leg}
          - {name: Curls, reps: 8, sides: alternate arms}
          - {name: Stretch, hold: 30s, sides: each}
    """)
    lunges, curls, stretch = r.exercises
    assert isinstance(lunges, Exercise) and (lunges.sides, lunges.limb) == (Sides.EACH, "leg")
    assert isinstance(curls, Exercise) and (curls.sides, curls.limb) == (Sides.ALTERNATE, "arm")
    assert isinstance(stretch, Exercise) and (stretch.sides, stretch.limb) == (Sides.EACH, "side")


def test_pyramid_reps_and_per_set_loads_give_the_number_of_sets() -> None:
    r = routine_from("""
        name: P
        exercises:
          - {name: Squats, reps: [12, 10, 8], load: [40 kg, 50 kg, 60 kg]}
    """)
    ex = r.exercises[0]
    assert isinstance(ex, Exercise)
    assert [(s.reps, s.load) for s in ex.sets] == [(12, "40 kg"), (10, "50 kg"), (8, "60 kg")]


def test_warmup_sets_come_first_and_are_marked() -> None:
    r = routine_from("""
        name: W
        exercises:
          - name: Bench
            warmup_sets: [{reps: 10, load: 20 kg}]
            sets: 2
            reps: 5
            load: 60 kg
    """)
    ex = r.exercises[0]
    assert isinstance(ex, Exercise)
    assert [(s.warmup, s.reps, s.load) for s in ex.sets] == [(True, 10, "20 kg"), (False, 5, "60 kg"),
                                                             (False, 5, "60 kg")]


def test_amrap_sets_with_a_time_cap() -> None:
    r = routine_from("""
        name: A
        exercises:
          - {name: Push-ups, sets: 3, reps: [10, 10, amrap], cap: 45s}
    """)
    ex = r.exercises[0]
    assert isinstance(ex, Exercise)
    assert [s.amrap for s in ex.sets] == [False, False, True] and ex.sets[2].cap_s == 45


def test_holds_are_time_based_sets() -> None:
    r = routine_from("""
        name: H
        exercises:
          - {name: Plank, sets: 2, hold: [30s, 45s]}
    """)
    ex = r.exercises[0]
    assert isinstance(ex, Exercise) and [s.hold_s for s in ex.sets] == [30, 45]


def test_supersets_circuits_and_intervals() -> None:
    r = routine_from("""
        name: G
        warmup:
          - {name: Jog, hold: 2 min}
        exercises:
          - superset:
              rounds: 3
              rest: 90s
              exercises:
                - {name: Bench, reps: 10}
                - {name: Rows, reps: 10}
          - circuit:
              name: Finisher
              rounds: 2
              exercises:
                - {name: Burpees, reps: amrap, cap: 30s}
                - {name: Plank, hold: 30s}
          - intervals: {rounds: 8, work: 20s, rest: 10s, exercises: [Jump squats, {name: Climbers}]}
        cooldown:
          - {name: Stretch, hold: 1m}
    """)
    superset, circuit, intervals = r.exercises
    assert isinstance(superset, Group) and superset.kind == "superset" and superset.rounds == 3
    assert superset.rest_between_s == 0 and superset.rest_s == 90
    assert isinstance(circuit, Group) and circuit.rest_between_s == 15 and circuit.name == "Finisher"
    assert isinstance(intervals, Intervals) and (intervals.work_s, intervals.rest_s) == (20, 10)
    assert [e.name for e in intervals.exercises] == ["Jump squats", "Climbers"]
    assert [b.name for b in r.blocks] == ["Jog", "Superset", "Finisher", "Intervals", "Stretch"]


def test_default_routine_encodes_the_seed_workout() -> None:
    r = load_routine(ROOT / "routines/legs-and-back.yaml")
    got = [(e.name, len(e.sets), e.sets[0].reps, e.sides) for e in r.exercises if isinstance(e, Exercise)]
    assert got == [("Squats", 3, 12, Sides.BOTH), ("Lunges", 3, 10, Sides.EACH), ("Step-ups", 3, 12, Sides.EACH),
                   ("Deadlifts", 3, 8, Sides.BOTH), ("Bent-over rows", 3, 10, Sides.BOTH),
                   ("Lat pulldowns", 3, 12, Sides.BOTH)]
    assert all(isinstance(e, Exercise) and e.how and 2 <= len(e.cues) <= 4 for e in r.exercises)
    assert len(r.tips) == 4


# ---------------------------------------------------------------- errors a person can act on

def test_words_for_reps_are_reported_with_line_and_column() -> None:
    assert errors_of("""
        name: Mine
        exercises:
          - name: Squats
            reps: twelve
    """) == ['test.yaml:5:11: error: \'reps\' must be a positive whole number, \'amrap\' or at least so many then '
             'as many as you can (5+), got "twelve"']


def test_misspelt_key_gets_a_suggestion() -> None:
    assert errors_of("""
        name: Mine
        exercises:
          - {name: Squats, reps: 5, rset: 60}
    """) == ["test.yaml:4:29: error: unknown key 'rset' in an exercise; did you mean 'rest'?"]


def test_every_mistake_is_reported_not_only_the_first_sorted_by_position() -> None:
    errors = errors_of("""
        name: Mine
        exercises:
          - name: Squats
            sets: 0
            reps: -3
          - name: Rows
            reps: 8
            tempo: fast
            rest: forever
    """)
    assert [e.split(": error: ")[0] for e in errors] == ["test.yaml:5:11", "test.yaml:6:11", "test.yaml:9:12",
                                                         "test.yaml:10:11"]
    assert "'sets' must be a positive whole number, got 0" in errors[0]
    assert "got -3" in errors[1]
    assert "'tempo' must be four phases" in errors[2]
    assert "'rest' must be a duration" in errors[3]


def test_missing_reps_or_hold() -> None:
    errors = errors_of("""
        name: Mine
        exercises:
          - name: Squats
            sets: 3
    """)
    assert errors == ["test.yaml:4:5: error: exercise 'Squats' needs 'reps' (e.g. reps: 12), 'hold' (a static "
                      "hold, e.g. hold: 45s) or 'time' (timed movement, e.g. time: 30s)"]


def test_duplicate_keys_are_errors() -> None:
    errors = errors_of("""
        name: Mine
        exercises:
          - name: Squats
            reps: 5
            reps: 6
    """)
    assert errors == ["test.yaml:6:5: error: duplicate key 'reps' in an exercise (first given on line 5)"]


@pytest.mark.parametrize("text, expected", [
    ("", "test.yaml:1:1: error: the file is empty"),
    ("- a\n- b\n", "test.yaml:1:1: error: the routine must be a mapping of keys to values, got a list"),
    ("name: [unclosed\n", "test.yaml:2:1: error: YAML syntax:"),
    ("name: X\nexercises: []\n", "test.yaml:2:12: error: 'exercises' must list at least one exercise"),
    ("exercises:\n  - {name: A, reps: 1}\n", "test.yaml:1:1: error: the routine is missing 'name'"),
    ("name: X\nexercises:\n  - {name: A, hold: 0s}\n", "test.yaml:3:21: error: 'hold' must be more than 0"),
    ("name: X\nexercises:\n  - {name: A, reps: 2.5}\n", "test.yaml:3:21: error: 'reps' must be a positive"),
    ("name: X\nexercises:\n  - {name: A, reps: 5, sets: 2, load: [1 kg, 2 kg, 3 kg]}\n",
     "test.yaml:3:39: error: 'load' lists 3 values but 'sets' is 2"),
    ("name: X\nversion: 2\nexercises:\n  - {name: A, reps: 5}\n", "test.yaml:2:10: error: 'version' must be 1"),
    ("name: X\nexercises:\n  - {name: A, reps: 5, sides: sometimes}\n", "test.yaml:3:31: error: 'sides' must be"),
    ("name: X\nexercises:\n  - {name: A, reps: 5, hold: 5s}\n",
     "test.yaml:3:24: error: give one of 'reps', 'hold' or 'time'"),
    ("name: X\nexercises:\n  - {name: A, reps: 5000}\n", "test.yaml:3:21: error: 'reps' must be at most 1000"),
    ("name: X\nexercises:\n  - superset: {rounds: 2, exercises: [{name: A, reps: 5}]}\n",
     "test.yaml:3:38: error: a superset needs at least two exercises"),
    ("name: X\ndefaults: {unit: stone}\nexercises:\n  - {name: A, reps: 5}\n",
     "test.yaml:2:18: error: 'unit' must be one of kg, lb"),
])
def test_each_kind_of_mistake_is_located(text: str, expected: str) -> None:
    errors = errors_of(text)
    assert errors[0].startswith(expected), errors


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RoutineError, match=r"nope.yaml: error: no such file"):
        load_routine(tmp_path / "nope.yaml")


def test_directory_is_not_a_routine(tmp_path: Path) -> None:
    with pytest.raises(RoutineError, match="is a directory"):
        load_routine(tmp_path)


def test_file_that_is_not_utf8_is_located(tmp_path: Path) -> None:
    f = tmp_path / "latin1.yaml"
    f.write_bytes(b"name: Caf\xe9\nexercises: []\n")
    with pytest.raises(RoutineError) as info:
        load_routine(f)
    assert str(info.value) == f"{f}:1:10: error: the file is not UTF-8 text (byte 0xe9); save it as UTF-8"


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    f = tmp_path / "huge.yaml"
    f.write_text("name: X\n" + "# padding\n" * 200_000)
    with pytest.raises(RoutineError, match="at most 1 MiB"):
        load_routine(f)


def test_deeply_nested_file_is_refused_cleanly() -> None:
    errors = errors_of("name: " + "[" * 50_000 + "]" * 50_000 + "\nexercises: []\n")
    assert errors[0].startswith("test.yaml:1:") and "nested too deeply to be a routine" in errors[0]


def test_alias_bombs_do_not_explode() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 20)]
    errors = errors_of("\n".join(lines) + "\nname: X\nexercises: [{name: A, reps: 3, cues: *a19}]\n")
    assert any("unknown key 'a0'" in e for e in errors)


# ---------------------------------------------------------------- what fuzzing found (issue 13)

def test_a_pyramid_one_value_short_of_the_sets_is_an_error_at_the_list_naming_both_numbers() -> None:
    assert errors_of("name: X\nexercises:\n  - {name: Squats, sets: 3, reps: [12, 10]}\n") == [
        "test.yaml:3:35: error: 'reps' lists 2 values but 'sets' is 3; give one value per set"]


def test_two_per_set_lists_of_different_lengths_name_each_other() -> None:
    assert errors_of("name: X\nexercises:\n  - {name: Press, reps: [12, 10, 8], load: [60 kg, 70 kg]}\n") == [
        "test.yaml:3:44: error: 'load' lists 2 values but 'reps' lists 3; give one value per set"]


@pytest.mark.parametrize("tempo, meant", [("3-x-1-0", "bottom pause; X only fits the lifting phase, the third "
                                                      "number; did you mean 3-1-X-0?"),
                                          ("X110", "lowering; X only fits the lifting phase, the third number; "
                                                   "did you mean 1-1-X-0?")])
def test_x_outside_the_lift_is_refused_with_the_tempo_likely_meant(tempo: str, meant: str) -> None:
    errors = errors_of(f"name: X\nexercises:\n  - {{name: A, reps: 5, tempo: {tempo}}}\n")
    assert errors == [f"test.yaml:3:31: error: 'tempo' {tempo} puts X (explosive) in the {meant}"]


def test_x_in_the_lift_is_half_a_second() -> None:
    ex = routine_from("name: X\nexercises:\n  - {name: A, reps: 5, tempo: 3-1-X-0}\n").exercises[0]
    assert isinstance(ex, Exercise) and ex.tempo == Tempo(3, 1, 0.5, 0)


@pytest.mark.parametrize("value", ["!!int abc", "!!int x", "0b2", "9" * 5000, "!!float .NaN", ".nan", ".inf",
                                   "1e308", "-.inf"])
def test_numbers_that_are_not_counts_are_located_errors(value: str) -> None:
    errors = errors_of(f"name: X\nexercises:\n  - name: A\n    reps: {value}\n")
    assert len(errors) == 1 and errors[0].startswith("test.yaml:4:11: error: 'reps' must be a positive whole")


@pytest.mark.parametrize("value, shown", [(".NaN", ".NaN"), (".inf", ".inf"), ("!!int abc", "abc"),
                                          ("0b101", "0b101"), ("1e308", '"1e308"'), ("1.0e+308", "1.0e+308")])
def test_numbers_out_of_range_or_not_numbers_in_defaults_are_located(value: str, shown: str) -> None:
    errors = errors_of(f"name: X\ndefaults:\n  volume: {value}\nexercises:\n  - {{name: A, reps: 5}}\n")
    assert errors == [f"test.yaml:3:11: error: 'volume' must be a number from 0 to 1, got {shown}"]


def test_a_control_character_is_located_where_it_is() -> None:
    assert errors_of("name: X\nexercises:\n  - {name: A\x07, reps: 5}\n") == [
        "test.yaml:3:13: error: the character U+0007 is not allowed in YAML (a control character); delete it"]


def test_a_value_with_a_newline_is_quoted_on_one_line() -> None:
    errors = errors_of('name: X\ndefaults: {unit: "st\\none"}\nexercises:\n  - {name: A, reps: 5}\n')
    assert errors == ['test.yaml:2:18: error: \'unit\' must be one of kg, lb, got "st\\none"']


def test_a_session_longer_than_a_day_is_refused_at_the_exercise_that_makes_it_so() -> None:
    errors = errors_of("name: X\nexercises:\n  - {name: A, reps: 5}\n"
                       "  - {name: Squats, sets: 100, reps: 1000, tempo: 9-9-9-9}\n")
    assert errors == ["test.yaml:4:5: error: the session would last about 42 days by the end of this exercise; "
                      "a session is at most 24 hours (fewer sets, reps or rounds?)"]


def test_a_session_too_long_is_told_with_the_other_mistakes_not_after_them() -> None:
    errors = errors_of("name: X\nexercises:\n  - {name: A, reps: 5, sets: 1000000000000}\n"
                       "  - {name: Squats, sets: 100, reps: 1000, tempo: 9-9-9-9}\n")
    assert errors == ["test.yaml:3:30: error: 'sets' must be at most 100, got 1000000000000",
                      "test.yaml:4:5: error: the session would last about 42 days by the end of this exercise; "
                      "a session is at most 24 hours (fewer sets, reps or rounds?)"]


def test_a_day_of_short_sets_without_rest_is_refused_too() -> None:
    # 100 sets of one 1-second rep, no rest: each set stretched to 6 s to fit the 3-2-1 and what is said;
    # the 145th exercise (line 148) brings it to 145 x 100 x 6 s = 24.2 hours
    errors = errors_of("name: X\ndefaults: {rest: 0, rest_after: 0}\nexercises:\n" + "".join(
        f"  - {{name: E{i}, sets: 100, reps: 1, tempo: 0-0-1-0}}\n" for i in range(401)))
    assert errors == ["test.yaml:148:5: error: the session would last about 24.2 hours by the end of this "
                      "exercise; a session is at most 24 hours (fewer sets, reps or rounds?)"]


def test_a_plan_of_more_than_a_million_events_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import voicecoach.routine.reader
    monkeypatch.setattr(voicecoach.routine.reader, "MAX_SESSION_S", float("inf"))  # a day cannot hold so many
    # 100 sets of one 1-second rep: 25 events a set at most
    errors = errors_of("name: X\ndefaults: {rest: 0, rest_after: 0}\nexercises:\n" + "".join(
        f"  - {{name: E{i}, sets: 100, reps: 1, tempo: 0-0-1-0}}\n" for i in range(401)))
    assert errors == ["test.yaml:404:5: error: the plan would hold up to 1,002,500 phrases and tones by the end "
                      "of this exercise; a session holds at most 1,000,000 (fewer sets, reps or rounds?)"]


def test_an_interval_block_with_an_empty_exercise_list_is_an_error() -> None:
    errors = errors_of("name: X\nexercises:\n  - intervals: {rounds: 8, work: 20s, rest: 10s, exercises: []}\n")
    assert errors == ["test.yaml:3:61: error: 'exercises' of an interval block must name at least one exercise "
                      "(or leave 'exercises' out to use the block's name)"]


def test_a_progression_needs_a_load_to_change() -> None:
    assert errors_of("name: X\nexercises:\n  - name: A\n    reps: 5\n    progression: {add: 2.5 kg}\n") == [
        "test.yaml:5:5: error: 'progression' needs a 'load' to change, e.g. load: 60 kg"]


@pytest.mark.parametrize("value, shown", [("4h1s", '"4h1s"'), ("5 hours", '"5 hours"'), ("241 min", '"241 min"'),
                                          ("14401", "14401")])
def test_one_duration_is_at_most_four_hours(value: str, shown: str) -> None:
    assert errors_of(f"name: X\nexercises:\n  - {{name: A, hold: {value}}}\n") == [
        f"test.yaml:3:21: error: 'hold' must be at most 4 hours, got {shown}"]


def test_four_hours_exactly_is_allowed() -> None:
    ex = routine_from("name: X\nexercises:\n  - {name: A, hold: 4h}\n").exercises[0]
    assert isinstance(ex, Exercise) and ex.sets[0].hold_s == 4 * 3600


def test_a_tempo_with_x_in_several_phases_gets_no_guess() -> None:
    assert errors_of("name: X\nexercises:\n  - {name: A, reps: 5, tempo: X-X-1-0}\n") == [
        "test.yaml:3:31: error: 'tempo' X-X-1-0 puts X (explosive) in the lowering; X only fits the lifting "
        "phase, the third number"]
