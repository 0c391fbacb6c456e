"""The training log: what is kept, how it survives, and what it refuses."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from voicecoach.log.history import SCHEMA_VERSION, History, HistoryError
from voicecoach.session.record import SetRecord

T0 = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)


def clock(start: datetime = T0):  # type: ignore[no-untyped-def]
    t = [start]

    def now() -> datetime:
        t[0] += timedelta(minutes=1)
        return t[0]
    return now


def a_set(step: int, exercise: str = "Squats", set_no: int = 1, reps: int | None = 10, done: int | None = 10,
          skipped: bool = False, load: str | None = "60 kg", side: str | None = None,
          when: datetime = T0) -> SetRecord:
    return SetRecord(step=step, exercise=exercise, set_no=set_no, set_count=3, side=side, planned_reps=reps,
                     done_reps=done, planned_hold_s=None, done_hold_s=None, load=load, warmup=False,
                     amrap=reps is None, started_at=when.isoformat(),
                     ended_at=(when + timedelta(seconds=40)).isoformat(), skipped=skipped)


def test_a_session_and_its_sets_are_kept(tmp_path: Path) -> None:
    with History(tmp_path / "h.db", now=clock()) as h:
        sid = h.start_session("Legs", "abc", "legs.yaml", "name: Legs\n")
        h.record_set(sid, a_set(0))
        h.record_set(sid, a_set(1, set_no=2, done=8))
        h.end_session(sid, "finished")
        rec = h.session(sid)
        assert rec is not None
        assert (rec.routine, rec.outcome, rec.sets, rec.reps, rec.skipped) == ("Legs", "finished", 2, 18, 0)
        assert [s.done_reps for s in h.sets(sid)] == [10, 8]
        assert h.routine_text(sid) == ("Legs", "name: Legs\n")


def test_the_database_uses_wal_foreign_keys_and_a_schema_version(tmp_path: Path) -> None:
    with History(tmp_path / "h.db") as h:
        assert h.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert h.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert h.db.execute("PRAGMA synchronous").fetchone()[0] == 2, "FULL: a committed set survives a power cut"
        assert h.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
        with pytest.raises(sqlite3.IntegrityError):
            h.record_set(999, a_set(0))


def test_a_running_session_whose_player_died_reads_as_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    code = textwrap.dedent(f"""
        from voicecoach.log.history import History
        h = History({str(db)!r})
        h.start_session("Legs", "abc", "legs.yaml", "name: Legs")
    """)
    subprocess.run([sys.executable, "-c", code], check=True)
    with History(db) as h:
        (rec,) = h.sessions()
        assert rec.outcome == "interrupted"
        assert h.last_interrupted() == rec


def test_resume_continues_after_the_last_set_that_ended(tmp_path: Path) -> None:
    with History(tmp_path / "h.db", now=clock()) as h:
        first = h.start_session("Legs", "abc", "legs.yaml", "x")
        for step in range(4):
            h.record_set(first, a_set(step))
        h.end_session(first, "interrupted")
        assert h.resume_step(first) == 4
        second = h.start_session("Legs", "abc", "legs.yaml", "x", start_step=4, resumed_from=first)
        assert h.resume_step(second) == 4, "nothing done yet in the resumed session"
        h.record_set(second, a_set(4))
        h.end_session(second, "interrupted")
        assert h.last_interrupted().id == second and h.resume_step(second) == 5


def test_a_resumed_session_knows_what_was_done_before_it_for_its_summary(tmp_path: Path) -> None:
    with History(tmp_path / "h.db", now=clock()) as h:
        first = h.start_session("Legs", "abc", "legs.yaml", "x")
        h.record_set(first, a_set(0))
        h.record_set(first, a_set(1, skipped=True))
        h.end_session(first, "interrupted")
        second = h.start_session("Legs", "abc", "legs.yaml", "x", start_step=2, resumed_from=first)
        h.record_set(second, a_set(2))
        h.end_session(second, "interrupted")
        steps, spent = h.done_in_chain(second)
        assert steps == [0, 2], "skipped sets are not counted"
        assert spent == 2 * 60.0, "one minute each by the test clock"


def test_a_finished_or_quit_session_leaves_nothing_to_resume(tmp_path: Path) -> None:
    with History(tmp_path / "h.db", now=clock()) as h:
        sid = h.start_session("Legs", "abc", "legs.yaml", "x")
        h.end_session(sid, "quit")
        assert h.last_interrupted() is None


def test_a_damaged_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    db.write_bytes(b"this is not a database, it only looks like one " * 100)
    before = db.read_bytes()
    with pytest.raises(HistoryError, match="damaged or not a voicecoach database") as info:
        History(db)
    assert "\n" not in str(info.value)
    assert db.read_bytes() == before


def test_a_database_from_a_newer_voicecoach_is_refused_and_left_untouched(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    with sqlite3.connect(db) as c:
        c.execute("CREATE TABLE future(x)")
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = db.read_bytes()
    with pytest.raises(HistoryError, match="newer voicecoach"):
        History(db)
    assert db.read_bytes() == before


def test_another_sqlite_file_is_not_taken_over(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as c:
        c.execute("CREATE TABLE photos(x)")
    with pytest.raises(HistoryError, match="not a voicecoach history database"):
        History(db)


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    History(db).close()
    code = textwrap.dedent(f"""
        import sys
        from voicecoach.log.history import History
        from voicecoach.session.record import SetRecord
        h = History({str(db)!r})
        sid = h.start_session("R" + sys.argv[1], sys.argv[1], "r.yaml", "x")
        for i in range(200):
            h.record_set(sid, SetRecord(i, "Squats", 1, 1, None, 5, 5, None, None, None, False, False,
                                        "2026-01-01T00:00:00", "2026-01-01T00:00:01"))
        h.end_session(sid, "finished")
    """)
    procs = [subprocess.Popen([sys.executable, "-c", code, str(n)]) for n in range(2)]
    assert [p.wait(120) for p in procs] == [0, 0]
    with History(db) as h:
        assert h.integrity() == "ok"
        assert sorted(s.sets for s in h.sessions()) == [200, 200]


def test_last_finished_is_the_comparison_for_the_summary(tmp_path: Path) -> None:
    with History(tmp_path / "h.db", now=clock()) as h:
        a = h.start_session("Legs", "abc", "legs.yaml", "x")
        h.record_set(a, a_set(0))
        h.end_session(a, "finished")
        b = h.start_session("Legs", "abc", "legs.yaml", "x")
        h.end_session(b, "quit")
        last = h.last_finished("abc")
        assert last is not None and last.id == a and last.reps == 10


def test_exercise_sessions_say_whether_every_set_was_completed(tmp_path: Path) -> None:
    with History(tmp_path / "h.db", now=clock()) as h:
        good = h.start_session("Legs", "abc", "legs.yaml", "x")
        for n in (1, 2, 3):
            h.record_set(good, a_set(n, set_no=n, exercise="Deadlifts", reps=5, done=5))
        h.end_session(good, "finished")
        bad = h.start_session("Legs", "abc", "legs.yaml", "x")
        for n in (1, 2, 3):
            h.record_set(bad, a_set(n, set_no=n, exercise="Deadlifts", reps=5, done=5 if n < 3 else 3))
        h.end_session(bad, "finished")
        partial = h.start_session("Legs", "abc", "legs.yaml", "x")
        h.record_set(partial, a_set(1, exercise="Deadlifts", reps=5, done=5))
        h.end_session(partial, "interrupted")
        assert h.exercise_sessions("Legs") == {"Deadlifts": [True, False, False]}


# ---------------------------------------------------------------- a database damaged inside its pages

def damaged_database(path: Path, table: str) -> Path:
    """A history of 30 sessions of 10 sets each, then one page of `table` broken as a disk would
    break it (its cell area said to start past the end of the page: "Extends off end of page")."""
    import sqlite3
    with History(path) as h:
        for i in range(30):
            sid = h.start_session("R", f"{i:064d}", "r.yaml", "name: R\n" * 50)
            for n in range(10):
                h.record_set(sid, SetRecord(step=n, exercise="Squats", set_no=n + 1, set_count=10, side=None,
                                            planned_reps=5, done_reps=5, planned_hold_s=None, done_hold_s=None,
                                            load=None, warmup=False, amrap=False, started_at="2026-01-01T00:00:00Z",
                                            ended_at="2026-01-01T00:01:00Z", skipped=False, paused_s=0))
            h.end_session(sid, "finished")
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    raw = bytearray(path.read_bytes())
    at = (root - 1) * page_size
    raw[at + 8:at + 10] = (page_size + 100).to_bytes(2, "big")  # the first cell pointer, off the page
    path.write_bytes(bytes(raw))
    return path


@pytest.mark.parametrize("table, command", [("sets", ["history"]), ("sets", ["stats"]),
                                            ("sessions", ["show", "1"]), ("sets", ["play", "tabata"]),
                                            ("sessions", ["resume"]), ("sets", ["history", "--json"])])
def test_a_database_damaged_inside_its_pages_gets_one_line_on_every_command(tmp_path: Path, table: str,
                                                                             command: list[str]) -> None:
    from click.testing import CliRunner

    from voicecoach.cli import cli
    db = damaged_database(tmp_path / "history.sqlite3", table)
    before = db.read_bytes()
    result = CliRunner().invoke(cli, ["--db", str(db), *command])
    assert result.exit_code == 1, result.output
    assert result.stderr == (f"{db}: error: the history database is damaged or not a voicecoach database "
                             f"(database disk image is malformed); it was left untouched; move it aside "
                             f"(mv '{db}' '{db}.damaged') to start a new one, or choose another with --db\n")
    assert db.read_bytes() == before


# ---------------------------------------------------------------- what a crash keeps (a second reader at each moment)

def test_each_write_is_committed_when_it_returns_as_a_second_reader_sees(tmp_path: Path) -> None:
    """A kill -9 can come between any two calls: what a call wrote is already on disk for another
    connection (the next `voicecoach` to start) when it returns, not at close."""
    db = tmp_path / "h.db"
    writer = History(db, now=clock())
    try:
        sid = writer.start_session("Legs", "abc", "legs.yaml", "name: Legs\n", start_step=2)
        with History(db) as reader:
            rec = reader.session(sid)
            assert rec is not None and (rec.outcome, rec.sets, rec.start_step) == ("running", 0, 2)
            assert reader.routine_text(sid) == ("Legs", "name: Legs\n")
        writer.record_set(sid, a_set(2, reps=None, done=None))
        with History(db) as reader:
            assert [(s.step, s.amrap, s.done_reps) for s in reader.sets(sid)] == [(2, True, None)]
        writer.set_amrap_reps(sid, 2, 14)
        with History(db) as reader:
            assert [s.done_reps for s in reader.sets(sid)] == [14]
            assert reader.resume_step(sid) == 3
        writer.end_session(sid, "quit")
        with History(db) as reader:
            rec = reader.session(sid)
            assert rec is not None and (rec.outcome, rec.ended_at) == ("quit", "2026-11-02T07:02:00.000+00:00")
    finally:
        writer.close()


def test_a_write_that_fails_half_way_leaves_nothing_of_itself(tmp_path: Path) -> None:
    with History(tmp_path / "h.db", now=clock()) as h:
        sid = h.start_session("Legs", "abc", "legs.yaml", "x")
        with pytest.raises(RuntimeError), h.transaction() as db:
            db.execute("UPDATE sessions SET outcome = 'finished' WHERE id = ?", (sid,))
            raise RuntimeError("the power went")
        rec = h.session(sid)
        assert rec is not None and rec.outcome == "running"
        h.record_set(sid, a_set(0))   # the connection is usable after the rollback
        assert [s.step for s in h.sets(sid)] == [0]


def test_a_set_is_kept_field_by_field_as_it_was_done(tmp_path: Path) -> None:
    done = SetRecord(step=4, exercise="Lunges", set_no=2, set_count=3, side="left", planned_reps=10, done_reps=9,
                     planned_hold_s=None, done_hold_s=None, load="20 kg", warmup=False, amrap=False,
                     started_at="2026-11-02T07:10:00.000+00:00", ended_at="2026-11-02T07:10:41.500+00:00",
                     skipped=True, paused_s=12.25)
    hold = SetRecord(step=5, exercise="Plank", set_no=0, set_count=1, side=None, planned_reps=None, done_reps=None,
                     planned_hold_s=45.0, done_hold_s=30.5, load=None, warmup=True, amrap=False,
                     started_at="2026-11-02T07:12:00.000+00:00", ended_at="2026-11-02T07:12:31.000+00:00")
    with History(tmp_path / "h.db", now=clock()) as h:
        sid = h.start_session("Legs", "abc", "legs.yaml", "x")
        h.record_set(sid, hold)
        h.record_set(sid, done)
        assert h.sets(sid) == [done, hold], "in the order of the plan's steps"
        rec = h.session(sid)
        assert rec is not None and (rec.sets, rec.skipped, rec.reps) == (2, 1, 9)
        assert rec.duration_s == 12 * 60 + 31 - 60, "a running session lasts until its last set ended"


def test_the_outcomes_a_session_can_end_with_and_no_other(tmp_path: Path) -> None:
    with History(tmp_path / "h.db", now=clock()) as h:
        for outcome in ("finished", "quit", "interrupted"):
            sid = h.start_session("Legs", "abc", "legs.yaml", "x")
            h.end_session(sid, outcome)
            rec = h.session(sid)
            assert rec is not None and rec.outcome == outcome
        with pytest.raises(ValueError):
            h.end_session(sid, "done")


# ---------------------------------------------------------------- what each refusal says, word for word

def test_a_newer_database_is_refused_in_one_whole_line(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    with sqlite3.connect(db) as c:
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(HistoryError) as refused:
        History(db)
    assert str(refused.value) == (
        f"{db}: error: this history database was written by a newer voicecoach (schema {SCHEMA_VERSION + 1}, "
        f"this one reads {SCHEMA_VERSION}); it was left untouched; upgrade voicecoach or choose another with --db")


def test_another_sqlite_file_is_refused_in_one_whole_line(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as c:
        c.execute("CREATE TABLE photos(x)")
    with pytest.raises(HistoryError) as refused:
        History(db)
    assert str(refused.value) == (f"{db}: error: this SQLite file is not a voicecoach history database; "
                                  "it was left untouched; choose another with --db")


def test_a_database_that_cannot_be_opened_is_one_whole_line(tmp_path: Path) -> None:
    folder = tmp_path / "h.db"
    folder.mkdir()   # a folder where the file should be
    with pytest.raises(HistoryError) as refused:
        History(folder)
    assert str(refused.value) == (f"{folder}: error: the history database cannot be used (unable to open database "
                                  "file); it was left untouched; choose another with --db")


def test_an_intact_database_passes_its_check_and_a_damaged_one_does_not(tmp_path: Path) -> None:
    with History(tmp_path / "h.db") as h:
        h.require_intact()   # no error
        assert h.integrity() == "ok"
    damaged = damaged_database(tmp_path / "d.db", "sets")
    with History(damaged) as h, pytest.raises(HistoryError, match="damaged or not a voicecoach database"):
        h.require_intact()


# ---------------------------------------------------------------- where the log lives, and who may write it

def test_the_log_is_made_in_a_folder_that_does_not_exist_yet(tmp_path: Path) -> None:
    with History(tmp_path / "a" / "b" / "h.db") as h:
        h.start_session("Legs", "abc", "legs.yaml", "x")
    assert (tmp_path / "a" / "b" / "h.db").exists()


def test_the_log_can_be_written_from_another_thread_than_the_one_that_opened_it(tmp_path: Path) -> None:
    import threading
    with History(tmp_path / "h.db", now=clock()) as h:
        sid = h.start_session("Legs", "abc", "legs.yaml", "x")
        failed: list[BaseException] = []

        def write() -> None:
            try:
                h.record_set(sid, a_set(0))
            except BaseException as exc:
                failed.append(exc)
        worker = threading.Thread(target=write)
        worker.start()
        worker.join()
        assert failed == [] and len(h.sets(sid)) == 1


# ---------------------------------------------------------------- a session as the log reads it back

def test_a_session_reads_back_field_by_field(tmp_path: Path) -> None:
    with History(tmp_path / "h.db", now=clock()) as h:
        first = h.start_session("Legs", "f" * 64, "legs.yaml", "x")
        h.end_session(first, "interrupted")
        second = h.start_session("Legs", "f" * 64, "legs.yaml", "x", start_step=3, resumed_from=first)
        rec = h.session(second)
    assert rec is not None
    assert rec._asdict() == {"id": second, "routine": "Legs", "routine_sha256": "f" * 64,
                             "started_at": "2026-11-02T07:03:00.000+00:00", "ended_at": None, "outcome": "running",
                             "start_step": 3, "resumed_from": first, "sets": 0, "skipped": 0, "reps": 0,
                             "duration_s": None}


def test_a_running_session_of_a_live_player_here_is_running_and_of_another_machine_interrupted(
        tmp_path: Path) -> None:
    with History(tmp_path / "h.db") as h:
        sid = h.start_session("Legs", "abc", "legs.yaml", "x")   # this process: alive
        rec = h.session(sid)
        assert rec is not None and rec.outcome == "running"
        h.db.execute("UPDATE sessions SET host = 'elsewhere' WHERE id = ?", (sid,))
        rec = h.session(sid)
        assert rec is not None and rec.outcome == "interrupted", "another machine's player cannot be asked"
        h.db.execute("UPDATE sessions SET host = ?, pid = NULL WHERE id = ?", (os.uname().nodename, sid))
        rec = h.session(sid)
        assert rec is not None and rec.outcome == "interrupted", "no process to ask"
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True).stdout.strip()
        h.db.execute("UPDATE sessions SET pid = ? WHERE id = ?", (int(dead), sid))
        rec = h.session(sid)
        assert rec is not None and rec.outcome == "interrupted", "its process has ended"


# ---------------------------------------------------------------- what counts as a completed set (progression)

def _one(h: History, **fields: object) -> bool:
    """Whether a session with one work set of these fields counts as every set completed."""
    sid = h.start_session("R", "abc", "r.yaml", "x")
    base = dict(step=0, exercise="Plank", set_no=1, set_count=1, side=None, planned_reps=None, done_reps=None,
                planned_hold_s=None, done_hold_s=None, load=None, warmup=False, amrap=False,
                started_at="2026-11-02T07:00:00.000+00:00", ended_at="2026-11-02T07:01:00.000+00:00")
    h.record_set(sid, SetRecord(**{**base, **fields}))   # type: ignore[arg-type]
    return h.exercise_sessions("R")["Plank"][-1]


@pytest.mark.parametrize(("fields", "completed"), [
    ({"planned_hold_s": 30.0, "done_hold_s": 30.0}, True),
    ({"planned_hold_s": 30.0, "done_hold_s": 29.5}, True),        # half a second short is the hold held
    ({"planned_hold_s": 30.0, "done_hold_s": 29.4}, False),
    ({"planned_hold_s": 30.0, "done_hold_s": None}, False),       # skipped before it began
    ({"planned_hold_s": 0.6, "done_hold_s": None}, False),       # even a hold shorter than a second
    ({"planned_reps": 5, "done_reps": 5}, True),
    ({"planned_reps": 5, "done_reps": 4}, False),
    ({"planned_reps": 1, "done_reps": None}, False),              # no reps recorded is none done
    ({"planned_reps": None, "done_reps": None, "amrap": True}, True),
    ({"planned_reps": None, "done_reps": 3, "amrap": True}, True),   # an AMRAP set: whatever was reached
    ({"planned_reps": 5, "done_reps": 7, "amrap": True}, True),      # 5+: 5 or more
    ({"planned_reps": 5, "done_reps": 4, "amrap": True}, False),     # 5+ short of 5
    ({"planned_reps": 5, "done_reps": 5, "skipped": True}, False),
])
def test_a_set_counts_as_completed_when_its_reps_were_reached_or_its_hold_held(
        tmp_path: Path, fields: dict[str, object], completed: bool) -> None:
    with History(tmp_path / "h.db") as h:
        assert _one(h, **fields) is completed


def test_a_guarded_method_is_called_as_it_is_and_a_damaged_file_becomes_one_line() -> None:
    from voicecoach.log.history import _guarded

    def method(self: History, a: int, *, b: int) -> tuple[History, int, int]:
        """Doc."""
        return self, a, b
    wrapped = _guarded(method)
    with History(":memory:") as h:
        assert wrapped(h, 1, b=2) == (h, 1, 2)
        assert (wrapped.__name__, wrapped.__doc__, wrapped.__wrapped__) == ("method", "Doc.", method)  # type: ignore[attr-defined]

        def damaged(self: History) -> None:
            raise sqlite3.DatabaseError("file is not a database")
        with pytest.raises(HistoryError) as refused:
            _guarded(damaged)(h)
        assert str(refused.value) == (
            ":memory:: error: the history database is damaged or not a voicecoach database (file is not a "
            "database); it was left untouched; move it aside (mv ':memory:' ':memory:.damaged') to start a new "
            "one, or choose another with --db")

        def ours(self: History) -> None:
            raise sqlite3.IntegrityError("FOREIGN KEY constraint failed")
        with pytest.raises(sqlite3.IntegrityError):
            _guarded(ours)(h)


def test_a_player_the_system_will_not_let_us_signal_is_taken_as_alive(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    with History(tmp_path / "h.db") as h:
        sid = h.start_session("Legs", "abc", "legs.yaml", "x")

        def refuse(pid: int, signal: int) -> None:
            raise PermissionError(1, "Operation not permitted")   # another user's process
        monkeypatch.setattr(os, "kill", refuse)
        rec = h.session(sid)
        assert rec is not None and rec.outcome == "running"


def test_deleting_a_session_removes_it_and_its_sets_and_keeps_the_rest(tmp_path: Path) -> None:
    with History(tmp_path / "h.db", now=clock()) as h:
        first = h.start_session("Legs", "abc", "legs.yaml", "name: Legs\n")
        h.record_set(first, a_set(0))
        h.end_session(first, "interrupted")
        resumed = h.start_session("Legs", "abc", "legs.yaml", "name: Legs\n", start_step=1, resumed_from=first)
        h.record_set(resumed, a_set(1, set_no=2))
        h.end_session(resumed, "finished")
        test = h.start_session("Legs", "abc", "legs.yaml", "name: Legs\n")
        h.record_set(test, a_set(0, done=0, skipped=True))
        h.end_session(test, "quit")
        gone = h.delete_session(first)
        assert gone is not None and gone.id == first
        assert [s.id for s in h.sessions()] == [test, resumed]
        assert h.session(resumed).resumed_from is None and len(h.sets(resumed)) == 1  # type: ignore[union-attr]
        assert h.delete_session(first) is None, "twice: nothing to delete"
        assert h.last_finished("abc").id == resumed  # type: ignore[union-attr]
        assert h.integrity() == "ok"


def test_a_session_being_played_is_not_deleted(tmp_path: Path) -> None:
    with History(tmp_path / "h.db", now=clock()) as h:
        sid = h.start_session("Legs", "abc", "legs.yaml", "name: Legs\n")   # this process: alive
        with pytest.raises(HistoryError, match="is being played now"):
            h.delete_session(sid)
        assert h.session(sid) is not None


def test_a_database_of_the_release_before_programs_keeps_every_session_when_it_is_migrated(tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    db.write_bytes((Path(__file__).parent.parent / "data" / "history-v1.sqlite").read_bytes())
    with sqlite3.connect(db) as old:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 1
        before = old.execute("SELECT * FROM sets ORDER BY id").fetchall()
        sessions_before = old.execute("SELECT * FROM sessions ORDER BY id").fetchall()
    old.close()
    with History(db) as h:
        assert h.db.execute("PRAGMA user_version").fetchone()[0] == 2
        after = [tuple(r)[:-1] for r in h.db.execute("SELECT * FROM sets ORDER BY id")]
        assert after == before and len(after) == 15
        assert [tuple(r)[:-3] for r in h.db.execute("SELECT * FROM sessions ORDER BY id")] == sessions_before
        assert [(r.outcome, r.sets) for r in h.sessions()] == [("finished", 6), ("interrupted", 3), ("finished", 6)]
        assert {tuple(r) for r in h.db.execute("SELECT failed FROM sets")} == {(0,)}
        assert {tuple(r) for r in h.db.execute("SELECT day, week, origin FROM sessions")} == {(None, None, "played")}
        assert h.exercise_sessions("Legs and back") == {  # 3 sets planned, fewer done
            "Goblet squat": [False, False, False], "Romanian deadlift": [False, False], "Push-ups": [False, False]}
        assert h.maxes() == []
    with History(db) as again:  # opened again: nothing more to do
        assert len(again.sets(1)) == 6


def test_a_failed_set_is_kept_as_failed_and_the_exercise_as_not_completed(tmp_path: Path) -> None:
    with History(tmp_path / "h.db", now=clock()) as h:
        sid = h.start_session("Legs", "abc", "legs.yaml", "name: Legs\n")
        h.record_set(sid, a_set(0))
        h.record_set(sid, a_set(1, set_no=2))
        h.record_set(sid, a_set(2, set_no=3, done=10)._replace(failed=True))  # failed on the last rep, say
        h.end_session(sid, "finished")
        assert [s.failed for s in h.sets(sid)] == [False, False, True]
        assert h.exercise_sessions("Legs") == {"Squats": [False]}


def test_training_maxes_are_kept_as_history_and_the_latest_counts(tmp_path: Path) -> None:
    with History(tmp_path / "h.db", now=clock()) as h:
        h.set_max("Back squat", 140, "kg")
        h.set_max("Bench press", 225, "lb", note="from the routine")
        h.set_max("Back squat", 145, "kg")
        assert [(m.exercise, m.value, m.unit) for m in h.maxes()] == [
            ("Back squat", 140, "kg"), ("Bench press", 225, "lb"), ("Back squat", 145, "kg")]
        assert [m.value for m in h.maxes("Back squat")] == [140, 145]
        assert {k: (m.value, m.note) for k, m in h.current_maxes().items()} == {
            "Back squat": (145, "set by hand"), "Bench press": (225, "from the routine")}
        assert h.maxes("Back squat")[0].set_at == "2026-11-02T07:01:00.000+00:00"


@pytest.mark.parametrize("value, unit, why", [
    (-5, "kg", "a training max of -5 kg cannot be right; give one above 0 and at most 1,000 kg"),
    (0, "kg", "a training max of 0 kg cannot be right; give one above 0 and at most 1,000 kg"),
    (1000.5, "kg", "a training max of 1000.5 kg cannot be right; give one above 0 and at most 1,000 kg"),
    (2205, "lb", "a training max of 2205 lb cannot be right; give one above 0 and at most 2,204 lb"),
    (100, "stone", "a training max is in kg or lb, not 'stone'"),
])
def test_an_absurd_training_max_is_refused_and_nothing_is_kept(tmp_path: Path, value: float, unit: str,
                                                              why: str) -> None:
    with History(tmp_path / "h.db") as h:
        with pytest.raises(HistoryError) as e:
            h.set_max("Back squat", value, unit)
        assert str(e.value) == f"voicecoach: error: {why}"
        h.set_max("Back squat", 1000, "kg")
        assert len(h.maxes()) == 1
