"""Loads as a share of a training max, put together from the lifter's own plates and said like a spotter."""

from __future__ import annotations

import textwrap

import pytest

from voicecoach.errors import RoutineError
from voicecoach.plan.loads import Gear, missing_maxes, put_together
from voicecoach.plan.plates import Equipment
from voicecoach.plan.timeline import build_timeline, estimate_speech_s
from voicecoach.routine.reader import parse

SQUAT = textwrap.dedent("""\
    name: Squat day
    defaults: {unit: kg}
    maxes:
      Back squat: 140 kg
    exercises:
      - name: Back squat
        warmup_sets: [{reps: 5, load: 20 kg}]
        reps: [5, 5, 5]
        load: [65%, 75%, 85%]
      - name: Goblet squat
        reps: 10
        load: 16 kg
""")


def loads(text: str, maxes: dict[str, float] | None = None, gear: Gear = Gear()) -> list[tuple[str | None, ...]]:
    r = parse(text, "r.yaml")
    done = put_together(r, dict(r.maxes) if maxes is None else maxes, gear)
    return [(s.load, s.plates) for ex in done.exercises for s in ex.sets]  # type: ignore[union-attr]


def test_a_percentage_is_of_the_training_max_and_loaded_with_the_plates_owned() -> None:
    assert loads(SQUAT) == [
        ("20 kg", ()),                      # the warm-up: just the bar
        ("90 kg", (25.0, 10.0)),            # 65% of 140 = 91: the nearest is 90
        ("105 kg", (25.0, 15.0, 2.5)),      # 75% = 105
        ("120 kg", (25.0, 25.0)),           # 85% = 119: the nearest is 120
        ("16 kg", None),                    # a weight on other equipment is said as written
    ]


def test_the_log_s_max_is_used_and_rounding_follows_the_routine() -> None:
    assert [x[0] for x in loads(SQUAT, {"Back squat": 150})][1:4] == ["97.5 kg", "112.5 kg", "127.5 kg"]
    down = SQUAT.replace("defaults: {unit: kg}", "defaults: {unit: kg, rounding: down}")
    assert [x[0] for x in loads(down)][1:4] == ["90 kg", "105 kg", "117.5 kg"]
    up = SQUAT.replace("defaults: {unit: kg}", "defaults: {unit: kg, rounding: up}")
    assert [x[0] for x in loads(up)][1:4] == ["92.5 kg", "105 kg", "120 kg"]


def test_a_routine_in_pounds_with_only_kilogram_plates_is_converted_once() -> None:
    text = SQUAT.replace("unit: kg", "unit: lb").replace("140 kg", "300 lb").replace("20 kg", "45 lb")
    kg_only = Gear(barbell=(Equipment("kg", 20.0, ((25.0, 8), (20.0, 2), (10.0, 2), (5.0, 2), (2.5, 2),
                                                     (1.25, 2))),))
    got = loads(text, gear=kg_only)
    assert got[1] == ("87.5 kg", (25.0, 5.0, 2.5, 1.25))  # 65% of 300 lb = 195 lb = 88.45 kg
    assert all(load.endswith(" kg") for load, _ in got[:4])    # never lb on kg plates


def test_fixed_weights_are_the_nearest_dumbbell_owned() -> None:
    text = textwrap.dedent("""\
        name: D
        maxes: {Press: 30 kg}
        exercises:
          - {name: Press, reps: 8, load: 70%, equipment: dumbbells}
    """)
    bells = Gear(dumbbells=(Equipment("kg", fixed=(12.5, 15.0, 17.5, 20.0, 22.5)),))
    assert loads(text, gear=bells) == [("20 kg", None)]   # 21 kg: the nearest is 20


def test_an_exercise_without_a_max_is_found_and_left_as_written() -> None:
    r = parse(SQUAT, "r.yaml")
    assert [e.name for e in missing_maxes(r, {})] == ["Back squat"]
    assert missing_maxes(r, {"Back squat": 100}) == []
    assert missing_maxes(r, {})[0].load_at == (9, 11)
    assert loads(SQUAT, {})[1] == ("65%", None)


def test_the_coach_says_the_load_and_how_to_load_it_when_it_changes() -> None:
    r = parse(SQUAT, "r.yaml")
    plan = build_timeline(put_together(r, dict(r.maxes)), estimate_speech_s)
    said = [e.text for e in plan.events if e.text]
    assert "20 kilograms: just the bar." in said
    assert "90 kilograms: a 25 and a 10 each side." in said
    assert "105 kilograms: a 25, a 15 and a 2.5 each side." in said
    assert "120 kilograms: two 25s each side." in said
    assert "16 kilograms." in said, "no plates for a weight on other equipment"
    quiet = parse(SQUAT.replace("load: [65%, 75%, 85%]", "load: [65%, 75%, 85%]\n    plates: false"), "r.yaml")
    said = [e.text for e in build_timeline(put_together(quiet, dict(quiet.maxes)), estimate_speech_s).events
            if e.text]
    assert "90 kilograms." in said and not any("each side" in t for t in said)


def test_plan_json_gives_each_set_s_load_as_number_unit_and_plates() -> None:
    r = parse(SQUAT, "r.yaml")
    sets = build_timeline(put_together(r, dict(r.maxes)), estimate_speech_s).to_dict()["sets"]
    assert [(s["exercise"], s["set"], s["load"]) for s in sets[:2]] == [
        ("Back squat", 0, {"text": "20 kg", "value": 20.0, "unit": "kg", "plates_per_side": []}),
        ("Back squat", 1, {"text": "90 kg", "value": 90.0, "unit": "kg", "plates_per_side": [25.0, 10.0]})]
    assert sets[-1]["load"] == {"text": "16 kg", "value": 16.0, "unit": "kg", "plates_per_side": None}


@pytest.mark.parametrize("yaml_text, error", [
    ("maxes: {Back squat: 140 lb}\n", "r.yaml:2:21: error: the training max of 'Back squat' is in lb but the "
                                      "routine's unit is kg; give it in kg"),
    ("maxes: {Back sqat: 140}\n", "r.yaml:2:9: error: 'maxes' names 'Back sqat', which is not an exercise of this "
                                  "routine; did you mean 'Back squat'?"),
    ("maxes: {Back squat: 1500 kg}\n", "r.yaml:2:21: error: a training max of 1500 kg cannot be right; give one "
                                       "above 0 and at most 1,000 kg"),
    ("maxes: {Back squat: heavy}\n", "r.yaml:2:21: error: the training max of 'Back squat' must be a weight such "
                                     "as 140 kg, got \"heavy\""),
    ("maxes: [140]\n", "r.yaml:2:8: error: 'maxes' must be a mapping of keys to values, got a list"),
])
def test_a_wrong_max_is_one_located_line(yaml_text: str, error: str) -> None:
    text = "name: X\n" + yaml_text + "exercises:\n  - {name: Back squat, reps: 5, load: 75%}\n"
    with pytest.raises(RoutineError) as e:
        parse(text, "r.yaml")
    assert [str(p) for p in e.value.problems] == [error]


@pytest.mark.parametrize("load, error", [
    ("250%", "'load' of 250% is a share of the training max, above 0% and at most 200%"),
    ("0%", "'load' of 0% is a share of the training max, above 0% and at most 200%"),
])
def test_a_percentage_out_of_bounds_is_refused(load: str, error: str) -> None:
    with pytest.raises(RoutineError) as e:
        parse(f"name: X\nexercises:\n  - {{name: A, reps: 5, load: {load}}}\n", "r.yaml")
    assert [str(p) for p in e.value.problems] == [f"r.yaml:3:30: error: {error}"]
