"""Which phrase wins a moment, in holds, sets and rests, as literal plans (the phrases as heard,
at their times): counts first, then what structures the session, then form cues, then tips. A
phrase that loses is said later within its window, or not at all (`dropped`); it is never said
early, and never over another phrase. Phrase lengths: 0.3 s plus 0.08 s per character."""

from __future__ import annotations

from conftest import fake_speech_s, routine_from

from voicecoach.plan.timeline import EventKind, Timeline, build_timeline

RATE = 48_000
LONG_CUE = "Keep your hips level and breathe slowly through your nose"   # 4.86 s
LONG_TIP = ("Shake out your legs, breathe in through the nose and out through the mouth, sip some water, "
            "and think through the next set from the first rep to the last one before you begin it again")


def plan(text: str) -> Timeline:
    return build_timeline(routine_from(text), fake_speech_s)


def heard(tl: Timeline, start_s: float = 0.0, end_s: float = float("inf")) -> list[tuple[float, str]]:
    """(seconds, phrase) of what is said from `start_s` to `end_s`."""
    return [(round(e.start_frame / RATE, 3), e.text or "") for e in tl.events
            if e.kind is EventKind.SPEECH and start_s <= e.start_frame / RATE < end_s]


# ---------------------------------------------------------------- holds: a 20 s plank from 10 s to 30 s

def test_in_a_hold_a_short_cue_is_said_at_its_moment_before_halfway_and_the_countdown() -> None:
    tl = plan("name: A\nexercises:\n  - {name: Plank, hold: 20s, cues: [Squeeze]}\n")
    assert heard(tl, 10, 30) == [(17.0, "Squeeze"), (20.0, "Halfway."), (27.0, "3"), (28.0, "2"), (29.0, "1")]


def test_in_a_hold_halfway_keeps_its_moment_and_a_cue_that_would_run_over_it_follows_it() -> None:
    tl = plan(f"name: B\nexercises:\n  - {{name: Plank, hold: 20s, cues: [{LONG_CUE}]}}\n")
    # the cue's moment is 17 s (0.35 of the hold); said there it would still be going at 20 s
    assert heard(tl, 10, 30) == [(20.0, "Halfway."), (21.09, LONG_CUE), (27.0, "3"), (28.0, "2"), (29.0, "1")]
    assert tl.dropped == ()


def test_in_a_long_hold_a_cue_waits_for_halfway_and_ten_seconds_both() -> None:
    tl = plan(f"name: C\nexercises:\n  - {{name: Plank, hold: 30s, cues: [{LONG_CUE}]}}\n")
    # 10 to 40 s: the cue's moment is 20.5 s; between Halfway (25 s) and "10 seconds left." (30 s) it does not fit
    assert heard(tl, 10, 40) == [(25.0, "Halfway."), (30.0, "10 seconds left."), (31.73, LONG_CUE), (37.0, "3"),
                                 (38.0, "2"), (39.0, "1")]


# ---------------------------------------------------------------- sets: 6 reps of 2 s from 8.48 s

def test_in_a_set_every_count_is_on_its_rep_and_a_cue_goes_between_two_counts() -> None:
    tl = plan("name: D\ndefaults: {tempo: 1-0-1-0, get_ready: 0s}\n"
              "exercises:\n  - {name: Squats, reps: 6, cues: [Chest up]}\n")
    assert heard(tl, 8.48, 20.49) == [(10.48, "1"), (12.48, "2"), (13.01, "Chest up"), (14.48, "3"),
                                      (16.48, "4, two more"), (18.48, "5, last rep"), (20.48, "6")]


def test_in_a_set_a_cue_too_long_for_any_gap_between_counts_gives_way() -> None:
    cue = "Push your knees out over your toes the whole way down"
    tl = plan(f"name: E\ndefaults: {{tempo: 1-0-1-0, get_ready: 0s}}\n"
              f"exercises:\n  - {{name: Squats, reps: 6, cues: [{cue}]}}\n")
    assert heard(tl, 8.48, 20.49) == [(10.48, "1"), (12.48, "2"), (14.48, "3"), (16.48, "4, two more"),
                                      (18.48, "5, last rep"), (20.48, "6")]
    assert tl.dropped == (cue,)


# ---------------------------------------------------------------- rests: 30 s from 13.28 s (the last count) to 43.28 s

def test_in_a_rest_what_comes_next_is_said_first_then_a_tip_then_ten_seconds_left() -> None:
    tl = plan("name: G\ntips: [Breathe.]\ndefaults: {tempo: 1-0-1-0, get_ready: 0s}\n"
              "exercises:\n  - {name: Squats, sets: 2, reps: 2, rest: 30s}\n")
    assert heard(tl, 13.29, 43.28) == [(13.81, "Rest 30 seconds."), (15.54, "Last set."), (16.71, "Breathe."),
                                       (33.28, "10 seconds left.")]


def test_in_a_rest_a_tip_that_would_crowd_ten_seconds_left_gives_way() -> None:
    tl = plan(f"name: I\ntips: ['{LONG_TIP}']\ndefaults: {{tempo: 1-0-1-0, get_ready: 0s}}\n"
              "exercises:\n  - {name: Squats, sets: 2, reps: 2, rest: 30s}\n")
    assert heard(tl, 13.29, 43.28) == [(13.81, "Rest 30 seconds."), (15.54, "Last set."),
                                       (33.28, "10 seconds left.")]
    assert tl.dropped == (LONG_TIP,)
