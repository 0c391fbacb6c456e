"""The commands of the training log: history (and history delete), show, stats, max (and max set), log.

Imports: click, voicecoach.cli.options, voicecoach.app.records, voicecoach.log (its record types).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from voicecoach.app import records
from voicecoach.cli.options import chosen_db
from voicecoach.errors import UsageError

if TYPE_CHECKING:
    from voicecoach.log.history import SessionRecord


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


@click.group("history", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print as CSV.")
@click.option("--limit", type=click.IntRange(1), default=None, metavar="N", help="Only the N most recent sessions.")
@click.pass_context
def history_cmd(ctx: click.Context, as_json: bool, as_csv: bool, limit: int | None) -> None:
    """List past sessions, newest first: when, which routine, how it ended, sets, reps, time.

    \b
    Examples:
      voicecoach history --limit 10
      voicecoach history --csv > sessions.csv
      voicecoach history delete 12         # a test or aborted session
    """
    if ctx.invoked_subcommand is not None:
        return
    sessions = records.sessions(chosen_db(), limit=limit)
    if as_json:
        import json
        click.echo(json.dumps([x._asdict() for x in sessions], indent=1))
        return
    if as_csv:
        import csv

        from voicecoach.log.history import SessionRecord
        writer = csv.DictWriter(sys.stdout, fieldnames=list(SessionRecord._fields), lineterminator="\n")
        writer.writeheader()
        for x in sessions:
            writer.writerow(x._asdict())
        return
    if not sessions:
        click.echo("no sessions yet: play one with `voicecoach play`")
        return
    click.echo(f"{'id':>5}  {'started (UTC)':<16}  {'routine':<24} {'outcome':<11} {'sets':>4} {'skip':>4} "
               f"{'reps':>5} {'time':>8}")
    for x in sessions:
        click.echo(_line(x))


def _line(x: SessionRecord) -> str:
    return (f"{x.id:>5}  {x.started_at[:16].replace('T', ' '):<16}  {x.routine[:24]:<24} {x.outcome:<11} "
            f"{x.sets:>4} {x.skipped:>4} {x.reps:>5} {_duration(x.duration_s):>8}")


def _can_ask() -> bool:
    return sys.stdin.isatty()


@history_cmd.command("delete")
@click.argument("session", type=int)
@click.option("--yes", "-y", is_flag=True, help="Do not ask; needed without a terminal.")
def delete(session: int, yes: bool) -> None:
    """Delete SESSION (an id from `voicecoach history`) and its sets: a test or aborted session then no
    longer counts for "last time", progression or stats. The rest of the log is left as it is.

    \b
    Examples:
      voicecoach history delete 12
      voicecoach history delete 12 --yes
    """
    db = chosen_db()
    rec, sets = records.session_sets(db, session)
    if not yes:
        if not _can_ask():
            raise UsageError(f"voicecoach: error: deleting session {session} needs --yes (there is no terminal "
                             "to ask on)")
        click.echo(_line(rec))
        if not click.confirm(f"Delete session {session} and its {len(sets)} sets?", default=False):
            click.echo("nothing deleted")
            return
    records.delete_session(db, session)
    click.echo(f"deleted session {session} ({rec.routine}, {rec.started_at[:16].replace('T', ' ')} UTC)")


@click.command()
@click.argument("session", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def show(session: int, as_json: bool) -> None:
    """Show every set of one SESSION (an id from `voicecoach history`).

    \b
    Example:
      voicecoach show 12
    """
    rec, sets = records.session_sets(chosen_db(), session)
    if as_json:
        import json
        click.echo(json.dumps({"session": rec._asdict(), "sets": [x._asdict() for x in sets]}, indent=1))
        return
    click.echo(f"session {rec.id}: {rec.routine}, {rec.started_at[:16].replace('T', ' ')} UTC, {rec.outcome}, "
               f"{_duration(rec.duration_s)}")
    for x in sets:
        planned = (f"{x.planned_reps}{'+' if x.amrap else ''} reps" if x.planned_reps is not None else
                   f"{x.planned_hold_s:g} s" if x.planned_hold_s is not None else "AMRAP")
        done = (f"{x.done_reps}" if x.done_reps is not None else
                f"{x.done_hold_s:g} s" if x.done_hold_s is not None else "-")
        label = "warm-up" if x.warmup else f"set {x.set_no}/{x.set_count}"
        flags = " skipped" if x.skipped else " failed" if x.failed else ""
        flags += f" paused {x.paused_s:.0f} s" if x.paused_s >= 1 else ""
        click.echo(f"  {x.exercise[:22]:<22} {label:<9} {x.side or '':<5} planned {planned:<9} done {done:<7} "
                   f"{x.load or '':<10}{flags}")


@click.command()
@click.option("--exercise", metavar="NAME", help="Only this exercise.")
@click.option("--weeks", type=click.IntRange(1, 520), default=12, show_default=True, help="How many weeks back.")
@click.option("--png", type=click.Path(path_type=Path), metavar="FILE", help="Also draw the chart to a PNG image.")
def stats(exercise: str | None, weeks: int, png: Path | None) -> None:
    """Per exercise, reps and volume (reps x load), or seconds held, week by week, drawn in the terminal.

    \b
    Examples:
      voicecoach stats
      voicecoach stats --exercise Deadlifts --weeks 26 --png deadlifts.png
    """
    table = records.weekly_table(chosen_db(), exercise, weeks)
    if not table:
        click.echo("no sets recorded yet" + (f" for {exercise}" if exercise else ""))
        return
    from voicecoach.log.stats import draw_png, terminal_chart
    click.echo(terminal_chart(table))
    if png is not None:
        draw_png(table, png)
        click.echo(f"wrote {png}")


@click.group("max", invoke_without_command=True)
@click.option("--routine", "routine", metavar="ROUTINE", help="Also the starting maxes this routine gives.")
@click.pass_context
def max_cmd(ctx: click.Context, routine: str | None) -> None:
    """List each exercise's training max, where it came from, and the one-rep max estimated from the
    log (Epley's formula, from the best set of 1 to 12 reps).

    A load written as a percentage (load: 75%) is that share of the training max: the latest set
    here, else the routine's own (maxes:). Setting one keeps the old ones as history.

    \b
    Examples:
      voicecoach max
      voicecoach max set "Back squat" 140kg
    """
    if ctx.invoked_subcommand is not None:
        return
    from voicecoach.routine.library import resolve_routine
    lines = records.max_lines(chosen_db(), resolve_routine(routine) if routine else None)
    if not lines:
        click.echo('no training maxes yet: set one with `voicecoach max set "Back squat" 140kg`')
        return
    click.echo(f"{'exercise':<24} {'training max':<14} {'from':<32} estimated 1RM (Epley)")
    for x in lines:
        e = x.estimate
        guess = f"{e.one_rm:g} {e.unit}, from {e.load:g} {e.unit} x {e.reps} on {e.on}" if e else "-"
        click.echo(f"{x.exercise[:24]:<24} {x.max or '-':<14} {(x.source or '-')[:32]:<32} {guess}")


@max_cmd.command("set")
@click.argument("exercise")
@click.argument("amount")
def max_set(exercise: str, amount: str) -> None:
    """Set EXERCISE's training max to AMOUNT (a weight with its unit: 140kg, 315lb), from now on.

    \b
    Example:
      voicecoach max set "Back squat" 140kg
    """
    rec = records.set_max(chosen_db(), exercise, amount)
    click.echo(f"{rec.exercise}: training max {rec.value:g} {rec.unit} from now on")


@click.command("log")
@click.argument("routine")
@click.argument("entries", nargs=-1, required=True, metavar="'EXERCISE: REPS...'...")
@click.option("--day", metavar="NAME|N", help="A program's day (default: the next).")
@click.option("--week", type=click.IntRange(1, 10_000), metavar="N", help="A program's week (default: the next).")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD", help="When (default: now).")
def log_cmd(routine: str, entries: tuple[str, ...], day: str | None, week: int | None, on: datetime | None) -> None:
    """Record a session done without the coach, as if it had been played: per exercise, the reps of
    each work set in order (an AMRAP or 5+ set: the reps reached; a failed set: the reps made; a hold:
    the seconds held; '-': skipped). Warm-up sets are not listed; work sets not given are skipped.
    It counts for progression, history, stats and the program's next day like a played one.

    \b
    Examples:
      voicecoach log legs-and-back "Goblet squat: 12 12 10" "Romanian deadlift: 10 10 -"
      voicecoach log 531.yaml --day Press --date 2026-12-01 "Overhead press: 5 5 9"
    """
    from voicecoach.app.logbook import log_session
    done = log_session(chosen_db(), routine, list(entries), day=day, week=week, on=on.date() if on else None)
    label = f", {done.day_label.rstrip('.')}" if done.day_label else ""
    sets = "1 set" if done.sets == 1 else f"{done.sets} sets"
    click.echo(f"logged session {done.session}: {done.routine}{label}, {done.on}, {sets}")
