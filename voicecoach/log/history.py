"""The training log: the only sqlite3 user. Schema, migrations, and recording and reading sessions.

Every set is committed when it ends (WAL, synchronous=FULL, foreign keys on), so a kill -9 or
a power cut loses at most the set in progress. Several players may write at once (SQLite's
locking, a busy timeout). A damaged database, or one from a newer voicecoach, is refused
with one line and never written to.

Imports: sqlite3, voicecoach.errors, voicecoach.routine.model (the limit on a training max),
voicecoach.plan.progression (the result of a session, as progression reads it).
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Concatenate, NamedTuple, ParamSpec, TypeVar
from datetime import datetime
from pathlib import Path

from voicecoach.errors import VoicecoachError
from voicecoach.plan.progression import Result
from voicecoach.routine.model import MAX_TRAINING_MAX
from voicecoach.session.record import SetRecord, iso_time, utc_now

P = ParamSpec("P")
R = TypeVar("R")
SCHEMA_VERSION = 2
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE routines (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL,
            text TEXT NOT NULL)""",
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            routine_id INTEGER NOT NULL REFERENCES routines(id),
            started_at TEXT NOT NULL,
            ended_at TEXT,
            outcome TEXT NOT NULL CHECK (outcome IN ('running', 'finished', 'quit', 'interrupted')),
            start_step INTEGER NOT NULL DEFAULT 0,
            resumed_from INTEGER REFERENCES sessions(id),
            pid INTEGER,
            host TEXT)""",
        """CREATE TABLE sets (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            step INTEGER NOT NULL,
            exercise TEXT NOT NULL,
            set_no INTEGER NOT NULL,
            set_count INTEGER NOT NULL,
            side TEXT,
            planned_reps INTEGER,
            done_reps INTEGER,
            planned_hold_s REAL,
            done_hold_s REAL,
            load TEXT,
            warmup INTEGER NOT NULL DEFAULT 0,
            amrap INTEGER NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            ended_at TEXT NOT NULL,
            skipped INTEGER NOT NULL DEFAULT 0,
            paused_s REAL NOT NULL DEFAULT 0)""",
        "CREATE INDEX sets_by_session ON sets(session_id, step)",
        "CREATE INDEX sets_by_exercise ON sets(exercise, ended_at)",
        "CREATE INDEX sessions_by_start ON sessions(started_at)",
    ),
    2: (  # programs: training maxes, failed sets, a session's day and week, sessions logged by hand
        """CREATE TABLE maxes (
            id INTEGER PRIMARY KEY,
            exercise TEXT NOT NULL,
            value REAL NOT NULL CHECK (value > 0),
            unit TEXT NOT NULL CHECK (unit IN ('kg', 'lb')),
            set_at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '')""",
        "CREATE INDEX maxes_by_exercise ON maxes(exercise, set_at)",
        "ALTER TABLE sets ADD COLUMN failed INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE sessions ADD COLUMN day TEXT",
        "ALTER TABLE sessions ADD COLUMN week INTEGER",
        "ALTER TABLE sessions ADD COLUMN origin TEXT NOT NULL DEFAULT 'played'",
    ),
}
OUTCOMES = ("running", "finished", "quit", "interrupted")


class MaxRecord(NamedTuple):
    """A training max as it was set: for which exercise, how much, when, and why."""

    exercise: str
    value: float
    unit: str
    set_at: str
    note: str


class HistoryError(VoicecoachError):
    """The history database cannot be used as it is."""


def _guarded(method: Callable[Concatenate[History, P], R]) -> Callable[Concatenate[History, P], R]:
    """A History method whose SQLite errors (a damaged page met mid-query, a locked file) become the
    one-line HistoryError, on every command."""
    def run(self: History, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError):
            raise  # our own mistake, not the file's: kept loud
        except sqlite3.DatabaseError as exc:
            raise self.unusable(exc) from None
    functools.update_wrapper(run, method)
    return run


class SessionRecord(NamedTuple):
    """One session with its totals."""

    id: int
    routine: str
    routine_sha256: str
    started_at: str
    ended_at: str | None
    outcome: str
    start_step: int
    resumed_from: int | None
    sets: int
    skipped: int
    reps: int
    duration_s: float | None


def _pid_alive(pid: int | None, host: str | None) -> bool:
    if pid is None or host != os.uname().nodename:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class History:
    """A connection to the history database at `path` (":memory:" for tests)."""

    def __init__(self, path: Path | str, now: Callable[[], datetime] = utc_now) -> None:
        """Raises: HistoryError (damaged, not a database, newer schema, unreadable)."""
        self.path = str(path)
        self.now = now
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA busy_timeout = 30000")
            self._check_readable()
            self.db.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = FULL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise self.unusable(exc) from None

    def unusable(self, exc: sqlite3.DatabaseError) -> HistoryError:
        """The one line for a database SQLite refuses: what is wrong, where the file is, what to do."""
        if type(exc) is sqlite3.DatabaseError:  # damaged pages, or not SQLite at all
            return HistoryError(
                f"{self.path}: error: the history database is damaged or not a voicecoach database ({exc}); "
                f"it was left untouched; move it aside (mv '{self.path}' '{self.path}.damaged') to start "
                "a new one, or choose another with --db")
        return HistoryError(f"{self.path}: error: the history database cannot be used ({exc}); "
                            "it was left untouched; choose another with --db")

    def require_intact(self) -> None:
        """Check every page (for a lookup that found nothing: a damaged page can hide a row).

        Raises:
            HistoryError: the database is damaged.
        """
        try:
            verdict = str(self.db.execute("PRAGMA quick_check").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            raise self.unusable(exc) from None
        if verdict != "ok":  # the details ("Page 4: ... extends off end of page") are for sqlite3's own tools
            raise self.unusable(sqlite3.DatabaseError("database disk image is malformed"))

    def _check_readable(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise HistoryError(f"{self.path}: error: this history database was written by a newer voicecoach "
                               f"(schema {version}, this one reads {SCHEMA_VERSION}); it was left untouched; "
                               "upgrade voicecoach or choose another with --db")
        if version == 0:
            tables = self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise HistoryError(f"{self.path}: error: this SQLite file is not a voicecoach history database; "
                                   "it was left untouched; choose another with --db")

    def _migrate(self) -> None:
        if self.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return  # current: no write transaction just to look
        with self.transaction():
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[target]:
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {target}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- writing

    @_guarded
    def start_session(self, name: str, sha256: str, source: str, text: str, *, start_step: int = 0,
                      resumed_from: int | None = None, day: str | None = None, week: int | None = None) -> int:
        """A new running session of the given routine; returns its id (committed)."""
        with self.transaction() as db:
            routine_id = _routine_id(db, name, sha256, source, text)
            cur = db.execute("INSERT INTO sessions(routine_id, started_at, outcome, start_step, resumed_from, pid, "
                             "host, day, week) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)",
                             (routine_id, iso_time(self.now()), start_step, resumed_from, os.getpid(),
                              os.uname().nodename, day, week))
            return int(cur.lastrowid or 0)

    @_guarded
    def record_set(self, session_id: int, s: SetRecord) -> None:
        """Store one set (committed at once)."""
        with self.transaction() as db:
            _insert_set(db, session_id, s)

    @_guarded
    def log_session(self, name: str, sha256: str, source: str, text: str, sets: list[SetRecord], *,
                    started_at: str, day: str | None = None, week: int | None = None) -> int:
        """A session done without the coach, with its sets, finished, in one transaction (all or nothing)."""
        with self.transaction() as db:
            routine_id = _routine_id(db, name, sha256, source, text)
            ended = max((s.ended_at for s in sets), default=started_at)
            sid = int(db.execute("INSERT INTO sessions(routine_id, started_at, ended_at, outcome, day, week, origin) "
                                 "VALUES (?, ?, ?, 'finished', ?, ?, 'logged')",
                                 (routine_id, started_at, ended, day, week)).lastrowid or 0)
            for s in sets:
                _insert_set(db, sid, s)
        return sid

    @_guarded
    def set_amrap_reps(self, session_id: int, step: int, reps: int) -> None:
        """Record the reps reached in the AMRAP set of `step` (entered after the set)."""
        with self.transaction() as db:
            db.execute("UPDATE sets SET done_reps = ? WHERE session_id = ? AND step = ? AND amrap = 1",
                       (reps, session_id, step))

    @_guarded
    def end_session(self, session_id: int, outcome: str) -> None:
        if outcome not in OUTCOMES:
            raise ValueError(outcome)
        with self.transaction() as db:
            db.execute("UPDATE sessions SET ended_at = ?, outcome = ? WHERE id = ?",
                       (iso_time(self.now()), outcome, session_id))

    # ---------------------------------------------------------------- reading

    _SESSION_SQL = """
        SELECT s.id, r.name AS routine, r.sha256, s.started_at, s.ended_at, s.outcome, s.start_step,
               s.resumed_from, s.pid, s.host,
               count(t.id) AS sets, coalesce(sum(t.skipped), 0) AS skipped,
               coalesce(sum(coalesce(t.done_reps, 0)), 0) AS reps,
               max(t.ended_at) AS last_set_at
        FROM sessions s JOIN routines r ON r.id = s.routine_id LEFT JOIN sets t ON t.session_id = s.id
    """

    def _record(self, row: sqlite3.Row) -> SessionRecord:
        outcome = row["outcome"]
        if outcome == "running" and not _pid_alive(row["pid"], row["host"]):
            outcome = "interrupted"  # its player died (kill -9, power cut) without a word
        end = row["ended_at"] or row["last_set_at"]
        duration = None
        if end:
            duration = (datetime.fromisoformat(end) - datetime.fromisoformat(row["started_at"])).total_seconds()
        return SessionRecord(id=row["id"], routine=row["routine"], routine_sha256=row["sha256"],
                             started_at=row["started_at"], ended_at=row["ended_at"], outcome=outcome,
                             start_step=row["start_step"], resumed_from=row["resumed_from"], sets=row["sets"],
                             skipped=row["skipped"], reps=row["reps"], duration_s=duration)

    @_guarded
    def sessions(self, limit: int | None = None) -> list[SessionRecord]:
        """Sessions, newest first."""
        sql = self._SESSION_SQL + " GROUP BY s.id ORDER BY s.started_at DESC, s.id DESC"
        params: tuple[int, ...] = ()
        if limit is not None:  # pick the sessions first, then total their sets
            sql = sql.replace("FROM sessions s", "FROM (SELECT * FROM sessions ORDER BY started_at DESC, id DESC "
                                                 "LIMIT ?) s")
            params = (limit,)
        return [self._record(r) for r in self.db.execute(sql, params)]

    @_guarded
    def session(self, session_id: int) -> SessionRecord | None:
        row = self.db.execute(self._SESSION_SQL + " WHERE s.id = ? GROUP BY s.id", (session_id,)).fetchone()
        return self._record(row) if row and row["id"] is not None else None

    @_guarded
    def delete_session(self, session_id: int) -> SessionRecord | None:
        """Delete one session and its sets, in one transaction (None: there was none). A session that
        resumed it keeps its own sets and no longer continues it.

        Raises:
            HistoryError: the session is being played now.
        """
        with self.transaction() as db:
            rec = self.session(session_id)
            if rec is None:
                return None
            if rec.outcome == "running":
                raise HistoryError(f"voicecoach: error: session {session_id} is being played now; "
                                   "delete it once it has ended")
            db.execute("UPDATE sessions SET resumed_from = NULL WHERE resumed_from = ?", (session_id,))
            db.execute("DELETE FROM sets WHERE session_id = ?", (session_id,))
            db.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        return rec

    @_guarded
    def sets(self, session_id: int) -> list[SetRecord]:
        rows = self.db.execute("SELECT * FROM sets WHERE session_id = ? ORDER BY step, id", (session_id,))
        return [_set_record(r) for r in rows]

    @_guarded
    def routine_text(self, session_id: int) -> tuple[str, str]:
        """(name, text) of the routine as it was when `session_id` was played."""
        row = self.db.execute("SELECT r.name, r.text FROM sessions s JOIN routines r ON r.id = s.routine_id "
                              "WHERE s.id = ?", (session_id,)).fetchone()
        return row["name"], row["text"]

    @_guarded
    def last_interrupted(self) -> SessionRecord | None:
        """The most recent session that ended without finishing or quitting (Ctrl-C, a kill, a crash)."""
        for rec in self.sessions(limit=20):
            if rec.outcome == "interrupted":
                return rec
            if rec.outcome in ("finished", "quit"):
                return None
        return None

    _CHAIN = """WITH RECURSIVE chain(id) AS (SELECT ? UNION ALL
                SELECT s.resumed_from FROM sessions s JOIN chain c ON s.id = c.id WHERE s.resumed_from IS NOT NULL)"""

    @_guarded
    def done_in_chain(self, session_id: int) -> tuple[list[int], float]:
        """The steps done (not skipped) and the seconds spent in `session_id` and the sessions it
        resumed: what a session that continues it sums up with its own sets."""
        steps = [int(r[0]) for r in self.db.execute(
            self._CHAIN + " SELECT DISTINCT step FROM sets WHERE session_id IN (SELECT id FROM chain) "
                          "AND NOT skipped ORDER BY step", (session_id,))]
        ids = [int(r[0]) for r in self.db.execute(self._CHAIN + " SELECT id FROM chain", (session_id,))]
        spent = sum((rec.duration_s or 0.0) for rec in map(self.session, ids) if rec is not None)
        return steps, spent

    @_guarded
    def resume_step(self, session_id: int) -> int:
        """The step to continue from: the one after the last set that ended (in this session's chain)."""
        row = self.db.execute(self._CHAIN + " SELECT max(t.step) FROM sets t WHERE t.session_id IN "
                                            "(SELECT id FROM chain)", (session_id,)).fetchone()
        rec = self.session(session_id)
        last = row[0]
        return (rec.start_step if rec else 0) if last is None else int(last) + 1

    @_guarded
    def last_finished(self, sha256: str, before_id: int | None = None) -> SessionRecord | None:
        """The latest finished session of this routine (for "compared with last time")."""
        sql = self._SESSION_SQL + " WHERE r.sha256 = ? AND s.outcome = 'finished'"
        params: list[object] = [sha256]
        if before_id is not None:
            sql += " AND s.id < ?"
            params.append(before_id)
        row = self.db.execute(sql + " GROUP BY s.id ORDER BY s.started_at DESC LIMIT 1", params).fetchone()
        return self._record(row) if row else None

    @_guarded
    def exercise_sets(self, exercise: str | None = None,
                      since: str | None = None) -> list[tuple[str, str, int, str | None, float]]:
        """(exercise, ended_at, done reps, load, seconds held) of every set not skipped (ended since
        `since`), oldest first."""
        sql = ("SELECT exercise, ended_at, coalesce(done_reps, 0), load, coalesce(done_hold_s, 0) "
               "FROM sets WHERE skipped = 0")
        params: list[str] = []
        if exercise:
            sql += " AND exercise = ?"
            params.append(exercise)
        if since:
            sql += " AND ended_at >= ?"
            params.append(since)
        return [(r[0], r[1], r[2], r[3], r[4]) for r in self.db.execute(sql + " ORDER BY ended_at", params)]

    @_guarded
    def day_of(self, session_id: int) -> tuple[str | None, int | None]:
        """(day, week) a session was played on (None, None: not a program's)."""
        row = self.db.execute("SELECT day, week FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    @_guarded
    def last_day(self, routine_name: str) -> tuple[str | None, int] | None:
        """(day, week) of the last finished session of the program called `routine_name` that has a
        week (None: none yet)."""
        row = self.db.execute(
            "SELECT s.day, s.week FROM sessions s JOIN routines r ON r.id = s.routine_id WHERE r.name = ? AND "
            "s.week IS NOT NULL AND s.outcome = 'finished' ORDER BY s.started_at DESC, s.id DESC LIMIT 1",
            (routine_name,)).fetchone()
        return (row[0], int(row[1])) if row else None

    @_guarded
    def lifts(self, exercise: str) -> list[tuple[str, int, str | None]]:
        """(ended_at, reps done, load) of every work set of `exercise` with reps done (failed ones too:
        their reps were lifted), oldest first."""
        return [(r[0], r[1], r[2]) for r in self.db.execute(
            "SELECT ended_at, done_reps, load FROM sets WHERE exercise = ? AND warmup = 0 AND skipped = 0 "
            "AND done_reps > 0 ORDER BY ended_at", (exercise,))]

    @_guarded
    def exercises(self) -> list[str]:
        """Every exercise with a set or a training max in the log, by name."""
        return [r[0] for r in self.db.execute("SELECT exercise FROM sets UNION SELECT exercise FROM maxes "
                                              "ORDER BY 1")]

    @_guarded
    def exercise_sessions(self, routine_name: str) -> dict[str, list[bool]]:
        """For each exercise of the routine called `routine_name`: one entry per past session that did
        it, oldest first, True when every one of its work sets was completed (all there, none
        skipped, the planned reps reached)."""
        return {name: [r.outcome == "success" for _, r in results]
                for name, results in self.exercise_results(routine_name).items()}

    @_guarded
    def exercise_results(self, routine_name: str) -> dict[str, list[tuple[int | None, Result]]]:
        """For each exercise of the routine called `routine_name`: (the session's week, how it went)
        for each past session that did it, oldest first: a success (every work set there and done as
        planned), a failure (a set failed or short of its reps or hold), or neither (sets skipped
        or missing, none failed); with the reps of its last AMRAP or 5+ set."""
        rows = self.db.execute("""
            SELECT t.session_id, t.exercise, t.set_count, t.side, t.planned_reps, t.done_reps, t.skipped, t.amrap,
                   t.planned_hold_s, t.done_hold_s, t.failed, s.week, s.started_at
            FROM sets t JOIN sessions s ON s.id = t.session_id JOIN routines r ON r.id = s.routine_id
            WHERE r.name = ? AND t.warmup = 0 ORDER BY s.started_at, t.session_id, t.step""", (routine_name,))
        per: dict[tuple[int, str], list[sqlite3.Row]] = {}
        for row in rows:
            per.setdefault((row["session_id"], row["exercise"]), []).append(row)
        out: dict[str, list[tuple[int | None, Result]]] = {}
        for (_, exercise), sets in per.items():
            done = [r for r in sets if not r["skipped"]]
            sides = 2 if any(r["side"] for r in sets) else 1
            if any(not _completed(r) for r in done):
                outcome = "failure"
            elif len(done) >= sets[0]["set_count"] * sides:
                outcome = "success"
            else:
                outcome = "skipped"
            amraps = [r["done_reps"] for r in done if r["amrap"] and r["done_reps"] is not None]
            out.setdefault(exercise, []).append(
                (sets[0]["week"], Result(outcome, amraps[-1] if amraps else None, sets[0]["started_at"])))
        return out

    # ---------------------------------------------------------------- training maxes

    @_guarded
    def set_max(self, exercise: str, value: float, unit: str, note: str = "set by hand") -> MaxRecord:
        """Keep a new training max for `exercise` (the old ones stay, as history).

        Raises:
            HistoryError: a value that is not above 0, over 1,000 kg (2,204 lb), or in another unit.
        """
        if unit not in ("kg", "lb"):
            raise HistoryError(f"voicecoach: error: a training max is in kg or lb, not {unit!r}")
        limit = MAX_TRAINING_MAX[unit]
        if not 0 < value <= limit:
            raise HistoryError(f"voicecoach: error: a training max of {value:g} {unit} cannot be right; "
                               f"give one above 0 and at most {limit:,} {unit}")
        rec = MaxRecord(exercise, value, unit, iso_time(self.now()), note)
        with self.transaction() as db:
            db.execute("INSERT INTO maxes(exercise, value, unit, set_at, note) VALUES (?, ?, ?, ?, ?)", rec)
        return rec

    @_guarded
    def maxes(self, exercise: str | None = None) -> list[MaxRecord]:
        """Every training max kept (of `exercise`), oldest first."""
        sql = "SELECT exercise, value, unit, set_at, note FROM maxes"
        params: tuple[str, ...] = ()
        if exercise is not None:
            sql, params = sql + " WHERE exercise = ?", (exercise,)
        return [MaxRecord(*r) for r in self.db.execute(sql + " ORDER BY set_at, id", params)]

    @_guarded
    def current_maxes(self) -> dict[str, MaxRecord]:
        """The latest training max of each exercise that has one."""
        return {m.exercise: m for m in self.maxes()}

    def integrity(self) -> str:
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])


def _routine_id(db: sqlite3.Connection, name: str, sha256: str, source: str, text: str) -> int:
    """The routine's row (by its text's hash), made or renamed as it is now."""
    db.execute("INSERT INTO routines(name, sha256, source, text) VALUES (?, ?, ?, ?) "
               "ON CONFLICT(sha256) DO UPDATE SET name = excluded.name, source = excluded.source",
               (name, sha256, source, text))
    return int(db.execute("SELECT id FROM routines WHERE sha256 = ?", (sha256,)).fetchone()[0])


def _insert_set(db: sqlite3.Connection, session_id: int, s: SetRecord) -> None:
    db.execute("INSERT INTO sets(session_id, step, exercise, set_no, set_count, side, planned_reps, done_reps, "
               "planned_hold_s, done_hold_s, load, warmup, amrap, started_at, ended_at, skipped, paused_s, failed) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (session_id, s.step, s.exercise, s.set_no, s.set_count, s.side, s.planned_reps, s.done_reps,
                s.planned_hold_s, s.done_hold_s, s.load, int(s.warmup), int(s.amrap), s.started_at, s.ended_at,
                int(s.skipped), s.paused_s, int(s.failed)))


def _completed(r: sqlite3.Row) -> bool:
    """A set done as planned: not skipped or failed, its reps reached (AMRAP: any; 5+: at least 5), its
    hold held."""
    reps_ok = r["planned_reps"] is None or (r["done_reps"] or 0) >= r["planned_reps"]
    hold_ok = r["planned_hold_s"] is None or (r["done_hold_s"] or 0) >= r["planned_hold_s"] - 0.5
    return bool(not r["skipped"] and not r["failed"] and reps_ok and hold_ok)


def _set_record(r: sqlite3.Row) -> SetRecord:
    return SetRecord(step=r["step"], exercise=r["exercise"], set_no=r["set_no"], set_count=r["set_count"],
                     side=r["side"], planned_reps=r["planned_reps"], done_reps=r["done_reps"],
                     planned_hold_s=r["planned_hold_s"], done_hold_s=r["done_hold_s"], load=r["load"],
                     warmup=bool(r["warmup"]), amrap=bool(r["amrap"]), started_at=r["started_at"],
                     ended_at=r["ended_at"], skipped=bool(r["skipped"]), paused_s=r["paused_s"],
                     failed=bool(r["failed"]))
