"""Progression rules read like the programs' own: linear steps and deloads, stages on failure, the
training max by cycle and by AMRAP result; replayed over the log, oldest first."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from voicecoach.cli import cli
from voicecoach.errors import RoutineError
from voicecoach.log.history import History
from voicecoach.plan.progression import CYCLE, Result, apply_progression, replay
from voicecoach.routine.model import Exercise, Rule
from voicecoach.routine.reader import parse
from voicecoach.session.record import SetRecord

OK, FAIL, SKIP = Result("success"), Result("failure"), Result("skipped")

GZCLP_T1 = (Rule("success", add=5), Rule("failure", stage=0), Rule("last stage failure", stage=1, deload_pct=15))
NSUNS = (Rule("amrap", times=0, table=((0, 1, 0.0), (2, 3, 2.5), (4, 5, 5.0), (6, None, 7.5))),)


def test_a_t1_lift_moves_through_its_stages_at_the_same_load_then_starts_again_lighter() -> None:
    history = [OK, OK, FAIL, OK, FAIL, FAIL, OK]
    standings = [replay(100, GZCLP_T1, history[:n], stages=3) for n in range(len(history) + 1)]
    assert [(s.value, s.stage + 1) for s in standings] == [
        (100, 1), (105, 1), (110, 1),   # 5x3+ twice: +5 kg each
        (110, 2),                       # failed: 6x2+ at the same load
        (115, 2),                       # done: +5 kg, still 6x2+
        (115, 3),                       # failed: 10x1+
        (98, 1),                        # failed at the last stage: stage 1, 15% off (97.75, to the half)
        (103, 1)]


def test_the_training_max_moves_by_the_reps_of_the_amrap_set() -> None:
    reached = [Result("success", reps) for reps in (0, 1, 2, 3, 4, 5, 6, 12)]
    assert [replay(100, NSUNS, [r]).value for r in reached] == [100, 100, 102.5, 102.5, 105, 105, 107.5, 107.5]
    assert replay(100, NSUNS, [Result("failure", 3)]).value == 102.5, "the table reads the reps, whatever the rest"
    assert replay(100, NSUNS, [Result("skipped", 8)]).value == 100, "a skipped session says nothing"


def test_an_amrap_reaching_its_mark_adds() -> None:
    t3 = (Rule("amrap", times=25, add=2.5),)
    assert replay(40, t3, [Result("success", 24), Result("success", 25), Result("success", 31)]).value == 45


def test_the_training_max_goes_up_after_each_cycle() -> None:
    five_three_one = (Rule("cycle", add=2.5),)
    assert replay(100, five_three_one, [OK, OK, CYCLE, OK, CYCLE]).value == 105
    assert replay(100, five_three_one, [FAIL, FAIL]).value == 100


def test_a_deload_after_failures_in_a_row_and_skips_are_no_failures() -> None:
    linear = (Rule("success", add=2.5), Rule("failures", times=3, deload_pct=10))
    assert replay(60, linear, [FAIL, FAIL, FAIL]).value == 54
    assert replay(60, linear, [FAIL, SKIP, FAIL, SKIP, FAIL]).value == 54, "skips neither break nor add to a run"
    assert replay(60, linear, [FAIL, FAIL, OK, FAIL]).value == 62.5
    assert replay(60, linear, [SKIP, SKIP]).value == 60


PROGRAM = textwrap.dedent("""\
    name: Rules
    defaults: {unit: kg, get_ready: 0s}
    maxes: {Bench press: 100 kg}
    weeks: 2
    exercises:
      - name: Bench press
        weeks:
          - {reps: [5, 3, 1+], load: [75%, 85%, 95%]}
          - {reps: [5, 5, 5], load: [40%, 50%, 60%]}
        progression:
          - {after: cycle, add: 2.5 kg}
          - {after: amrap, table: {0-1: 0, 2-3: 2.5 kg, 4+: 5 kg}}
      - name: Squat
        load: 100 kg
        stages:
          - {sets: 5, reps: [3, 3, 3, 3, 3+]}
          - {sets: 6, reps: [2, 2, 2, 2, 2, 2+]}
        progression:
          - {after: success, add: 5 kg}
          - {after: failure, stage: next}
          - {after: last stage failure, stage: 1, deload: 10%}
""")


def test_a_routine_s_rules_are_read_as_written() -> None:
    bench, squat = parse(PROGRAM, "r.yaml").exercises
    assert isinstance(bench, Exercise) and isinstance(squat, Exercise)
    assert bench.rules == (Rule("cycle", add=2.5), Rule("amrap", times=0, table=((0, 1, 0.0), (2, 3, 2.5),
                                                                                  (4, None, 5.0))))
    assert squat.rules == (Rule("success", add=5), Rule("failure", stage=0),
                           Rule("last stage failure", stage=1, deload_pct=10))
    assert [len(s) for s in squat.stages] == [5, 6] and squat.stages[1][-1].plus


def test_the_stage_and_the_max_move_a_routine_s_sets_and_loads() -> None:
    r = parse(PROGRAM, "r.yaml")
    maxes = {"Bench press": 100.0}
    moved = apply_progression(r, {"Bench press": [Result("success", 3), CYCLE], "Squat": [OK, FAIL]}, maxes)
    assert maxes == {"Bench press": 105.0}, "+2.5 for 3 reps, +2.5 for the cycle"
    squat = moved.exercises[1]
    assert isinstance(squat, Exercise)
    assert [(s.reps, s.plus, s.load) for s in squat.sets] == [(2, False, "105 kg")] * 5 + [(2, True, "105 kg")]


def _played(h: History, r: object, week: int, sets: list[tuple[str, int, int | None, int | None, bool]]) -> None:
    sid = h.start_session("Rules", "x" * 64, "r.yaml", PROGRAM, week=week)
    for step, (exercise, set_count, planned, done, amrap) in enumerate(sets):
        h.record_set(sid, SetRecord(step, exercise, step + 1, set_count, None, planned, done, None, None, "x", False,
                                    amrap, "2026-11-02T07:00:00+00:00", "2026-11-02T07:01:00+00:00"))
    h.end_session(sid, "finished")


def test_the_next_plan_reads_the_log_with_its_cycles(tmp_path: Path) -> None:
    routine, db = tmp_path / "r.yaml", tmp_path / "h.sqlite"
    routine.write_text(PROGRAM)
    with History(db) as h:
        _played(h, None, 1, [("Bench press", 3, 5, 5, False), ("Bench press", 3, 3, 3, False),
                             ("Bench press", 3, 1, 4, True)])                      # 1+ -> 4: +5 kg
        _played(h, None, 2, [("Bench press", 3, 5, 5, False)] * 3)
    out = CliRunner().invoke(cli, ["--db", str(db), "plan", str(routine), "--estimate"]).stdout
    assert "Cycle 2, week 1." in out
    # the max: 100 + 5 (4 reps) + 2.5 (the cycle) = 107.5; 75% = 80.625: the nearest is 80 kg
    assert "80 kilograms: a 25 and a 5 each side." in out, out


@pytest.mark.parametrize("rules, error", [
    ("[{after: sometimes, add: 2.5 kg}]", "r.yaml:5:27: error: 'after' must be success, failure, N failures (in a "
                                          "row), last stage failure, cycle, amrap (with a table) or amrap N (reps "
                                          "reached), got \"sometimes\""),
    ("[{after: success}]", "r.yaml:5:19: error: this rule does nothing: give it add, deload, table or stage"),
    ("[{after: failure, stage: next}]", "r.yaml:5:19: error: 'stage' moves the exercise to another of its "
                                        "'stages', and it has none; add stages: [{sets: 5, reps: 3}, ...]"),
    ("[{after: amrap 25, add: 5 kg}]", "r.yaml:5:19: error: 'after: amrap' reads the reps of the exercise's "
                                       "AMRAP or 5+ set, and it has none"),
    ("[{after: amrap, add: 5 kg}]", "r.yaml:5:27: error: 'after: amrap' needs a 'table' from the reps reached to "
                                    "what is added (or after: amrap 25 to act when 25 are reached)"),
    ("[{after: success, add: 5 lb}]", "r.yaml:5:41: error: 'add' is in lb but the routine's unit is kg"),
    ("[{after: amrap, table: {3-1: 5}}]", "r.yaml:5:42: error: a row of 'table' is reps such as 4, 2-3 or 6+, "
                                          "got '3-1'"),
])
def test_a_wrong_rule_is_one_located_line(rules: str, error: str) -> None:
    text = f"name: X\ndefaults: {{unit: kg}}\nexercises:\n  - name: A\n    progression: {rules}\n" \
           "    reps: 5\n    load: 50 kg\n"
    with pytest.raises(RoutineError) as e:
        parse(text, "r.yaml")
    assert [str(p) for p in e.value.problems] == [error]


def test_an_empty_stage_list_is_refused() -> None:
    text = "name: X\nexercises:\n  - {name: A, reps: 5, load: 50 kg, stages: []}\n"
    with pytest.raises(RoutineError) as e:
        parse(text, "r.yaml")
    assert [str(p) for p in e.value.problems] == [
        "r.yaml:3:45: error: 'stages' must list each stage's sets, e.g. - {reps: [5, 5, 5+], load: 85%}"]


def test_plan_ahead_shows_where_the_program_goes_if_every_set_is_done(tmp_path: Path) -> None:
    routine, db = tmp_path / "r.yaml", tmp_path / "h.sqlite"
    routine.write_text(PROGRAM)
    result = CliRunner().invoke(cli, ["--db", str(db), "plan", str(routine), "--ahead", "4"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Rules: the next 4 sessions if every set is done",
        "  1  Week 1",
        "       Bench press              1x5 @ 75 kg, 1x3 @ 85 kg, 1x1+ @ 95 kg",
        "       Squat                    4x3 @ 100 kg, 1x3+ @ 100 kg",
        "  2  Week 2",                     # the 1+ done as 1: +0 to the max
        "       Bench press              1x5 @ 40 kg, 1x5 @ 50 kg, 1x5 @ 60 kg",
        "       Squat                    4x3 @ 105 kg, 1x3+ @ 105 kg",
        "  3  Cycle 2, week 1",            # the cycle: +2.5 kg to the max, 102.5
        "       Bench press              1x5 @ 77.5 kg, 1x3 @ 87.5 kg, 1x1+ @ 97.5 kg",
        "       Squat                    4x3 @ 110 kg, 1x3+ @ 110 kg",
        "  4  Cycle 2, week 2",
        "       Bench press              1x5 @ 40 kg, 1x5 @ 50 kg, 1x5 @ 62.5 kg",
        "       Squat                    4x3 @ 115 kg, 1x3+ @ 115 kg"]
