"""Programs: days in rotation, weeks that differ, cycles that start again; each mistake one located line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from voicecoach.cli import cli
from voicecoach.errors import RoutineError
from voicecoach.log.history import History
from voicecoach.plan.program import Position, day_label, find_day, next_position, on_day
from voicecoach.routine.reader import parse

PROGRAM = textwrap.dedent("""\
    name: Five three one
    defaults: {unit: kg}
    maxes: {Press: 50 kg, Deadlift: 150 kg}
    weeks: 4
    days:
      - name: Press
        exercises:
          - name: Press
            weeks:
              - {reps: [5, 5, 5+], load: [65%, 75%, 85%]}
              - {reps: [3, 3, 3+], load: [70%, 80%, 90%]}
              - {reps: [5, 3, 1+], load: [75%, 85%, 95%]}
              - {reps: [5, 5, 5], load: [40%, 50%, 60%]}
          - {name: Chin-ups, sets: 5, reps: 10}
      - name: Deadlift
        exercises:
          - name: Deadlift
            weeks:
              - {reps: [5, 5, 5+], load: [65%, 75%, 85%]}
              - {reps: [3, 3, 3+], load: [70%, 80%, 90%]}
              - {reps: [5, 3, 1+], load: [75%, 85%, 95%]}
              - {reps: [5, 5, 5], load: [40%, 50%, 60%]}
""")


def test_days_rotate_and_weeks_follow_then_the_cycle_starts_again() -> None:
    r = parse(PROGRAM, "p.yaml")
    at, seen = None, []
    for _ in range(9):
        at = next_position(r, at)
        seen.append((at.day, at.week, at.cycle(r), at.week_in_cycle(r)))
    assert seen == [(0, 1, 1, 1), (1, 1, 1, 1), (0, 2, 1, 2), (1, 2, 1, 2), (0, 3, 1, 3), (1, 3, 1, 3),
                    (0, 4, 1, 4), (1, 4, 1, 4), (0, 5, 2, 1)]


def test_a_day_is_played_with_its_own_exercises_and_that_week_s_sets() -> None:
    r = parse(PROGRAM, "p.yaml")
    day = on_day(r, Position(1, 3))
    (ex,) = day.exercises
    assert ex.name == "Deadlift"   # type: ignore[union-attr]
    assert [(s.reps, s.plus, s.load) for s in ex.sets] == [(5, False, "75%"), (3, False, "85%"), (1, True, "95%")]  # type: ignore[union-attr]
    assert day.day_label == "Week 3, day 2: Deadlift."
    assert [e.name for e in on_day(r, Position(0, 6)).exercises] == ["Press", "Chin-ups"]  # type: ignore[union-attr]
    assert on_day(r, Position(0, 6)).exercises[1].sets == r.days[0].exercises[1].sets, "the same every week"  # type: ignore[union-attr]
    assert day_label(r, Position(0, 6)) == "Cycle 2, week 2, day 1: Press."


def test_days_are_found_by_name_or_number() -> None:
    r = parse(PROGRAM, "p.yaml")
    assert (find_day(r, "deadlift"), find_day(r, "1"), find_day(r, "3"), find_day(r, "Bench")) == (1, 0, None, None)


def test_the_opening_says_which_day_it_is(tmp_path: Path) -> None:
    routine = tmp_path / "p.yaml"
    routine.write_text(PROGRAM)
    db = tmp_path / "h.sqlite"
    result = CliRunner().invoke(cli, ["--db", str(db), "plan", str(routine), "--estimate"])
    column = result.stdout.splitlines()[1].index("said or played")
    said = [line[column:] for line in result.stdout.splitlines()[2:5]]
    assert said == ["Welcome to Five three one.", "Week 1, day 1: Press.", "Next up: Press."], result.stdout
    result = CliRunner().invoke(cli, ["--db", str(db), "plan", str(routine), "--estimate", "--day", "Deadlift",
                                      "--week", "5"])
    assert "Cycle 2, week 1, day 2: Deadlift." in result.stdout


def test_the_next_day_follows_the_last_one_finished(tmp_path: Path) -> None:
    routine = tmp_path / "p.yaml"
    routine.write_text(PROGRAM)
    db = tmp_path / "h.sqlite"
    with History(db) as h:
        r = parse(PROGRAM, str(routine))
        sid = h.start_session(r.name, r.sha256, str(routine), PROGRAM, day="Deadlift", week=2)
        h.end_session(sid, "finished")
        quit_early = h.start_session(r.name, r.sha256, str(routine), PROGRAM, day="Press", week=3)
        h.end_session(quit_early, "quit")   # not finished: it does not move the program on
    result = CliRunner().invoke(cli, ["--db", str(db), "plan", str(routine), "--estimate"])
    assert "Week 3, day 1: Press." in result.stdout


@pytest.mark.parametrize("change, error", [
    (("weeks: 4\n", "weeks: 3\n"), "p.yaml:10:11: error: 'weeks' lists 4 weeks but the routine's cycle has 3 "
                                   "(weeks: 3); give one entry per week"),
    (("weeks: 4\n", ""), "p.yaml:9:11: error: an exercise lists 4 weeks but the routine does not say how many "
                         "weeks its cycle has; add weeks: 4 at the top"),
    (("weeks: 4\n", "weeks: 0\n"), "p.yaml:4:8: error: 'weeks' must be a positive whole number, got 0"),
    (("  - name: Deadlift\n", "  - name: press\n"), "p.yaml:15:11: error: there is another day called 'press' "
                                                   "(line 6); each day needs its own name"),
    (("days:\n", "exercises: []\ndays:\n"), "p.yaml:5:1: error: 'exercises' goes inside each of the 'days' (a "
                                            "program's days each have their own)"),
    (("- {reps: [5, 5, 5], load: [40%, 50%, 60%]}", "- {reps: [5, 5, 5], lode: 40%}"),
     "p.yaml:13:31: error: unknown key 'lode' in a week of an exercise; did you mean 'load'?"),
])
def test_a_program_s_mistakes_are_each_one_located_line(change: tuple[str, str], error: str) -> None:
    text = PROGRAM.replace(*change, 1)
    with pytest.raises(RoutineError) as e:
        parse(text, "p.yaml")
    assert str(e.value.problems[0]) == error, [str(p) for p in e.value.problems]


def test_a_mistake_every_week_shares_is_said_once() -> None:
    text = PROGRAM.replace("      - name: Press\n", "      - name: Press\n        tempo: 3-x-1-0\n", 1)
    with pytest.raises(RoutineError) as e:
        parse(text, "p.yaml")
    assert [p.line for p in e.value.problems] == [9]


def test_a_routine_without_exercises_or_days_says_both() -> None:
    with pytest.raises(RoutineError) as e:
        parse("name: X\n", "p.yaml")
    assert [str(p) for p in e.value.problems] == [
        "p.yaml:1:1: error: the routine is missing 'exercises' (or 'days', for a program of several days)"]


def test_check_finds_a_missing_max_on_any_day_and_play_only_on_its_own(tmp_path: Path) -> None:
    routine = tmp_path / "p.yaml"
    routine.write_text(PROGRAM.replace("maxes: {Press: 50 kg, Deadlift: 150 kg}", "maxes: {Press: 50 kg}"))
    db = tmp_path / "h.sqlite"
    result = CliRunner().invoke(cli, ["--db", str(db), "check", str(routine)])
    assert result.exit_code == 2 and result.stderr.startswith(f"{routine}:19:38: error: 'Deadlift' is loaded as a "
                                                              "share of its training max, but none is known")
    assert CliRunner().invoke(cli, ["--db", str(db), "plan", str(routine), "--estimate"]).exit_code == 0
    assert CliRunner().invoke(cli, ["--db", str(db), "plan", str(routine), "--estimate", "--day", "2"]).exit_code == 2
