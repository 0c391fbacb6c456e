"""What the routine commands do: plan a routine, render it to a file, check files, list the bundled
ones, write a starter routine, install the schema for editors.

Imports: voicecoach.app.choices, voicecoach.routine, voicecoach.plan, voicecoach.fileio,
voicecoach.process, voicecoach.errors; lazily the sound wing (synthesis, mixing, writing audio).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from voicecoach.app.choices import Speech, about, as_history_has_it, check_voice, fail, loaded, logged_maxes, \
    phrase_bank, start_step, voice_settings
from voicecoach.fileio import check_writable, write_atomic
from voicecoach.plan.timeline import Timeline, build_timeline, estimate_speech_s
from voicecoach.routine.file import load_routine
from voicecoach.routine.library import bundled_routines, installed_schema_path, resolve_routine, schema_text
from voicecoach.errors import Problem, RoutineError, VoiceError
from voicecoach.routine.model import Defaults, Routine, iter_exercises


def plan_of(routine: str | None, start: str | None, speech: Speech, *, estimate: bool = False,
            db: Path | None = None, day: str | None = None, week: int | None = None) -> Timeline:
    """The plan `play` would follow: phrase lengths measured by synthesizing them (cached), or
    estimated without a speech engine.

    Raises:
        RoutineError, UsageError: the routine or --start is wrong. VoiceError, SpeechError: the voice.
    """
    r, context = as_history_has_it(resolve_routine(routine), db, day, week)
    step = start_step(r, start)
    if estimate:
        return build_timeline(r, estimate_speech_s, start_step=step, context=context)
    from voicecoach.sound.playback import full_plan
    settings, _ = voice_settings(r, speech)
    return full_plan(r, phrase_bank(settings), rate_wpm=settings.rate_wpm, start_step=step, context=context)


class Rendered(NamedTuple):
    """A session written to a file: how long it lasts, and how long the render took (speech, mixing, writing)."""

    duration_s: float
    took_s: float


def render_to(routine: str | None, output: Path, start: str | None, speech: Speech, *, db: Path | None = None,
              show_progress: bool = False, day: str | None = None, week: int | None = None) -> Rendered:
    """Write the whole session to `output` (.wav, .flac or .ogg), atomically, exactly as `play` sounds.

    Raises:
        RoutineError, UsageError: the routine, --start or the file's name is wrong.
        Terminated: SIGTERM or SIGHUP (nothing is left behind).
    """
    from voicecoach.process import signals_end_session
    from voicecoach.sound.mixer import Mix
    from voicecoach.sound.playback import full_plan
    import time

    from voicecoach.sound.render import check_target, write_mix
    t0 = time.perf_counter()
    r = resolve_routine(routine)
    check_target(output)   # before the session is synthesized, not after
    r, context = as_history_has_it(r, db, day, week)
    step = start_step(r, start)
    settings, gain = voice_settings(r, speech)
    bank = phrase_bank(settings)
    timeline = full_plan(r, bank, rate_wpm=settings.rate_wpm, start_step=step, context=context)
    mix = Mix(timeline, bank.clips, gain=gain)
    with signals_end_session():  # SIGTERM and SIGHUP end like Ctrl-C: the temporary file goes too
        write_mix(mix, output, show_progress=show_progress)
    return Rendered(timeline.duration_s, time.perf_counter() - t0)   # the whole render: speech, mixing, writing


class Checked(NamedTuple):
    """A routine file that is fine: its name, how many exercises, about how long."""

    name: str
    exercises: int
    about: str


def check_file(path: Path, db: Path | None = None) -> Checked:
    """Read a routine file (or a bundled routine by name), see that every training max it needs is
    known (in it or in the log), and ask the speech engine for its voice.

    Raises:
        RoutineError: every mistake in the file, each at its line and column.
        VoiceError: the routine's voice does not exist.
    """
    where = str(path)
    bundled = {} if path.exists() else bundled_routines()
    if str(path) in bundled:   # a bundled routine by name, as play, plan and render take it
        path, where = bundled[str(path)], f"<bundled>/{path}.yaml"
    try:
        r = load_routine(path, where)
        loaded(r, logged_maxes(db), every_day=True)
    except RoutineError as e:   # the voice is judged too, so that every mistake is told at once
        voice = _voice_problem(e.partial, where)
        if voice is None:
            raise
        raise RoutineError([*e.problems, voice]) from None
    check_voice(r)
    return Checked(r.name, len(list(iter_exercises(r))), about(r))


def _voice_problem(defaults: object, where: str) -> Problem | None:
    """The routine's own voice, judged by its engine, as a problem at its line (None: no voice, or it speaks)."""
    if not isinstance(defaults, Defaults) or defaults.voice is None:
        return None
    try:
        check_voice(Routine("", None, (), defaults, (), (), (), source=where))
    except VoiceError as e:
        return Problem(where, *defaults.voice_at, str(e).split(": error: ", 1)[-1])
    return None


def bundled() -> list[tuple[str, Routine, str]]:
    """The bundled routines: each one's name, the routine and about how long it lasts."""
    out = []
    for name in bundled_routines():
        r = resolve_routine(name)
        out.append((name, r, about(r)))
    return out


def write_starter(file: Path, force: bool) -> None:
    """Write the commented starter routine to `file`, naming the schema installed for editors.

    Raises:
        UsageError: `file` exists (without `force`), or cannot be written (a folder, no such folder, ...).
    """
    from voicecoach.routine.starter import starter_routine
    if file.exists() and not force:
        fail(f"{file} exists; use --force to overwrite it")
    check_writable(file)
    schema_file = install_schema()
    write_atomic(file, starter_routine(schema_file.as_uri()).encode("utf-8"))


def install_schema() -> Path:
    """The schema copied to the data directory (rewritten only when it differs), for editors."""
    target = installed_schema_path()
    text = schema_text()
    try:
        current = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        current = None
    if current != text:
        write_atomic(target, text.encode("utf-8"), make_dirs=True)
    return target
