"""The live session loop: keys in, commands out, the screen redrawn, the terminal always restored.

Hands-free first: with no terminal on stdin it just plays (no keys, no screen) and prints one
line per event. With one, keys drive `session.handle_key`; the display follows the clock.
An output that disappears pauses the session until it comes back; a machine that slept wakes
up paused.

Imports: voicecoach.session (machine, view, controls, record), voicecoach.routine.size, voicecoach.sound
(playback, the pure mixer and tones), voicecoach.plan (timeline, wording), voicecoach.errors. The player,
keys and display are handed in.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

import numpy as np

from voicecoach.session.controls import Controls
from voicecoach.errors import AudioError
from voicecoach.sound.mixer import Mix
from voicecoach.sound.playback import Outcome, Playback
from voicecoach.session.record import SetRecord, iso_time, utc_now
from voicecoach.session.machine import (
    PAUSED,
    RESUMING,
    STOP_QUESTION,
    Key,
    Notice,
    Pause,
    Quit,
    Replan,
    Resume,
    Say,
    SeekEnd,
    SessionState,
    SetVolume,
    handle_clock,
    handle_key,
)
from voicecoach.plan.timeline import Event, Phase, Segment, reps_counted
from voicecoach.routine.size import reps_at_tempo
from voicecoach.plan.wording import plural
from voicecoach.sound.tones import Samples, heard_tone
from voicecoach.session.view import View, describe
from voicecoach.session.controls import Spoken

POLL_S = 0.25   # keys wake the loop at once; this is how often the clock and the screen are looked at
SLEEP_JUMP_S = 2.0
NOTICE_S = Notice("").seconds
RESUMING_COUNT = ("Resuming in 3.", "2.", "1.")   # RESUMING as heard: a number a second, as the ticks
COUNT_STEP_S = 1.0
OVERLAY_PHRASES = (PAUSED, *RESUMING_COUNT)
RETRY_S = 1.0   # how often a lost output is looked for again
AMRAP_PROMPT_S = 20.0   # how long "how many reps?" stays on screen after an AMRAP set



class Output(Protocol):
    """What the loop asks of the sound output (`sound.player.Player` is the one used): its clock,
    whether it ended or broke, and pause, resume, seek and a clip over what plays. The loop is
    handed one from above and never opens a device itself."""

    rate_hz: int
    frame: int
    finished: threading.Event
    broken: threading.Event
    overlay_done: threading.Event

    @property
    def heard_frame(self) -> int: ...
    @property
    def mix(self) -> Mix | None: ...
    def say_over(self, clip: Samples) -> None: ...
    def seek(self, frame: int) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def stalled(self, after_s: float = 2.0) -> bool: ...
    def close(self) -> None: ...


def counted(clips: list[Samples], step_frames: int) -> Samples:
    """Phrases of a count one after another, each after the one before has been heard and at least
    `step_frames` after it began (the first is said whole: "Resuming in 3."; then "2.", "1."), with a
    step of silence after the last, before the clock runs again."""
    starts, at = [], 0
    for i, clip in enumerate(clips):
        starts.append(at)
        # the first ends on its number ("... 3."): the next follows about a step after that number began
        at = max(at + len(clip), at + step_frames) if i else at + len(clip) + round(step_frames * 0.6)
    out = np.zeros(at + step_frames // 2, dtype=np.float32)
    for start, clip in zip(starts, clips):
        out[start:start + len(clip)] += clip
    return out


def _boot_minus_monotonic() -> float:
    """Grows by the time the machine was suspended (CLOCK_BOOTTIME counts sleep, MONOTONIC does not)."""
    try:
        return time.clock_gettime(time.CLOCK_BOOTTIME) - time.monotonic()
    except (AttributeError, OSError):
        return 0.0


class LiveSession:
    """Drives a `Playback` until the end, a quit, or an error; reports events and draws the screen."""

    def __init__(self, playback: Playback, player: Output, *, reopen: Callable[[], None],
                 on_event: Callable[[Event], None] | None = None, keys: Any = None, display: Any = None,
                 device_wait_s: float = 600.0, gain: float = 1.0,
                 on_set: Callable[[SetRecord], None] | None = None,
                 on_amrap_reps: Callable[[int, int], None] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 controls: Controls[Key | Spoken] | None = None,
                 observers: tuple[Callable[[View], None], ...] = (),
                 on_notice: Callable[[str], None] | None = None, listening: bool = False,
                 listen_for_reps: Callable[[bool], None] | None = None,
                 listen_in_set: Callable[[bool], None] | None = None) -> None:
        self.clock = clock  # seconds, for notices and double presses (never for sound: that is the stream's)
        # other sources of the same keys (media keys and headset buttons over MPRIS, spoken commands)
        self.controls: Controls[Key | Spoken] = controls if controls is not None else Controls()
        self.listening = "listening" if listening else ""   # for the screen: listening, and what was heard
        self._heard_tone_due = False
        self._announce_later = ""     # a message from another thread, shown by the loop
        self.observers = observers      # read the same View the screen draws (MPRIS)
        self.on_notice = on_notice      # without a screen: a line for what the screen would say
        self.playback = playback
        self.player = player
        self.reopen = reopen
        self.on_event = on_event
        self.keys = keys
        self.display = display
        self.device_wait_s = device_wait_s
        self.state = SessionState(gain=gain)
        self.notice = ""
        self.notice_until = 0.0
        self.quit = False
        self.interrupted = False
        self._resume_pending = False
        self._lost_since: float | None = None
        self._last_retry = 0.0
        self._sleep_ref = _boot_minus_monotonic()
        # what may be said over the top is rendered ahead too, so a key never waits for the engine
        playback.bank.start(OVERLAY_PHRASES + ((STOP_QUESTION,) if listening else ()))
        self.on_set = on_set
        self.on_amrap_reps = on_amrap_reps
        self.amrap_step: int | None = None    # an AMRAP set just ended: its reps may be typed in
        self.amrap_typed = ""
        self.amrap_counted = 0                # what the coach counted in it: logged unless corrected
        self.amrap_until: float | None = None  # the prompt and "coach, twelve" end then, the count standing
        self.amrap_last: int | None = None    # the last AMRAP set done, for a spoken correction
        self.listen_for_reps = listen_for_reps   # "coach twelve" is listened for only just after one
        self.listen_in_set = listen_in_set       # "coach failed" only while a set is in progress
        self._in_set = False
        self._work: Segment | None = None       # the set being done, in the current plan
        self._work_started = ""
        self._work_paused_s = 0.0
        self._last_tick = self.clock()
        self._observed: tuple[Any, ...] | None = None   # the moment the observers last saw
        self._observed_plan: Any = None

    # --- commands
    def _clip(self, text: str) -> Samples:
        """The sound of `text` said over the top; "Resuming in 3, 2, 1." counted over three seconds."""
        parts = RESUMING_COUNT if text == RESUMING else (text,)
        bank = self.playback.bank
        missing = [p for p in parts if p not in bank.clips]
        if missing:
            bank.prepare(missing)
        if len(parts) == 1:
            return bank.clips[text]
        return counted(
            [bank.clips[p] for p in parts], round(COUNT_STEP_S * self.player.rate_hz))

    def _say(self, text: str) -> None:
        clip = self._clip(text)
        if self._heard_tone_due:  # a spoken command: its acknowledgement, then what it says
            self._heard_tone_due = False
            tone = heard_tone(self.player.rate_hz)
            clip = np.concatenate([tone, np.zeros(len(tone), dtype=np.float32), clip])
        self.player.say_over(clip)

    def _execute(self, commands: list[Any]) -> None:
        for c in commands:
            if isinstance(c, Replan):
                self._work = None
                self.player.resume()
                self.playback.replan(c.step, c.rest_s, c.brief)
                self.state = replace(self.state, paused=False)
            elif isinstance(c, SeekEnd):
                self.playback.seek_end(c.skipped)
            elif isinstance(c, Pause):
                self.player.pause()
            elif isinstance(c, Resume):
                self._rewind_to_phrase()
                self.player.resume()
            elif isinstance(c, Say):
                if c.resume_after:
                    self._rewind_to_phrase()
                if c.hold:
                    self.player.pause()
                    self._resume_pending = c.resume_after or not self.state.paused
                self._say(c.text)
                if self.display is None and self.on_notice is not None:  # said over the top: a line too
                    self.on_notice(c.text)
            elif isinstance(c, SetVolume):
                if self.player.mix is not None:
                    self.player.mix.gain = c.gain
            elif isinstance(c, Notice):
                self._notify(c.text, c.seconds)
            elif isinstance(c, Quit):
                self.quit = True

    def _rewind_to_phrase(self) -> None:
        """Resuming inside a phrase starts it again, so no word is lost to the pause."""
        timeline = self.playback.timeline
        assert timeline is not None
        frame = self.player.frame
        for e in timeline.events:
            if e.text and e.start_frame <= frame < e.end_frame and e.tone is None:
                self.player.seek(e.start_frame)
                self.playback.rewind_to(e.start_frame)
                return

    def _notify(self, text: str, seconds: float = NOTICE_S) -> None:
        self.notice = text
        self.notice_until = self.clock() + seconds

    # --- the log of sets
    def _end_set(self, *, skipped: bool, failed: bool = False) -> None:
        seg, self._work = self._work, None
        if seg is None or seg.step is None or self.on_set is None:
            return
        timeline = self.playback.timeline
        assert timeline is not None
        step = timeline.steps[seg.step]
        spec = step.spec
        heard = self.player.heard_frame
        done_frames = min(heard, seg.end_frame) - seg.start_frame
        reps: int | None = spec.reps
        if spec.reps is not None and (skipped or failed or spec.plus):   # 5+: the count said aloud, on past 5
            reps = reps_counted(timeline, seg, heard)
        elif spec.amrap:   # the coach's count at the tempo, as a default that a user may correct
            reps = reps_at_tempo(step.exercise, done_frames / timeline.rate_hz)
        hold = None if spec.hold_s is None else round(done_frames / timeline.rate_hz, 2)
        if failed:
            self._announce("Failed set: " + (plural(reps or 0, "rep") if hold is None else f"{hold:.0f} s held"))
        if spec.open and not failed:
            self.amrap_last = step.position   # "coach, twelve" corrects it
            self.amrap_until = self.clock() + AMRAP_PROMPT_S
            if self.listen_for_reps is not None:
                self.listen_for_reps(True)
            if self.keys is not None and self.on_amrap_reps is not None:   # a keyboard may correct it too
                self.amrap_step, self.amrap_typed, self.amrap_counted = step.position, "", reps or 0
        self.on_set(SetRecord(
            step=step.position, exercise=step.exercise.name, set_no=step.set_no, set_count=step.set_count,
            side=step.side, planned_reps=spec.reps, done_reps=reps, planned_hold_s=spec.hold_s, done_hold_s=hold,
            load=spec.load, warmup=spec.warmup, amrap=spec.open, started_at=self._work_started,
            ended_at=iso_time(utc_now()), skipped=skipped, paused_s=round(self._work_paused_s, 2), failed=failed))

    def _follow_sets(self) -> None:
        timeline = self.playback.timeline
        assert timeline is not None
        now = self.clock()
        if self._work is not None and self.state.paused:
            self._work_paused_s += now - self._last_tick
        self._last_tick = now
        frame = self.player.heard_frame
        if self._work is not None and frame >= self._work.end_frame:
            self._end_set(skipped=False)
        seg = timeline.segment_at(frame)
        if self._work is None and seg is not None and seg.phase is Phase.WORK and frame < seg.end_frame:
            self._work, self._work_started, self._work_paused_s = seg, iso_time(utc_now()), 0.0
        if self.listen_in_set is not None and (self._work is not None) != self._in_set:
            self._in_set = self._work is not None
            self.listen_in_set(self._in_set)

    def typed(self, char: str) -> None:
        """Digits and Enter: the reps reached in the AMRAP set that just ended, if not the coach's count
        (logged already: Enter alone, or nothing for `AMRAP_PROMPT_S`, keeps it)."""
        if self.amrap_step is None or self.on_amrap_reps is None:
            return
        if char == "\n":
            if self.amrap_typed:
                self.correct_amrap(int(self.amrap_typed))
            else:
                self._notify(f"Saved: {plural(self.amrap_counted, 'rep')}")
            self.amrap_step, self.amrap_typed = None, ""
        elif char == "\b":
            self.amrap_typed = self.amrap_typed[:-1]
        elif len(self.amrap_typed) < 4:
            self.amrap_typed += char

    def correct_amrap(self, reps: int) -> None:
        """The reps reached in the last AMRAP set, told by the user (typed, or "coach, twelve")."""
        if self.amrap_last is None or self.on_amrap_reps is None:
            self._notify("no AMRAP set to correct yet")
            return
        self.on_amrap_reps(self.amrap_last, reps)
        self._notify(f"Saved: {plural(reps, 'rep')}")
        self._close_amrap_window()

    def _close_amrap_window(self) -> None:
        """No more correcting the last AMRAP set: the prompt goes, and numbers are no longer listened for."""
        if self.amrap_until is not None and self.listen_for_reps is not None:
            self.listen_for_reps(False)
        self.amrap_until = None
        self.amrap_step, self.amrap_typed = None, ""

    def key(self, key: Key) -> None:
        """Act on `key` where the user is: at the frame being heard, with the set in progress known
        (a key can arrive before the next look at the clock)."""
        timeline = self.playback.timeline
        assert timeline is not None
        self._follow_sets()
        heard = self.player.heard_frame
        if key in (Key.NEXT, Key.NEXT_EXERCISE, Key.DONE, Key.BACK, Key.FAILED) and self._work is not None:
            seg = timeline.segment_at(heard)
            if seg == self._work:
                amrap_done = key is Key.DONE and timeline.steps[seg.step or 0].spec.open
                if key is Key.BACK:
                    self._work = None          # the set starts again: it is logged when it is done
                else:
                    self._end_set(skipped=not amrap_done and key is not Key.FAILED, failed=key is Key.FAILED)
        self.state, commands = handle_key(self.state, key, timeline, heard, self.clock())
        self._execute(commands)

    # --- the clock and the outside world
    def _announce(self, text: str) -> None:
        """A notice that matters in a log too (why the session ran long): on screen, or as a line."""
        self._notify(text)
        if self.display is None and self.on_notice is not None:
            self.on_notice(text)

    def _check_output(self) -> None:
        player = self.player
        if self._lost_since is None and (player.broken.is_set() or player.stalled()):
            self._lost_since = self.clock()
            player.close()
            self._announce("The sound output went away: paused until it comes back")
            self.state = replace(self.state, paused=True)
        if self._lost_since is None:
            return
        if self.clock() - self._lost_since > self.device_wait_s:
            at = (self.playback.done_s + player.frame / player.rate_hz)
            raise AudioError(f"voicecoach: error: the sound output stopped at {int(at // 60):02d}:"
                             f"{int(at % 60):02d} and did not come back (device disconnected or sound server "
                             "gone); check it with: voicecoach devices, then go on with: voicecoach resume")
        if self.clock() - self._last_retry < RETRY_S:
            return
        self._last_retry = self.clock()
        try:
            self.reopen()
        except AudioError:
            return
        self._lost_since = None
        self._announce("The sound output is back")
        self.state = replace(self.state, paused=False)
        player.pause()
        self._resume_pending = True
        self._say(RESUMING)

    def _check_sleep(self) -> None:
        now = _boot_minus_monotonic()
        if now - self._sleep_ref > SLEEP_JUMP_S and not self.state.paused:
            self.player.pause()
            self.state = replace(self.state, paused=True)
            self._notify("The computer slept: paused (space resumes)")
        self._sleep_ref = now

    def _draw(self) -> None:
        """The screen and the observers, from one View of what is heard now. Without a screen the
        observers (MPRIS: status and metadata) are told only when the segment or the pause changes."""
        timeline = self.playback.timeline
        if (self.display is None and not self.observers) or timeline is None:
            return
        if self.display is None:
            moment = (timeline.segment_at(self.player.heard_frame), self.state.paused)
            # the plan by identity: comparing two plans would read all their events
            if timeline is self._observed_plan and moment == self._observed:
                return
            self._observed_plan, self._observed = timeline, moment
        view = describe(timeline, self.player.heard_frame, done_s=self.playback.done_s,
                        total_s=self.playback.total_s)
        notice = self.notice if self.clock() < self.notice_until else ""
        if self.amrap_step is not None:
            notice = (f"AMRAP: {plural(self.amrap_counted, 'rep')} at the tempo. Did more or fewer? "
                      f"Type the number, then Enter: {self.amrap_typed}_")
        view = replace(view, paused=self.state.paused, notice=notice, volume=self.state.gain,
                       show_help=self.state.show_help, listening=self.listening)
        for observe in self.observers:
            observe(view)
        if self.display is not None:
            self.display.update(view)

    def run(self) -> Outcome:
        """Play to the end or a quit.

        Raises:
            AudioError: the output went away and did not come back within `device_wait_s`.
            Terminated: SIGTERM or SIGHUP (see `entry.signals_end_session`).
        """
        while not self.quit:
            try:
                self._take_controls()
                if self.keys is not None:
                    key = self.keys.read(POLL_S, wake_fd=self.controls.wake_fd)
                    if isinstance(key, str):
                        self.typed(key)
                    elif key is not None:
                        self.key(key)
                else:
                    item = self.controls.wait(POLL_S)   # no terminal: the other controls wake the loop
                    if item is not None:
                        self.control(item)
                if not self.quit and self._tick():
                    break
            except KeyboardInterrupt:
                if self.keys is None:
                    raise
                self.interrupted = True
                self.key(Key.INTERRUPT)
        return self.playback.outcome()

    def _take_controls(self) -> None:
        while not self.quit and (item := self.controls.take()) is not None:
            self.control(item)

    def control(self, item: Key | Spoken) -> None:
        """A key from another source; a spoken one is acknowledged by a soft tone and shown."""
        if not isinstance(item, Spoken):
            self.key(item)
            return
        self.listening = f'heard "{item.words}"'
        if self.display is None and self.on_notice is not None:
            self.on_notice(f'heard "{item.words}"')
        self._heard_tone_due = True
        if item.key is Key.REPS and item.number is not None:
            self.correct_amrap(item.number)
        else:
            self.key(item.key)
        if self._heard_tone_due:  # nothing was said in answer: the tone alone
            self._heard_tone_due = False
            self.player.say_over(heard_tone(self.player.rate_hz))

    def heard_nothing_useful(self, words: str) -> None:
        """Speech that was not a command (from the listener's thread): shown, never acted on."""
        self.listening = f'not a command: "{words}"' if words else "listening"

    def stop_listening(self, why: str) -> None:
        """The microphone went away (from the listener's thread): the session goes on."""
        self.listening = ""
        self._announce_later = why

    def _tick(self) -> bool:
        """One look at the clock and the world; True when the session is over."""
        player = self.player
        self.playback.refine()
        self._follow_sets()
        # what is heard, as it is heard; at the end, what is left (the last words are on their way)
        over = player.finished.is_set()
        for e in self.playback.reached(None if over else player.heard_frame):
            if self.on_event:
                self.on_event(e)
        self.state, commands = handle_clock(self.state, self.clock())
        self._execute(commands)
        if self._resume_pending and player.overlay_done.is_set():
            self._resume_pending = False
            player.resume()
        self._check_output()
        self._check_sleep()
        if self._announce_later:
            self._announce(self._announce_later)
            self._announce_later = ""
        if self.amrap_until is not None and self.clock() >= self.amrap_until:
            self._close_amrap_window()   # not answered: the coach's count stands
        self._draw()
        return player.finished.is_set() and player.overlay_done.is_set()
