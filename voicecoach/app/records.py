"""What the training log's commands read: the sessions, one session's sets, the weekly table.

Imports: voicecoach.app.choices, voicecoach.errors; lazily voicecoach.log.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from voicecoach.app.choices import open_history
from voicecoach.errors import UsageError

if TYPE_CHECKING:
    from datetime import date

    from voicecoach.log.history import SessionRecord
    from voicecoach.log.stats import Week
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
