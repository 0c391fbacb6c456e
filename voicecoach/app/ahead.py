"""Where a program goes: the loads of the next sessions if every set is done (5+ sets: exactly
their target), replayed by the routine's own rules from the log as it is.

Imports: voicecoach.app.choices, voicecoach.plan, voicecoach.routine.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from voicecoach.app.choices import history_path, moved_on, open_history, program_day
from voicecoach.plan.program import Position, next_position, on_day
from voicecoach.plan.progression import LATER, Result
from voicecoach.routine.library import resolve_routine
from voicecoach.routine.model import Exercise, SetSpec, iter_exercises

if TYPE_CHECKING:
    from voicecoach.log.history import MaxRecord


class Session(NamedTuple):
    """One session ahead: which day, and each exercise's work sets as planned."""

    label: str
    exercises: tuple[tuple[str, tuple[SetSpec, ...]], ...]


def sessions_ahead(routine: str | None, count: int, db: Path | None) -> tuple[str, list[Session]]:
    """The routine's name and its next `count` sessions, each as `play` would plan it after the ones
    before it were done in full."""
    r = resolve_routine(routine)
    past: dict[str, list[tuple[int | None, Result]]] = {}
    logged: dict[str, MaxRecord] = {}
    at: Position | None = None
    if history_path(db).exists():
        with open_history(db) as history:
            past = history.exercise_results(r.name)
            logged = history.current_maxes()
            at = program_day(r, history)[1]
    at = at or Position()
    out: list[Session] = []
    for i in range(count):
        moved = moved_on(on_day(r, at), past, logged, at)
        work = [(ex.name, tuple(s for s in ex.sets if not s.warmup)) for ex in iter_exercises(moved)]
        label = moved.day_label.rstrip(".") if moved.day_label else f"Session {i + 1}"
        out.append(Session(label, tuple(work)))
        for ex in iter_exercises(moved):   # done in full: every set, a 5+ set's target exactly
            past.setdefault(ex.name, []).append((at.week if r.program else None, _done(ex)))
        at = next_position(r, at)
    return r.name, out


def _done(ex: Exercise) -> Result:
    opened = [s.reps for s in ex.sets if s.open and not s.warmup]
    return Result("success", opened[-1] if opened else None, at=LATER)
