"""What the training log's commands read: the sessions, one session's sets, the weekly table, the
training maxes.

Imports: voicecoach.app.choices, voicecoach.errors; lazily voicecoach.log.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from voicecoach.app.choices import open_history
from voicecoach.errors import UsageError

if TYPE_CHECKING:
    from datetime import date

    from voicecoach.log.history import MaxRecord, SessionRecord
    from voicecoach.log.stats import Estimate, Week
    from voicecoach.routine.model import Routine
    from voicecoach.session.record import SetRecord


def sessions(db: Path | None, limit: int | None = None) -> list[SessionRecord]:
    """The sessions in the log, newest first (the `limit` most recent)."""
    with open_history(db) as h:
        return h.sessions(limit=limit)


def session_sets(db: Path | None, session: int) -> tuple[SessionRecord, list[SetRecord]]:
    """One session and every set of it.

    Raises:
        UsageError: there is no such session. HistoryError: the log is damaged where it would be.
    """
    with open_history(db) as h:
        rec = h.session(session)
        if rec is None:
            h.require_intact()  # a damaged page can hide a session: say so rather than "no session"
            raise UsageError(f"voicecoach: error: no session {session} (see: voicecoach history)")
        return rec, h.sets(session)


def delete_session(db: Path | None, session: int) -> SessionRecord:
    """Delete one session from the log, with its sets (it no longer counts for "last time",
    progression or stats); what it was.

    Raises:
        UsageError: there is no such session. HistoryError: it is being played now.
    """
    with open_history(db) as h:
        rec = h.delete_session(session)
        if rec is None:
            h.require_intact()
            raise UsageError(f"voicecoach: error: no session {session} (see: voicecoach history)")
        return rec


def weekly_table(db: Path | None, exercise: str | None, weeks: int, today: date | None = None) -> dict[str, list[Week]]:
    """Reps, volume and time held per exercise per week, for the `weeks` weeks up to `today`."""
    from datetime import date, timedelta  # looked up when asked: "today" is the caller's clock

    from voicecoach.log.stats import weekly
    today = today or date.today()
    since = today - timedelta(days=today.weekday(), weeks=weeks)
    with open_history(db) as h:
        rows = h.exercise_sets(exercise, since=since.isoformat())
    return weekly(rows, weeks=weeks, today=today)


class MaxLine(NamedTuple):
    """One exercise's training max (where it came from) and its estimated one-rep max."""

    exercise: str
    max: str | None       # "145 kg"
    source: str | None    # "set by hand on 2026-11-02", "maxes: in legs.yaml"
    estimate: Estimate | None


def max_lines(db: Path | None, routine: Routine | None = None) -> list[MaxLine]:
    """Every exercise with a training max (in the log or `routine`) or sets to estimate one from."""
    from voicecoach.log.stats import best_estimate
    from voicecoach.plan.progression import weight_text
    with open_history(db) as h:
        current = h.current_maxes()
        names = set(h.exercises())
        if routine is not None:
            names |= {name for name, _ in routine.maxes}
        own = dict(routine.maxes) if routine is not None else {}
        out = []
        for name in sorted(names):
            m = current.get(name)
            unit = m.unit if m else routine.defaults.unit if routine is not None else "kg"
            tm: str | None
            source: str | None
            if m is not None:
                tm, source = weight_text(m.value, m.unit), f"{m.note} on {m.set_at[:10]}"
            elif name in own:
                tm, source = weight_text(own[name], unit), f"maxes: in {routine.source if routine else ''}"
            else:
                tm = source = None
            out.append(MaxLine(name, tm, source, best_estimate(h.lifts(name), unit)))
        return out


def set_max(db: Path | None, exercise: str, amount: str) -> MaxRecord:
    """Keep a new training max for `exercise` from text such as "140kg" or "315 lb".

    Raises:
        UsageError: not a weight with its unit, or not a weight anyone lifts.
    """
    import re

    from voicecoach.routine.model import MAX_TRAINING_MAX
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(kg|kgs|lb|lbs)\s*", amount, re.IGNORECASE)
    if m is None:
        raise UsageError(f"voicecoach: error: a training max is a weight with its unit, such as 140kg or 315lb; "
                         f"got {amount!r}")
    value, unit = float(m.group(1)), m.group(2).lower().rstrip("s")
    if not 0 < value <= MAX_TRAINING_MAX[unit]:
        raise UsageError(f"voicecoach: error: a training max of {value:g} {unit} cannot be right; give one above "
                         f"0 and at most {MAX_TRAINING_MAX[unit]:,} {unit}")
    if not exercise.strip():
        raise UsageError("voicecoach: error: name the exercise, e.g. voicecoach max set \"Back squat\" 140kg")
    with open_history(db) as h:
        return h.set_max(" ".join(exercise.split()), value, unit)
