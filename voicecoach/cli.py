"""The `voicecoach` command: click commands wired to the core. The only module that prints or exits.

Imports: click and every voicecoach module (lazily for the heavy ones: sound, speech).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from voicecoach import __version__
from voicecoach.config import bundled_routines, resolve_routine, schema_text
from voicecoach.errors import RoutineError, UsageError, VoicecoachError
from voicecoach.fileio import write_atomic
from voicecoach.routine import Routine, iter_exercises, load_routine
from voicecoach.starter import STARTER_ROUTINE
from voicecoach.timeline import EventKind, Timeline, build_timeline, estimate_speech_s, find_step

ROUTINE_HELP = "A routine file, or the name of a bundled one (see `voicecoach routines`). Default: legs-and-back."


class _Group(click.Group):
    """Maps voicecoach errors to one line on stderr and an exit status (2 user mistake, 1 system, 130 Ctrl-C)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VoicecoachError as exc:
            if ctx.meta.get("debug"):
                raise
            click.echo(str(exc), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("voicecoach: interrupted", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="voicecoach")
@click.option("--debug", is_flag=True, help="Show Python tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """voicecoach: a voice-guided, hands-free workout player.

    Put your headphones on, run `voicecoach play`, and be coached through a whole
    strength session by voice: what comes next and how to do it, reps counted to a
    tempo, sets counted, rest timed, a summary at the end.

    \b
    Examples:
      voicecoach play                      # the bundled legs-and-back routine
      voicecoach play tabata               # another bundled routine
      voicecoach plan mine.yaml            # what will be said, and when
      voicecoach check mine.yaml           # find mistakes in a routine
    """
    ctx.meta["debug"] = debug


def _fail(message: str) -> NoReturn:
    raise UsageError(f"voicecoach: error: {message}")


def _start_step(routine: Routine, start: str | None) -> int:
    """The step named by --start EXERCISE[:SET[:SIDE]] (exercise by name or 1-based number)."""
    if not start:
        return 0
    parts = start.split(":")
    if len(parts) > 3:
        _fail(f"--start takes EXERCISE[:SET[:SIDE]], got {start!r}")
    names = list(dict.fromkeys(e.name for e in iter_exercises(routine)))
    ex = parts[0].strip()
    if ex.isdigit():
        if not 1 <= int(ex) <= len(names):
            _fail(f"--start: exercise number must be 1 to {len(names)}, got {ex}")
        ex = names[int(ex) - 1]
    set_no = None
    if len(parts) > 1:
        if not parts[1].strip().isdigit():
            _fail(f"--start: the set must be a number, got {parts[1]!r}")
        set_no = int(parts[1])
    side = parts[2].strip().lower() if len(parts) > 2 else None
    from voicecoach.timeline import build_steps
    index = find_step(build_steps(routine), ex, set_no, side)
    if index is None:
        _fail(f"--start: no {start!r} in {routine.name}; exercises: {', '.join(names)}")
    return index


def _clock(seconds: float) -> str:
    minutes, secs = divmod(seconds, 60)
    return f"{int(minutes):2d}:{secs:05.2f}"


def _print_plan(timeline: Timeline) -> None:
    rate = timeline.rate_hz
    click.echo(f"{timeline.routine}: {len(timeline.events)} events, {_clock(timeline.duration_s).strip()} in all")
    click.echo(f"{'time':>8}  {'exercise':<22} {'set':<9} said or played")
    for e in timeline.events:
        what = e.text if e.kind is EventKind.SPEECH else f"[{e.tone.value if e.tone else 'tone'}]"
        where = (e.exercise or "")[:22]
        set_txt = "" if e.set_no is None else (f"{e.set_no}" + (f" {e.side}" if e.side else ""))
        click.echo(f"{_clock(e.start_frame / rate)}  {where:<22} {set_txt:<9} {what}")
    if timeline.dropped:
        click.echo(f"({len(timeline.dropped)} phrases did not fit and give way: "
                   f"{', '.join(sorted(set(timeline.dropped)))})")
    click.echo(f"total {_clock(timeline.duration_s).strip()}")


@cli.command()
@click.argument("routine", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON for machines.")
@click.option("--start", metavar="EXERCISE[:SET[:SIDE]]",
              help="Plan from this position, e.g. 'Deadlifts:2' or '2:1:left'.")
def plan(routine: str | None, as_json: bool, start: str | None) -> None:
    """Print what will be said and played, and when.

    ROUTINE is a routine file or a bundled routine's name (default: legs-and-back).

    \b
    Examples:
      voicecoach plan
      voicecoach plan tabata --json
      voicecoach plan legs-and-back --start Deadlifts:2
    """
    r = resolve_routine(routine)
    timeline = build_timeline(r, estimate_speech_s, start_step=_start_step(r, start))
    if as_json:
        click.echo(json.dumps(timeline.to_dict(), indent=1))
    else:
        _print_plan(timeline)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def check(files: tuple[Path, ...]) -> None:
    """Check routine files and report every mistake, with line and column.

    Exit status 0 when every file is fine, 2 when any has a mistake.

    \b
    Example:
      voicecoach check routines/*.yaml
    """
    failed = False
    for path in files:
        try:
            r = load_routine(path)
        except RoutineError as exc:
            failed = True
            click.echo(str(exc), err=True)
            continue
        minutes = build_timeline(r, estimate_speech_s).duration_s / 60
        n = len(list(iter_exercises(r)))
        click.echo(f"{path}: ok ({r.name}: {n} exercises, about {minutes:.0f} min)")
    if failed:
        sys.exit(2)


@cli.command()
def routines() -> None:
    """List the bundled routines (play one by name: `voicecoach play tabata`)."""
    for name, resource in bundled_routines().items():
        r = resolve_routine(name)
        minutes = build_timeline(r, estimate_speech_s).duration_s / 60
        click.echo(f"{name:<22} {r.name} - about {minutes:.0f} min. {r.description or ''}".rstrip())


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def new(file: Path, force: bool) -> None:
    """Write a commented starter routine to FILE, to edit and play.

    \b
    Example:
      voicecoach new mine.yaml && voicecoach check mine.yaml
    """
    if file.exists() and not force:
        _fail(f"{file} exists; use --force to overwrite it")
    if file.is_dir():
        _fail(f"{file} is a directory")
    write_atomic(file, STARTER_ROUTINE.encode("utf-8"))
    click.echo(f"wrote {file}; edit it, then: voicecoach check {file} && voicecoach play {file}")


@cli.command()
def schema() -> None:
    """Print the routine format's JSON Schema (for editors and other tools)."""
    click.echo(schema_text(), nl=False)


main = cli
