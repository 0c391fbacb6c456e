"""The `voicecoach` command: click commands wired to the core. The only module that prints or exits.

Imports: click and every voicecoach module (lazily for the heavy ones: sound, speech).
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from voicecoach.app.settings import load_settings
from voicecoach.places import cache_dir, data_dir, state_dir
from voicecoach.routine.library import PARSED_DIR, bundled_routines, clear_parsed, installed_schema_path, parse_remembered, resolve_routine, schema_text
from voicecoach.process import c_stderr_silenced, signals_end_session
from voicecoach.errors import AudioError, RoutineError, UsageError, VoicecoachError, VoiceError
from voicecoach.fileio import write_atomic
from voicecoach.routine.model import ENGINES, Routine, iter_exercises
from voicecoach.routine.file import load_routine
from voicecoach.routine.starter import starter_routine
from voicecoach.plan.timeline import (
    Event,
    EventKind,
    PlanContext,
    Timeline,
    Tone,
    build_steps,
    build_timeline,
    estimate_speech_s,
    find_step,
)
from voicecoach.plan.wording import plural

if TYPE_CHECKING:
    from voicecoach.sound.speech import PhraseBank, VoiceSettings

ROUTINE_HELP = "A routine file, or the name of a bundled one (see `voicecoach routines`). Default: legs-and-back."


# ---------------------------------------------------------------- shell completion (click's protocol)

def _complete_routine(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
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


def _complete_voice(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
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


def _complete_device(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
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
@click.version_option(package_name="voicecoach", prog_name="voicecoach")
@click.option("--debug", is_flag=True, help="Show Python tracebacks instead of one-line errors.")
@click.option("--db", "db_path", type=click.Path(path_type=Path), envvar="VOICECOACH_DB", metavar="PATH",
              help="The history database (default: history.sqlite3 in the data directory; env VOICECOACH_DB).")
@click.pass_context
def cli(ctx: click.Context, debug: bool, db_path: Path | None) -> None:
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
    ctx.meta["db"] = db_path


def _history_path() -> Path:
    """The history database chosen by --db, $VOICECOACH_DB or the data directory."""
    chosen = click.get_current_context().meta.get("db")
    return Path(chosen) if chosen else data_dir() / "history.sqlite3"


def _history() -> Any:
    """The history database (created on first use)."""
    from voicecoach.log.history import History
    return History(_history_path())


def _start_from_history(r: Routine) -> tuple[Routine, PlanContext]:
    """For `plan` and `render`: the routine and context `play` would use, without creating a database."""
    if not _history_path().exists():
        return r, PlanContext()
    with _history() as history:
        return _as_history_has_it(r, history)


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
        click.echo(f"({plural(len(timeline.dropped), 'phrase')} gave way, as they did not fit: "
                   f"{', '.join(sorted(set(timeline.dropped)))})")
    click.echo(f"total {_clock(timeline.duration_s).strip()}")


def voice_options(f: Any) -> Any:
    """--voice, --rate and --volume, shared by the commands that speak."""
    f = click.option("--volume", type=click.FloatRange(0, 1), metavar="0..1",
                     help="Loudness of the session (default 1).")(f)
    f = click.option("--rate", type=click.IntRange(80, 450), metavar="WPM",
                     help="Speaking rate in words per minute (default 175).")(f)
    f = click.option("--voice", metavar="ID|FILE", shell_complete=_complete_voice,
                     help="A voice of the engine (see `voicecoach voices [--engine piper]`; default gmw/en-us, "
                          "with piper en_US-joe-medium), or a piper model file (.onnx).")(f)
    f = click.option("--engine", type=click.Choice(ENGINES), default=None,
                     help="Speech engine: espeak (espeak-ng, default) or piper (a neural voice, offline).")(f)
    return f


def _voice_settings(r: Routine, engine: str | None, voice: str | None, rate: int | None,
                    volume: float | None) -> tuple[VoiceSettings, float]:
    """Options beat the routine's defaults, which beat the user's config file (see `choose_voice`)."""
    from voicecoach.sound.engines import VoiceChoice, choose_voice
    from voicecoach.sound.speech import DEFAULT_RATE_WPM, VoiceSettings
    user = load_settings()
    chosen_engine, chosen_voice, voice_from = choose_voice([
        VoiceChoice(engine, voice),  # an option: messages start "voicecoach: error:"
        VoiceChoice(r.defaults.engine, r.defaults.voice, "{}:{}:{}".format(r.source, *r.defaults.voice_at)),
        VoiceChoice(user.engine, user.voice, user.voice_from)])
    chosen_rate = rate or r.defaults.rate_wpm or user.rate_wpm or DEFAULT_RATE_WPM
    chosen_volume = next(v for v in (volume, r.defaults.volume, user.volume, 1.0) if v is not None)
    return VoiceSettings(chosen_voice, chosen_rate, voice_from=voice_from, engine=chosen_engine), chosen_volume


def _check_voice(r: Routine) -> None:
    """Ask the speech engine whether the routine's own voice exists and speaks.

    Raises:
        VoiceError: it does not (the message names its line and column).
        SpeechError: the speech engine itself cannot start.
    """
    if r.defaults.voice is None and r.defaults.engine is None:
        return
    from voicecoach.sound.engines import make_synthesizer
    settings, _ = _voice_settings(r, None, None, None, None)
    synth = make_synthesizer(settings)  # piper: says so if it is not installed
    if settings.engine == "piper":
        from voicecoach.sound.piper import resolve_voice
        resolve_voice(settings)  # the model need not load: its files are there
        return
    with c_stderr_silenced():
        synth.start()


def _phrase_bank(settings: VoiceSettings) -> PhraseBank:
    from voicecoach.sound.engines import make_synthesizer
    from voicecoach.sound.speech import PhraseBank, SpeechCache
    return PhraseBank(make_synthesizer(settings), SpeechCache(cache_dir() / "speech"))


@cli.command()
@click.argument("routine", required=False, shell_complete=_complete_routine)
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON for machines.")
@click.option("--start", metavar="EXERCISE[:SET[:SIDE]]",
              help="Plan from this position, e.g. 'Deadlifts:2' or '2:1:left'.")
@click.option("--estimate", is_flag=True, help="Estimate phrase lengths instead of synthesizing them (no espeak-ng).")
@voice_options
def plan(routine: str | None, as_json: bool, start: str | None, estimate: bool, engine: str | None,
         voice: str | None, rate: int | None, volume: float | None) -> None:
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
    r = resolve_routine(routine)
    step = _start_step(r, start)
    r, context = _start_from_history(r)
    if estimate:
        timeline = build_timeline(r, estimate_speech_s, start_step=step, context=context)
    else:
        from voicecoach.sound.playback import full_plan
        settings, _ = _voice_settings(r, engine, voice, rate, volume)
        timeline = full_plan(r, _phrase_bank(settings), rate_wpm=settings.rate_wpm, start_step=step,
                             context=context)
    if as_json:
        import json
        click.echo(json.dumps(timeline.to_dict(), indent=1))
    else:
        _print_plan(timeline)


def _stamp(seconds: float) -> str:
    """A line's time: "01:05"."""
    return f"{int(seconds // 60):02d}:{int(seconds % 60):02d}"


def _event_line(e: Event, rate_hz: int, before_s: float = 0.0) -> str:
    """One event as a line; `before_s`: the session time played before its plan (a skip re-plans)."""
    stamp = _stamp(before_s + e.start_frame / rate_hz)
    if e.kind is EventKind.SPEECH:
        return f"{stamp} {e.text}"
    what = f"[{e.tone.value}]" if e.tone else "[tone]"
    if e.tone is Tone.GO and e.exercise:
        side = f", {e.side} side" if e.side else ""
        return f"{stamp} {what} {e.exercise}, set {e.set_no}{side}"
    return f"{stamp} {what}"


def desktop_options(f: Any) -> Any:
    """--inhibit/--no-inhibit and --duck, shared by the commands that play."""
    f = click.option("--duck", "duck_db", type=click.FloatRange(0, 60), metavar="DB",
                     help="Lower other sound (your music) by DB decibels while the coach speaks; 0 never "
                          "(default 12; routine and config file: duck).")(f)
    return click.option("--inhibit/--no-inhibit", default=None,
                        help="Keep the computer from sleeping and the screen from locking while the session "
                             "plays (default: on; config file: inhibit).")(f)


def listen_options(f: Any) -> Any:
    """--listen/--no-listen and --mic, shared by the commands that play."""
    f = click.option("--mic", metavar="NAME|INDEX",
                     help="The microphone to listen on (see `voicecoach devices`; default: the system's; "
                          "config file: mic).")(f)
    return click.option("--listen/--no-listen", default=None,
                        help='Obey spoken commands: "coach, pause" (resume, go on, continue, next, back, '
                             'repeat, done, stop). Offline (default: off; config file: listen).')(f)


@cli.command()
@click.argument("routine", required=False, shell_complete=_complete_routine)
@click.option("--device", metavar="NAME|INDEX", shell_complete=_complete_device,
              help="Output device (see `voicecoach devices`; default: the system's).")
@click.option("--start", metavar="EXERCISE[:SET[:SIDE]]", help="Start at this position, e.g. 'Deadlifts:2'.")
@click.option("--device-wait", type=click.FloatRange(0), default=600, show_default=True, metavar="SECONDS",
              help="How long to wait, paused, for an output that disappeared before giving up.")
@voice_options
@desktop_options
@listen_options
def play(routine: str | None, device: str | None, start: str | None, device_wait: float, engine: str | None,
         voice: str | None, rate: int | None, volume: float | None, inhibit: bool | None,
         duck_db: float | None, listen: bool | None, mic: str | None) -> None:
    """Play a whole session through the speakers or headphones.

    ROUTINE is a routine file or a bundled routine's name (default: legs-and-back).
    No key is needed: the whole session runs hands-free. In a terminal, a live screen
    shows the exercise, set, count, rest, what is next and the progress, and keys help
    when life interrupts:

    \b
      space  pause / resume         n, right  skip to the next set or rest
      p, left  back to the start of the set (press again: the set before)
      r  repeat the last phrase     e  15 s more rest      + / -  volume
      d  AMRAP set done             q  quit (twice during a set)   ?  keys

    Without a terminal (a pipe, a log), each event is printed as it is heard
    ("00:12 Next up: Squats."). At the end: how long was played and the number of
    audio underruns (the target is none). If the output disappears, the session
    pauses until it comes back.

    On a desktop it is a media player (MPRIS2): media keys, a headset's buttons and
    `playerctl -p voicecoach` pause, skip and stop it. The computer stays awake and
    the screen unlocked while it plays (--no-inhibit), and other sound (your music)
    is lowered while the coach speaks (--duck DB, 0 never).

    With --listen it obeys spoken commands, offline: "coach" then pause, resume (go
    on, continue), next, back, repeat, done or stop ("Stop the workout?": say yes). A
    soft tone says a command was heard; the coach's own voice is never taken for one.

    \b
    Examples:
      voicecoach play
      voicecoach play tabata --voice gmw/en-gb-x-rp --rate 160
      voicecoach play mine.yaml --device pulse
      voicecoach play --duck 18            # music 18 dB down while the coach speaks
      voicecoach play --listen             # "coach, pause" with both hands on the bar
    """
    from voicecoach.sound.player import Player

    player = Player()
    with c_stderr_silenced():
        outcome, rate_hz = _play_session(player, routine, device, start, (engine, voice, rate, volume),
                                         device_wait, inhibit=inhibit, duck_db=duck_db, listen=(listen, mic))
    _report(outcome, rate_hz)


def _report(outcome: Any, rate_hz: int) -> None:
    """The last line of a session: how long was played and the underruns (the target is none)."""
    played = outcome.frames_played / rate_hz
    how = "played" if outcome.finished else "stopped after"
    click.echo(f"{how} {int(played // 60)}:{int(played % 60):02d}, {outcome.underruns} underruns")


def _in_background(work: Callable[[], None]) -> Callable[[], None]:
    """Start `work` on a thread; the function returned waits for it and raises what it raised."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed to the waiting thread
            failed.append(exc)

    thread = threading.Thread(target=run, name="open-output", daemon=True)
    thread.start()

    def wait() -> None:
        thread.join()
        if failed:
            raise failed[0]
    return wait


def _compare_with(last: Any) -> str | None:
    """"Last time: ..." from the last finished session of the same routine."""
    if last is None or last.duration_s is None:
        return None
    from voicecoach.plan.wording import say_minutes
    parts = [say_minutes(last.duration_s)]
    if last.reps:
        parts.append(f"{last.reps} reps")
    if last.skipped:
        parts.append("1 set skipped" if last.skipped == 1 else f"{last.skipped} sets skipped")
    return f"Last time: {', '.join(parts)}."


def _as_history_has_it(r: Routine, history: Any, context: PlanContext = PlanContext()) -> tuple[Routine, PlanContext]:
    """The routine with its loads moved on by its progression rules, and the plan's context with the
    comparison with last time: what `play`, `plan` and `render` all start from."""
    return _progressed(r, history), context._replace(compare=_last_time(r, history))


def _progressed(r: Routine, history: Any) -> Routine:
    """The routine with its loads moved on by its progression rules."""
    from voicecoach.plan.progression import apply_progression
    return apply_progression(r, history.exercise_sessions(r.name))


def _last_time(r: Routine, history: Any) -> str | None:
    """What the summary says of the last finished session of the same routine."""
    return _compare_with(history.last_finished(r.sha256))


def _debug_lines() -> Callable[[str], None]:
    """Writes a line on stderr under --debug only (what the desktop services said, say); usable
    from any thread (click's context is the main thread's)."""
    wanted = bool(click.get_current_context().meta.get("debug"))

    def line(text: str) -> None:
        if wanted:
            click.echo(f"debug: {text}", err=True)
    return line


def _join_desktop(stack: contextlib.ExitStack, controls: Any, playback: Any, inhibit: bool) -> tuple[Any, ...]:
    """Media keys and headset buttons (MPRIS) and, unless `inhibit` is off, no sleep or screen lock
    while the session plays; both given back on every way out. Returns the observers of the view."""
    from voicecoach.desktop.mpris import MprisServer
    from voicecoach.session.view import describe
    debug = _debug_lines()
    mpris = MprisServer(controls.put, debug=debug, position_s=playback.heard_s)
    mpris.start(describe(playback.timeline, 0, done_s=playback.done_s, total_s=playback.total_s))
    stack.callback(mpris.close)
    if inhibit:
        from voicecoach.desktop.inhibit import Inhibitor
        inhibitor = Inhibitor(debug=debug)
        inhibitor.start()
        stack.callback(inhibitor.release)
    return (mpris.update,)


DEFAULT_DUCK_DB = 12.0
DUCK_JOURNAL_NAME = "ducked.json"


def _duck_music(stack: contextlib.ExitStack, playback: Any, player: Any, duck_db: float) -> None:
    """Other streams lowered by `duck_db` while the plan's phrases are heard; back on every way out."""
    from voicecoach.desktop.duck import Ducker
    seen_plan: Timeline | None = None
    seen_phrases: list[tuple[float, float]] = []

    def phrases() -> list[tuple[float, float]]:  # the current plan's, worked out once per plan
        nonlocal seen_plan, seen_phrases
        timeline = playback.timeline
        if timeline is not seen_plan:
            rate = timeline.rate_hz
            seen_plan, seen_phrases = timeline, [(e.start_frame / rate, e.end_frame / rate)
                                                 for e in timeline.events if e.kind is EventKind.SPEECH]
        return seen_phrases

    ducker = Ducker(duck_db, state_dir() / DUCK_JOURNAL_NAME, phrases,
                    lambda: player.heard_frame / player.rate_hz, debug=_debug_lines())
    ducker.start()
    stack.callback(ducker.close)


def _recognizer() -> Any:
    """The recognizer of spoken commands, loaded before sound starts; None (and one line) without pocketsphinx."""
    try:
        from voicecoach.listen.recognizer import CommandRecognizer
        return CommandRecognizer()
    except ImportError as exc:
        click.echo(f"voicecoach: {exc}; the session plays without listening", err=True)
        return None


def _listen(stack: contextlib.ExitStack, recognizer: Any, controls: Any, live: Any, player: Any,
            mic: str | None) -> None:
    """Spoken commands from the microphone, as keys; without one: one line, and the session plays on."""
    from voicecoach.listen.microphone import ECHO_S, Microphone, resolve_input
    debug = _debug_lines()

    def heard(h: Any) -> None:
        debug(f"listen: heard {h.words!r} (match {h.match:.0f}) -> {h.key.value if h.key else 'not a command'}")
        if h.key is None:
            live.heard_nothing_useful(h.words)
    try:
        microphone = Microphone(recognizer, controls.put, device=resolve_input(mic),
                                gate=lambda at: player.spoke_after(at, ECHO_S), on_heard=heard,
                                on_lost=live.stop_listening)
        microphone.open()
    except AudioError as exc:
        why = str(exc).removeprefix("voicecoach: error: ")
        click.echo(f"voicecoach: {why}; the session plays without listening", err=True)
        live.listening = ""
        return
    stack.callback(microphone.close)
    stack.callback(lambda: debug(f"listen: {microphone.heard_s:.0f} s heard ({recognizer.gated_s:.0f} s of it "
                                 f"while the coach spoke), {microphone.cpu_s:.2f} s of CPU "
                                 f"({100 * microphone.cpu_s / max(microphone.heard_s, 1e-9):.1f}% of a core), "
                                 f"{microphone.overflows} overflows"))


def _play_session(player: Any, routine: str | None, device: str | None, start: str | None,
                  speech: tuple[str | None, str | None, int | None, float | None], device_wait: float,
                  resume: Any = None, inhibit: bool | None = None,
                  duck_db: float | None = None,
                  listen: tuple[bool | None, str | None] = (None, None)) -> tuple[Any, int]:
    from voicecoach.sound.player import resolve_device
    from voicecoach.sound.tones import all_tones

    journal = state_dir() / DUCK_JOURNAL_NAME
    if journal.exists():  # music a crashed session left quiet comes back before anything else
        from voicecoach.desktop.duck import restore_from_journal
        restore_from_journal(journal, _debug_lines())

    user = load_settings()  # the config file, read once for the device, the inhibitors and ducking
    chosen_device = device or user.device

    def open_output() -> None:
        player.device = resolve_device(chosen_device)
        player.open(start=False)
        all_tones(player.rate_hz)  # made here, beside the main thread: numpy computes without the GIL

    def reopen() -> None:
        player.close()
        player.reset_stream_state()
        open_output()
        player.start()

    with signals_end_session(), contextlib.ExitStack() as stack:
        stack.callback(player.close)
        # the output opens while the routine loads and the first phrases are prepared: first sound counts
        opened = _in_background(open_output)
        try:
            from voicecoach.sound.playback import Playback
            history = stack.enter_context(_history())
            context = PlanContext()
            if resume is not None:
                name, text = history.routine_text(resume.id)
                r = parse_remembered(text, f"<history>/{name}")
                step = history.resume_step(resume.id)
                context = PlanContext(greeting="Welcome back.")
            else:
                r = resolve_routine(routine)
                step = _start_step(r, start)
            r = _progressed(r, history)  # loads are heard from the first words on
            if resume is not None:  # the summary counts what was done before the interruption too
                done, spent = history.done_in_chain(resume.id)
                steps = build_steps(r)
                context = context._replace(before=tuple(steps[i] for i in done if i < step), before_s=spent)
            settings, gain = _voice_settings(r, *speech)
            bank = _phrase_bank(settings)
            debug = _debug_lines()
            stack.callback(lambda: debug(bank.report()))  # after the worker stops
            stack.callback(bank.stop)  # its worker never outlives the session (see PhraseBank.stop)
            playback = Playback(r, bank, player, rate_wpm=settings.rate_wpm, start_step=step, gain=gain,
                                context=context)
            playback.prepare()
            listen_on = listen[0] if listen[0] is not None else user.listen
            recognizer = _recognizer() if listen_on else None
        except BaseException:
            with contextlib.suppress(Exception):
                opened()  # a mistake in the routine is the one to report, even with no sound output too
            raise
        opened()
        timeline = playback.start()
        player.start()
        # the comparison with last time is said in the summary at the end: looked up once sound plays
        playback.amend_context(compare=_last_time(r, history))
        # what only matters once sound plays is imported after it started
        from voicecoach.session.live import LiveSession
        rate_hz = timeline.rate_hz
        interactive = sys.stdin.isatty()
        keys = display = None
        if interactive:
            from voicecoach.session.keys import raw_keys
            keys = stack.enter_context(raw_keys())
            if sys.stdout.isatty():
                from voicecoach.session.display import Display
                display = stack.enter_context(Display())
        on_event = None if display is not None else (
            lambda e: None if e.tone and e.tone.is_beat else click.echo(_event_line(e, rate_hz, playback.done_s)))

        def on_notice(text: str) -> None:  # without a screen, as a line beside the events
            click.echo(f"{_stamp(playback.heard_s())} {text}")
        from voicecoach.session.controls import Controls
        controls: Controls[Any] = Controls()
        stack.callback(controls.close)   # after the sources that put into it have stopped
        wanted = inhibit if inhibit is not None else user.inhibit
        observers = _join_desktop(stack, controls, playback, wanted)
        duck = next(v for v in (duck_db, r.defaults.duck_db, user.duck_db, DEFAULT_DUCK_DB) if v is not None)
        if duck > 0:
            _duck_music(stack, playback, player, duck)
        session_id = history.start_session(r.name, r.sha256, r.source, r.text, start_step=step,
                                           resumed_from=resume.id if resume is not None else None)
        ended = "interrupted"
        stack.callback(lambda: history.end_session(session_id, ended))
        live = LiveSession(playback, player, reopen=reopen, on_event=on_event, keys=keys, display=display,
                           device_wait_s=device_wait, gain=gain,
                           on_set=lambda rec: history.record_set(session_id, rec),
                           on_amrap_reps=lambda step, reps: history.set_amrap_reps(session_id, step, reps),
                           controls=controls, observers=observers, on_notice=on_notice,
                           listening=recognizer is not None)
        if recognizer is not None:
            _listen(stack, recognizer, controls, live, player, listen[1] or user.mic)
        outcome = live.run()
        if outcome.finished:
            ended = "finished"
        elif live.quit and not live.interrupted:
            ended = "quit"
    if live.interrupted and live.quit:
        raise KeyboardInterrupt
    return outcome, rate_hz


@cli.command()
@click.option("--device", metavar="NAME|INDEX", shell_complete=_complete_device,
              help="Output device (see `voicecoach devices`).")
@click.option("--device-wait", type=click.FloatRange(0), default=600, show_default=True, metavar="SECONDS",
              help="How long to wait, paused, for an output that disappeared before giving up.")
@voice_options
@desktop_options
@listen_options
def resume(device: str | None, device_wait: float, engine: str | None, voice: str | None, rate: int | None,
           volume: float | None, inhibit: bool | None, duck_db: float | None, listen: bool | None,
           mic: str | None) -> None:
    """Continue the last interrupted session from the start of the set it stopped in.

    A session is interrupted when it ends without finishing or quitting: Ctrl-C, a
    killed process, a power cut. The routine is taken as it was then, from the history.

    \b
    Example:
      voicecoach resume
    """
    from voicecoach.sound.player import Player

    with _history() as history:
        last = history.last_interrupted()
        if last is None:
            history.require_intact()
    if last is None:
        raise UsageError("voicecoach: error: there is no interrupted session to resume "
                         "(see: voicecoach history)")
    player = Player()
    with c_stderr_silenced():
        outcome, rate_hz = _play_session(player, None, device, None, (engine, voice, rate, volume),
                                         device_wait, resume=last, inhibit=inhibit, duck_db=duck_db,
                                         listen=(listen, mic))
    _report(outcome, rate_hz)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


@cli.command("history")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print as CSV.")
@click.option("--limit", type=click.IntRange(1), default=None, metavar="N", help="Only the N most recent sessions.")
def history_cmd(as_json: bool, as_csv: bool, limit: int | None) -> None:
    """List past sessions, newest first: when, which routine, how it ended, sets, reps, time.

    \b
    Examples:
      voicecoach history --limit 10
      voicecoach history --csv > sessions.csv
    """
    import json

    from voicecoach.log.history import SessionRecord
    with _history() as h:
        sessions = h.sessions(limit=limit)
    if as_json:
        click.echo(json.dumps([x._asdict() for x in sessions], indent=1))
        return
    if as_csv:
        import csv
        fields = list(SessionRecord._fields)
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
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
        click.echo(f"{x.id:>5}  {x.started_at[:16].replace('T', ' '):<16}  {x.routine[:24]:<24} {x.outcome:<11} "
                   f"{x.sets:>4} {x.skipped:>4} {x.reps:>5} {_duration(x.duration_s):>8}")


@cli.command()
@click.argument("session", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def show(session: int, as_json: bool) -> None:
    """Show every set of one SESSION (an id from `voicecoach history`).

    \b
    Example:
      voicecoach show 12
    """
    import json
    with _history() as h:
        rec = h.session(session)
        if rec is None:
            h.require_intact()  # a damaged page can hide a session: say so rather than "no session"
            raise UsageError(f"voicecoach: error: no session {session} (see: voicecoach history)")
        sets = h.sets(session)
    if as_json:
        click.echo(json.dumps({"session": rec._asdict(), "sets": [x._asdict() for x in sets]},
                              indent=1))
        return
    click.echo(f"session {rec.id}: {rec.routine}, {rec.started_at[:16].replace('T', ' ')} UTC, {rec.outcome}, "
               f"{_duration(rec.duration_s)}")
    for x in sets:
        planned = (f"{x.planned_reps} reps" if x.planned_reps is not None else
                   f"{x.planned_hold_s:g} s" if x.planned_hold_s is not None else "AMRAP")
        done = (f"{x.done_reps}" if x.done_reps is not None else
                f"{x.done_hold_s:g} s" if x.done_hold_s is not None else "-")
        label = "warm-up" if x.warmup else f"set {x.set_no}/{x.set_count}"
        flags = " skipped" if x.skipped else ""
        flags += f" paused {x.paused_s:.0f} s" if x.paused_s >= 1 else ""
        click.echo(f"  {x.exercise[:22]:<22} {label:<9} {x.side or '':<5} planned {planned:<9} done {done:<7} "
                   f"{x.load or '':<10}{flags}")


@cli.command()
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
    from datetime import date, timedelta

    from voicecoach.log.stats import draw_png, terminal_chart, weekly
    today = date.today()
    since = today - timedelta(days=today.weekday(), weeks=weeks)
    with _history() as h:
        rows = h.exercise_sets(exercise, since=since.isoformat())
    table = weekly(rows, weeks=weeks, today=today)
    if not table:
        click.echo("no sets recorded yet" + (f" for {exercise}" if exercise else ""))
        return
    click.echo(terminal_chart(table))
    if png is not None:
        draw_png(table, png)
        click.echo(f"wrote {png}")


@cli.command()
@click.argument("routine", required=False, shell_complete=_complete_routine)
@click.option("-o", "--output", "output", required=True, type=click.Path(path_type=Path),
              help="The file to write: .wav, .flac or .ogg.")
@click.option("--start", metavar="EXERCISE[:SET[:SIDE]]", help="Start at this position.")
@voice_options
def render(routine: str | None, output: Path, start: str | None, engine: str | None, voice: str | None,
           rate: int | None, volume: float | None) -> None:
    """Write the whole session to an audio file, exactly as `play` would sound.

    The format follows the extension: .wav (16-bit), .flac or .ogg (Vorbis). The file is
    written atomically: on any failure or Ctrl-C nothing is left behind.

    \b
    Examples:
      voicecoach render -o session.wav
      voicecoach render tabata -o tabata.ogg
    """
    from voicecoach.sound.playback import full_plan
    from voicecoach.sound.render import write_mix

    r = resolve_routine(routine)
    step = _start_step(r, start)
    r, context = _start_from_history(r)
    settings, gain = _voice_settings(r, engine, voice, rate, volume)
    bank = _phrase_bank(settings)
    timeline = full_plan(r, bank, rate_wpm=settings.rate_wpm, start_step=step, context=context)
    from voicecoach.sound.mixer import Mix
    mix = Mix(timeline, bank.clips, gain=gain)
    with signals_end_session():  # SIGTERM and SIGHUP end like Ctrl-C: the temporary file goes too
        seconds = write_mix(mix, output, show_progress=sys.stderr.isatty())
    click.echo(f"wrote {output} ({int(timeline.duration_s // 60)}:{int(timeline.duration_s % 60):02d} of audio "
               f"in {seconds:.1f} s)")


@cli.command()
@click.option("--engine", type=click.Choice(ENGINES), default="espeak", show_default=True,
              help="Whose voices: espeak-ng's, or piper's (the bundled one and those in the voices folder).")
def voices(engine: str) -> None:
    """List the voices of a speech engine, for --voice.

    Piper voices are the bundled en_US-joe-medium and any NAME.onnx (with its
    NAME.onnx.json) put in the voices folder shown at the end; --voice also takes a
    model file by path.

    \b
    Examples:
      voicecoach voices
      voicecoach voices --engine piper
    """
    import shutil

    from voicecoach.sound.engines import make_synthesizer
    from voicecoach.sound.speech import VoiceSettings
    synth = make_synthesizer(VoiceSettings(engine=engine))
    has_mbrola = shutil.which("mbrola") is not None
    for v in synth.voices():
        note = "  (needs mbrola, not installed)" if v.id.startswith("mb/") and not has_mbrola else ""
        click.echo(f"{v.id:<28} {v.name:<28} {','.join(v.languages)}{note}")
    if engine == "piper":
        from voicecoach.sound.piper import voices_dir
        click.echo(f"(more voices: put NAME.onnx and NAME.onnx.json in {voices_dir()})")


@cli.command()
def devices() -> None:
    """List the sound output devices, for --device, and the microphones, for --mic."""
    from voicecoach.sound.player import list_devices
    found = list_devices()
    if not found:
        raise AudioError("voicecoach: error: no sound output device (is a sound server running?); "
                         "write the session to a file instead with: voicecoach render -o session.wav")
    for d in found:
        mark = "*" if d.is_default else " "
        click.echo(f"{mark} {d.number:>3}  {d.name}  ({d.host_api}, {d.channels} ch)")
    for d in list_devices(inputs=True):
        mark = "*" if d.is_default else " "
        click.echo(f"{mark} {d.number:>3}  {d.name}  ({d.host_api}, {d.channels} ch, input: --mic)")


@cli.group()
def cache() -> None:
    """Manage the cache of synthesized speech."""


@cache.command("clear")
def cache_clear() -> None:
    """Remove every synthesized phrase, and every routine remembered as parsed, from the cache."""
    from voicecoach.sound.speech import SpeechCache
    removed = SpeechCache(cache_dir() / "speech").clear()
    forgotten = clear_parsed()
    click.echo(f"removed {removed} cached phrases from {cache_dir() / 'speech'}"
               + (f" and {forgotten} parsed files from {cache_dir() / PARSED_DIR}" if forgotten else ""))


@cache.command("path")
def cache_path() -> None:
    """Print where synthesized speech is cached."""
    click.echo(str(cache_dir() / "speech"))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path), shell_complete=_complete_routine)
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
            _check_voice(r)
        except (RoutineError, VoiceError) as exc:
            failed = True
            click.echo(str(exc), err=True)
            continue
        n = len(list(iter_exercises(r)))
        click.echo(f"{path}: ok ({r.name}: {plural(n, 'exercise')}, {_about(r)})")
    if failed:
        sys.exit(2)


def _about(r: Routine) -> str:
    """How long a routine lasts, roughly: "about 34 min", "under a minute"."""
    seconds = build_timeline(r, estimate_speech_s).duration_s
    return "under a minute" if seconds < 30 else f"about {max(1, round(seconds / 60))} min"


@cli.command()
def routines() -> None:
    """List the bundled routines (play one by name: `voicecoach play tabata`)."""
    for name in bundled_routines():
        r = resolve_routine(name)
        click.echo(f"{name:<22} {r.name} - {_about(r)}. {r.description or ''}".rstrip())


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
    schema_file = _install_schema()
    write_atomic(file, starter_routine(schema_file.as_uri()).encode("utf-8"))
    click.echo(f"wrote {file}; edit it, then: voicecoach check {file} && voicecoach play {file}")


def _install_schema() -> Path:
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


@cli.command()
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
        click.echo(_install_schema().as_uri())
        return
    click.echo(schema_text(), nl=False)


main = cli
