"""PURE: what the screen shows at a frame of the plan, as plain data for `display` and every other observer.

Imports: voicecoach.plan.timeline, voicecoach.plan.wording.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from voicecoach.routine.model import Intervals
from voicecoach.plan.timeline import EventKind, Phase, Step, Timeline, reps_counted
from voicecoach.plan.wording import plural, say_duration, say_set_label, say_work

PHASE_TITLES = {Phase.GET_READY: "Get ready", Phase.WORK: "Work", Phase.REST: "Rest", Phase.SWITCH: "Switch sides",
                Phase.FINISH: "Done"}


@dataclass(frozen=True, slots=True)
class View:
    """One screenful of the session."""

    routine: str
    phase: str
    exercise: str
    how: str
    set_label: str
    side: str
    count: str            # the rep count, or seconds left of a hold / rest
    count_label: str      # "reps", "seconds left", ...
    next_up: str
    last_phrase: str
    elapsed_s: float
    remaining_s: float
    fraction: float       # of the whole session
    step: int | None = None   # the set shown (the one being done, or in a rest the one it leads to)
    paused: bool = False
    notice: str = ""
    volume: float = 1.0
    show_help: bool = False
    listening: str = ""       # spoken commands: "listening", or what was heard last ("" when not listening)


def _short(text: str, limit: int = 150) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "..."


def _label(step: Step) -> str:
    """"Set 2 of 3", or "Round 2 of 8" in a superset, circuit or intervals, as the coach says it."""
    return say_set_label(step.spec, step.set_no, step.set_count, rounds=step.block is not None)


def _work(step: Step) -> str:
    """What the set asks for as the coach says it: "12 reps", "a 45 second hold", "20 seconds of work"."""
    if isinstance(step.block, Intervals):
        return f"{say_duration(step.block.work_s)} of work"
    return say_work(step.spec, step.exercise)


def describe(timeline: Timeline, frame: int, *, done_s: float = 0.0, total_s: float | None = None) -> View:
    """The view at plan frame `frame`. `done_s` is the session time before this plan began (after a
    skip or resume) and `total_s` the whole session's planned length, for the progress bar."""
    rate = timeline.rate_hz
    frame = max(0, min(frame, timeline.total_frames))
    seg = timeline.segment_at(frame) or timeline.segments[-1]
    step = timeline.steps[seg.step] if seg.step is not None else None
    upcoming = next((s for s in timeline.segments if s.phase is Phase.WORK and s.end_frame > frame), None)
    if seg.phase in (Phase.REST, Phase.SWITCH, Phase.GET_READY) and upcoming is not None:
        step = timeline.steps[upcoming.step] if upcoming.step is not None else step
    exercise = step.exercise.name if step else ""
    how = _short(step.exercise.how or "") if step else ""
    set_label = _label(step) if step else ""
    side = f"{step.side} {step.exercise.limb}" if step and step.side else ""
    count, count_label = "", ""
    if seg.phase is Phase.WORK and step is not None:
        if step.spec.reps is not None:
            count = str(reps_counted(timeline, seg, frame))
            count_label = f"of {plural(step.spec.reps, 'rep')}"
        else:
            count = str(-(-(seg.end_frame - frame) // rate))
            count_label = "seconds left" if step.spec.hold_s is not None else "seconds left (AMRAP)"
    elif seg.phase in (Phase.REST, Phase.SWITCH, Phase.GET_READY) and upcoming is not None:
        count = str(-(-(upcoming.start_frame - frame) // rate))
        count_label = "seconds to go"
    # what comes next: the set after this one; in a rest, the set the rest leads to
    after = [s for s in timeline.segments if s.phase is Phase.WORK and s.start_frame > frame]
    next_step = timeline.steps[after[0].step] if after and after[0].step is not None else None
    next_up = ""
    if next_step is not None:
        next_up = f"{next_step.exercise.name}: {_label(next_step).lower()}, {_work(next_step)}"
        if next_step.side:
            next_up += f", {next_step.side}"
    elif seg.phase is not Phase.FINISH:
        next_up = "the end"
    last_phrase = ""   # the last phrase begun: found back from the frame (a view is drawn 4 times a second)
    for i in range(bisect.bisect_right(timeline.events, frame, key=lambda e: e.start_frame) - 1, -1, -1):
        e = timeline.events[i]
        if e.kind is EventKind.SPEECH and e.text:
            last_phrase = e.text
            break
    elapsed = done_s + frame / rate
    total = total_s if total_s is not None else done_s + timeline.total_frames / rate
    total = max(total, elapsed)
    return View(routine=timeline.routine, step=step.position if step else None,
                phase=PHASE_TITLES[seg.phase], exercise=exercise, how=how,
                set_label=set_label, side=side, count=count, count_label=count_label, next_up=next_up,
                last_phrase=_short(last_phrase, 120), elapsed_s=elapsed,
                remaining_s=total - elapsed, fraction=elapsed / total if total else 1.0)
