"""Training maxes: set by hand and kept as history, listed with where each came from and the one-rep
max estimated from the log; a percentage with no max known is an error at its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from voicecoach.cli import cli
from voicecoach.log.history import History
from voicecoach.log.stats import best_estimate, epley

DATA = Path(__file__).parent.parent / "data"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A copy of a log written by the release before programs."""
    path = tmp_path / "h.sqlite"
    shutil.copy(DATA / "history-v1.sqlite", path)
    return path


def test_a_max_set_by_hand_is_listed_with_its_date_beside_the_estimate(db: Path) -> None:
    code, out, _ = run("--db", str(db), "max", "set", "Goblet squat", "24 kg")
    assert (code, out) == (0, "Goblet squat: training max 24 kg from now on\n")
    code, out, _ = run("--db", str(db), "max")
    lines = out.splitlines()
    assert lines[0].split() == ["exercise", "training", "max", "from", "estimated", "1RM", "(Epley)"]
    goblet = lines[1]
    assert goblet.startswith("Goblet squat") and "24 kg" in goblet and "set by hand on 20" in goblet
    assert goblet.endswith("21.3 kg, from 16 kg x 10 on 2026-11-06")   # 16 x (1 + 10/30)
    assert lines[2].split() == ["Push-ups", "-", "-", "-"]                 # no load: no estimate
    with History(db) as h:
        assert [(m.value, m.unit) for m in h.maxes("Goblet squat")] == [(24.0, "kg")]


def test_a_routine_s_own_maxes_are_listed_when_it_is_named(db: Path, tmp_path: Path) -> None:
    routine = tmp_path / "r.yaml"
    routine.write_text("name: R\nmaxes: {Bench press: 225 lb}\ndefaults: {unit: lb}\n"
                       "exercises:\n  - {name: Bench press, reps: 5, load: 75%}\n")
    code, out, _ = run("--db", str(db), "max", "--routine", str(routine))
    bench = out.splitlines()[1]
    assert code == 0 and bench.split()[:4] == ["Bench", "press", "225", "lb"] and f"maxes: in {routine}"[:32] in bench


@pytest.mark.parametrize("amount, why", [
    ("140", "a training max is a weight with its unit, such as 140kg or 315lb; got '140'"),
    ("heavy", "a training max is a weight with its unit, such as 140kg or 315lb; got 'heavy'"),
    ("-5kg", "a training max is a weight with its unit, such as 140kg or 315lb; got '-5kg'"),
    ("0kg", "a training max of 0 kg cannot be right; give one above 0 and at most 1,000 kg"),
    ("1001 kg", "a training max of 1001 kg cannot be right; give one above 0 and at most 1,000 kg"),
    ("2300lb", "a training max of 2300 lb cannot be right; give one above 0 and at most 2,204 lb"),
])
def test_an_absurd_max_is_one_line_and_nothing_is_kept(db: Path, amount: str, why: str) -> None:
    code, _, err = run("--db", str(db), "max", "set", "--", "Back squat", amount)
    assert (code, err) == (2, f"voicecoach: error: {why}\n")
    with History(db) as h:
        assert h.maxes() == []


def test_a_percentage_without_a_max_is_an_error_at_its_line_until_one_is_set(db: Path, tmp_path: Path) -> None:
    routine = tmp_path / "r.yaml"
    routine.write_text("name: R\nexercises:\n  - name: Back squat\n    reps: 5\n    load: 75%\n")
    code, _, err = run("--db", str(db), "check", str(routine))
    assert code == 2 and err == (f"{routine}:5:11: error: 'Back squat' is loaded as a share of its training max, "
                                 "but none is known; set one with: voicecoach max set \"Back squat\" 100kg (or "
                                 "give it under 'maxes:')\n")
    code, _, err = run("--db", str(db), "plan", str(routine))
    assert code == 2 and err.startswith(f"{routine}:5:11: error: 'Back squat' is loaded")
    run("--db", str(db), "max", "set", "Back squat", "140kg")
    assert run("--db", str(db), "check", str(routine))[0] == 0
    code, out, _ = run("--db", str(db), "plan", str(routine))
    assert code == 0 and "105 kilograms: a 25, a 15 and a 2.5 each side." in out


def test_epley_and_the_best_set_it_is_taken_from() -> None:
    assert epley(100, 1) == 100 and epley(100, 5) == pytest.approx(116.6667) and epley(90, 30) == 180
    best = best_estimate([("2026-11-02T07:00", 5, "100 kg"), ("2026-11-09T07:00", 3, "110 kg"),
                          ("2026-11-16T07:00", 15, "80 kg"), ("2026-11-16T07:05", 8, "bodyweight"),
                          ("2026-11-16T07:10", 1, "250 lb")], "kg")
    assert best == (121.0, "kg", 110.0, 3, "2026-11-09")   # 15 reps are not counted; 250 lb = 113.4 kg
    assert best_estimate([("2026-11-02T07:00", 1, "100 kg")], "lb") == (220.5, "lb", 220.46, 1, "2026-11-02")
    assert best_estimate([], "kg") is None
