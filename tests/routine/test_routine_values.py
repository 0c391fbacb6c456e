"""What each form a routine may take reads as, whole: every field of every block written out as
the format describes it, the defaults it inherits included."""

from __future__ import annotations

import pytest
from conftest import routine_from

from voicecoach.errors import RoutineError
from voicecoach.routine.quantity import Tempo
from voicecoach.routine.model import Defaults, Exercise, Group, Intervals, Progression, SetSpec, Sides
from voicecoach.routine.reader import _hours, parse


def only(text: str) -> object:
    """The one block of a routine whose exercises are `text` (a YAML list, indented by two)."""
    r = routine_from("name: X\nexercises:\n" + text)
    assert len(r.blocks) == 1
    return r.blocks[0]


def test_an_exercise_with_every_key_reads_as_written() -> None:
    assert only("""
  - name: "  Romanian   deadlift "
    sets: 2
    reps: 8
    sides: Each Leg
    tempo: 3-1-X-0
    tempo_beats: off
    rest: 1:30
    rest_after: 2 min
    switch_sides: 8s
    how: Hinge at the hips.
    cues: Flat back.
    load: 40 kg
    cap: 50s
    warmup_sets: [{reps: 10, load: 20 kg}, {hold: 20s}]
    progression: {add: 2.5 lb, deload: 12.5%, after: 2}
""") == Exercise(name="Romanian deadlift",
                 sets=(SetSpec(reps=10, load="20 kg", warmup=True, cap_s=50), SetSpec(hold_s=20, warmup=True, cap_s=50),
                       SetSpec(reps=8, load="40 kg", cap_s=50), SetSpec(reps=8, load="40 kg", cap_s=50)),
                 sides=Sides.EACH, limb="leg", tempo=Tempo(3, 1, 0.5, 0), rest_s=90, rest_after_s=120, switch_s=8,
                 how="Hinge at the hips.", cues=("Flat back.",), progression=Progression(2.5, 12.5, 2),
                 tempo_beats=False)


def test_an_exercise_inherits_every_default_it_does_not_set() -> None:
    r = routine_from("""
        name: X
        defaults: {rest: 40, rest_after: 100, tempo: 4-0-1-0, switch_sides: 3, amrap_cap: 75, tempo_beats: no}
        exercises:
          - {name: A, reps: amrap, warmup_sets: [{reps: max}]}
    """)
    assert r.blocks == (Exercise(name="A", sets=(SetSpec(warmup=True, cap_s=75), SetSpec(cap_s=75)),
                                 tempo=Tempo(4, 0, 1, 0), rest_s=40, rest_after_s=100, switch_s=3,
                                 tempo_beats=False),)


def test_defaults_with_every_key_read_as_written() -> None:
    r = routine_from("""
        name: X
        defaults:
          rest: 45s
          rest_after: 1m30s
          tempo: 2-1-2-1
          get_ready: 15
          switch_sides: 0
          amrap_cap: 90s
          unit: " LB "
          engine: Piper
          voice: en_US-amy-medium
          rate: 1.5e+2
          volume: 0.75
          duck: 12
          tempo_beats: false
        exercises:
          - {name: A, reps: 5}
    """)
    assert r.defaults == Defaults(rest_s=45, rest_after_s=90, tempo=Tempo(2, 1, 2, 1), get_ready_s=15, switch_s=0,
                                  amrap_cap_s=90, unit="lb", voice="en_US-amy-medium", rate_wpm=150, volume=0.75,
                                  duck_db=12, voice_at=(12, 10), engine="piper", tempo_beats=False)


def test_numbers_at_the_ends_of_their_ranges_are_allowed() -> None:
    low = routine_from("name: X\ndefaults: {rate: 80, volume: 0, duck: 0}\nexercises:\n  - {name: A, reps: 1}\n")
    high = routine_from("name: X\ndefaults: {rate: 450, volume: 1, duck: 60}\nexercises:\n  - {name: A, reps: 1}\n")
    assert (low.defaults.rate_wpm, low.defaults.volume, low.defaults.duck_db) == (80, 0, 0)
    assert (high.defaults.rate_wpm, high.defaults.volume, high.defaults.duck_db) == (450, 1, 60)


@pytest.mark.parametrize("written, value", [
    ("12", 12), ("+12", 12), ("1_2", 12), ("0x0C", 12), ("0x_c", 12), ("014", 12), ("0b1100", 12),
    ("!!int 0o14", 12), ("1:00", 60), ("!!int '12'", 12), ("0_14", 12), ("07", 7), ("1" + "_" * 28 + "2", 12),
])
def test_counts_in_every_form_yaml_writes_integers(written: str, value: int) -> None:
    block = only(f"  - name: A\n    reps: {written}\n")
    assert isinstance(block, Exercise) and block.sets == (SetSpec(reps=value, cap_s=60),)


@pytest.mark.parametrize("written, value", [("0x64", 100), ("1_00", 100), ("100.0", 100), ("1_00.0", 100),
                                            ("100_.0", 100), ("1.0e+2", 100), ("1:40", 100)])
def test_numbers_in_every_form_yaml_writes_them(written: str, value: float) -> None:
    r = routine_from(f"name: X\ndefaults: {{rate: {written}}}\nexercises:\n  - {{name: A, reps: 1}}\n")
    assert r.defaults.rate_wpm == value


@pytest.mark.parametrize("written", [".inf", "-.inf", ".NaN", "!!float nan", "1" * 31, "!!float abc", "!!int abc"])
def test_numbers_that_are_not_finite_or_not_numbers_are_out_of_range(written: str) -> None:
    with pytest.raises(RoutineError) as info:
        parse(f"name: X\ndefaults: {{volume: {written}}}\nexercises:\n  - {{name: A, reps: 1}}\n", "r.yaml")
    assert [p.message for p in info.value.problems] == [
        f"'volume' must be a number from 0 to 1, got {written.removeprefix('!!float ').removeprefix('!!int ')}"]


@pytest.mark.parametrize("written, tempo", [("3-1-X-0", Tempo(3, 1, 0.5, 0)), ("31x0", Tempo(3, 1, 0.5, 0)),
                                            ("2010", Tempo(2, 0, 1, 0)), ("4 / 0 / 1 / 1", Tempo(4, 0, 1, 1)),
                                            ("10.2.1.0", Tempo(10, 2, 1, 0))])
def test_tempos_in_every_form(written: str, tempo: Tempo) -> None:
    block = only(f"  - {{name: A, reps: 1, tempo: '{written}'}}\n")
    assert isinstance(block, Exercise) and block.tempo == tempo


@pytest.mark.parametrize("written, value", [("yes", True), ("Yes", True), ("on", True), ("ON", True),
                                            ("true", True), ("no", False), ("off", False), ("False", False)])
def test_flags_in_every_form_yaml_writes_them(written: str, value: bool) -> None:
    block = only(f"  - {{name: A, reps: 1, tempo_beats: {written}}}\n")
    assert isinstance(block, Exercise) and block.tempo_beats is value


@pytest.mark.parametrize("written, sides, limb", [
    ("both", Sides.BOTH, "side"), ("each", Sides.EACH, "side"), ("each arm", Sides.EACH, "arm"),
    ("EACH  LEGS", Sides.EACH, "leg"), ("alternate hands", Sides.ALTERNATE, "hand"),
    ("alternating foot", Sides.ALTERNATE, "foot"), (" Alternate ", Sides.ALTERNATE, "side"),
    ("both sides", Sides.BOTH, "side")])
def test_sides_and_the_limb_they_name(written: str, sides: Sides, limb: str) -> None:
    block = only(f"  - {{name: A, reps: 1, sides: '{written}'}}\n")
    assert isinstance(block, Exercise) and (block.sides, block.limb) == (sides, limb)


def test_cues_are_one_text_or_a_list_with_spaces_tidied() -> None:
    one, many = routine_from("""
        name: X
        exercises:
          - {name: A, reps: 1, cues: "  Chest   up  "}
          - {name: B, reps: 1, cues: [Brace., "  Knees  out. "]}
    """).blocks
    assert isinstance(one, Exercise) and one.cues == ("Chest up",)
    assert isinstance(many, Exercise) and many.cues == ("Brace.", "Knees out.")


def test_a_superset_and_a_circuit_read_whole_with_what_they_inherit() -> None:
    superset, circuit = routine_from("""
        name: X
        defaults: {rest: 45, rest_after: 100, tempo: 3-0-1-0, switch_sides: 4, amrap_cap: 30}
        exercises:
          - superset:
              rounds: 3
              exercises:
                - {name: A, reps: 5, load: 20 kg}
                - {name: B, hold: 20s, sides: each, how: Still., cues: [Breathe.]}
          - circuit:
              name: Finisher
              rounds: 2
              rest_between: 20
              rest: 60
              rest_after: 120
              exercises:
                - {name: C, reps: amrap, cap: 25s, tempo: 1-0-1-0, tempo_beats: false, switch_sides: 2}
                - {name: D, reps: 3, progression: {add: 1}, load: 5 kg}
    """).blocks
    inherited = {"tempo": Tempo(3, 0, 1, 0), "rest_s": 45, "rest_after_s": 100, "switch_s": 4}
    assert superset == Group(kind="superset", name="Superset", rounds=3, exercises=(
        Exercise(name="A", sets=(SetSpec(reps=5, load="20 kg", cap_s=30),), **inherited),  # type: ignore[arg-type]
        Exercise(name="B", sets=(SetSpec(hold_s=20, cap_s=30),), sides=Sides.EACH, how="Still.", cues=("Breathe.",),
                 **inherited)),  # type: ignore[arg-type]
        rest_between_s=0, rest_s=100, rest_after_s=100)
    assert circuit == Group(kind="circuit", name="Finisher", rounds=2, exercises=(
        Exercise(name="C", sets=(SetSpec(cap_s=25),), tempo=Tempo(1, 0, 1, 0), rest_s=45, rest_after_s=100,
                 switch_s=2, tempo_beats=False),
        Exercise(name="D", sets=(SetSpec(reps=3, load="5 kg", cap_s=30),), progression=Progression(1.0, 0.0, 3),
                 **inherited)),  # type: ignore[arg-type]
        rest_between_s=20, rest_s=60, rest_after_s=120)


def test_a_circuit_rests_15_seconds_between_exercises_unless_told() -> None:
    circuit = only("  - circuit: {rounds: 2, exercises: [{name: A, reps: 1}, {name: B, reps: 1}]}\n")
    assert isinstance(circuit, Group) and circuit.rest_between_s == 15 and circuit.name == "Circuit"


def test_an_interval_block_reads_whole_and_its_exercises_inherit_how_and_cues() -> None:
    r = routine_from("""
        name: X
        defaults: {rest_after: 75}
        exercises:
          - intervals:
              name: Tabata
              rounds: 8
              work: 20s
              rest: 10s
              rest_after: 2 min
              how: All out.
              cues: [Breathe.]
              exercises:
                - Jump squats
                - {name: Climbers, how: Fast feet.}
                - {name: Burpees, cues: Chest down.}
          - intervals: {rounds: 2, work: 30, rest: 0, how: Sprint., cues: [Arms.]}
    """)
    tabata, plain = r.blocks
    assert tabata == Intervals(name="Tabata", rounds=8, work_s=20, rest_s=10, rest_after_s=120, exercises=(
        Exercise(name="Jump squats", sets=(SetSpec(hold_s=20, moving=True),), how="All out.", cues=("Breathe.",)),
        Exercise(name="Climbers", sets=(SetSpec(hold_s=20, moving=True),), how="Fast feet.", cues=("Breathe.",)),
        Exercise(name="Burpees", sets=(SetSpec(hold_s=20, moving=True),), how="All out.", cues=("Chest down.",))))
    assert plain == Intervals(name="Intervals", rounds=2, work_s=30, rest_s=0, rest_after_s=75,
                              exercises=(Exercise(name="Intervals", sets=(SetSpec(hold_s=30, moving=True),),
                                                  how="Sprint.",
                                                  cues=("Arms.",)),))


def test_every_bad_interval_exercise_is_reported_not_only_the_first() -> None:
    with pytest.raises(RoutineError) as info:
        parse("name: X\nexercises:\n  - intervals:\n      rounds: 2\n      work: 20s\n      rest: 10s\n"
              "      exercises:\n        - [a]\n        - {how: Fast.}\n        - ''\n", "r.yaml")
    assert [str(p) for p in info.value.problems] == [
        "r.yaml:8:11: error: an interval exercise must be a mapping of keys to values, got a list",
        "r.yaml:9:11: error: an interval exercise is missing 'name'",
        "r.yaml:10:11: error: 'exercises' must not be empty"]


def test_a_progression_reads_amounts_in_either_unit_and_percentages() -> None:
    def progression(spec: str) -> Progression | None:
        block = only(f"  - {{name: A, reps: 5, load: 60 kg, progression: {spec}}}\n")
        assert isinstance(block, Exercise)
        return block.progression

    assert progression("{add: 2.5}") == Progression(add=2.5, deload_pct=0.0, after=3)
    assert progression("{add: 5 lbs, deload: 10%}") == Progression(add=5, deload_pct=10, after=3)
    assert progression("{add: 1 KG, deload: 99.5 %, after: 100}") == Progression(add=1, deload_pct=99.5, after=100)
    assert progression("{add: 0.5kg, deload: 0.5%, after: 1}") == Progression(add=0.5, deload_pct=0.5, after=1)


@pytest.mark.parametrize("deload", ["100%", "0%", "10", "-5%", "ten%"])
def test_a_deload_is_a_percentage_strictly_between_0_and_100(deload: str) -> None:
    with pytest.raises(RoutineError) as info:
        parse("name: X\nexercises:\n  - {name: A, reps: 5, load: 60 kg, progression: "
              f"{{add: 1, deload: '{deload}'}}}}\n", "r.yaml")
    assert [p.message for p in info.value.problems] == [
        f"'deload' must be a percentage such as 10%, got \"{deload}\""]


def test_minus_zero_seconds_is_zero() -> None:
    block = only("  - {name: A, reps: 1, rest: -0}\n")
    assert isinstance(block, Exercise) and block.rest_s == 0


@pytest.mark.parametrize("length, shown", [(40, "a" * 40), (41, "a" * 37 + "...")])
def test_a_long_value_is_shown_cut_to_40_characters(length: int, shown: str) -> None:
    with pytest.raises(RoutineError) as info:
        parse(f"name: X\ndefaults: {{unit: {'a' * length}}}\nexercises:\n  - {{name: A, reps: 1}}\n", "r.yaml")
    assert [p.message for p in info.value.problems] == [f"'unit' must be one of kg, lb, got \"{shown}\""]


def test_a_value_with_control_characters_is_shown_with_escapes() -> None:
    with pytest.raises(RoutineError) as info:
        parse('name: X\ndefaults: {unit: "k\\\\\\tg\\u0007"}\nexercises:\n  - {name: A, reps: 1}\n', "r.yaml")
    assert [p.message for p in info.value.problems] == ["'unit' must be one of kg, lb, got \"k\\\\tg\\x07\""], \
        "a backslash as it is, a tab and a bell escaped"


@pytest.mark.parametrize("seconds, words", [
    (25 * 3600, "about 25.0 hours"), (86_587, "about 24.1 hours"), (48 * 3600 - 1, "about 48.0 hours"),
    (48 * 3600, "about 2 days"), (10 * 86_400, "about 10 days")])
def test_a_long_session_is_told_in_hours_then_days(seconds: float, words: str) -> None:
    assert _hours(seconds) == words


@pytest.mark.parametrize("key, meant", [("Tempoo", "tempo"), ("RETS", "rest"), ("hlod", "hold"),
                                        ("cue", "cues"), ("wramup_sets", "warmup_sets")])
def test_a_misspelt_key_in_any_case_gets_the_key_meant(key: str, meant: str) -> None:
    with pytest.raises(RoutineError) as info:
        parse(f"name: X\nexercises:\n  - {{name: A, reps: 1, {key}: 1}}\n", "r.yaml")
    assert info.value.problems[0].message == f"unknown key '{key}' in an exercise; did you mean '{meant}'?"



def test_time_is_timed_movement_and_hold_a_static_hold() -> None:
    r = routine_from("""
        name: T
        exercises:
          - {name: Marching, time: 1m, warmup_sets: [{time: 20s}]}
          - {name: Plank, sets: 2, hold: [30s, 45s]}
          - circuit: {rounds: 2, exercises: [{name: Taps, time: 30s}, {name: Superman hold, hold: 20s}]}
    """)
    marching, plank, circuit = r.blocks
    assert isinstance(marching, Exercise) and marching.sets == (SetSpec(hold_s=20, warmup=True, cap_s=60, moving=True),
                                                                SetSpec(hold_s=60, cap_s=60, moving=True))
    assert isinstance(plank, Exercise) and [s.moving for s in plank.sets] == [False, False]
    assert isinstance(circuit, Group) and [e.sets[0].moving for e in circuit.exercises] == [True, False]


def test_tips_may_name_the_kind_of_set_they_fit() -> None:
    from voicecoach.routine.model import Tip
    r = routine_from("""
        name: T
        tips:
          - Drink some water.
          - {say: Breathe out as you push., before: reps}
          - {say: Breathe slowly through the hold., before: holds}
        exercises:
          - {name: A, reps: 5}
    """)
    assert r.tips == (Tip("Drink some water."), Tip("Breathe out as you push.", "reps"),
                      Tip("Breathe slowly through the hold.", "holds"))
    with pytest.raises(RoutineError) as e:
        routine_from("name: T\ntips: [{say: Hi., before: stretches}]\nexercises: [{name: A, reps: 5}]\n")
    assert str(e.value) == ("test.yaml:2:27: error: 'before' must be one of reps, holds, timed (the kind of set the "
                            'tip fits), got "stretches"')


def test_tips_may_be_one_text_and_every_empty_tip_is_left_out() -> None:
    from voicecoach.routine.model import Tip
    assert routine_from("name: T\ntips: Drink water.\nexercises: [{name: A, reps: 5}]\n").tips == (
        Tip("Drink water."),)
    r = routine_from("name: T\ntips: [Hi., {say: Yo., before: timed}, {say: Go.}]\nexercises: [{name: A, reps: 5}]\n")
    assert r.tips == (Tip("Hi."), Tip("Yo.", "timed"), Tip("Go."))
    assert r.tips[2].fits(SetSpec(hold_s=30)) and r.tips[2].fits(SetSpec(reps=5)), "no 'before': any set"
