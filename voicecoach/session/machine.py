"""PURE: the state machine of a running session. Keys and the clock go in, commands come out.

Where the user is comes from the plan and the player's frame; what to do about a key is
decided here and carried out by the caller (`session.live`): plan again from a step, pause,
say something over the top, change the volume, quit. No IO, no clock of its own: the
caller passes the time in seconds (`now_s`) for the double-press rules.

Imports: voicecoach.plan.timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from voicecoach.plan.timeline import EventKind, Phase, Segment, Timeline

PAUSED = "Paused."
RESUMING = "Resuming in 3, 2, 1."
EXTEND_S = 15.0
VOLUME_STEP = 0.1
CONFIRM_WINDOW_S = 3.0
STOP_QUESTION = "Stop the workout?"
ANSWER_WINDOW_S = 10.0    # from the spoken "stop": the question (about 1.5 s), then time to answer twice
                          # (a "yes" not heard is said again after 2-3 s; 7 s left room for one retry only)
BACK_AGAIN_WINDOW_S = 4.0

COUNTDOWN_S = 3.0
HELP = ("space pause/resume   n/→ next (rest -> set -> rest)   N next exercise   p/← back to the start of the set\n"
        "(again: the one before)   r repeat   e +15 s rest   +/- volume   d AMRAP set done   f failed set\n"
        "q quit   ? keys")


class Key(Enum):
    """What the user asked for."""

    PAUSE = "pause"           # pause or resume (space, a headset's play/pause button)
    PLAY = "play"             # resume if paused, else nothing (MPRIS Play)
    HOLD = "hold"             # pause if playing, else nothing (MPRIS Pause; a sound server's pause)
    STOP = "stop"             # quit, already confirmed (MPRIS Stop)
    NEXT = "next"
    NEXT_EXERCISE = "next-exercise"   # skip what is left of this exercise (in a rest: of the one announced)
    BACK = "back"
    REPEAT = "repeat"
    EXTEND = "extend"
    LOUDER = "louder"
    QUIETER = "quieter"
    DONE = "done"
    QUIT = "quit"
    INTERRUPT = "interrupt"   # Ctrl-C
    HELP = "help"
    ASK_STOP = "ask-stop"     # "coach, stop": asks "Stop the workout?" (a set in progress or not)
    YES = "yes"               # the answer to that question
    REPS = "reps"             # "coach, twelve": the reps done in the last AMRAP set (the number comes with it)
    FAILED = "failed"         # end the set in progress as failed, with the reps counted so far ("f")


@dataclass(frozen=True, slots=True)
class Replan:
    """Plan again from `step`, opening with `rest_s` of rest (0: straight to its countdown); `brief`:
    what was announced for it already is not said again."""

    step: int
    rest_s: float
    brief: bool = False


@dataclass(frozen=True, slots=True)
class SeekEnd:
    """Skip what is left and go to the end of the session; `skipped`: the first step left out on the way
    (it and every step after it are not done)."""

    skipped: int | None = None


@dataclass(frozen=True, slots=True)
class Pause:
    """Freeze the clock (the stream keeps running, silent)."""


@dataclass(frozen=True, slots=True)
class Resume:
    """Let the clock run again: a question was put aside (a phrase it cut starts again)."""


@dataclass(frozen=True, slots=True)
class Say:
    """Say `text` over the top; with `hold`, the clock stays frozen while it is said, then resumes."""

    text: str
    hold: bool = False
    resume_after: bool = False


@dataclass(frozen=True, slots=True)
class SetVolume:
    gain: float


@dataclass(frozen=True, slots=True)
class Notice:
    """A message for the screen, shown for `seconds`."""

    text: str
    seconds: float = 4.0


@dataclass(frozen=True, slots=True)
class Quit:
    """End the session now."""


Command = Replan | SeekEnd | Pause | Resume | Say | SetVolume | Notice | Quit


@dataclass(frozen=True, slots=True)
class SessionState:
    """What the session remembers between keys."""

    paused: bool = False
    gain: float = 1.0
    show_help: bool = False
    quit_armed_s: float | None = None
    back_at_s: float | None = None
    back_step: int | None = None
    stop_asked_s: float | None = None     # when "Stop the workout?" was asked (None: no question open)
    held_for_question: bool = False       # the clock was stopped to ask it (it runs again after)
    skipped_to: int | None = None         # a skip went to this set's countdown: another skips the set


def handle_clock(state: SessionState, now_s: float) -> tuple[SessionState, list[Command]]:
    """What time alone does: "Stop the workout?" unanswered for `ANSWER_WINDOW_S` carries on."""
    if state.stop_asked_s is None or now_s - state.stop_asked_s <= ANSWER_WINDOW_S:
        return state, []
    if not state.held_for_question:
        return replace(state, stop_asked_s=None), []
    return (replace(state, stop_asked_s=None, held_for_question=False, paused=False),
            [Say(RESUMING, hold=True, resume_after=True)])


def _work_after(timeline: Timeline, seg: Segment) -> tuple[int, int] | None:
    """The step whose set follows the segment `seg` (a rest, switch or get-ready), and the frame
    where that set begins."""
    for s in timeline.segments:
        if s.phase is Phase.WORK and s.start_frame >= seg.end_frame and s.step is not None:
            return s.step, s.start_frame
    return None


def _past(timeline: Timeline, step: int) -> Replan | SeekEnd:
    """Skip the set of `step`: to the rest after it (or the end, after the last one)."""
    if step + 1 >= len(timeline.steps):
        return SeekEnd(skipped=step)
    return Replan(step + 1, timeline.steps[step].gap_after_s)


def _next_exercise(timeline: Timeline, step: int) -> int | None:
    """The first step of what follows the exercise of `step` (a superset, circuit or interval block
    counts as one exercise)."""
    here = timeline.steps[step]
    for later in timeline.steps[step + 1:]:
        if later.block is not here.block or (later.block is None and later.exercise is not here.exercise):
            return later.position
    return None


def handle_key(state: SessionState, key: Key, timeline: Timeline, frame: int,
               now_s: float) -> tuple[SessionState, list[Command]]:
    """What `key` pressed at plan frame `frame` (wall time `now_s`) does."""
    seg = timeline.segment_at(frame)
    in_set = seg is not None and seg.phase is Phase.WORK
    if key is Key.HELP:
        return replace(state, show_help=not state.show_help), []
    if key is Key.STOP:
        return state, [Quit()]
    asked = state.stop_asked_s is not None and now_s - state.stop_asked_s <= ANSWER_WINDOW_S
    if key is Key.YES and not asked:
        return state, []   # out of the blue, or too late: the clock's own carrying on is left to happen
    if key is Key.YES or (key is Key.ASK_STOP and asked):
        return replace(state, stop_asked_s=None), [Quit()]
    if key is Key.ASK_STOP:  # the coach stops and asks; silence for a while carries on (handle_clock)
        return replace(state, stop_asked_s=now_s, held_for_question=not state.paused, paused=True), [
            Pause(), Say(STOP_QUESTION),
            Notice('Stop the workout? Say "yes" (or "stop" again)', seconds=ANSWER_WINDOW_S)]
    if state.stop_asked_s is not None:  # anything else puts the question aside, then acts
        held = state.held_for_question
        state = replace(state, stop_asked_s=None, held_for_question=False, paused=state.paused and not held)
        if held:
            state, commands = handle_key(state, key, timeline, frame, now_s)
            return state, [Resume(), *commands]
    if (key is Key.PLAY and not state.paused) or (key is Key.HOLD and state.paused):
        return state, []
    if key in (Key.PLAY, Key.HOLD):
        key = Key.PAUSE
    if key in (Key.QUIT, Key.INTERRUPT):
        armed = state.quit_armed_s is not None and now_s - state.quit_armed_s <= CONFIRM_WINDOW_S
        if in_set and not armed:
            what = "q" if key is Key.QUIT else "Ctrl-C"
            # the prompt is on screen exactly as long as a second press quits
            return replace(state, quit_armed_s=now_s), [Notice(f"A set is in progress: press {what} again to quit",
                                                               seconds=CONFIRM_WINDOW_S)]
        return state, [Quit()]
    state = replace(state, quit_armed_s=None)
    if key is Key.PAUSE:
        if state.paused:
            return replace(state, paused=False), [Say(RESUMING, hold=True, resume_after=True)]
        return replace(state, paused=True), [Pause(), Say(PAUSED)]
    if key in (Key.LOUDER, Key.QUIETER):
        delta = VOLUME_STEP if key is Key.LOUDER else -VOLUME_STEP
        gain = round(min(1.0, max(0.0, state.gain + delta)), 2)
        return replace(state, gain=gain), [SetVolume(gain), Notice(f"Volume {round(gain * 100)}%")]
    if key is Key.REPEAT:
        last = [e.text for e in timeline.events
                if e.kind is EventKind.SPEECH and e.start_frame <= frame and e.text]
        return state, ([Say(last[-1], hold=True)] if last else [])
    if seg is None or seg.step is None:   # past the end, or the summing up (the only segment of no step)
        return state, []
    step = seg.step
    skipped_to, state = state.skipped_to, replace(state, skipped_to=None)
    if key is Key.NEXT or (key is Key.DONE and in_set):
        if key is Key.DONE and not timeline.steps[step].spec.open:
            return state, [Notice("d ends an AMRAP set; n skips to the rest")]
        if in_set:
            return state, [_past(timeline, step)]
        following = _work_after(timeline, seg)
        if following is None:
            return state, []
        set_step, set_start = following
        if skipped_to == set_step or set_start - frame <= round((COUNTDOWN_S + 0.5) * timeline.rate_hz):
            return state, [_past(timeline, set_step)]   # at the set's start already: skip the set itself
        return replace(state, skipped_to=set_step), [Replan(set_step, 0.0, brief=True)]
    if key is Key.NEXT_EXERCISE:
        following = None if in_set else _work_after(timeline, seg)   # in a rest: the exercise announced
        current = step if in_set else (following[0] if following is not None else None)
        if current is None:
            return state, []
        after = _next_exercise(timeline, current)
        return state, [Replan(after, 0.0) if after is not None else SeekEnd(skipped=current)]
    if key is Key.DONE:
        return state, [Notice("d ends an AMRAP set")]
    if key is Key.FAILED:   # logged as failed by whoever keeps the log (it knows the count); then the rest
        return state, [_past(timeline, step)] if in_set else [Notice("f ends a set in progress as failed")]
    if key is Key.BACK:
        target = step
        again = state.back_at_s is not None and now_s - state.back_at_s <= BACK_AGAIN_WINDOW_S
        if again and state.back_step is not None:
            target = max(0, state.back_step - 1)
        return replace(state, back_at_s=now_s, back_step=target), [Replan(target, 0.0)]
    if key is Key.EXTEND:
        if seg.phase not in (Phase.REST, Phase.GET_READY, Phase.SWITCH):
            return state, [Notice("e extends a rest")]
        following = _work_after(timeline, seg)
        if following is None:
            return state, []
        set_step, set_start = following
        left_s = (set_start - frame) / timeline.rate_hz   # the countdown is inside the rest: 15 s more, exactly
        return state, [Replan(set_step, left_s + EXTEND_S, brief=True)]
    return state, []
