"""Options several commands share, shell completion, and what a command hands the app layer from
click's context (the database chosen, the reporter of a session).

Imports: click, voicecoach.app (choices, playing), voicecoach.routine, voicecoach.process,
voicecoach.errors; lazily the sound wing (completion of voices and devices).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from voicecoach.app.playing import Reporter
from voicecoach.errors import VoicecoachError
from voicecoach.process import c_stderr_silenced
from voicecoach.routine.library import bundled_routines
from voicecoach.routine.model import ENGINES

F = TypeVar("F", bound=Callable[..., Any])

ROUTINE_HELP = "A routine file, or the name of a bundled one (see `voicecoach routines`). Default: legs-and-back."


def complete_routine(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """The bundled routines' names, then routine files (.yaml, .yml) and folders under what is typed."""
    from click.shell_completion import CompletionItem
    items = [CompletionItem(name, help="bundled") for name in bundled_routines() if name.startswith(incomplete)]
    typed = Path(incomplete).expanduser()
    folder, prefix = (typed, "") if incomplete.endswith("/") or not incomplete else (typed.parent, typed.name)
    head = incomplete[: len(incomplete) - len(prefix)]
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return items
    for entry in entries:
        if not entry.name.startswith(prefix) or (entry.name.startswith(".") and not prefix.startswith(".")):
            continue
        if entry.is_dir():
            items.append(CompletionItem(f"{head}{entry.name}/", help="folder"))
        elif entry.suffix in (".yaml", ".yml"):
            items.append(CompletionItem(f"{head}{entry.name}", help="routine file"))
    return items


def complete_voice(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """The chosen engine's voices (none when it cannot start); with piper, .onnx files too."""
    from click.shell_completion import CompletionItem

    from voicecoach.sound.engines import make_synthesizer
    from voicecoach.sound.speech import VoiceSettings
    engine = ctx.params.get("engine") or "espeak"
    try:
        with c_stderr_silenced():
            voices = make_synthesizer(VoiceSettings(engine=engine)).voices()
    except VoicecoachError:
        voices = []
    items = [CompletionItem(v.id, help=v.name) for v in voices if v.id.startswith(incomplete)]
    if engine == "piper" and ("/" in incomplete or incomplete.startswith((".", "~"))):
        items.append(CompletionItem(incomplete, type="file"))
    return items


def complete_device(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """The sound outputs, by name (none when there is no sound system)."""
    from click.shell_completion import CompletionItem

    from voicecoach.sound.player import list_devices
    try:
        with c_stderr_silenced():
            found = list_devices()
    except VoicecoachError:
        return []
    return [CompletionItem(d.name, help=f"{d.host_api}, {d.channels} ch") for d in found
            if d.name.lower().startswith(incomplete.lower())]


def voice_options(f: F) -> F:
    """--engine, --voice, --rate and --volume, shared by the commands that speak."""
    f = click.option("--volume", type=click.FloatRange(0, 1), metavar="0..1",
                     help="Loudness of the session (default 1).")(f)
    f = click.option("--rate", type=click.IntRange(80, 450), metavar="WPM",
                     help="Speaking rate in words per minute (default 175).")(f)
    f = click.option("--voice", metavar="ID|FILE", shell_complete=complete_voice,
                     help="A voice of the engine (see `voicecoach voices [--engine piper]`; default gmw/en-us, "
                          "with piper en_US-joe-medium), or a piper model file (.onnx).")(f)
    f = click.option("--engine", type=click.Choice(ENGINES), default=None,
                     help="Speech engine: espeak (espeak-ng, default) or piper (a neural voice, offline).")(f)
    return f


def day_options(f: F) -> F:
    """--day and --week: which day of a program (default: the one after the last finished)."""
    f = click.option("--week", type=click.IntRange(1, 10_000), metavar="N",
                     help="A program's week, counted from its first (week 5 of a 4-week program: cycle 2, "
                          "week 1); default: the next.")(f)
    return click.option("--day", metavar="NAME|N", help="A program's day, by name or number; default: the day "
                                                        "after the last one finished.")(f)


def desktop_options(f: F) -> F:
    """--inhibit/--no-inhibit and --duck, shared by the commands that play."""
    f = click.option("--duck", "duck_db", type=click.FloatRange(0, 60), metavar="DB",
                     help="Lower other sound (your music) by DB decibels while the coach speaks; 0 never "
                          "(default 12; routine and config file: duck).")(f)
    return click.option("--inhibit/--no-inhibit", default=None,
                        help="Keep the computer from sleeping and the screen from locking while the session "
                             "plays (default: on; config file: inhibit).")(f)


def listen_options(f: F) -> F:
    """--listen/--no-listen and --mic, shared by the commands that play."""
    f = click.option("--mic", metavar="NAME|INDEX",
                     help="The microphone to listen on (see `voicecoach devices`; default: the system's; "
                          "config file: mic).")(f)
    return click.option("--listen/--no-listen", default=None,
                        help='Obey spoken commands: "coach, pause" (resume, go on, continue, next, back, '
                             'repeat, done, stop). Offline (default: off; config file: listen).')(f)


def chosen_db() -> Path | None:
    """The history database chosen by --db or $VOICECOACH_DB (None: the data directory's)."""
    chosen = click.get_current_context().meta.get("db")
    return Path(chosen) if chosen else None


def reporter() -> Reporter:
    """Lines for the person: on stdout, on stderr, and on stderr under --debug only; usable from
    any thread (click's context is the main thread's)."""
    wanted = bool(click.get_current_context().meta.get("debug"))

    def debug(text: str) -> None:
        if wanted:
            click.echo(f"debug: {text}", err=True)
    return Reporter(line=click.echo, warn=lambda text: click.echo(text, err=True), debug=debug)
