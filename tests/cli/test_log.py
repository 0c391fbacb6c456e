"""voicecoach log: a session done without the coach counts like a played one; mistakes write nothing."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from voicecoach.cli import cli
from voicecoach.log.history import History

PROGRAM = textwrap.dedent("""\
    name: Linear
    defaults: {unit: kg}
    days:
      - name: A
        exercises:
          - name: Squat
            warmup_sets: [{reps: 5, load: 20 kg}]
            sets: 3
            reps: 5
            load: 100 kg
            progression: [{after: success, add: 5 kg}, {after: 2 failures, deload: 10%}]
          - {name: Plank, hold: 60s}
      - name: B
        exercises:
          - {name: Deadlift, reps: [5, 5+], load: 140 kg, progression: [{after: amrap 8, add: 10 kg}]}
""")


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def program(tmp_path: Path) -> Path:
    path = tmp_path / "linear.yaml"
    path.write_text(PROGRAM)
    return path


def test_a_logged_session_is_kept_set_by_set_and_moves_the_program_on(program: Path, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    code, out, err = run(db, "log", str(program), "--date", "2026-12-01", "Squat: 5 5 5", "Plank: 60")
    assert (code, out) == (0, "logged session 1: Linear, Day 1: A, 2026-12-01, 4 sets\n"), err
    with History(db) as h:
        rec = h.sessions()[0]
        assert (rec.outcome, rec.started_at[:10], rec.reps) == ("finished", "2026-12-01", 15)
        sets = h.sets(1)
        assert [(s.exercise, s.planned_reps, s.done_reps, s.done_hold_s, s.load, s.skipped) for s in sets] == [
            ("Squat", 5, 5, None, "100 kg", False)] * 3 + [("Plank", None, None, 60.0, None, False)]
        assert h.db.execute("SELECT origin, day, week FROM sessions").fetchone()[:] == ("logged", "A", 1)
    code, out, _ = run(db, "plan", str(program), "--estimate")
    assert "Day 2: B." in out, "the next day follows the logged one"
    code, out, _ = run(db, "plan", str(program), "--estimate", "--day", "A")
    assert "105 kilograms." in out, "a logged success progresses like a played one"


def test_a_failed_set_is_the_reps_made_and_a_skipped_one_a_dash(program: Path, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    for _ in range(2):
        assert run(db, "log", str(program), "--day", "A", "Squat: 5 3 -")[0] == 0
    with History(db) as h:
        assert [(s.done_reps, s.skipped) for s in h.sets(1)][:3] == [(5, False), (3, False), (None, True)]
        assert [(s.exercise, s.skipped) for s in h.sets(1)][3] == ("Plank", True), "what is not given: skipped"
    code, out, _ = run(db, "plan", str(program), "--estimate", "--day", "A")
    assert "90 kilograms." in out, "two failed sessions: 10% off"


def test_an_amrap_set_s_number_is_its_reps(program: Path, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    assert run(db, "log", str(program), "--day", "B", "Deadlift: 5 9")[0] == 0
    with History(db) as h:
        assert [(s.planned_reps, s.done_reps, s.amrap) for s in h.sets(1)] == [(5, 5, False), (5, 9, True)]
    assert "150 kilograms." in run(db, "plan", str(program), "--estimate", "--day", "B")[1]


def test_every_mistake_is_one_line_and_nothing_is_written(program: Path, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    code, _, err = run(db, "log", str(program), "--day", "A", "Sqaut: 5 5 5", "Plank: 60 60", "Squat: 5 five 5",
                       "no colon")
    assert code == 2
    assert err.splitlines() == [
        "voicecoach: error: 'Sqaut' is not an exercise of this session; did you mean 'Squat'?",
        "voicecoach: error: 'Plank' has 1 work set, 2 numbers were given",
        "voicecoach: error: 'Squat': 'five' is not a number of reps (or seconds held), or '-' for a set skipped",
        "voicecoach: error: 'no colon': give an exercise and its reps per set, e.g. \"Back squat: 5 5 8\""]
    with History(db) as h:
        assert h.sessions() == []


def test_show_marks_a_failed_set_and_a_5_plus_target(program: Path, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    assert run(db, "log", str(program), "--day", "B", "Deadlift: 5 9")[0] == 0
    with History(db) as h:
        sid = h.start_session("Linear", "y" * 64, "x", "x")
        h.record_set(sid, h.sets(1)[0]._replace(done_reps=3, failed=True))
    lines = run(db, "show", "1")[1].splitlines()
    assert "planned 5+ reps" in lines[2] and "done 9" in lines[2]
    assert run(db, "show", str(sid))[1].splitlines()[1].endswith(" failed")
