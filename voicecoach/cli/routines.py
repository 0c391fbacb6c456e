"""The commands about routines: plan, render, check, routines, new, schema.

Imports: click, voicecoach.cli.options, voicecoach.app (routines, choices), voicecoach.plan,
voicecoach.routine.library, voicecoach.errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from voicecoach.app import routines as app
from voicecoach.app.choices import Speech
from voicecoach.cli.options import chosen_db, complete_routine, day_options, voice_options
from voicecoach.errors import RoutineError, VoiceError
from voicecoach.plan.timeline import EventKind, Timeline
from voicecoach.plan.wording import plural
from voicecoach.routine.library import schema_text
from voicecoach.routine.model import SetSpec


@click.command()
@click.argument("routine", required=False, shell_complete=complete_routine)
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON for machines.")
@click.option("--start", metavar="EXERCISE[:SET[:SIDE]]",
              help="Plan from this position, e.g. 'Deadlifts:2' or '2:1:left'.")
@click.option("--estimate", is_flag=True, help="Estimate phrase lengths instead of synthesizing them (no espeak-ng).")
@click.option("--ahead", type=click.IntRange(1, 520), metavar="N",
              help="Instead: the loads of the next N sessions if every set is done (a program's days and rules).")
@day_options
@voice_options
def plan(routine: str | None, as_json: bool, start: str | None, estimate: bool, ahead: int | None, day: str | None,
         week: int | None, engine: str | None, voice: str | None, rate: int | None, volume: float | None) -> None:
    """Print what will be said and played, and when.

    ROUTINE is a routine file or a bundled routine's name (default: legs-and-back).
    Phrase lengths are measured by synthesizing them (cached), so the times are those
    `play` and `render` use; --estimate guesses them instead.

    \b
    Examples:
      voicecoach plan
      voicecoach plan tabata --json
      voicecoach plan legs-and-back --start Deadlifts:2
    """
    if ahead is not None:
        _print_ahead(routine, ahead)
        return
    timeline = app.plan_of(routine, start, Speech(engine, voice, rate, volume), estimate=estimate, db=chosen_db(),
                           day=day, week=week)
    if as_json:
        import json
        click.echo(json.dumps(timeline.to_dict(), indent=1))
    else:
        _print_plan(timeline)


def _print_ahead(routine: str | None, count: int) -> None:
    from voicecoach.app.ahead import sessions_ahead
    name, sessions = sessions_ahead(routine, count, chosen_db())
    click.echo(f"{name}: the next {count} sessions if every set is done")
    for i, session in enumerate(sessions, start=1):
        click.echo(f"{i:>3}  {session.label}")
        for exercise, sets in session.exercises:
            click.echo(f"       {exercise[:24]:<24} {_sets_text(sets)}")


def _sets_text(sets: tuple[SetSpec, ...]) -> str:
    """"4x3 @ 100 kg, 1x3+ @ 100 kg": runs of the same set counted."""
    def one(s: SetSpec) -> str:
        work = f"{s.reps}{'+' if s.plus else ''}" if s.reps is not None else \
            f"{s.hold_s:g} s" if s.hold_s is not None else "AMRAP"
        return f"{work} @ {s.load}" if s.load else work
    runs: list[list[str | int]] = []
    for text in map(one, sets):
        if runs and runs[-1][1] == text:
            runs[-1][0] = int(runs[-1][0]) + 1
        else:
            runs.append([1, text])
    return ", ".join(f"{n}x{text}" for n, text in runs)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(seconds, 60)
    return f"{int(minutes):2d}:{secs:05.2f}"


def _print_plan(timeline: Timeline) -> None:
    rate = timeline.rate_hz
    click.echo(f"{timeline.routine}: {len(timeline.events)} events, {_clock(timeline.duration_s).strip()} in all")
    click.echo(f"{'time':>8}  {'exercise':<22} {'set':<9} said or played")
    beats = 0
    for e in timeline.events:
        if e.tone and e.tone.is_beat:  # hundreds of soft taps: counted below, listed by --json
            beats += 1
            continue
        what = e.text if e.kind is EventKind.SPEECH else f"[{e.tone.value if e.tone else 'tone'}]"
        where = (e.exercise or "")[:22]
        number = "warm-up" if e.set_no == 0 else str(e.set_no)  # warm-up sets are not counted among the sets
        set_txt = "" if e.set_no is None else (number + (f" {e.side}" if e.side else ""))
        click.echo(f"{_clock(e.start_frame / rate)}  {where:<22} {set_txt:<9} {what}")
    if beats:
        click.echo(f"({plural(beats, 'tempo beat')} pace the slow lowering of reps; plan --json lists them)")
    if timeline.dropped:
        they = "it" if len(timeline.dropped) == 1 else "they"
        click.echo(f"({plural(len(timeline.dropped), 'phrase')} gave way, as {they} did not fit: "
                   f"{', '.join(sorted(set(timeline.dropped)))})")
    click.echo(f"total {_clock(timeline.duration_s).strip()}")


@click.command()
@click.argument("routine", required=False, shell_complete=complete_routine)
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
              help="The file to write: .wav, .flac or .ogg.")
@click.option("--start", metavar="EXERCISE[:SET[:SIDE]]", help="Start at this position.")
@day_options
@voice_options
def render(routine: str | None, output: Path, start: str | None, day: str | None, week: int | None,
           engine: str | None, voice: str | None, rate: int | None, volume: float | None) -> None:
    """Write the whole session to an audio file, exactly as `play` would sound.

    The format follows the extension: .wav (16-bit), .flac or .ogg (Vorbis). The file is
    written atomically: on any failure or Ctrl-C nothing is left behind.

    \b
    Examples:
      voicecoach render -o session.wav
      voicecoach render tabata -o tabata.ogg
    """
    done = app.render_to(routine, output, start, Speech(engine, voice, rate, volume), db=chosen_db(),
                         show_progress=sys.stderr.isatty(), day=day, week=week)
    click.echo(f"wrote {output} ({int(done.duration_s // 60)}:{int(done.duration_s % 60):02d} of audio "
               f"in {done.took_s:.1f} s)")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path), shell_complete=complete_routine)
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
            ok = app.check_file(path, chosen_db())
        except (RoutineError, VoiceError) as exc:
            failed = True
            click.echo(str(exc), err=True)
            continue
        click.echo(f"{path}: ok ({ok.name}: {plural(ok.exercises, 'exercise')}, {ok.about})")
    if failed:
        sys.exit(2)


@click.command()
def routines() -> None:
    """List the bundled routines (play one by name: `voicecoach play tabata`)."""
    for name, r, about in app.bundled():
        click.echo(f"{name:<22} {r.name} - {about}. {r.description or ''}".rstrip())


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def new(file: Path, force: bool) -> None:
    """Write a commented starter routine to FILE, to edit and play.

    \b
    Example:
      voicecoach new mine.yaml && voicecoach check mine.yaml
    """
    app.write_starter(file, force)
    click.echo(f"wrote {file}; edit it, then: voicecoach check {file} && voicecoach play {file}")


@click.command()
@click.option("--install", is_flag=True,
              help="Copy the schema into the data directory and print its file:// URL, for editors.")
def schema(install: bool) -> None:
    """Print the routine format's JSON Schema (for editors and other tools).

    Editors that use the YAML language server (VS Code's YAML extension, Neovim, Helix,
    Zed) complete and check a routine whose first line names the schema:

    \b
      # yaml-language-server: $schema=file:///home/you/.local/share/voicecoach/schema/routine-v1.schema.json

    `voicecoach new` writes that line and installs the schema; --install does it alone
    (again after an upgrade of voicecoach).

    \b
    Examples:
      voicecoach schema > routine.schema.json
      voicecoach schema --install
    """
    if install:
        click.echo(app.install_schema().as_uri())
        return
    click.echo(schema_text(), nl=False)
