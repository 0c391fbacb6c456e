"""Runs a plan on the player: speech rendered ahead, the plan refined with true phrase lengths,
re-planned from a new position on skip, back or extend, events reported as they are reached.

Imports: voicecoach.plan.timeline, voicecoach.sound.mixer, voicecoach.sound.speech, voicecoach.sound.player.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from voicecoach.sound.mixer import Mix
from voicecoach.sound.player import Player
from voicecoach.routine.model import Routine
from voicecoach.sound.speech import PhraseBank
from voicecoach.plan.timeline import (
    RATE_HZ,
    Event,
    EventKind,
    Phase,
    PlanContext,
    Step,
    Timeline,
    build_steps,
    build_timeline,
    estimate_speech_s,
)

REFINE_MARGIN_S = 1.0


def plan_with(routine: Routine, bank: PhraseBank, *, rate_wpm: int, start_step: int = 0,
              context: PlanContext = PlanContext(), rate_hz: int = RATE_HZ) -> Timeline:
    """The plan with the true length of every phrase rendered so far, estimates for the rest."""
    def length_s(text: str) -> float:
        clip = bank.clips.get(text)
        return len(clip) / rate_hz if clip is not None else estimate_speech_s(text, rate_wpm)
    return build_timeline(routine, length_s, rate_hz=rate_hz, start_step=start_step, context=context)


def full_plan(routine: Routine, bank: PhraseBank, *, rate_wpm: int, start_step: int = 0,
              context: PlanContext = PlanContext(), rate_hz: int = RATE_HZ) -> Timeline:
    """The plan with every phrase rendered (synthesizing what is missing, in plan order)."""
    timeline = plan_with(routine, bank, rate_wpm=rate_wpm, start_step=start_step, context=context, rate_hz=rate_hz)
    for _ in range(5):  # true lengths can let a phrase fit that gave way before: render it too
        missing = [t for t in timeline.phrases() if t not in bank.clips]
        if not missing:
            break
        bank.prepare(missing)
        timeline = plan_with(routine, bank, rate_wpm=rate_wpm, start_step=start_step, context=context,
                             rate_hz=rate_hz)
    return timeline


def first_work_end(timeline: Timeline) -> int:
    """The frame where the plan's first set ends."""
    return next((s.end_frame for s in timeline.segments if s.phase is Phase.WORK), timeline.total_frames)


class Outcome(NamedTuple):
    """How a played session ended."""

    frames_played: int
    underruns: int
    refinements: int
    late_phrases: int
    finished: bool


class Playback:
    """One session on a `Player`: starts as soon as the first set's phrases are ready."""

    def __init__(self, routine: Routine, bank: PhraseBank, player: Player, *, rate_wpm: int,
                 start_step: int = 0, context: PlanContext = PlanContext(), gain: float = 1.0) -> None:
        self.routine = routine
        self.bank = bank
        self.player = player
        self.rate_wpm = rate_wpm
        self.start_step = start_step
        self.context = context
        self.gain = gain
        self.timeline: Timeline | None = None
        self.refinements = 0
        self.late_phrases = 0
        self.done_s = 0.0           # session time of the plans before this one (skips, backs)
        # sets done in earlier plans of this session, by position (a set done again after going back
        # is counted once), and what the context already counted before this process (a resume)
        self._done_steps: dict[int, Step] = {s.position: s for s in context.before}
        self._before_s_at_start = context.before_s
        self.heard_how: set[str] = set(context.heard_how)
        self.total_s: float | None = None
        self._complete = False
        self._next_event = 0
        self._how = {ex.how: ex.name for ex in (s.exercise for s in build_steps(routine)) if ex.how}

    def _plan(self) -> Timeline:
        return plan_with(self.routine, self.bank, rate_wpm=self.rate_wpm, start_step=self.start_step,
                         context=self.context, rate_hz=self.player.rate_hz)

    def prepare(self) -> None:
        """Render the first set's phrases now; the rest keep rendering behind, in plan order."""
        estimate = self._plan()
        first = estimate.phrases(until_frame=first_work_end(estimate))
        self.bank.load_cached(first)
        self.bank.start([*first, *estimate.phrases()])
        self.bank.wait_for(first)

    def start(self) -> Timeline:
        """Start playing (after `prepare`) on the plan with the true lengths known so far."""
        self.timeline = self._plan()
        self.total_s = self.timeline.duration_s
        self.player.play(Mix(self.timeline, self.bank.clips, gain=self.gain))
        return self.timeline

    def amend_context(self, **changes: Any) -> None:
        """Let the plan know more (what the summary compares with, looked up after the start):
        `refine` moves to a plan with it once its phrases are rendered."""
        self.context = self.context._replace(**changes)
        self._complete = False

    def refine(self) -> bool:
        """Once every phrase is rendered, continue on the plan with all true lengths. True when done."""
        if self._complete:
            return True
        if not self.bank.wait_for(self.timeline.phrases() if self.timeline else [], timeout_s=0):
            return False
        new = self._plan()
        missing = [t for t in new.phrases() if t not in self.bank.clips]
        if missing:
            self.bank.start(missing)
            return False
        old = self.timeline
        assert old is not None
        horizon = self.player.frame + round(REFINE_MARGIN_S * self.player.rate_hz)
        if [e for e in old.events if e.start_frame < horizon] != [e for e in new.events if e.start_frame < horizon]:
            self.late_phrases += 1  # rendering fell behind playback: the new plan differs in the past
        self.timeline = new
        if self.start_step == 0 and self.context.rest_s is None:
            self.total_s = new.duration_s
        self.player.swap(Mix(new, self.bank.clips, gain=self._gain()))
        self.refinements += 1
        self._complete = True
        return True

    def _gain(self) -> float:
        return self.player.mix.gain if self.player.mix is not None else self.gain

    def replan(self, step: int, rest_s: float, brief: bool = False) -> Timeline:
        """Continue from `step`, opening with `rest_s` of rest: plan again, with no gap and no overlap;
        `brief`: what was announced for `step` already is not said again."""
        assert self.timeline is not None
        frame = self.player.frame
        for seg in self.timeline.segments:  # sets whose work was done in the plan left behind
            if seg.phase is Phase.WORK and seg.step is not None and seg.end_frame <= frame:
                self._done_steps[seg.step] = self.timeline.steps[seg.step]
        self.done_s += frame / self.player.rate_hz
        self.start_step = step
        before = tuple(s for position, s in sorted(self._done_steps.items()) if position < step)
        self.context = self.context._replace(greeting=None, rest_s=rest_s, brief=brief,
                                             heard_how=frozenset(self.heard_how),
                                             before=before, before_s=self._before_s_at_start + self.done_s)
        # as at the start: what the next set needs is rendered now (mostly cached already), the rest
        # (a new summary, say) behind, and `refine` moves to the exact plan once it is all there
        self.prepare()
        timeline = self._plan()
        self.timeline = timeline
        self._complete = False
        self._next_event = 0
        self.player.play(Mix(timeline, self.bank.clips, gain=self._gain()))
        return timeline

    def seek_end(self, skipped: int | None = None) -> None:
        """Skip to the end of the session (the chime and the summary); the sets skipped on the way (the
        one in progress, or `skipped` and every step after it) are left out of the summary (`refine`
        moves to the plan that says so once it is rendered)."""
        assert self.timeline is not None
        here = self.timeline.segment_at(self.player.frame)
        left_out = {here.step} if here is not None and here.phase is Phase.WORK and here.step is not None else set()
        left_out |= set(range(skipped, len(self.timeline.steps))) if skipped is not None else set()
        if left_out:
            self.amend_context(skipped=self.context.skipped | left_out)
        finish = next(s for s in self.timeline.segments if s.phase is Phase.FINISH)
        self._next_event = next((i for i, e in enumerate(self.timeline.events) if e.start_frame >= finish.start_frame),
                                len(self.timeline.events))
        self.player.seek(finish.start_frame)

    def rewind_to(self, frame: int) -> None:
        """Report events from `frame` on again (after the clock was moved back to it)."""
        assert self.timeline is not None
        self._next_event = next((i for i, e in enumerate(self.timeline.events) if e.start_frame >= frame),
                                len(self.timeline.events))

    def reached(self, frame: int | None = None) -> list[Event]:
        """Events reached since the last call (in order): by `frame` (the one being heard), or by
        the clock."""
        timeline = self.timeline
        assert timeline is not None
        out = []
        events = timeline.events
        frame = self.player.frame if frame is None else frame
        while self._next_event < len(events) and events[self._next_event].start_frame <= frame:
            e = events[self._next_event]
            if e.kind is EventKind.SPEECH and e.text in self._how:
                self.heard_how.add(self._how[e.text])
            out.append(e)
            self._next_event += 1
        return out

    def heard_s(self) -> float:
        """Session time being heard now: the plans before this one, and this one up to the ear."""
        return self.done_s + self.player.heard_frame / self.player.rate_hz

    def outcome(self) -> Outcome:
        return Outcome(round(self.done_s * self.player.rate_hz) + self.player.frame, self.player.underruns,
                       self.refinements, self.late_phrases, self.player.finished.is_set())
