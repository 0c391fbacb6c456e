"""What a command starts from: the routine moved on by the training log, where in it to start,
which voice speaks, and the phrase bank that voice fills.

Imports: voicecoach.routine, voicecoach.plan, voicecoach.app.settings, voicecoach.places,
voicecoach.errors; lazily the speech engines and the log (a warm start needs them late or never).
"""

from __future__ import annotations

from pathlib import Path
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

from voicecoach.app.settings import load_settings
from voicecoach.errors import Problem, RoutineError, UsageError
from voicecoach.places import data_dir
from voicecoach.plan.timeline import PlanContext, Step, build_steps, build_timeline, estimate_speech_s, find_step
from voicecoach.routine.model import Routine, iter_exercises

if TYPE_CHECKING:
    from voicecoach.log.history import History, MaxRecord
    from voicecoach.plan.program import Position
    from voicecoach.plan.progression import Result
    from voicecoach.sound.speech import PhraseBank, VoiceSettings


class Speech(NamedTuple):
    """The speech options of a command (None: not given, the routine or the config file decides)."""

    engine: str | None = None
    voice: str | None = None
    rate: int | None = None
    volume: float | None = None


def history_path(chosen: Path | None) -> Path:
    """The history database: the one chosen (--db, $VOICECOACH_DB), else history.sqlite3 in the data directory."""
    return Path(chosen) if chosen else data_dir() / "history.sqlite3"


def open_history(chosen: Path | None) -> History:
    """The history database (created on first use)."""
    from voicecoach.log.history import History
    return History(history_path(chosen))


def fail(message: str) -> NoReturn:
    """A mistake in what was asked on the command line."""
    raise UsageError(f"voicecoach: error: {message}")


def start_step(routine: Routine, start: str | None) -> int:
    """The step named by --start EXERCISE[:SET[:SIDE]] (exercise by name or 1-based number).

    Raises:
        UsageError: `start` names no step of `routine` (the message lists its exercises).
    """
    if not start:
        return 0
    parts = start.split(":")
    if len(parts) > 3:
        fail(f"--start takes EXERCISE[:SET[:SIDE]], got {start!r}")
    names = list(dict.fromkeys(e.name for e in iter_exercises(routine)))
    ex = parts[0].strip()
    if ex.isdigit():
        if not 1 <= int(ex) <= len(names):
            fail(f"--start: exercise number must be 1 to {len(names)}, got {ex}")
        ex = names[int(ex) - 1]
    set_no = None
    if len(parts) > 1:
        if not parts[1].strip().isdigit():
            fail(f"--start: the set must be a number, got {parts[1]!r}")
        set_no = int(parts[1])
    side = parts[2].strip().lower() if len(parts) > 2 else None
    steps = build_steps(routine)
    index = find_step(steps, ex, set_no, side)
    if index is None:
        fail(_no_such_start(steps, start, ex, set_no, side) or
             f"--start: no {start!r} in {routine.name}; exercises: {', '.join(names)}")
    return index


def _no_such_start(steps: tuple[Step, ...], start: str, ex: str, set_no: int | None, side: str | None) -> str | None:
    """Why --start names no step of an exercise that is there: which sets, rounds or sides it has."""
    mine = [s for s in steps if s.exercise.name.lower() == ex.lower()]
    if not mine:
        return None
    name, in_rounds = mine[0].exercise.name, mine[0].block is not None
    word = "round" if in_rounds else "set"
    numbers = sorted({s.set_no for s in mine if s.set_no > 0})
    if set_no is not None and set_no not in numbers:
        listed = ", ".join(map(str, numbers))
        there = [s for s in steps if s.set_no == set_no and s.block is not None and s.block is mine[0].block]
        if there:
            return f"--start: {word} {set_no} is {there[0].exercise.name}; {name} is in {word}s {listed}"
        if numbers == list(range(1, len(numbers) + 1)):
            return f"--start: {name} has {len(numbers)} {word}s (1 to {numbers[-1]}), got {word} {set_no}"
        return f"--start: {name} is in {word}s {listed}, got {word} {set_no}"
    sides = sorted({s.side for s in mine if s.side}, reverse=True)
    if not sides:
        return f"--start: {name} is done with both sides at once; leave out the side in {start!r}"
    return f"--start: the sides of {name} are {' and '.join(sides)}, got {side!r}"


def compare_with(last: Any) -> str | None:
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


def progressed(r: Routine, history: History, at: Position | None = None) -> Routine:
    """The routine (on the program's day `at`) with its loads, training maxes and stages moved on by
    its progression rules over the log, and its loads put together from the maxes and the
    equipment owned.

    Raises:
        RoutineError: a load is a share of a training max that nobody gave.
    """
    return moved_on(r, history.exercise_results(r.name), history.current_maxes(), at)


def moved_on(r: Routine, past: Mapping[str, list[tuple[int | None, Result]]], logged: Mapping[str, MaxRecord],
             at: Position | None) -> Routine:
    """`r` (on the program's day `at`) after `past` (each exercise's weeks and results) and the
    training maxes `logged`: loads, maxes and stages moved on, loads put together.

    Raises:
        RoutineError: a load is a share of a training max that nobody gave.
    """
    from voicecoach.plan.progression import apply_progression
    maxes = training_maxes(r, logged)
    since = {name: m.set_at for name, m in logged.items()}
    results = {name: with_cycles(r, results, at) for name, results in past.items()}
    return loaded(apply_progression(r, results, maxes, since), logged, maxes)


def with_cycles(r: Routine, past: list[tuple[int | None, Result]], at: Position | None) -> list[Result]:
    """An exercise's results with the end of each cycle of the program marked among them (and after
    them, when the day to play is in a new cycle)."""
    from voicecoach.plan.program import Position
    from voicecoach.plan.progression import CYCLE, LATER
    out: list[Result] = []
    cycle = None
    for week, result in past:
        now = None if week is None else Position(0, week).cycle(r)
        if now is not None and cycle is not None and now > cycle:
            out += [CYCLE._replace(at=result.at)] * (now - cycle)
        cycle = now if now is not None else cycle
        out.append(result)
    if at is not None and cycle is not None and at.cycle(r) > cycle:
        out += [CYCLE._replace(at=LATER)] * (at.cycle(r) - cycle)
    return out


def program_day(r: Routine, history: History | None, day: str | None = None,
                week: int | None = None) -> tuple[Routine, Position | None]:
    """For a program, the day and week to play (`day`, `week`, else the one after the last finished
    session of it) and the routine as played then; anything else as it is.

    Raises:
        UsageError: --day or --week for a routine that is no program, or a day it does not have.
    """
    from voicecoach.plan.program import Position, find_day, next_position, on_day
    if not r.program:
        if day is not None or week is not None:
            fail(f"--day and --week choose a day of a program; {r.name} has no days or weeks")
        return r, None
    last = None
    done = history.last_day(r.name) if history is not None else None
    if done is not None:
        at = find_day(r, done[0]) if done[0] is not None else 0
        last = Position(at if at is not None else len(r.days) - 1, done[1])
    chosen = next_position(r, last)
    if day is not None:
        at = find_day(r, day)
        if at is None:
            names = ", ".join(d.name for d in r.days) or "(none: it has weeks only)"
            fail(f"--day: {r.name} has no day {day!r}; its days: {names}")
        chosen = chosen._replace(day=at)
    if week is not None:
        chosen = chosen._replace(week=week)
    return on_day(r, chosen), chosen


def training_maxes(r: Routine, logged: Mapping[str, MaxRecord]) -> dict[str, float]:
    """Each exercise's training max in the routine's unit: the log's latest, else the routine's own."""
    from voicecoach.plan.plates import convert
    maxes = dict(r.maxes)
    for name, m in logged.items():
        maxes[name] = convert(m.value, m.unit, r.defaults.unit)
    return maxes


def loaded(r: Routine, logged: Mapping[str, MaxRecord], maxes: dict[str, float] | None = None, *,
           every_day: bool = False) -> Routine:
    """`r` with its loads put together (see `voicecoach.plan.loads`) from `maxes` (default: the
    training maxes as logged or given); `every_day`: a max missing on any day of a program is an error.

    Raises:
        RoutineError: a load is a share of a training max that nobody gave, at the line of that load.
    """
    from voicecoach.plan.loads import missing_maxes, put_together
    maxes = training_maxes(r, logged) if maxes is None else maxes
    missing = missing_maxes(r, maxes, every_day=every_day)
    if missing:
        raise RoutineError([Problem(r.source, *ex.load_at, no_max(ex.name, r.defaults.unit)) for ex in missing],
                           partial=r.defaults)
    return put_together(r, maxes, load_settings().gear)


def no_max(exercise: str, unit: str) -> str:
    """What to do when an exercise's load is a share of a training max not known."""
    example = 100 if unit == "kg" else 225
    return (f"'{exercise}' is loaded as a share of its training max, but none is known; set one with: "
            f"voicecoach max set \"{exercise}\" {example}{unit} (or give it under 'maxes:')")


def logged_maxes(chosen_db: Path | None) -> dict[str, MaxRecord]:
    """The training maxes in the log, without creating one."""
    if not history_path(chosen_db).exists():
        return {}
    with open_history(chosen_db) as history:
        return history.current_maxes()


def last_time(r: Routine, history: History) -> str | None:
    """What the summary says of the last finished session of the same routine."""
    return compare_with(history.last_finished(r.sha256))


def as_history_has_it(r: Routine, chosen_db: Path | None, day: str | None = None,
                      week: int | None = None) -> tuple[Routine, PlanContext]:
    """For `plan` and `render`: the routine and context `play` would use (the program's next day,
    loads moved on, the comparison with last time), without creating a database."""
    if not history_path(chosen_db).exists():
        return loaded(program_day(r, None, day, week)[0], {}), PlanContext()
    with open_history(chosen_db) as history:
        r, at = program_day(r, history, day, week)
        return progressed(r, history, at), PlanContext(compare=last_time(r, history))


def voice_settings(r: Routine, speech: Speech) -> tuple[VoiceSettings, float]:
    """The voice and the session's gain: options beat the routine's defaults, which beat the
    user's config file (see `choose_voice`).

    Raises:
        VoiceError, UsageError: a voice or engine that cannot be, named where it was given.
    """
    from voicecoach.sound.engines import VoiceChoice, choose_voice
    from voicecoach.sound.speech import DEFAULT_RATE_WPM, VoiceSettings
    user = load_settings()
    chosen_engine, chosen_voice, voice_from = choose_voice([
        VoiceChoice(speech.engine, speech.voice),  # an option: messages start "voicecoach: error:"
        VoiceChoice(r.defaults.engine, r.defaults.voice, "{}:{}:{}".format(r.source, *r.defaults.voice_at)),
        VoiceChoice(user.engine, user.voice, user.voice_from)])
    chosen_rate = speech.rate or r.defaults.rate_wpm or user.rate_wpm or DEFAULT_RATE_WPM
    chosen_volume = next(v for v in (speech.volume, r.defaults.volume, user.volume, 1.0) if v is not None)
    return VoiceSettings(chosen_voice, chosen_rate, voice_from=voice_from, engine=chosen_engine), chosen_volume


def check_voice(r: Routine) -> None:
    """Ask the speech engine whether the routine's own voice exists and speaks.

    Raises:
        VoiceError: it does not (the message names its line and column).
        SpeechError: the speech engine itself cannot start.
    """
    if r.defaults.voice is None and r.defaults.engine is None:
        return
    from voicecoach.process import c_stderr_silenced
    from voicecoach.sound.engines import make_synthesizer
    settings, _ = voice_settings(r, Speech())
    synth = make_synthesizer(settings)  # piper: says so if it is not installed
    if settings.engine == "piper":
        from voicecoach.sound.piper import resolve_voice
        resolve_voice(settings)  # the model need not load: its files are there
        return
    with c_stderr_silenced():
        synth.start()


def phrase_bank(settings: VoiceSettings) -> PhraseBank:
    """The phrases of `settings`' voice, from the speech cache or synthesized ahead on a worker."""
    from voicecoach.places import cache_dir
    from voicecoach.sound.engines import make_synthesizer
    from voicecoach.sound.cache import SpeechCache
    from voicecoach.sound.speech import PhraseBank
    return PhraseBank(make_synthesizer(settings), SpeechCache(cache_dir() / "speech"))


def about(r: Routine) -> str:
    """How long a routine lasts, roughly: "about 34 min", "under a minute"."""
    seconds = build_timeline(r, estimate_speech_s).duration_s
    return "under a minute" if seconds < 30 else f"about {max(1, round(seconds / 60))} min"
