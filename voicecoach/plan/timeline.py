"""PURE: a `Routine` and the length of each phrase -> the exact coaching plan, in output frames.

No IO, no clock, no randomness. Speech lengths come in as a function, so the same code
serves the real speech engine and fast tests. The plan can start at any step (a set, or
one side of a set), which is how skipping, going back and resuming are done: plan again.

Imports: voicecoach.routine.model, voicecoach.plan.wording.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from enum import Enum, IntEnum
from typing import Any, NamedTuple

from voicecoach.routine.model import Exercise, Group, Intervals, Routine, SetSpec, Sides
from voicecoach.routine.size import CUE_EVERY_S, beat_times_s, movements, reps_at_tempo, work_s
from voicecoach.plan.wording import (
    per_side,
    plural,
    say_count,
    say_duration,
    say_list,
    say_load,
    say_plates,
    say_minutes,
    say_number,
    say_set_label,
    say_sets,
    say_work,
)

SpeechLengths = Callable[[str], float]
"""Seconds a phrase lasts when spoken."""

RATE_HZ = 48_000
TICK_S = 0.1
GO_S = 0.3
END_S = 0.35
FINISH_S = 1.2
BEAT_S = 0.06
LIFT_BEAT_S = 0.08
COUNTDOWN_S = 3.0      # the 3-2-1 ticks occupy the last three seconds before a set
PHRASE_GAP_S = 0.15    # silence kept between two phrases
LEAD_IN_S = 0.5        # breath after a set ends before the coach speaks (and after the end tone)
COUNT_SLACK_S = 0.25   # how late a count may land before it is dropped
TIP_MIN_REST_S = 30.0
TEN_LEFT_MIN_REST_S = 20.0
GET_READY = "Get ready."   # said last before a new exercise, just before its countdown


class EventKind(Enum):
    """What the player does for an event."""

    SPEECH = "speech"
    TONE = "tone"


class Tone(Enum):
    """The tones of a session (see `voicecoach.sound.tones` for their sound)."""

    TICK = "tick"      # the 3-2-1 countdown
    GO = "go"          # a set starts
    END = "end"        # a timed set (hold, interval, AMRAP cap) ends
    FINISH = "finish"  # the workout is complete
    BEAT = "beat"      # a whole second of a slow lowering phase (tempo beats)
    LIFT = "beat-lift"  # the lift starts (tempo beats); "beat" in `plan --json`, with "beat": "lift"

    @property
    def is_beat(self) -> bool:
        """A tempo beat: a soft mark inside a rep, which gives way to anything said."""
        return self in (Tone.BEAT, Tone.LIFT)


TONE_S = {Tone.TICK: TICK_S, Tone.GO: GO_S, Tone.END: END_S, Tone.FINISH: FINISH_S, Tone.BEAT: BEAT_S,
          Tone.LIFT: LIFT_BEAT_S}


class Priority(IntEnum):
    """Which phrase gives way when two do not fit: lower values win."""

    COUNT = 0        # rep counts, spoken countdowns
    STRUCTURE = 1    # what comes next, rest, sets, "10 seconds left"
    CUE = 2          # form cues during a set
    TIP = 3          # general tips during a long rest


class Phase(Enum):
    """What the user is doing during a segment."""

    GET_READY = "get_ready"
    WORK = "work"
    REST = "rest"
    SWITCH = "switch"
    FINISH = "finish"


class Step(NamedTuple):
    """One contiguous piece of work: a set, or one side of a set, or one interval round."""

    position: int             # 0-based place among the session's steps
    exercise: Exercise
    spec: SetSpec
    set_no: int               # 1-based among work sets (or rounds); 0 for a warm-up set
    set_count: int
    side: str | None          # "right" / "left" for one side at a time
    gap_after_s: float        # rest (or switch time) after this step
    gap_phase: Phase
    block: Group | Intervals | None = None
    first_of_block: bool = False

    def work_s(self) -> float:
        """Planned seconds of work (the cap for an AMRAP set)."""
        return work_s(self.exercise, self.spec)

    def reps_done(self) -> int:
        """Reps this step counts toward the summary (both sides of an alternating set)."""
        return movements(self.exercise, self.spec)


def rep_beats(ex: Exercise) -> tuple[tuple[float, Tone], ...]:
    """The tempo beats inside one rep of `ex`, as seconds from the rep's start: one at each whole
    second of a lowering phase of 2 s or more after its first, and one where the lift starts."""
    times = beat_times_s(ex)
    return tuple((s, Tone.LIFT if i == len(times) - 1 else Tone.BEAT) for i, s in enumerate(times))


def build_steps(routine: Routine) -> tuple[Step, ...]:
    """Flatten a routine into its steps, in the order they are done."""
    raw: list[Step] = []

    def sided(ex: Exercise, spec: SetSpec, set_no: int, count: int, gap_s: float,
              block: Group | Intervals | None, first: bool) -> None:
        if ex.sides is Sides.EACH:
            raw.append(Step(0, ex, spec, set_no, count, "right", ex.switch_s, Phase.SWITCH, block, first))
            raw.append(Step(0, ex, spec, set_no, count, "left", gap_s, Phase.REST, block, False))
        else:
            raw.append(Step(0, ex, spec, set_no, count, None, gap_s, Phase.REST, block, first))

    for block in routine.blocks:
        if isinstance(block, Exercise):
            work = [s for s in block.sets if not s.warmup]
            n = 0
            for i, spec in enumerate(block.sets):
                last = i == len(block.sets) - 1
                n += 0 if spec.warmup else 1
                sided(block, spec, 0 if spec.warmup else n, len(work),
                      block.rest_after_s if last else block.rest_s, None, False)
        elif isinstance(block, Group):
            for r in range(1, block.rounds + 1):
                for j, ex in enumerate(block.exercises):
                    last_in_round = j == len(block.exercises) - 1
                    gap = block.rest_between_s if not last_in_round else (
                        block.rest_s if r < block.rounds else block.rest_after_s)
                    sided(ex, ex.sets[0], r, block.rounds, gap, block, r == 1 and j == 0)
        else:
            for r in range(1, block.rounds + 1):
                ex = block.exercises[(r - 1) % len(block.exercises)]
                gap = block.rest_s if r < block.rounds else block.rest_after_s
                sided(ex, ex.sets[0], r, block.rounds, gap, block, r == 1)
    if raw:
        raw[-1] = raw[-1]._replace(gap_after_s=0.0)
    return tuple(s._replace(position=i) for i, s in enumerate(raw))


class Event(NamedTuple):
    """Something heard: a phrase or a tone, at an exact frame.

    A NamedTuple rather than a frozen dataclass: plans of long sessions hold tens of
    thousands of events, and tuples are built several times faster.
    """

    start_frame: int
    duration_frames: int
    kind: EventKind
    text: str | None = None
    tone: Tone | None = None
    priority: Priority = Priority.STRUCTURE
    step: int | None = None
    exercise: str | None = None
    set_no: int | None = None
    side: str | None = None

    @property
    def end_frame(self) -> int:
        return self.start_frame + self.duration_frames


class Segment(NamedTuple):
    """A stretch of the session in one phase (work, rest, ...), for display and checks."""

    phase: Phase
    start_frame: int
    duration_frames: int
    step: int | None

    @property
    def end_frame(self) -> int:
        return self.start_frame + self.duration_frames


class PlanContext(NamedTuple):
    """What is known only while playing, given to the plan as data.

    greeting: said first, e.g. "Welcome back." when resuming.
    heard_how: exercises whose how-to was already said this session.
    summary: what to say after "Workout complete." instead of the planned totals.
    """

    greeting: str | None = None
    heard_how: frozenset[str] = frozenset()
    summary: str | None = None
    compare: str | None = None
    """Said after the summary, e.g. how this compares with last time."""
    rest_s: float | None = None
    """Continue mid-session: the plan opens with this much rest after the step before
    `start_step` (0 = straight to the next set's countdown), not with a welcome."""
    before: tuple[Step, ...] = ()
    """Sets already done in this session before this plan (after a skip, a back or a resume):
    the summary counts them with the planned ones."""
    before_s: float = 0.0
    """Session time already spent before this plan: the summary's "in N minutes" includes it."""
    skipped: frozenset[int] = frozenset()
    """Steps (by position) skipped on the way to the end: the summary leaves them out."""
    brief: bool = False
    """After a skip: the first set's announcement is not said again (a reminder and its countdown)."""


class Timeline(NamedTuple):
    """The plan: ordered events and segments on one frame axis starting at 0."""

    routine: str
    rate_hz: int
    start_step: int
    steps: tuple[Step, ...]
    events: tuple[Event, ...]
    segments: tuple[Segment, ...]
    total_frames: int
    dropped: tuple[str, ...] = ()

    @property
    def duration_s(self) -> float:
        return self.total_frames / self.rate_hz

    def phrases(self, until_frame: int | None = None) -> list[str]:
        """Distinct phrases of the plan in the order they are first heard, then the phrases that gave
        way (with other speech lengths they may fit); or only those heard before `until_frame`
        (what must be ready to start: a phrase that gave way can only fit again later, on a refined plan)."""
        if until_frame is not None:
            return list(dict.fromkeys(e.text for e in self.events
                                      if e.kind is EventKind.SPEECH and e.text and e.start_frame < until_frame))
        heard = (e.text for e in self.events if e.kind is EventKind.SPEECH and e.text)
        return list(dict.fromkeys([*heard, *self.dropped]))

    def segment_at(self, frame: int) -> Segment | None:
        """The segment that contains `frame`, if any."""
        i = bisect.bisect_right(self.segments, frame, key=_segment_start) - 1
        if i >= 0 and frame < self.segments[i].end_frame:
            return self.segments[i]
        return None

    def step_start_frame(self, step: int) -> int | None:
        """The frame where the work of `step` begins."""
        for seg in self.segments:
            if seg.phase is Phase.WORK and seg.step == step:
                return seg.start_frame
        return None

    def to_dict(self) -> dict[str, Any]:
        """The plan for machines (the `plan --json` format)."""
        rate = self.rate_hz
        return {
            "routine": self.routine,
            "sample_rate": rate,
            "duration_s": round(self.total_frames / rate, 6),
            "total_frames": self.total_frames,
            "events": [{
                "t": round(e.start_frame / rate, 6), "duration": round(e.duration_frames / rate, 6),
                "kind": e.kind.value,
                "text": e.text if e.kind is EventKind.SPEECH else None,
                "tone": ("beat" if e.tone.is_beat else e.tone.value) if e.tone else None,
                "beat": ("lift" if e.tone is Tone.LIFT else "lower") if e.tone and e.tone.is_beat else None,
                "exercise": e.exercise, "set": e.set_no, "side": e.side,
                "frame": e.start_frame, "frames": e.duration_frames, "priority": e.priority.name.lower(),
            } for e in self.events],
            "segments": [{
                "phase": s.phase.value, "t": round(s.start_frame / rate, 6),
                "duration": round(s.duration_frames / rate, 6), "step": s.step,
            } for s in self.segments],
            "sets": [{
                "step": st.position, "exercise": st.exercise.name, "set": st.set_no, "side": st.side,
                "warmup": st.spec.warmup, "reps": st.spec.reps, "hold": st.spec.hold_s, "load": _load_json(st.spec),
            } for st in self.steps],
            "dropped": list(self.dropped),
        }


def _load_json(spec: SetSpec) -> dict[str, Any] | None:
    """A set's load for machines: its text, and a weight as number, unit and plates per side."""
    if spec.load is None:
        return None
    weight = re.match(r"^(\d+(?:\.\d+)?) (kg|lb)$", spec.load)
    return {"text": spec.load, "value": float(weight.group(1)) if weight else None,
            "unit": weight.group(2) if weight else None,
            "plates_per_side": list(spec.plates) if spec.plates is not None else None}


def _segment_start(s: Segment) -> int:
    return s.start_frame


def estimate_speech_s(text: str, rate_wpm: int = 175) -> float:
    """A rough spoken length of `text` for planning without a speech engine."""
    words = max(1, len(text.split()))
    pauses = sum(text.count(p) for p in ".,:;!?")
    return round(0.2 + words * 60.0 / rate_wpm + 0.12 * pauses, 3)


class _Board:
    """Speech placed so far, kept as sorted non-overlapping intervals in frames."""

    def __init__(self, gap_frames: int) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.gap = gap_frames
        self.latest_end = 0

    def fits(self, start: int, length: int) -> bool:
        i = bisect.bisect_right(self.starts, start)
        if i > 0 and self.ends[i - 1] + self.gap > start:
            return False
        return not (i < len(self.starts) and start + length + self.gap > self.starts[i])

    def first_fit(self, earliest: int, latest: int, length: int) -> int | None:
        """The earliest start in [earliest, latest] where `length` frames fit, or None."""
        start = earliest
        while start <= latest:
            if self.fits(start, length):
                return start
            i = bisect.bisect_right(self.starts, start + length + self.gap)
            # the blocker is the last interval starting before our end: move past it
            start = max(start + 1, self.ends[i - 1] + self.gap) if i > 0 else start + 1
        return None

    def add(self, start: int, length: int) -> None:
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, start + length)
        self.latest_end = max(self.latest_end, start + length)

    def last_end(self) -> int:
        return self.latest_end

    def forget_before(self, frame: int) -> None:
        """Drop intervals that end before `frame` - gap: nothing will be placed there any more."""
        keep = bisect.bisect_left(self.ends, frame - self.gap)
        keep = min(keep, len(self.starts) - 1)
        if keep > 0:
            del self.starts[:keep]
            del self.ends[:keep]


class _Wish(NamedTuple):
    """A phrase that wants to be said between `earliest` and `latest` (start frames)."""

    text: str
    earliest: int
    latest: int
    priority: Priority
    step: Step | None
    end_by: int = 1 << 62   # the phrase must have ended by this frame


def _lead_in(prev: Step | None, step: Step, routine: Routine, heard: set[str], brief: bool = False) -> list[str]:
    """What the coach says before `step`, in order (rest, what comes next, how-to, "Get ready.");
    `brief` after a skip: what was announced already is not said again (a reminder of the name and
    what is new), and the countdown follows."""
    ex, spec = step.exercise, step.spec
    out: list[str] = []
    if prev is not None:
        if prev.gap_phase is Phase.SWITCH:
            out.append("Switch sides.")
        elif prev.gap_after_s >= 1:
            short = isinstance(step.block, Intervals) and prev.block is step.block
            out.append("Rest." if short else f"Rest {say_duration(prev.gap_after_s)}.")
    new_exercise = prev is None or prev.exercise is not ex or (prev.block is not step.block)
    block = step.block
    work = say_work(spec, ex)
    detailed = False   # the set's work was said with its label
    if isinstance(block, Intervals):
        if (step.first_of_block or prev is None) and not brief:
            rest = f", {say_duration(block.rest_s)} rest" if block.rest_s >= 1 else ""
            rounds = f"{plural(block.rounds, 'round')} of {say_duration(block.work_s)} work{rest}."
            welcomed = prev is None and block.name.lower() == routine.name.lower()  # the welcome named it
            out.append(f"{rounds[:1].upper()}{rounds[1:]}" if welcomed else f"Next up: {block.name}. {rounds}")
        label = say_set_label(spec, step.set_no, step.set_count, rounds=True)
        out.append(f"{label}. {ex.name}." if len(block.exercises) > 1 or step.first_of_block else f"{label}.")
    elif isinstance(block, Group):
        if (step.first_of_block or prev is None) and not brief:
            names = say_list([e.name for e in block.exercises])
            called = f"a {block.kind}" if block.name.lower() == block.kind else f"{block.kind} {block.name}"
            out.append(f"Next up: {called}. {names}, {plural(block.rounds, 'round')}.")
        if step.side != "left":
            if step.exercise is block.exercises[0]:
                out.append(f"{say_set_label(spec, step.set_no, step.set_count, rounds=True)}.")
            if spec.amrap:
                work = f"as many reps as you can in {say_duration(spec.cap_s or 60)}"
            out.append(f"{ex.name}, {work}{per_side(ex)}.")   # (then a new exercise: no "Hold for")
    elif new_exercise:
        if brief:
            out.append(f"{ex.name}.")
        else:
            out.append(f"Next up: {ex.name}.")
            if not (spec.amrap and len(ex.sets) == 1):  # the AMRAP line below says it, with its cap
                out.append(f"{say_sets(ex)}.")
        if prev is None and (step.set_no > 1 or step.side == "left"):  # starting mid-exercise
            out.append(f"{say_set_label(spec, step.set_no, step.set_count)}.")
    elif step.side != "left":
        label = say_set_label(spec, step.set_no, step.set_count)
        detailed = (prev is None or say_work(prev.spec, ex) != work or spec.warmup) and not spec.amrap
        out.append(f"{label}, {work}." if detailed else f"{label}.")
    if spec.load and (new_exercise or prev is None or prev.spec.load != spec.load) and step.side != "left":
        load = say_load(spec.load)
        if spec.plates is not None and ex.say_plates:
            load = f"{load}: {say_plates(spec.plates)}"
        out.append(f"{load[:1].upper()}{load[1:]}.")  # "Bodyweight.", said as the sentence it is
    if ex.how and ex.name not in heard and step.side != "left":
        out.append(ex.how)
        heard.add(ex.name)
    if step.side == "right":
        out.append(f"Right {ex.limb} first.")
    elif step.side == "left":
        out.append(f"Left {ex.limb}.")
    elif ex.sides is Sides.ALTERNATE and step.side is None and new_exercise:
        out.append(f"Start with the right {ex.limb}. I count each pair.")
    if spec.amrap and not isinstance(block, Group):
        out.append(f"As many reps as you can, up to {say_duration(spec.cap_s or 60)}.")
    elif (spec.hold_s is not None and not spec.moving and not isinstance(block, Intervals) and not new_exercise
          and not detailed):  # (a new exercise's hold was said above)
        out.append(f"Hold for {say_duration(spec.hold_s)}.")
    long_rest = prev is not None and prev.gap_after_s >= TEN_LEFT_MIN_REST_S   # (after a skip: rest 0)
    if (prev is None or (new_exercise and not (isinstance(block, Intervals) and not step.first_of_block))) \
            and (not brief or long_rest):
        out.append(GET_READY)
    return out


def build_timeline(routine: Routine, speech_s: SpeechLengths, *, rate_hz: int = RATE_HZ, start_step: int = 0,
                   context: PlanContext = PlanContext()) -> Timeline:
    """Place every phrase and tone of `routine`, from `start_step` on, at exact frames. Pure.

    Invariants: events are sorted by start; no two phrases overlap; every rest, switch and
    set lasts exactly its planned length in frames; the last countdown tick ends on the frame
    the next set begins; a phrase that does not fit gives way by `Priority` and never moves
    the clock.

    Raises:
        ValueError: `start_step` is not a step of the routine.
    """
    steps = build_steps(routine)
    if not 0 <= start_step < len(steps):
        raise ValueError(f"start_step {start_step} is outside 0..{len(steps) - 1}")

    def frames(seconds: float) -> int:
        return round(seconds * rate_hz)

    board = _Board(frames(PHRASE_GAP_S))
    tones: list[Event] = []
    spoken: list[Event] = []
    wishes: list[_Wish] = []
    segments: list[Segment] = []
    dropped: list[str] = []
    heard = set(context.heard_how)
    tip_i = 0
    cue_i: dict[str, int] = {}

    lengths: dict[str, int] = {}

    def length(text: str) -> int:
        if text not in lengths:
            lengths[text] = max(1, frames(speech_s(text)))
        return lengths[text]

    def say_now(text: str, at: int, step: Step | None, priority: Priority = Priority.STRUCTURE) -> int:
        """Place a must-say phrase at `at` exactly (the caller made room); return its end."""
        n = length(text)
        board.add(at, n)
        spoken.append(_speech(text, at, n, priority, step))
        return at + n

    def tone(kind: Tone, at: int, step: Step | None) -> None:
        tones.append(Event(at, frames(TONE_S[kind]), EventKind.TONE, text=kind.value, tone=kind,
                           priority=Priority.COUNT, step=None if step is None else step.position,
                           exercise=step.exercise.name if step else None,
                           set_no=step.set_no if step else None, side=step.side if step else None))

    continuing = context.rest_s is not None
    t = 0
    prev: Step | None = None
    for step in steps[start_step:]:
        # --- the gap before this step: rest or switch (exact), then get-ready for what does not fit
        lead_prev = prev
        if prev is None and continuing and start_step > 0:
            lead_prev = steps[start_step - 1]._replace(gap_after_s=context.rest_s or 0.0)
        lines = _lead_in(lead_prev, step, routine, heard, brief=context.brief and prev is None)
        if prev is None and (context.greeting or not continuing):
            lines = ([context.greeting] if context.greeting else
                     [f"{routine.name}." if start_step else f"Welcome to {routine.name}."]) + \
                ([routine.day_label] if routine.day_label and not context.greeting else []) + lines
        gap = frames(lead_prev.gap_after_s) if lead_prev else 0
        speak_from = max(t + frames(LEAD_IN_S), board.last_end() + board.gap) if prev else t
        chain = sum(length(x) + board.gap for x in lines)
        need = speak_from - t + chain + frames(COUNTDOWN_S)
        opening_s = (context.rest_s or 0.0) if continuing else routine.defaults.get_ready_s
        extra = max(frames(opening_s) if lead_prev is None else 0, need - gap, 0)
        if gap and lead_prev is not None:
            segments.append(Segment(lead_prev.gap_phase, t, gap, lead_prev.position))
        if extra:
            segments.append(Segment(Phase.GET_READY, t + gap, extra, step.position))
        set_start = t + gap + extra
        at = free_from = speak_from   # free_from: where the rest is free to hold a tip
        for text in lines:
            if text is GET_READY:   # as late as it can be: just before the countdown
                at = max(at, set_start - frames(COUNTDOWN_S) - board.gap - length(text))
            at = say_now(text, at, step) + board.gap
            free_from = free_from if text is GET_READY else at
        if gap + extra >= frames(TEN_LEFT_MIN_REST_S):
            wishes.append(_Wish("10 seconds left.", set_start - frames(10), set_start - frames(8.5),
                                Priority.STRUCTURE, step, set_start - frames(COUNTDOWN_S)))
        if routine.tips and gap >= frames(TIP_MIN_REST_S):
            # the next tip in turn that suits the set ahead (a tip about reps is not said before a hold)
            fitting = [k for k in range(len(routine.tips)) if routine.tips[(tip_i + k) % len(routine.tips)].fits(
                step.spec)]
            if fitting:
                tip = routine.tips[(tip_i + fitting[0]) % len(routine.tips)]
                tip_i += fitting[0] + 1
                wishes.append(_Wish(tip.text, free_from, set_start, Priority.TIP, step, set_start - frames(12)))
        for k in (3, 2, 1):
            tone(Tone.TICK, set_start - (k - 1) * rate_hz - frames(TICK_S), step)
        tone(Tone.GO, set_start, step)

        # --- the work itself
        work = frames(step.work_s())
        segments.append(Segment(Phase.WORK, set_start, work, step.position))
        in_set: list[_Wish] = []
        _plan_work(step, set_start, work, rate_hz, in_set, tone, cue_i)
        # counts come first and are placed now, so what follows the set starts after the last one
        for wish in in_set:
            if wish.priority is Priority.COUNT:
                n = length(wish.text)
                start = board.first_fit(wish.earliest, wish.latest, n)
                if start is None:
                    dropped.append(wish.text)
                else:
                    board.add(start, n)
                    spoken.append(_speech(wish.text, start, n, wish.priority, step))
            else:
                wishes.append(wish)
        t = set_start + work
        prev = step
        # what may give way is placed now, most important first: the windows of one step never
        # reach into the next, so placing step by step keeps the board small
        _settle(board, wishes, length, spoken, dropped)
        # beats last: they sound only where nothing is said (with the gap kept around phrases)
        beats = rep_beats(step.exercise)
        if beats:
            rep = step.exercise.tempo.rep_s
            for r in range(movements(step.exercise, step.spec)):
                for offset_s, kind in beats:
                    at = set_start + frames(r * rep + offset_s)
                    if board.fits(at, frames(TONE_S[kind])):
                        tone(kind, at, step)
        board.forget_before(t)

    # --- the end
    finish_at = t + frames(LEAD_IN_S)
    tone(Tone.FINISH, finish_at, prev)
    done = [s for s in (*context.before, *steps[start_step:]) if s.position not in context.skipped]
    summary = context.summary or _summary(done, round(context.before_s * rate_hz) + t, rate_hz)
    if context.compare:
        summary = f"{summary} {context.compare}"
    at = max(finish_at + frames(FINISH_S), board.last_end() + board.gap)
    at = say_now("Workout complete.", at, None) + board.gap
    end = say_now(summary, at, None)
    total = end + frames(1.0)
    segments.append(Segment(Phase.FINISH, t, total - t, None))

    events = sorted(spoken + tones, key=_event_order)
    return Timeline(routine=routine.name, rate_hz=rate_hz, start_step=start_step, steps=steps,
                    events=tuple(events), segments=tuple(segments), total_frames=total, dropped=tuple(dropped))


def _settle(board: _Board, wishes: list[_Wish], length: Callable[[str], int], spoken: list[Event],
            dropped: list[str]) -> None:
    """Place the phrases that may give way, most important first; drop what does not fit."""
    for wish in sorted(wishes, key=lambda w: (w.priority, w.earliest)):
        n = length(wish.text)
        latest = min(wish.latest, wish.end_by - n)
        start = board.first_fit(wish.earliest, latest, n) if latest >= wish.earliest else None
        if start is None:
            dropped.append(wish.text)
            continue
        board.add(start, n)
        spoken.append(_speech(wish.text, start, n, wish.priority, wish.step))
    wishes.clear()


def _event_order(e: Event) -> tuple[int, bool]:
    return e.start_frame, e.kind is EventKind.SPEECH


def _speech(text: str, at: int, n: int, priority: Priority, step: Step | None) -> Event:
    return Event(at, n, EventKind.SPEECH, text=text, priority=priority,
                 step=None if step is None else step.position, exercise=step.exercise.name if step else None,
                 set_no=step.set_no if step else None, side=step.side if step else None)


def _plan_work(step: Step, start: int, work: int, rate_hz: int, wishes: list[_Wish],
               tone: Callable[[Tone, int, Step | None], None], cue_i: dict[str, int]) -> None:
    """Counts, time calls and cues inside one set."""
    ex, spec = step.exercise, step.spec
    sec = rate_hz
    slack = round(COUNT_SLACK_S * rate_hz)
    if spec.reps is not None:
        rep = ex.tempo.rep_s
        per_count = 2 if ex.sides is Sides.ALTERNATE else 1
        counts = reps_at_tempo(ex, work / rate_hz) if spec.plus else spec.reps   # 5+: counted on to the cap
        for k in range(1, counts + 1):
            # a count lands when the rep completes: the end of the lift of its last movement
            at = start + round(((k * per_count - 1) * rep + ex.tempo.count_offset_s) * rate_hz)
            if spec.plus:
                text = f"{k}, keep going" if k == spec.reps and counts > k else str(k)
            else:
                text = say_count(k, spec.reps, rep * per_count)
            wishes.append(_Wish(text, at, at + slack, Priority.COUNT, step))
    else:
        timed = work / rate_hz
        half = start + work // 2
        if timed >= 10:
            wishes.append(_Wish("Halfway.", half, half + sec, Priority.STRUCTURE, step, start + work - 3 * sec))
        if timed >= 120:   # a long set hears the time every minute (but not over "Halfway.")
            for minute in range(1, int(timed // 60) + 1):
                at = start + minute * 60 * sec
                left_s = round(timed - minute * 60)
                if left_s >= 30 and abs(at - half) >= 60 * sec:
                    wishes.append(_Wish(f"{say_duration(left_s)} left.", at, at + sec, Priority.STRUCTURE, step,
                                        start + work - 12 * sec))
        if timed >= 25:
            ten = start + work - 10 * sec
            wishes.append(_Wish("10 seconds left.", ten, ten + sec // 2, Priority.STRUCTURE, step,
                                start + work - 3 * sec))
        if timed >= 5:
            for k in (3, 2, 1):
                at = start + work - k * sec
                wishes.append(_Wish(say_number(k), at, at + slack, Priority.COUNT, step))
        tone(Tone.END, start + work, step)
    if ex.cues:
        n_cues = max(1, min(len(ex.cues), round(work / (CUE_EVERY_S * sec))))
        for j in range(n_cues):
            i = cue_i.get(ex.name, 0)
            cue_i[ex.name] = i + 1
            desired = start + round((j + 0.35) * work / n_cues)
            wishes.append(_Wish(ex.cues[i % len(ex.cues)], desired, start + work, Priority.CUE, step,
                                start + work - sec))


def _summary(steps: Iterable[Step], work_end_frame: int, rate_hz: int = RATE_HZ) -> str:
    done = list(steps)
    exercises = len(dict.fromkeys(s.exercise.name for s in done))
    rounds = sum(1 for s in done if isinstance(s.block, Intervals))  # a Tabata round is no set
    sets = sum(1 for s in done if s.side != "left" and not isinstance(s.block, Intervals))
    reps = sum(s.reps_done() for s in done)
    parts = [plural(exercises, "exercise")]
    parts += [plural(sets, "set")] if sets or not rounds else []
    parts += [plural(rounds, "round")] if rounds else []
    parts += [plural(reps, "rep")] if reps else []
    return f"{', '.join(parts)}, in {say_minutes(work_end_frame / rate_hz)}. Great work!"


def reps_counted(timeline: Timeline, work: Segment, frame: int) -> int:
    """How many reps of the set in `work` had been counted aloud by `frame` (0 before the first)."""
    counted = 0
    for e in timeline.events:
        if (e.kind is EventKind.SPEECH and e.step == work.step and e.text
                and work.start_frame <= e.start_frame <= frame and e.text.split(",")[0].isdigit()):
            counted = int(e.text.split(",")[0])
    return counted


def find_step(steps: tuple[Step, ...], exercise: str, set_no: int | None = None,
              side: str | None = None) -> int | None:
    """Index of the first step of `exercise` (case-insensitive), at set/round `set_no` and `side` if given."""
    want = exercise.strip().lower()
    for step in steps:
        if step.exercise.name.lower() != want:
            continue
        if set_no is not None and step.set_no != set_no:
            continue
        if side is not None and step.side != side:
            continue
        return step.position
    return None
