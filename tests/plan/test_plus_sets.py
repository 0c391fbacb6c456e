"""`reps: 5+`: at least 5, then as many as possible, announced so, counted on past 5, logged as reached."""

from __future__ import annotations

import textwrap

import pytest

from voicecoach.errors import RoutineError
from voicecoach.plan.timeline import EventKind, Phase, build_timeline, estimate_speech_s
from voicecoach.plan.wording import say_sets, say_work
from voicecoach.routine.model import SetSpec
from voicecoach.routine.reader import parse

BENCH = textwrap.dedent("""\
    name: Bench day
    defaults: {get_ready: 0s, tempo: 1-0-1-0, amrap_cap: 20s, tempo_beats: false}
    exercises:
      - name: Bench press
        reps: [5, 5, 5+]
""")


def test_5_plus_reads_as_at_least_5_then_as_many_as_possible() -> None:
    sets = parse(BENCH, "r.yaml").exercises[0].sets  # type: ignore[union-attr]
    assert [(s.reps, s.plus, s.open, s.amrap) for s in sets] == [
        (5, False, False, False), (5, False, False, False), (5, True, True, False)]


def test_it_is_announced_as_5_or_more() -> None:
    ex = parse(BENCH, "r.yaml").exercises[0]
    assert say_work(SetSpec(reps=5, plus=True)) == "5 or more reps"
    assert say_sets(ex) == "3 sets: 5 reps, then 5 reps, then 5 or more reps"  # type: ignore[arg-type]
    said = [e.text for e in build_timeline(parse(BENCH, "r.yaml"), estimate_speech_s).events if e.text]
    assert "Last set, 5 or more reps." in said


def test_the_count_goes_on_past_5_to_the_cap() -> None:
    plan = build_timeline(parse(BENCH, "r.yaml"), estimate_speech_s)
    last = [s for s in plan.segments if s.phase is Phase.WORK][-1]
    assert last.duration_frames == 20 * plan.rate_hz, "the cap, longer than 5 reps at 2 s"
    counts = [e.text for e in plan.events if e.kind is EventKind.SPEECH and e.step == last.step and e.text
              and e.text.split(",")[0].isdigit() and last.start_frame <= e.start_frame <= last.end_frame]
    assert counts == ["1", "2", "3", "4", "5, keep going", "6", "7", "8", "9", "10"]


def test_a_target_longer_than_the_cap_keeps_its_reps() -> None:
    plan = build_timeline(parse(BENCH.replace("5+", "15+"), "r.yaml"), estimate_speech_s)
    last = [s for s in plan.segments if s.phase is Phase.WORK][-1]
    assert last.duration_frames == 30 * plan.rate_hz


@pytest.mark.parametrize("reps, error", [
    ("0+", "'reps' must be a positive whole number, 'amrap' or at least so many then as many as you can (5+), "
           "got \"0+\""),
    ("five+", "'reps' must be a positive whole number, 'amrap' or at least so many then as many as you can (5+), "
              "got \"five+\""),
])
def test_a_wrong_target_is_one_located_line(reps: str, error: str) -> None:
    with pytest.raises(RoutineError) as e:
        parse(f"name: X\nexercises:\n  - {{name: A, reps: {reps}}}\n", "r.yaml")
    assert [str(p) for p in e.value.problems] == [f"r.yaml:3:21: error: {error}"]
