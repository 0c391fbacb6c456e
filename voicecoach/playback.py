"""Runs a plan on the player: speech rendered ahead, the plan refined with true phrase lengths, events reported as heard.

Imports: voicecoach.timeline, voicecoach.mixer, voicecoach.speech, voicecoach.player, voicecoach.errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from voicecoach.errors import AudioError
from voicecoach.mixer import Mix
from voicecoach.player import Player
from voicecoach.routine import Routine
from voicecoach.speech import PhraseBank
from voicecoach.timeline import RATE_HZ, Event, Phase, PlanContext, Timeline, build_timeline, estimate_speech_s

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
    for _ in range(5):  # true lengths can let a phrase fit that gave way before: render it too
        timeline = plan_with(routine, bank, rate_wpm=rate_wpm, start_step=start_step, context=context,
                             rate_hz=rate_hz)
        missing = [t for t in timeline.phrases() if t not in bank.clips]
        if not missing:
            return timeline
        bank.prepare(missing)
    return timeline


def first_work_end(timeline: Timeline) -> int:
    """The frame where the plan's first set ends."""
    return next((s.end_frame for s in timeline.segments if s.phase is Phase.WORK), timeline.total_frames)


@dataclass
class Outcome:
    """How a played session ended."""

    frames_played: int
    underruns: int
    refinements: int
    late_phrases: int


class Playback:
    """One session on a `Player`: starts as soon as the first set's phrases are ready."""

    def __init__(self, routine: Routine, bank: PhraseBank, player: Player, *, rate_wpm: int,
                 start_step: int = 0, context: PlanContext = PlanContext(), gain: float = 1.0) -> None:
        self.gain = gain
        self.routine = routine
        self.bank = bank
        self.player = player
        self.rate_wpm = rate_wpm
        self.start_step = start_step
        self.context = context
        self.timeline: Timeline | None = None
        self.refinements = 0
        self.late_phrases = 0
        self._complete = False

    def _plan(self) -> Timeline:
        return plan_with(self.routine, self.bank, rate_wpm=self.rate_wpm, start_step=self.start_step,
                         context=self.context, rate_hz=self.player.rate_hz)

    def prepare(self) -> None:
        """Render the first set's phrases now; the rest keep rendering behind, in plan order."""
        estimate = self._plan()
        first = estimate.phrases(until_frame=first_work_end(estimate))
        self.bank.start([*first, *estimate.phrases()])
        self.bank.wait_for(first)

    def start(self) -> Timeline:
        """Start playing (after `prepare`) on the plan with the true lengths known so far."""
        self.timeline = self._plan()
        self.player.play(Mix(self.timeline, self.bank.clips, gain=self.gain))
        return self.timeline

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
        self.player.swap(Mix(new, self.bank.clips, gain=self.player.mix.gain if self.player.mix else self.gain))
        self.refinements += 1
        self._complete = True
        return True

    def run(self, on_event: Callable[[Event], None] | None = None, poll_s: float = 0.1) -> Outcome:
        """Play to the end, calling `on_event` as each event is reached.

        Raises:
            AudioError: the output stopped (device gone) before the end.
        """
        next_event = 0
        player = self.player
        while True:
            done = player.finished.wait(poll_s)
            self.refine()
            timeline = self.timeline
            assert timeline is not None
            events = timeline.events
            while next_event < len(events) and events[next_event].start_frame <= player.frame:
                if on_event:
                    on_event(events[next_event])
                next_event += 1
            if done:
                return Outcome(player.frame, player.underruns, self.refinements, self.late_phrases)
            if player.broken.is_set() or player.stalled():
                at = player.frame / player.rate_hz
                raise AudioError(f"voicecoach: error: the sound output stopped at {int(at // 60):02d}:"
                                 f"{int(at % 60):02d} (device disconnected or sound server gone); "
                                 f"resume with: voicecoach play --start ...")
