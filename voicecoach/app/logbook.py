"""A session done without the coach, written into the log as if it had been played: the reps of
each work set, in order ("Back squat: 5 5 8"), on the program's next day or the one chosen.

Imports: voicecoach.app.choices, voicecoach.plan, voicecoach.routine, voicecoach.session (the
record of a set), voicecoach.errors.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from voicecoach.app.choices import open_history, program_day, progressed
from voicecoach.errors import UsageError
from voicecoach.plan.timeline import Step, build_steps
from voicecoach.plan.wording import plural
from voicecoach.routine.library import resolve_routine
from voicecoach.session.record import SetRecord, iso_time

_ENTRY = re.compile(r"^\s*(.+?)\s*:\s*(.*)$")


class Logged(NamedTuple):
    """What `log_session` wrote."""

    session: int
    routine: str
    day_label: str | None
    sets: int
    on: str


def log_session(db: Path | None, routine: str | None, entries: list[str], *, day: str | None = None,
                week: int | None = None, on: date | None = None) -> Logged:
    """Record a session of `routine` from `entries` ("NAME: 5 5 8", a number per work set: the reps,
    or the seconds of a hold; "-" for a set skipped). Work sets not given are logged as skipped.

    Raises:
        UsageError: every mistake (an unknown exercise, too many sets, not a number), one line each;
            nothing is written then.
    """
    with open_history(db) as history:
        r, at = program_day(resolve_routine(routine), history, day, week)
        r = progressed(r, history, at)
        work = [s for s in build_steps(r) if not s.spec.warmup]
        names = list(dict.fromkeys(s.exercise.name for s in work))
        given, problems = _read(entries, names, work)
        if problems:
            raise UsageError("\n".join(f"voicecoach: error: {p}" for p in problems))
        start = datetime.combine(on, datetime.min.time(), UTC).replace(hour=12) if on else datetime.now(UTC)
        records = [_record(step, given.get(step.exercise.name, {}).get(step.set_no), start, i)
                   for i, step in enumerate(work)]
        sid = history.log_session(r.name, r.sha256, r.source, r.text, records, started_at=iso_time(start),
                                  day=r.days[at.day].name if at is not None and r.days else None,
                                  week=at.week if at is not None else None)
    return Logged(sid, r.name, r.day_label, sum(1 for x in records if not x.skipped), start.date().isoformat())


def _read(entries: list[str], names: list[str], work: list[Step]) -> tuple[dict[str, dict[int, int | None]],
                                                                               list[str]]:
    """Each entry's exercise and numbers per set (None: "-"), and every mistake found."""
    import difflib
    given: dict[str, dict[int, int | None]] = {}
    problems: list[str] = []
    lowered = {n.lower(): n for n in names}
    for entry in entries:
        m = _ENTRY.match(entry)
        if m is None:
            problems.append(f"{entry!r}: give an exercise and its reps per set, e.g. \"Back squat: 5 5 8\"")
            continue
        name = lowered.get(" ".join(m.group(1).split()).lower())
        if name is None:
            close = difflib.get_close_matches(m.group(1), names, n=1)
            problems.append(f"{m.group(1)!r} is not an exercise of this session" +
                            (f"; did you mean {close[0]!r}?" if close else f"; its exercises: {', '.join(names)}"))
            continue
        if name in given:
            problems.append(f"{name!r} is given twice; give all its sets in one entry")
            continue
        set_nos = sorted({s.set_no for s in work if s.exercise.name == name})
        values = m.group(2).split()
        if len(values) > len(set_nos):
            problems.append(f"{name!r} has {plural(len(set_nos), 'work set')}, {len(values)} numbers were given")
            continue
        bad = [v for v in values if v != "-" and not (v.isdigit() and int(v) <= 10_000)]
        if bad:
            problems.append(f"{name!r}: {bad[0]!r} is not a number of reps (or seconds held), or '-' for a set "
                            "skipped")
            continue
        given[name] = {n: None if v == "-" else int(v) for n, v in zip(set_nos, values)}
    return given, problems


def _record(step: Step, value: int | None, start: datetime, i: int) -> SetRecord:
    spec, at = step.spec, start + timedelta(minutes=2 * i)
    hold = spec.hold_s is not None
    return SetRecord(step=step.position, exercise=step.exercise.name, set_no=step.set_no, set_count=step.set_count,
                     side=step.side, planned_reps=spec.reps, done_reps=None if hold else value,
                     planned_hold_s=spec.hold_s, done_hold_s=float(value) if hold and value is not None else None,
                     load=spec.load, warmup=False, amrap=spec.open, started_at=iso_time(at),
                     ended_at=iso_time(at + timedelta(seconds=45)), skipped=value is None)
