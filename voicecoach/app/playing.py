"""A played session put together: the output opened beside the routine's loading, the playback, the
log, then (once sound plays) the live loop with its sources (keys, media keys, voice) and observers
(screen, MPRIS), the inhibitors and ducking, each given back on every way out.

What a person should read goes through a `Reporter` the command hands in: this module never
prints by itself.

Imports: voicecoach.app (choices, settings), voicecoach.routine.library, voicecoach.plan.timeline,
voicecoach.places, voicecoach.process, voicecoach.errors; lazily every wing a session uses
(sound, session, desktop, listen, log), most of them after the first sound.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from voicecoach.app.choices import (
    Speech,
    last_time,
    open_history,
    phrase_bank,
    program_day,
    progressed,
    start_step,
    voice_settings,
)
from voicecoach.app.settings import load_settings
from voicecoach.errors import AudioError, UsageError
from voicecoach.places import state_dir
from voicecoach.plan.timeline import Event, EventKind, PlanContext, Timeline, Tone, build_steps
from voicecoach.process import c_stderr_silenced, signals_end_session
from voicecoach.routine.library import parse_remembered, resolve_routine

if TYPE_CHECKING:
    from voicecoach.listen.recognizer import CommandRecognizer
    from voicecoach.session.controls import Controls
    from voicecoach.session.live import LiveSession
    from voicecoach.sound.playback import Outcome, Playback
    from voicecoach.sound.player import Player

DEFAULT_DUCK_DB = 12.0
DUCK_JOURNAL_NAME = "ducked.json"


class Reporter(NamedTuple):
    """Where a session's words for the person go: `line` to the terminal (events without a
    screen, notices), `warn` to stderr, `debug` to stderr under --debug only. Each may be called
    from any thread."""

    line: Callable[[str], None]
    warn: Callable[[str], None]
    debug: Callable[[str], None]


class Request(NamedTuple):
    """What a person asked `play` (or `resume`) for."""

    routine: str | None = None
    device: str | None = None
    start: str | None = None
    speech: Speech = Speech()
    device_wait_s: float = 600.0
    inhibit: bool | None = None
    duck_db: float | None = None
    listen: bool | None = None
    mic: str | None = None
    db: Path | None = None
    day: str | None = None      # a program's day (name or number), else the next
    week: int | None = None     # a program's week, else the next


class Played(NamedTuple):
    """How a session ended: what was played, in frames of the output's rate, and the underruns."""

    finished: bool
    frames_played: int
    underruns: int
    rate_hz: int

    def summary(self) -> str:
        """The last line of a session: "played 34:12, 0 underruns" (the target is none)."""
        played = self.frames_played / self.rate_hz
        how = "played" if self.finished else "stopped after"
        from voicecoach.plan.wording import plural
        return f"{how} {int(played // 60)}:{int(played % 60):02d}, {plural(self.underruns, 'underrun')}"


def play(request: Request, report: Reporter) -> Played:
    """Play a whole session of `request.routine` and record it in the training log.

    Raises:
        RoutineError, UsageError: the routine or an option is wrong.
        AudioError: no output could be opened, or it was lost for longer than `device_wait_s`.
        KeyboardInterrupt: Ctrl-C, or q pressed twice (the session is kept as interrupted).
    """
    return _play(request, report, resume=None)


def resume_last(request: Request, report: Reporter) -> Played:
    """Continue the last interrupted session from the start of the set it stopped in.

    Raises:
        UsageError: there is no interrupted session. And as `play`.
    """
    with open_history(request.db) as history:
        last = history.last_interrupted()
        if last is None:
            history.require_intact()
    if last is None:
        raise UsageError("voicecoach: error: there is no interrupted session to resume "
                         "(see: voicecoach history)")
    return _play(request, report, resume=last)


def _play(request: Request, report: Reporter, resume: Any) -> Played:
    from voicecoach.sound.player import Player
    player = Player()
    with c_stderr_silenced():
        outcome, rate_hz = _play_session(player, request, report, resume)
    return Played(outcome.finished, outcome.frames_played, outcome.underruns, rate_hz)


def stamp(seconds: float) -> str:
    """A line's time: "01:05"."""
    return f"{int(seconds // 60):02d}:{int(seconds % 60):02d}"


class LogClock:
    """The time of a line in a session's log: the real time since the session's first sound, so that
    it never runs backwards (a phrase said again after a pause) and a pause or a lost output shows
    as the time it took."""

    def __init__(self, clock: Callable[[], float], zero_s: float) -> None:
        self.clock = clock
        self.zero_s = zero_s
        self.last_s = 0.0

    def now_s(self, heard_ago_s: float = 0.0) -> float:
        """Seconds since the first sound, for something heard `heard_ago_s` ago (at most half a second:
        the loop looks at the clock four times a second); never less than the line before."""
        self.last_s = max(self.last_s, self.clock() - self.zero_s - min(max(heard_ago_s, 0.0), 0.5))
        return self.last_s


def event_line(e: Event, at_s: float) -> str:
    """One event as a line, at `at_s` seconds into the session (see `LogClock`)."""
    at = stamp(at_s)
    if e.kind is EventKind.SPEECH:
        return f"{at} {e.text}"
    what = f"[{e.tone.value}]" if e.tone else "[tone]"
    if e.tone is Tone.GO and e.exercise:
        side = f", {e.side} side" if e.side else ""
        return f"{at} {what} {e.exercise}, set {e.set_no}{side}"
    return f"{at} {what}"


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


def _keep_first_words(timeline: Timeline, player: Player) -> None:
    """Keep the session's first phrase as mixed, for the head start of the next run of this command
    (on a thread: the first sound is already playing)."""
    mix = player.mix
    first = timeline.events[0] if timeline.events else None
    if mix is None or first is None or first.kind is not EventKind.SPEECH or first.start_frame != 0:
        return
    from voicecoach.sound import head
    from voicecoach.sound.player import first_frames
    threading.Thread(target=head.keep, args=(lambda n: first_frames(mix, n), first.end_frame),
                     name="keep-first-words", daemon=True).start()


def _join_desktop(stack: contextlib.ExitStack, controls: Controls[Any], playback: Playback, inhibit: bool,
                  debug: Callable[[str], None]) -> tuple[Callable[[Any], None], ...]:
    """Media keys and headset buttons (MPRIS) and, unless `inhibit` is off, no sleep or screen lock
    while the session plays; both given back on every way out. Returns the observers of the view."""
    from voicecoach.desktop.mpris import MprisServer
    from voicecoach.session.view import describe
    mpris = MprisServer(controls.put, debug=debug, position_s=playback.heard_s)
    assert playback.timeline is not None, "started before the desktop joins"
    mpris.start(describe(playback.timeline, 0, done_s=playback.done_s, total_s=playback.total_s))
    stack.callback(mpris.close)
    if inhibit:
        from voicecoach.desktop.inhibit import Inhibitor
        inhibitor = Inhibitor(debug=debug)
        inhibitor.start()
        stack.callback(inhibitor.release)
    return (mpris.update,)


def _duck_music(stack: contextlib.ExitStack, playback: Playback, player: Player, duck_db: float,
                debug: Callable[[str], None]) -> None:
    """Other streams lowered by `duck_db` while the plan's phrases are heard; back on every way out."""
    from voicecoach.desktop.duck import Ducker
    seen_plan: Timeline | None = None
    seen_phrases: list[tuple[float, float]] = []

    def phrases() -> list[tuple[float, float]]:  # the current plan's, worked out once per plan
        nonlocal seen_plan, seen_phrases
        timeline = playback.timeline
        if timeline is not None and timeline is not seen_plan:
            rate = timeline.rate_hz
            seen_plan, seen_phrases = timeline, [(e.start_frame / rate, e.end_frame / rate)
                                                 for e in timeline.events if e.kind is EventKind.SPEECH]
        return seen_phrases

    ducker = Ducker(duck_db, state_dir() / DUCK_JOURNAL_NAME, phrases,
                    lambda: player.heard_frame / player.rate_hz, debug=debug)
    ducker.start()
    stack.callback(ducker.close)


def _recognizer(report: Reporter) -> CommandRecognizer | None:
    """The recognizer of spoken commands, loaded before sound starts; None (and one line) without pocketsphinx."""
    try:
        from voicecoach.listen.recognizer import CommandRecognizer
        return CommandRecognizer()
    except ImportError as exc:
        report.warn(f"voicecoach: {exc}; the session plays without listening")
        return None


def _listen(stack: contextlib.ExitStack, recognizer: CommandRecognizer, controls: Controls[Any],
            live: LiveSession, player: Player, mic: str | None, report: Reporter) -> None:
    """Spoken commands from the microphone, as keys; without one: one line, and the session plays on."""
    from voicecoach.listen.microphone import ECHO_S, Microphone, resolve_input
    debug = report.debug

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
        report.warn(f"voicecoach: {why}; the session plays without listening")
        live.listening = ""
        return
    stack.callback(microphone.close)
    stack.callback(lambda: debug(f"listen: {microphone.heard_s:.0f} s heard ({recognizer.gated_s:.0f} s of it "
                                 f"while the coach spoke), {microphone.cpu_s:.2f} s of CPU "
                                 f"({100 * microphone.cpu_s / max(microphone.heard_s, 1e-9):.1f}% of a core), "
                                 f"{microphone.overflows} overflows"))


def _play_session(player: Player, request: Request, report: Reporter, resume: Any) -> tuple[Outcome, int]:
    from voicecoach.sound.player import resolve_device
    from voicecoach.sound.tones import all_tones

    journal = state_dir() / DUCK_JOURNAL_NAME
    if journal.exists():  # music a crashed session left quiet comes back before anything else
        from voicecoach.desktop.duck import restore_from_journal
        restore_from_journal(journal, report.debug)

    user = load_settings()  # the config file, read once for the device, the inhibitors and ducking
    chosen_device = request.device or user.device
    from voicecoach.sound import head
    # the kept first words: only for a plain play on the default output (what `head` keeps them for)
    with_head = resume is None and chosen_device is None

    def open_output(adopt: bool = False) -> None:
        early = head.wait() if adopt else None
        if early is not None and early.stream is not None:
            player.adopt(early)   # its first words already sound: the player goes on from them
        else:
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
        opened = _in_background(lambda: open_output(adopt=with_head))
        try:
            from voicecoach.sound.playback import Playback
            history = stack.enter_context(open_history(request.db))
            context = PlanContext()
            if resume is not None:
                name, text = history.routine_text(resume.id)
                r = parse_remembered(text, f"<history>/{name}")
                day, week = history.day_of(resume.id)
                r, at = program_day(r, None, day, week)
                step = history.resume_step(resume.id)
                context = PlanContext(greeting="Welcome back.")
            else:
                r, at = program_day(resolve_routine(request.routine), history, request.day, request.week)
                step = start_step(r, request.start)
            r = progressed(r, history, at)  # loads are heard from the first words on
            if resume is not None:  # the summary counts what was done before the interruption too
                done, spent = history.done_in_chain(resume.id)
                steps = build_steps(r)
                context = context._replace(before=tuple(steps[i] for i in done if i < step), before_s=spent)
            settings, gain = voice_settings(r, request.speech)
            bank = phrase_bank(settings)
            stack.callback(lambda: report.debug(bank.report()))  # after the worker stops
            stack.callback(bank.stop)  # its worker never outlives the session (see PhraseBank.stop)
            playback = Playback(r, bank, player, rate_wpm=settings.rate_wpm, start_step=step, gain=gain,
                                context=context)
            playback.prepare()
            listen_on = request.listen if request.listen is not None else user.listen
            recognizer = _recognizer(report) if listen_on else None
        except BaseException:
            with contextlib.suppress(Exception):
                opened()  # a mistake in the routine is the one to report, even with no sound output too
            raise
        opened()
        timeline = playback.start()
        agreed = player.head_agrees(player.mix) if player.mix is not None else True
        player.start()
        started_s = time.monotonic() - player.frame / player.rate_hz   # the first sound (a head start's too)
        head.settle()
        if player.adopted is not None:
            early = player.adopted
            report.debug(f"head start: the kept first words played {early.pos / player.rate_hz:.3f} s "
                         f"before the mix took over ({'agreeing' if agreed else 'not agreeing'})")
        if not agreed:  # the kept first words were not this session's: never again
            report.debug("head start: the kept first words differ from the mix; dropped")
            head.forget(head.this_command or "", dict(os.environ))
        if with_head and (player.adopted is None or not agreed):
            _keep_first_words(timeline, player)
        # the comparison with last time is said in the summary at the end: looked up once sound plays
        playback.amend_context(compare=last_time(r, history))
        # what only matters once sound plays is imported after it started
        from voicecoach.session.controls import Controls
        from voicecoach.session.live import LiveSession
        rate_hz = timeline.rate_hz
        keys = display = None
        if sys.stdin.isatty():
            from voicecoach.session.keys import raw_keys
            keys = stack.enter_context(raw_keys())
            if sys.stdout.isatty():
                from voicecoach.session.display import Display
                display = stack.enter_context(Display())
        log_clock = LogClock(time.monotonic, started_s)

        def on_event(e: Event) -> None:   # without a screen, a line for each event as it is heard
            if not (e.tone and e.tone.is_beat):
                ago_s = (player.heard_frame - e.start_frame) / rate_hz
                report.line(event_line(e, log_clock.now_s(ago_s)))

        def on_notice(text: str) -> None:  # without a screen, as a line beside the events
            report.line(f"{stamp(log_clock.now_s())} {text}")
        controls: Controls[Any] = Controls()
        stack.callback(controls.close)   # after the sources that put into it have stopped
        wanted = request.inhibit if request.inhibit is not None else user.inhibit
        observers = _join_desktop(stack, controls, playback, wanted, report.debug)
        duck = next(v for v in (request.duck_db, r.defaults.duck_db, user.duck_db, DEFAULT_DUCK_DB) if v is not None)
        if duck > 0:
            _duck_music(stack, playback, player, duck, report.debug)
        session_id = history.start_session(r.name, r.sha256, r.source, r.text, start_step=step,
                                           resumed_from=resume.id if resume is not None else None,
                                           day=r.days[at.day].name if at is not None and r.days else None,
                                           week=at.week if at is not None else None)
        ended = "interrupted"
        stack.callback(lambda: history.end_session(session_id, ended))
        live = LiveSession(playback, player, reopen=reopen, on_event=on_event if display is None else None,
                           keys=keys, display=display,
                           device_wait_s=request.device_wait_s, gain=gain,
                           on_set=lambda rec: history.record_set(session_id, rec),
                           on_amrap_reps=lambda step, reps: history.set_amrap_reps(session_id, step, reps),
                           controls=controls, observers=observers, on_notice=on_notice,
                           listening=recognizer is not None,
                           listen_for_reps=recognizer.listen_for_reps if recognizer is not None else None,
                           listen_in_set=recognizer.listen_in_set if recognizer is not None else None)
        if recognizer is not None:
            _listen(stack, recognizer, controls, live, player, request.mic or user.mic, report)
        outcome = live.run()
        if outcome.finished:
            ended = "finished"
        elif live.quit and not live.interrupted:
            ended = "quit"
    if live.interrupted and live.quit:
        raise KeyboardInterrupt
    return outcome, rate_hz
