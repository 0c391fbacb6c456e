"""The plan: what a good coach says and plays, and exactly when."""

from __future__ import annotations

import pytest
import yaml
from conftest import fake_speech_s, routine_from
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicecoach.routine.model import Exercise
from voicecoach.routine.file import parse_routine
from voicecoach.plan.timeline import (
    EventKind,
    Phase,
    PlanContext,
    Priority,
    Timeline,
    Tone,
    build_steps,
    build_timeline,
    find_step,
)

RATE = 48_000


def plan(text: str, **kw: object) -> Timeline:
    return build_timeline(routine_from(text), fake_speech_s, **kw)  # type: ignore[arg-type]


def said(tl: Timeline) -> list[str]:
    return [e.text or "" for e in tl.events if e.kind is EventKind.SPEECH]


def at_s(tl: Timeline, text: str) -> list[float]:
    return [e.start_frame / RATE for e in tl.events if e.text == text]


def work_segments(tl: Timeline) -> list[tuple[float, float]]:
    return [(s.start_frame / RATE, s.duration_frames / RATE) for s in tl.segments if s.phase is Phase.WORK]


SQUATS = """
    name: Legs
    tips: [Engage your core.]
    exercises:
      - {name: Squats, sets: 3, reps: 6, tempo: 3-1-1-0, rest: 60s, how: Sit back., cues: [Chest up]}
      - {name: Lunges, sets: 2, reps: 4, sides: each leg, rest: 45s, how: Step forward.}
"""


def test_counts_land_when_each_rep_completes() -> None:
    tl = plan(SQUATS)
    start, length = work_segments(tl)[0]
    assert length == 6 * 5
    for k in range(1, 4):
        assert at_s(tl, str(k))[0] == pytest.approx(start + 5 * k, abs=1e-9)
    assert at_s(tl, "4, two more")[0] == pytest.approx(start + 20, abs=1e-9)
    assert at_s(tl, "5, last rep")[0] == pytest.approx(start + 25, abs=1e-9)


def test_before_the_first_set_the_coach_says_what_and_how_then_counts_down() -> None:
    tl = plan(SQUATS)
    first = said(tl)[:8]
    assert first == ["Welcome to Legs.", "Next up: Squats.", "3 sets of 6 reps.", "Sit back.", "Get ready.",
                     "1", "2", "Chest up"]
    start = work_segments(tl)[0][0]
    ticks = [e for e in tl.events if e.tone is Tone.TICK and e.end_frame <= start * RATE]
    assert [t.end_frame for t in ticks[:3]] == [round((start - 2) * RATE), round((start - 1) * RATE),
                                                round(start * RATE)]
    go = [e for e in tl.events if e.tone is Tone.GO][0]
    assert go.start_frame == round(start * RATE)


def test_rest_says_how_long_and_what_comes_next() -> None:
    tl = plan(SQUATS)
    texts = said(tl)
    i = texts.index("Rest 60 seconds.")
    assert texts[i + 1] == "Set 2 of 3."
    assert "Last set." in texts
    (s1, w1), (s2, _) = work_segments(tl)[:2]
    assert s2 - (s1 + w1) == 60
    assert pytest.approx(s2 - 10) in at_s(tl, "10 seconds left.")


def test_a_general_tip_is_given_in_a_long_rest_only() -> None:
    assert "Engage your core." in said(plan(SQUATS))
    short = SQUATS.replace("rest: 60s", "rest: 20s").replace("rest: 45s", "rest: 20s")
    short = short.replace("{name: Squats,", "{name: Squats, rest_after: 20s,")
    assert "Engage your core." not in said(plan(short))


def test_each_leg_switches_sides_in_the_switch_time() -> None:
    tl = plan(SQUATS)
    texts = said(tl)
    assert "Right leg first." in texts and "Switch sides." in texts and "Left leg." in texts
    sw = [s for s in tl.segments if s.phase is Phase.SWITCH]
    assert len(sw) == 2 and all(s.duration_frames == 5 * RATE for s in sw)
    lunge_sets = [s for s in tl.segments if s.phase is Phase.WORK][3:]
    assert [tl.steps[s.step].side for s in lunge_sets if s.step is not None] == ["right", "left"] * 2


def test_how_to_is_said_the_first_time_only() -> None:
    tl = plan(SQUATS + "      - {name: Squats, sets: 1, reps: 3, how: Sit back.}\n")
    assert said(tl).count("Sit back.") == 1
    again = plan(SQUATS, context=PlanContext(heard_how=frozenset({"Squats"})))
    assert "Sit back." not in said(again)


def test_holds_count_down_with_halfway_and_the_last_three_seconds() -> None:
    tl = plan("""
        name: Core
        exercises:
          - {name: Plank, hold: 40s}
    """)
    start, length = work_segments(tl)[0]
    assert length == 40
    assert at_s(tl, "Halfway.") == [pytest.approx(start + 20)]
    assert at_s(tl, "10 seconds left.") == [pytest.approx(start + 30)], "as in rests: not an order"
    assert [at_s(tl, n)[0] for n in ("3", "2", "1")] == pytest.approx([start + 37, start + 38, start + 39])
    end = [e for e in tl.events if e.tone is Tone.END]
    assert end[0].start_frame == round((start + 40) * RATE)


def test_amrap_set_lasts_its_cap_and_says_so() -> None:
    tl = plan("""
        name: A
        exercises:
          - {name: Push-ups, reps: amrap, cap: 45s}
    """)
    assert work_segments(tl)[0][1] == 45
    assert "As many reps as you can, up to 45 seconds." in said(tl)


def test_alternating_sides_count_each_pair() -> None:
    tl = plan("""
        name: A
        exercises:
          - {name: Curls, sets: 3, reps: 3, sides: alternate arms, tempo: 1-0-1-0}
    """)
    start, length = work_segments(tl)[0]
    assert length == 3 * 2 * 2
    assert [round(at_s(tl, said_as)[0] - start, 6) for said_as in ("1, two more", "2, last rep", "3")] == \
        [4.0, 8.0, 12.0]
    assert said(tl)[said(tl).index("3 sets of 3 reps, alternating arms."):][:2] == [
        "3 sets of 3 reps, alternating arms.", "Start with the right arm. I count each pair."], "the sides said once"


def test_loads_and_durations_are_written_for_the_ear() -> None:
    tl = plan("""
        name: L
        exercises:
          - {name: Deadlifts, sets: 2, reps: 5, load: 62.5 kg, rest: 1m30s}
          - {name: Press, reps: 5, load: RPE 8}
          - {name: Push-ups, reps: 5, load: bodyweight}
    """)
    texts = said(tl)
    assert "62.5 kilograms." in texts and "Rest 90 seconds." in texts and "R P E 8." in texts
    assert "Bodyweight." in texts, "a load said on its own is a sentence"


def test_pyramid_sets_announce_their_reps() -> None:
    tl = plan("""
        name: P
        exercises:
          - {name: Squats, reps: [12, 10, 8]}
    """)
    texts = said(tl)
    assert "3 sets: 12, 10, then 8 reps." in texts
    assert "Set 2 of 3, 10 reps." in texts and "Last set, 8 reps." in texts


def test_intervals_run_rounds_of_work_and_rest() -> None:
    tl = plan("""
        name: T
        exercises:
          - intervals: {rounds: 8, work: 20s, rest: 10s, exercises: [Jumps, Climbers]}
    """)
    works = work_segments(tl)
    assert len(works) == 8 and all(w == 20 for _, w in works)
    gaps = [b[0] - (a[0] + a[1]) for a, b in zip(works, works[1:])]
    assert gaps == [10.0] * 7
    assert "Round 2 of 8. Climbers." in said(tl) and "Last round. Climbers." in said(tl)
    assert said(tl)[-1].startswith("2 exercises, 8 rounds, in 4 minutes."), "rounds, never 'sets', in the summary"


def test_superset_goes_back_to_back_and_rests_after_the_round() -> None:
    tl = plan("""
        name: S
        exercises:
          - superset:
              rounds: 2
              rest: 90s
              exercises:
                - {name: Bench, reps: 4}
                - {name: Rows, reps: 4}
    """)
    names = [tl.steps[s.step].exercise.name for s in tl.segments if s.phase is Phase.WORK and s.step is not None]
    assert names == ["Bench", "Rows", "Bench", "Rows"]
    rests = [s.duration_frames / RATE for s in tl.segments if s.phase is Phase.REST]
    assert rests == [90.0]
    assert "Next up: a superset. Bench and Rows, 2 rounds." in said(tl), "not 'superset Superset'"


def test_a_circuit_is_announced_as_a_list_a_person_would_say() -> None:
    tl = plan("""
        name: C
        exercises:
          - circuit: {name: Finisher, rounds: 2, exercises: [{name: Push-ups, reps: 5}, {name: Taps, reps: 6},
                                                             {name: Superman, hold: 20s}]}
    """)
    assert "Next up: circuit Finisher. Push-ups, Taps and Superman, 2 rounds." in said(tl)


def test_a_session_under_a_minute_is_summed_up_as_such() -> None:
    tl = plan("name: T\ndefaults: {get_ready: 0s}\nexercises:\n  - {name: Rows, reps: 3, tempo: 1-0-1-0}\n")
    assert said(tl)[-1] == "1 exercise, 1 set, 3 reps, in under a minute. Great work!"


def test_the_end_says_workout_complete_and_a_summary() -> None:
    tl = plan(SQUATS)
    texts = said(tl)
    assert texts[-2] == "Workout complete."
    assert texts[-1].startswith("2 exercises, 5 sets, 34 reps, in ")
    assert [e.tone for e in tl.events if e.kind is EventKind.TONE][-1] is Tone.FINISH


def test_a_plan_made_mid_session_sums_up_the_whole_session() -> None:
    r = routine_from(SQUATS)
    steps = build_steps(r)
    whole = said(build_timeline(r, fake_speech_s))[-1]
    done_first = PlanContext(rest_s=0.0, before=steps[:1], before_s=20 * 60.0)
    tl = build_timeline(r, fake_speech_s, start_step=1, context=done_first)
    assert said(tl)[-1].split(", in ")[0] == whole.split(", in ")[0], "sets and reps of the whole session"
    minutes = int(said(tl)[-1].split(", in ")[1].split()[0])
    assert minutes >= 20, "and its time"
    skipped_first = build_timeline(r, fake_speech_s, start_step=1, context=PlanContext(rest_s=0.0))
    assert said(skipped_first)[-1].startswith("2 exercises, 4 sets")
    last_skipped = build_timeline(r, fake_speech_s, context=PlanContext(skipped=frozenset({len(steps) - 1})))
    # the last step is the left side of the last lunges set: its 4 reps are left out (the set's right
    # side was done, so it still counts as a set)
    assert said(last_skipped)[-1].startswith("2 exercises, 5 sets, 30 reps"), "a skipped step is left out"


def test_the_plan_can_start_from_any_position() -> None:
    r = routine_from(SQUATS)
    steps = build_steps(r)
    i = find_step(steps, "lunges", 2, "left")
    assert i is not None
    tl = build_timeline(r, fake_speech_s, start_step=i,
                        context=PlanContext(greeting="Welcome back.", heard_how=frozenset({"Lunges"})))
    texts = said(tl)
    assert texts[:4] == ["Welcome back.", "Next up: Lunges.", "2 sets of 4 reps, each leg.", "Last set."]
    assert "Step forward." not in texts
    assert len(work_segments(tl)) == 1


def test_a_phrase_that_does_not_fit_gives_way_and_never_moves_the_clock() -> None:
    long_cue = "Keep your chest up and your knees out and your weight on your heels all the way"
    tl = plan(f"""
        name: Fast
        exercises:
          - {{name: Squats, reps: 10, tempo: 1-0-1-0, cues: ["{long_cue}"]}}
    """)
    assert long_cue in tl.dropped and long_cue not in said(tl)
    assert work_segments(tl)[0][1] == 20
    assert [str(k) for k in range(1, 11) if str(k) in said(tl)] == [str(k) for k in range(1, 11)] or \
        len([e for e in tl.events if e.priority is Priority.COUNT and e.kind is EventKind.SPEECH]) == 10


def test_how_long_phrases_take_moves_phrases_never_the_sets() -> None:
    quick = build_timeline(routine_from(SQUATS), lambda text: fake_speech_s(text) / 3)
    slow = build_timeline(routine_from(SQUATS), lambda text: fake_speech_s(text) / 2)
    assert said(quick) == said(slow) and at_s(quick, "Sit back.") != at_s(slow, "Sit back.")
    def sets_and_rests(tl: Timeline) -> list[tuple[Phase, int, int]]:
        first = tl.segments[1].start_frame  # after the get-ready; the finish lasts as long as its summary
        return [(s.phase, s.start_frame - first, s.duration_frames) for s in tl.segments[1:-1]]
    assert sets_and_rests(quick) == sets_and_rests(slow), "sets and rests are where the routine says"


def test_the_countdown_is_three_ticks_a_second_apart_ending_as_each_set_begins() -> None:
    tl = plan(SQUATS)
    for start_s, _ in work_segments(tl):
        start = round(start_s * RATE)
        ticks = [e.end_frame for e in tl.events if e.tone is Tone.TICK and start - 3 * RATE <= e.start_frame < start]
        assert [round((start - t) / RATE, 3) for t in ticks] == [2.0, 1.0, 0.0], "3, 2, 1: the last ends on go"
        assert not [e for e in tl.events if e.kind is EventKind.SPEECH and start - 3 * RATE < e.end_frame <= start
                    and e.text != "10 seconds left."], "nothing is said over the 3-2-1"


def test_a_warm_up_set_is_announced_as_a_warm_up_never_as_set_0() -> None:
    tl = plan("""
        name: W
        exercises:
          - name: Squats
            warmup_sets: [{reps: 10, load: 20 kg}, {reps: 5, load: 40 kg}]
            sets: 2
            reps: 5
            load: 60 kg
    """)
    texts = said(tl)
    assert "2 warm-up sets, then 2 sets of 5 reps." in texts
    assert "Warm-up set, 5 reps." in texts and "Set 1 of 2." in texts
    assert not [t for t in texts if "Set 0" in t or "set 0" in t]
    assert [t for t in texts if "kilograms" in t] == ["20 kilograms.", "40 kilograms.", "60 kilograms."]


# ---------------------------------------------------------------- properties

durations = st.sampled_from(["0s", "5s", "12s", "30s", "45s", "1m", "1m30s"])
exercise = st.fixed_dictionaries(
    {"name": st.sampled_from(["Squats", "Rows", "Lunges", "Press", "Curls"]),
     "sets": st.integers(1, 4)},
    optional={"rest": durations, "rest_after": durations,
              "tempo": st.sampled_from(["1-0-1-0", "3-1-1-0", "2-0-1-1", "4-0-X-0"]),
              "sides": st.sampled_from(["each leg", "alternate", "both"]),
              "cues": st.lists(st.sampled_from(["Chest up", "Brace", "Drive through your heels and stand tall"]),
                               max_size=3),
              "how": st.text("abc .", min_size=1, max_size=80).filter(str.strip)},
).flatmap(lambda ex: st.one_of(
    st.just({**ex, "reps": 1}).map(lambda e: {**e, "reps": 1}),
    st.integers(1, 15).map(lambda n: {**ex, "reps": n}),
    st.sampled_from(["8s", "30s", "45s"]).map(lambda h: {**ex, "hold": h}),
    st.just({**ex, "reps": "amrap", "cap": "20s"}),
))
routines = st.fixed_dictionaries({
    "name": st.just("Generated"),
    "defaults": st.fixed_dictionaries({"get_ready": st.sampled_from(["0s", "5s", "10s"]),
                                        "switch_sides": st.sampled_from(["0s", "3s", "8s"])}),
    "tips": st.lists(st.sampled_from(["Breathe.", "Engage your core and keep it tight all the way."]), max_size=2),
    "exercises": st.lists(exercise, min_size=1, max_size=4),
})
speech_scale = st.floats(0.2, 3.0)


def _plan_of(data: dict[str, object], scale: float, start: int) -> Timeline:
    r = parse_routine(yaml.safe_dump(data), "gen.yaml")
    n = len(build_steps(r))
    return build_timeline(r, lambda t: scale * fake_speech_s(t), start_step=start % n)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(routines, speech_scale, st.integers(0, 50))
def test_property_events_are_sorted_and_phrases_never_overlap(data: dict[str, object], scale: float,
                                                              start: int) -> None:
    tl = _plan_of(data, scale, start)
    starts = [e.start_frame for e in tl.events]
    assert starts == sorted(starts) and starts[0] >= 0
    speech = [e for e in tl.events if e.kind is EventKind.SPEECH]
    for a, b in zip(speech, speech[1:]):
        assert a.end_frame <= b.start_frame, (a, b)
    assert max(e.end_frame for e in tl.events) <= tl.total_frames
    for beat in (e for e in tl.events if e.tone in (Tone.BEAT, Tone.LIFT)):  # beats sound only in silence
        assert not [s for s in speech if s.start_frame < beat.end_frame and beat.start_frame < s.end_frame]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(routines, speech_scale, st.integers(0, 50))
def test_property_sets_and_rests_are_exact_to_the_sample(data: dict[str, object], scale: float,
                                                         start: int) -> None:
    tl = _plan_of(data, scale, start)
    for seg in tl.segments:
        if seg.step is None:
            continue
        step = tl.steps[seg.step]
        if seg.phase is Phase.WORK:
            assert seg.duration_frames == round(step.work_s() * RATE)
        elif seg.phase in (Phase.REST, Phase.SWITCH):
            assert seg.duration_frames == round(step.gap_after_s * RATE)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(routines, speech_scale, st.integers(0, 50))
def test_property_last_countdown_tick_ends_where_the_set_begins(data: dict[str, object], scale: float,
                                                                start: int) -> None:
    tl = _plan_of(data, scale, start)
    ticks = {e.end_frame for e in tl.events if e.tone is Tone.TICK}
    gos = {e.start_frame for e in tl.events if e.tone is Tone.GO}
    works = [s for s in tl.segments if s.phase is Phase.WORK]
    assert gos == {s.start_frame for s in works}
    for w in works:
        assert w.start_frame in ticks
        assert w.start_frame - RATE in ticks and w.start_frame - 2 * RATE in ticks
        # nothing but tones in the countdown's last second... speech ends before the countdown starts
    for e in tl.events:
        if e.kind is EventKind.SPEECH and e.priority is Priority.STRUCTURE and e.step is not None:
            nxt = tl.step_start_frame(e.step)
            if nxt is not None and e.start_frame < nxt:
                # the 3-2-1 is heard alone: its 3 seconds are the specification, not the module's constant
                assert e.end_frame <= nxt - 3 * RATE + 1 or e.text == "10 seconds left."


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(routines, speech_scale, st.integers(0, 50))
def test_property_total_is_the_sum_of_its_parts(data: dict[str, object], scale: float, start: int) -> None:
    tl = _plan_of(data, scale, start)
    t = 0
    for seg in tl.segments:
        assert seg.start_frame == t, "segments are contiguous"
        t = seg.end_frame
    assert t == tl.total_frames == sum(s.duration_frames for s in tl.segments)


def test_continuing_mid_session_opens_with_the_rest_not_a_welcome() -> None:
    r = routine_from(SQUATS)
    tl = build_timeline(r, fake_speech_s, start_step=1,
                        context=PlanContext(rest_s=25.0, heard_how=frozenset({"Squats"})))
    texts = said(tl)
    assert texts[:2] == ["Rest 25 seconds.", "Set 2 of 3."] and "Welcome to Legs." not in texts
    rest = tl.segments[0]
    assert rest.phase is Phase.REST and rest.duration_frames == 25 * RATE
    assert tl.step_start_frame(1) == 25 * RATE


def test_skipping_the_rest_goes_straight_to_the_countdown() -> None:
    r = routine_from(SQUATS)
    tl = build_timeline(r, fake_speech_s, start_step=1,
                        context=PlanContext(rest_s=0.0, heard_how=frozenset({"Squats"})))
    assert said(tl)[:2] == ["Set 2 of 3.", "1"]
    first = tl.segments[0]
    assert first.phase is Phase.GET_READY
    chain_s = fake_speech_s("Set 2 of 3.") + 0.15
    assert first.duration_frames / RATE == pytest.approx(chain_s + 3.0, abs=0.01), "the phrase, then 3-2-1"


# ---------------------------------------------------------------- tempo beats

def beats(tl: Timeline, step: int = 0) -> list[tuple[float, str]]:
    """(seconds into the set, "lower" or "lift") of the tempo beats of one step."""
    start = next(s.start_frame for s in tl.segments if s.phase is Phase.WORK and s.step == step)
    return [(round((e.start_frame - start) / RATE, 6), "lift" if e.tone is Tone.LIFT else "lower")
            for e in tl.events if e.tone in (Tone.BEAT, Tone.LIFT) and e.step == step]


def one_set(tempo: str, reps: int = 2, extra: str = "") -> Timeline:
    return plan(f"name: T\nexercises:\n  - {{name: Rows, reps: {reps}, tempo: {tempo}{extra}}}\n")


def test_a_lowering_of_2_s_or_more_is_paced_every_second_after_its_first_and_the_lift_is_marked() -> None:
    # 3-1-1-0: a 5 s rep; beats at 1 and 2 s of the lowering, the lift mark at 4 s, the count at 5 s
    # ("1, last rep": the beat at 6 s gives way to it)
    assert beats(one_set("3-1-1-0")) == [(1.0, "lower"), (2.0, "lower"), (4.0, "lift"),
                                         (7.0, "lower"), (9.0, "lift")]
    assert beats(one_set("3-1-1-0", reps=1)) == [(1.0, "lower"), (2.0, "lower"), (4.0, "lift")]
    assert beats(one_set("2-0-1-0")) == [(1.0, "lower"), (2.0, "lift"), (5.0, "lift")]
    assert beats(one_set("4-0-X-0", reps=1)) == [(1.0, "lower"), (2.0, "lower"), (3.0, "lower"), (4.0, "lift")]


def test_a_quick_lowering_holds_and_amrap_sets_have_no_beats() -> None:
    assert beats(one_set("1-0-1-0")) == []
    assert beats(one_set("1-2-2-0")) == []
    assert beats(plan("name: T\nexercises:\n  - {name: Plank, hold: 30s, tempo: 3-1-1-0}\n")) == []
    assert beats(plan("name: T\nexercises:\n  - {name: Pushups, reps: amrap, tempo: 3-0-1-0}\n")) == []


def test_tempo_beats_false_turns_them_off_for_the_routine_or_one_exercise() -> None:
    assert beats(one_set("3-1-1-0", extra=", tempo_beats: false")) == []
    tl = plan("name: T\ndefaults: {tempo_beats: false}\nexercises:\n"
              "  - {name: Rows, reps: 2, tempo: 3-1-1-0}\n"
              "  - {name: Squats, reps: 1, tempo: 2-0-1-0, tempo_beats: true}\n")
    assert beats(tl, 0) == [] and beats(tl, 1) == [(1.0, "lower"), (2.0, "lift")]


def test_alternating_sides_pace_every_movement() -> None:
    tl = one_set("2-0-1-0", reps=1, extra=", sides: alternate")
    assert beats(tl) == [(1.0, "lower"), (2.0, "lift"), (4.0, "lower"), (5.0, "lift")]


def test_a_beat_gives_way_to_a_count_or_a_cue_and_never_overlaps_a_phrase() -> None:
    # "4, two more" (fake speech: 0.96 s) said at 20 s covers the beat at 21 s (with the 0.15 s gap
    # kept), as "5, last rep" at 25 s covers 26 s; a short "3" at 15 s leaves 16 s alone
    tl = one_set("3-1-1-0", reps=6)
    assert [t for t, kind in beats(tl) if 15 <= t < 30] == [16.0, 17.0, 19.0, 22.0, 24.0, 27.0, 29.0]
    cued = plan("name: T\nexercises:\n  - {name: Rows, reps: 8, tempo: 3-1-1-0, cues: [Squeeze the shoulder blades]}\n")
    cue = next(e for e in cued.events if e.text == "Squeeze the shoulder blades")
    assert not [e for e in cued.events if e.tone in (Tone.BEAT, Tone.LIFT)
                and e.start_frame < cue.end_frame + 0.15 * RATE and e.end_frame > cue.start_frame - 0.15 * RATE]
    assert len(beats(cued)) < 8 * 3, "the cue took the beats under it"


def test_beats_are_tones_named_beat_in_the_plan_for_machines() -> None:
    events = one_set("2-0-1-0", reps=1).to_dict()["events"]
    marks = [(e["tone"], e["beat"]) for e in events if e["tone"] == "beat"]
    assert marks == [("beat", "lower"), ("beat", "lift")]
    assert {e["beat"] for e in events if e["tone"] != "beat"} == {None}


# ---------------------------------------------------------------- the plan for machines, and looking things up

ONE_REP = "name: T\ndefaults: {get_ready: 0s}\nexercises:\n  - {name: Rows, reps: 1, tempo: 2-0-1-0}\n"


def test_the_plan_for_machines_is_written_as_documented() -> None:
    d = plan(ONE_REP).to_dict()
    assert {k: d[k] for k in ("routine", "sample_rate", "duration_s", "total_frames", "dropped")} == \
        {"routine": "T", "sample_rate": 48000, "duration_s": 20.53, "total_frames": 985440, "dropped": []}
    assert d["events"][0] == {"t": 0.0, "duration": 1.34, "kind": "speech", "text": "Welcome to T.", "tone": None,
                              "beat": None, "exercise": "Rows", "set": 1, "side": None, "frame": 0, "frames": 64320,
                              "priority": "structure"}
    assert d["events"][7] == {"t": 8.24, "duration": 0.3, "kind": "tone", "text": None, "tone": "go", "beat": None,
                              "exercise": "Rows", "set": 1, "side": None, "frame": 395520, "frames": 14400,
                              "priority": "count"}
    assert d["events"][9] == {"t": 10.24, "duration": 0.08, "kind": "tone", "text": None, "tone": "beat",
                              "beat": "lift", "exercise": "Rows", "set": 1, "side": None, "frame": 491520,
                              "frames": 3840, "priority": "count"}
    assert d["events"][-1]["exercise"] is None and d["events"][-1]["set"] is None
    assert d["segments"] == [{"phase": "get_ready", "t": 0.0, "duration": 8.24, "step": 0},
                             {"phase": "work", "t": 8.24, "duration": 3.0, "step": 0},
                             {"phase": "finish", "t": 11.24, "duration": 9.29, "step": None}]


def test_the_segment_at_a_frame_starts_at_or_before_it_and_ends_after_it() -> None:
    tl = plan(ONE_REP)
    ready, work, finish = tl.segments
    assert tl.segment_at(0) == ready and tl.segment_at(work.start_frame - 1) == ready
    assert tl.segment_at(work.start_frame) == work and tl.segment_at(work.end_frame - 1) == work
    assert tl.segment_at(work.end_frame) == finish and tl.segment_at(tl.total_frames - 1) == finish
    assert tl.segment_at(tl.total_frames) is None and tl.segment_at(-1) is None
    assert tl.step_start_frame(0) == 395520 and tl.step_start_frame(1) is None


def test_phrases_come_in_the_order_first_heard_then_those_that_gave_way() -> None:
    tl = plan(ONE_REP)
    assert tl.phrases() == ["Welcome to T.", "Next up: Rows.", "1 rep.", "Get ready.", "1", "Workout complete.",
                            "1 exercise, 1 set, 1 rep, in under a minute. Great work!"]
    assert tl.phrases(until_frame=146880) == ["Welcome to T.", "Next up: Rows."], "before the frame only"
    crowded = tl._replace(dropped=("Chest up", "1 rep."))
    assert crowded.phrases()[-1] == "Chest up" and crowded.phrases().count("1 rep.") == 1
    assert "Chest up" not in crowded.phrases(until_frame=10 ** 9), "what gave way is not needed to start"


def test_a_blocks_size_is_its_seconds_and_at_most_its_events_by_arithmetic() -> None:
    from voicecoach.routine.size import Size, block_size
    r = routine_from("""
        name: T
        defaults: {rest: 60s, rest_after: 90s, tempo: 2-0-1-0, switch_sides: 5s}
        exercises:
          - {name: Rows, sets: 3, reps: 10}
          - {name: Lunges, sets: 2, reps: 8, sides: each leg, tempo: 1-0-1-0}
          - {name: Plank, sets: 2, hold: 45s, rest: 3s}
          - superset: {rounds: 2, rest: 90s, rest_between: 10s,
                       exercises: [{name: A, reps: 5, tempo: 3-1-1-0}, {name: B, hold: 30s}]}
          - intervals: {rounds: 8, work: 20s, rest: 10s, exercises: [Jumps]}
    """)
    # Rows: 3 x 30 s of work, rests 60 + 60 + 90; per set 24 around it + 10 counts + 20 beats + 1 cue slot
    # Lunges: per side 16 s, 5 s to switch; Plank: a 3 s rest still takes the 5 s a lead-in needs;
    # the superset: 10 s between its exercises, 3 beats a rep at 3-1-1-0; intervals: 25 events a round
    assert [block_size(b) for b in r.exercises] == [Size(300.0, 165), Size(224.0, 128), Size(185.0, 52),
                                                    Size(310.0, 140), Size(320.0, 200)]


def test_a_phrase_is_estimated_from_its_words_rate_and_pauses() -> None:
    from voicecoach.plan.timeline import estimate_speech_s
    assert estimate_speech_s("Rest 60 seconds.") == 1.349       # 0.2 + 3 words at 175 wpm + one pause
    assert estimate_speech_s("Hi, there: you!", 120) == 2.06    # 0.2 + 3 words at 120 wpm + three pauses
    assert estimate_speech_s("") == 0.543                       # never less than a word


def test_reps_counted_is_the_last_count_heard_in_the_set() -> None:
    from voicecoach.plan.timeline import reps_counted
    tl = plan(SQUATS)   # counts at 5 s, 10 s, ... into the first set
    work = next(s for s in tl.segments if s.phase is Phase.WORK)
    at = work.start_frame
    assert reps_counted(tl, work, at + 4 * RATE) == 0
    assert reps_counted(tl, work, at + 5 * RATE) == 1
    assert reps_counted(tl, work, at + 20 * RATE) == 4, '"4, two more" counts as 4'
    assert reps_counted(tl, work, work.end_frame + 60 * RATE) == 6, "only this set's counts"


def test_a_session_of_every_kind_of_block_is_said_as_a_coach_says_it() -> None:
    tl = plan("""
        name: All
        defaults: {rest: 30s, rest_after: 45s, tempo: 1-0-1-0, get_ready: 0s}
        exercises:
          - {name: Squats, warmup_sets: [{reps: 5, load: 20 kg}], sets: 2, reps: 3, load: 40 kg, how: Sit back.}
          - {name: Lunges, sets: 2, reps: 2, sides: each leg, load: bodyweight}
          - {name: Walks, reps: 2, sides: alternate legs}
          - {name: Plank, sets: 2, hold: 10s, rest: 0s}
          - {name: Push-ups, reps: amrap, cap: 20s}
          - superset: {name: A, rounds: 2, rest: 20s,
                       exercises: [{name: Press, reps: 2, load: 10 kg}, {name: Curls, hold: 10s}]}
          - intervals: {rounds: 3, work: 10s, rest: 5s, rest_after: 0s, exercises: [Jumps, Climbers]}
    """)
    words = [t for t in said(tl) if not t.split(",")[0].isdigit() and t not in ("10 seconds left.", "Halfway.")]
    assert words == [
        "Welcome to All.", "Next up: Squats.", "1 warm-up set, then 2 sets of 3 reps.", "20 kilograms.", "Sit back.",
        "Get ready.",
        "Rest 30 seconds.", "Set 1 of 2, 3 reps.", "40 kilograms.",
        "Rest 30 seconds.", "Last set.",
        "Rest 45 seconds.", "Next up: Lunges.", "2 sets of 2 reps, each leg.", "Bodyweight.", "Right leg first.",
        "Get ready.", "Switch sides.", "Left leg.",
        "Rest 30 seconds.", "Last set.", "Right leg first.", "Switch sides.", "Left leg.",
        "Rest 45 seconds.", "Next up: Walks.", "2 reps, alternating legs.",
        "Start with the right leg. I count each pair.", "Get ready.",
        "Rest 45 seconds.", "Next up: Plank.", "2 holds of 10 seconds.", "Get ready.",
        "Last set.", "Hold for 10 seconds.",   # no rest between (0 s): no "Rest" either
        "Rest 45 seconds.", "Next up: Push-ups.", "As many reps as you can, up to 20 seconds.", "Get ready.",
        "Rest 45 seconds.", "Next up: superset A. Press and Curls, 2 rounds.", "Round 1 of 2.", "Press, 2 reps.",
        "10 kilograms.", "Get ready.", "Curls, a 10 second hold.", "Get ready.",
        "Rest 20 seconds.", "Last round.", "Press, 2 reps.", "10 kilograms.", "Get ready.", "Curls, a 10 second hold.",
        "Get ready.",
        "Rest 45 seconds.", "Next up: Intervals. 3 rounds of 10 seconds work, 5 seconds rest.", "Round 1 of 3. Jumps.",
        "Get ready.", "Rest.", "Round 2 of 3. Climbers.", "Rest.", "Last round. Jumps.",
        "Workout complete.", "9 exercises, 13 sets, 3 rounds, 27 reps, in 10 minutes. Great work!"]


def test_steps_of_a_superset_with_a_one_side_exercise_belong_to_it() -> None:
    from voicecoach.plan.timeline import build_steps
    steps = build_steps(routine_from("""
        name: S
        exercises:
          - superset:
              rounds: 2
              rest: 90s
              exercises:
                - {name: Lunges, reps: 6, sides: each leg}
                - {name: Rows, reps: 8}
          - {name: Plank, hold: 30s}
    """))
    assert [(s.exercise.name, s.side, s.set_no, s.first_of_block, s.gap_phase, s.gap_after_s) for s in steps] == [
        ("Lunges", "right", 1, True, Phase.SWITCH, 5.0), ("Lunges", "left", 1, False, Phase.REST, 0.0),
        ("Rows", None, 1, False, Phase.REST, 90.0),
        ("Lunges", "right", 2, False, Phase.SWITCH, 5.0), ("Lunges", "left", 2, False, Phase.REST, 0.0),
        ("Rows", None, 2, False, Phase.REST, 90.0),
        ("Plank", None, 1, False, Phase.REST, 0.0)]
    assert all(s.block is not None for s in steps[:6]) and steps[6].block is None
    assert [s.position for s in steps] == list(range(7))


def test_interval_rounds_take_their_exercises_in_turn_and_rest_after_the_block() -> None:
    from voicecoach.plan.timeline import build_steps
    steps = build_steps(routine_from("""
        name: T
        exercises:
          - intervals: {rounds: 4, work: 20s, rest: 10s, rest_after: 60s, exercises: [A, B, C]}
          - {name: Plank, hold: 30s}
    """))
    assert [(s.exercise.name, s.set_no, s.gap_after_s, s.first_of_block) for s in steps] == [
        ("A", 1, 10.0, True), ("B", 2, 10.0, False), ("C", 3, 10.0, False), ("A", 4, 60.0, False),
        ("Plank", 1, 0.0, False)]


def test_warm_up_sets_are_set_0_and_no_plain_set_starts_a_block() -> None:
    from voicecoach.plan.timeline import build_steps
    steps = build_steps(routine_from("""
        name: W
        exercises:
          - {name: Squats, sets: 2, reps: 5, warmup_sets: [{reps: 10, load: 20 kg}]}
    """))
    assert [(s.set_no, s.spec.warmup, s.first_of_block) for s in steps] == [(0, True, False), (1, False, False),
                                                                             (2, False, False)]


def test_plan_times_are_whole_microseconds() -> None:
    d = plan("""
        name: M
        exercises:
          - {name: Squats, sets: 1, reps: 3}
    """).to_dict()
    times = [d["duration_s"]] + [x for e in d["events"] for x in (e["t"], e["duration"])] + \
        [x for s in d["segments"] for x in (s["t"], s["duration"])]
    assert all(abs(t * 1e6 - round(t * 1e6)) < 1e-3 for t in times)
    assert any(abs(t * 1e6 - round(t * 1e6)) > 0 for t in [f / 48_000 for f in range(1, 50)]), "the rounding shows"


def test_only_punctuation_counts_as_a_pause_in_an_estimate() -> None:
    from voicecoach.plan.timeline import estimate_speech_s
    assert estimate_speech_s("X ray") == estimate_speech_s("a ray")


def test_a_phrase_fits_exactly_the_gap_after_or_before_another() -> None:
    from voicecoach.plan.timeline import _Board
    board = _Board(100)
    board.add(1000, 1000)          # [1000, 2000)
    assert board.fits(2100, 50) and not board.fits(2099, 50), "100 frames after it"
    assert board.fits(850, 50) and not board.fits(851, 50), "100 frames before it"
    assert not board.fits(1500, 10), "inside it"
    board.add(5000, 1000)          # [5000, 6000)
    assert board.fits(100, 50), "before the first: only what follows matters"
    assert board.first_fit(300, 300, 10) == 300, "a window of one frame"
    assert board.first_fit(850, 5000, 100) == 2100


EACH_LEG = """
    name: L
    defaults: {rest: 1s}
    exercises:
      - {name: Lunges, sets: 2, reps: 8, sides: each leg, load: 20 kg, how: Step forward.}
      - intervals: {rounds: 3, work: 20s, rest: 10s, exercises: [Jumps]}
"""


def test_what_is_said_around_each_side_and_a_one_exercise_interval_block() -> None:
    counts = ["1", "2", "3", "4", "5", "6, two more", "7, last rep", "8"]
    assert said(plan(EACH_LEG)) == [
        "Welcome to L.", "Next up: Lunges.", "2 sets of 8 reps, each leg.", "20 kilograms.", "Step forward.",
        "Right leg first.", "Get ready.", *counts, "Switch sides.", "Left leg.", *counts,
        "Rest 1 second.", "Last set.", "Right leg first.", *counts, "Switch sides.", "Left leg.", *counts,
        "Rest 90 seconds.", "Next up: Intervals. 3 rounds of 20 seconds work, 10 seconds rest.",
        "Round 1 of 3. Jumps.", "10 seconds left.", "Get ready.", "Halfway.", "3", "2", "1",
        "Rest.", "Round 2 of 3.", "Halfway.", "3", "2", "1", "Rest.", "Last round.", "Halfway.", "3", "2", "1",
        "Workout complete.", "2 exercises, 2 sets, 3 rounds, 32 reps, in 5 minutes. Great work!"]


def test_resumed_mid_exercise_the_set_is_named() -> None:
    assert said(plan(EACH_LEG, start_step=1))[:6] == [
        "L.", "Next up: Lunges.", "2 sets of 8 reps, each leg.", "Set 1 of 2.", "Left leg.", "Get ready."]
    assert said(plan(EACH_LEG, start_step=2))[:7] == [
        "L.", "Next up: Lunges.", "2 sets of 8 reps, each leg.", "Last set.", "20 kilograms.", "Step forward.",
        "Right leg first."]


TIPS = """
    name: L
    tips: [Breathe., Relax your jaw.]
    defaults: {rest: 30s}
    exercises:
      - {name: Squats, sets: 4, reps: 3}
      - {name: Lunges, sets: 1, reps: 2, sides: each leg}
"""


def test_tips_take_turns_in_rests_of_30_seconds_or_more() -> None:
    tips = [t for t in said(plan(TIPS)) if t in ("Breathe.", "Relax your jaw.")]
    assert tips == ["Breathe.", "Relax your jaw.", "Breathe.", "Relax your jaw."]
    shorter = said(plan(TIPS.replace("rest: 30s", "rest: 29s")))
    assert [t for t in shorter if t in ("Breathe.", "Relax your jaw.")] == ["Breathe."], "only in the 90 s rest"


def test_ten_seconds_left_is_said_in_rests_of_20_seconds_or_more() -> None:
    # three rests between the squats' sets, then the 90 s before the lunges
    assert said(plan(TIPS.replace("rest: 30s", "rest: 20s"))).count("10 seconds left.") == 4
    assert said(plan(TIPS.replace("rest: 30s", "rest: 19s"))).count("10 seconds left.") == 1


def test_tones_carry_the_set_they_belong_to() -> None:
    tl = plan(TIPS)
    marks = [(e.tone, e.step, e.exercise, e.set_no, e.side) for e in tl.events if e.tone in (Tone.GO, Tone.FINISH)]
    assert marks[-3:] == [(Tone.GO, 4, "Lunges", 1, "right"), (Tone.GO, 5, "Lunges", 1, "left"),
                          (Tone.FINISH, 5, "Lunges", 1, "left")]
    assert all(e.text == e.tone.value for e in tl.events if e.tone is not None)


def test_a_plan_starts_at_any_of_its_steps_and_no_further() -> None:
    assert said(plan(TIPS, start_step=5))[0] == "L."
    with pytest.raises(ValueError, match=r"^start_step 6 is outside 0\.\.5$"):
        plan(TIPS, start_step=6)


def test_times_for_machines_are_seconds_to_the_microsecond_beside_exact_frames() -> None:
    # a measured phrase is no round number of frames, so the plan's times have more than six decimals
    d = build_timeline(routine_from(ONE_REP), lambda text: 1.00011).to_dict()
    rate = d["sample_rate"]
    assert any(round(e["frame"] / rate, 7) != round(e["frame"] / rate, 6) for e in d["events"])
    assert any(round(e["frames"] / rate, 7) != round(e["frames"] / rate, 6) for e in d["events"])
    assert d["duration_s"] == round(d["total_frames"] / rate, 6)
    for e in d["events"]:
        assert (e["t"], e["duration"]) == (round(e["frame"] / rate, 6), round(e["frames"] / rate, 6))
    assert all((s["t"], s["duration"]) == (round(s["t"], 6), round(s["duration"], 6)) for s in d["segments"])
    assert {s["t"] for s in d["segments"]} <= {e["t"] for e in d["events"]} | {d["duration_s"]}, \
        "each segment starts with what is heard (and the last ends the plan)"


def test_what_is_said_around_each_side_inside_a_superset() -> None:
    assert said(plan("""
        name: S
        exercises:
          - superset:
              rounds: 2
              rest: 30s
              exercises:
                - {name: Lunges, reps: 2, sides: each leg, load: 10 kg}
                - {name: Rows, reps: 2}
    """)) == [
        "Welcome to S.", "Next up: a superset. Lunges and Rows, 2 rounds.", "Round 1 of 2.",
        "Lunges, 2 reps, each leg.", "10 kilograms.", "Right leg first.", "Get ready.", "1, last rep", "2",
        "Switch sides.", "Left leg.", "1, last rep", "2", "Rows, 2 reps.", "Get ready.", "1, last rep", "2",
        "Rest 30 seconds.", "Last round.", "Lunges, 2 reps, each leg.", "10 kilograms.", "Right leg first.",
        "10 seconds left.", "Get ready.", "1, last rep", "2", "Switch sides.", "Left leg.", "1, last rep", "2",
        "Rows, 2 reps.", "Get ready.", "1, last rep", "2",
        "Workout complete.", "2 exercises, 4 sets, 12 reps, in 2 minutes. Great work!"]


def test_a_tip_about_reps_waits_for_a_rest_before_reps() -> None:
    tl = plan("""
        name: T
        defaults: {rest: 40s, rest_after: 40s}
        tips: [{say: Breathe out as you push., before: reps}, {say: Breathe through the hold., before: holds}]
        exercises:
          - {name: Squats, sets: 2, reps: 3}
          - {name: Plank, sets: 2, hold: 20s}
          - {name: Stretch, hold: 30s}
    """)
    tips = [(e.exercise, e.text) for e in tl.events if e.text and "Breathe" in e.text]
    assert tips == [("Squats", "Breathe out as you push."), ("Plank", "Breathe through the hold."),
                    ("Plank", "Breathe through the hold."), ("Stretch", "Breathe through the hold.")]


def test_get_ready_is_said_just_before_the_countdown_even_in_a_long_rest() -> None:
    tl = plan("""
        name: T
        defaults: {rest: 3m, rest_after: 3m}
        exercises:
          - {name: Squats, reps: 3}
          - {name: Rows, reps: 3}
    """)
    go = [e.start_frame for e in tl.events if e.tone is Tone.GO]
    ready = [e for e in tl.events if e.text == "Get ready."]
    assert len(ready) == 2
    for e in ready:
        to_go = (min(g for g in go if g > e.start_frame) - e.end_frame) / RATE
        assert 3.0 <= to_go <= 3.3, "then the 3-2-1 countdown, nothing between"


def test_a_long_hold_hears_the_time_every_minute_in_hours_and_minutes() -> None:
    tl = plan("name: T\nexercises:\n  - {name: Wall sit, hold: 61m}\n")
    calls = [e.text for e in tl.events if e.text and e.text.endswith("left.") and e.step == 0]
    assert calls[:3] == ["1 hour left.", "59 minutes left.", "58 minutes left."]
    assert "31 minutes left." not in calls and "30 minutes left." not in calls, "Halfway, at 30:30, says it"
    assert calls[-2:] == ["60 seconds left.", "10 seconds left."]
    assert "A hold of 1 hour and 1 minute." in said(tl)


def test_an_amrap_set_is_not_counted_aloud_so_that_coach_done_can_be_heard() -> None:
    tl = plan("name: A\ndefaults: {get_ready: 0s}\nexercises:\n  - {name: Push-ups, reps: amrap, cap: 20s, "
              "tempo: 1-0-1-0}\n")
    start, length = work_segments(tl)[0]
    in_set = [e.text for e in tl.events if e.text and e.tone is None and start * RATE <= e.start_frame]
    assert in_set[:5] == ["Halfway.", "3", "2", "1", "Workout complete."], "silence between, for a spoken command"


def test_the_coachs_count_of_an_amrap_set_is_its_reps_at_the_tempo() -> None:
    from voicecoach.routine.size import reps_at_tempo
    push_ups = routine_from("name: A\nexercises:\n  - {name: P, reps: amrap, tempo: 2-0-1-0}\n").exercises[0]
    walks = routine_from("name: A\nexercises:\n  - {name: W, reps: amrap, tempo: 1-0-1-0, sides: alternate}\n"
                         ).exercises[0]
    assert isinstance(push_ups, Exercise) and isinstance(walks, Exercise)
    assert [reps_at_tempo(push_ups, s) for s in (0, 2.9, 3.0, 31.0)] == [0, 0, 1, 10]
    assert reps_at_tempo(walks, 9.0) == 2, "pairs: 4 s each"


def test_one_round_is_one_round() -> None:
    said_ = said(plan("""
        name: R
        exercises:
          - circuit: {rounds: 1, exercises: [{name: Curl, reps: 2}, {name: Press, reps: 2}]}
          - intervals: {name: Bike, rounds: 1, work: 60s, rest: 0s}
    """))
    assert "Next up: a circuit. Curl and Press, 1 round." in said_
    assert "Next up: Bike. 1 round of 60 seconds work." in said_, "no rest: not said"


def test_a_hold_named_so_is_said_by_its_time_once_and_a_load_before_each_new_exercise() -> None:
    texts = said(plan("""
        name: H
        defaults: {rest: 30s}
        exercises:
          - {name: Superman hold, sets: 2, hold: 20s}
          - {name: Curls, sets: 1, reps: 5, load: 10 kg}
          - {name: Press, sets: 1, reps: 5, load: 10 kg}
    """))
    assert "2 sets of 20 seconds." in texts and "Last set." in texts and "Last set, 20 seconds." not in texts
    assert texts.count("10 kilograms.") == 2, "the same load, said for each new exercise"


def test_after_a_skip_get_ready_is_said_from_a_rest_of_20_seconds() -> None:
    from voicecoach.plan.timeline import GET_READY, _lead_in, build_steps
    r = routine_from("name: G\nexercises:\n  - {name: A, reps: 5}\n  - {name: B, reps: 5}\n")
    first, second = build_steps(r)
    assert _lead_in(first._replace(gap_after_s=20.0), second, r, set(), brief=True)[-1] == GET_READY
    assert GET_READY not in _lead_in(first._replace(gap_after_s=19.9), second, r, set(), brief=True)
