"""The session state machine: what each key does, decided from the plan and the clock alone."""

from __future__ import annotations

import pytest
from conftest import fake_speech_s, routine_from

from voicecoach.session.machine import (
    EXTEND_S,
    Key,
    Notice,
    Pause,
    Quit,
    Replan,
    Say,
    SeekEnd,
    SessionState,
    SetVolume,
    handle_key,
)
from voicecoach.plan.timeline import Phase, Timeline, build_timeline

RATE = 48_000
ROUTINE = routine_from("""
    name: S
    defaults: {rest: 60s, rest_after: 90s, tempo: 1-0-1-0}
    exercises:
      - {name: Squats, sets: 2, reps: 5, how: Sit back.}
      - {name: Push-ups, sets: 1, reps: amrap, cap: 40s}
""")
TL = build_timeline(ROUTINE, fake_speech_s)


def frame_in(tl: Timeline, phase: Phase, nth: int = 0, into_s: float = 1.0) -> int:
    seg = [s for s in tl.segments if s.phase is phase][nth]
    return seg.start_frame + round(into_s * RATE)


def press(key: Key, frame: int, state: SessionState = SessionState(), now: float = 100.0):  # type: ignore[no-untyped-def]
    return handle_key(state, key, TL, frame, now)


def test_space_pauses_with_a_word_then_resumes_after_a_countdown() -> None:
    state, cmds = press(Key.PAUSE, frame_in(TL, Phase.WORK))
    assert state.paused and cmds == [Pause(), Say("Paused.")]
    state, cmds = press(Key.PAUSE, frame_in(TL, Phase.WORK), state)
    assert not state.paused and cmds == [Say("Resuming in 3, 2, 1.", hold=True, resume_after=True)]


def test_next_during_a_set_skips_to_its_rest() -> None:
    _, cmds = press(Key.NEXT, frame_in(TL, Phase.WORK, 0))
    assert cmds == [Replan(1, 60.0)]


def test_next_during_a_rest_goes_straight_to_the_next_set() -> None:
    state, cmds = press(Key.NEXT, frame_in(TL, Phase.REST, 0))
    assert cmds == [Replan(1, 0.0, brief=True)], "its countdown, without announcing it again"
    assert state.skipped_to == 1


def test_next_in_the_last_set_goes_to_the_end() -> None:
    _, cmds = press(Key.NEXT, frame_in(TL, Phase.WORK, 2))
    assert cmds == [SeekEnd(skipped=2)]


def test_back_restarts_the_set_and_again_goes_to_the_one_before() -> None:
    frame = frame_in(TL, Phase.WORK, 1)
    state, cmds = press(Key.BACK, frame)
    assert cmds == [Replan(1, 0.0)]
    _, cmds = press(Key.BACK, frame, state, now=102.0)
    assert cmds == [Replan(0, 0.0)]
    _, cmds = press(Key.BACK, frame, state, now=110.0)
    assert cmds == [Replan(1, 0.0)], "a later press is a fresh one"


def test_extend_adds_fifteen_seconds_to_what_is_left_of_the_rest() -> None:
    rest = [s for s in TL.segments if s.phase is Phase.REST][0]
    frame = rest.start_frame + 20 * RATE
    _, cmds = press(Key.EXTEND, frame)
    start = TL.step_start_frame(1)
    assert start is not None
    left = (start - frame) / RATE
    assert cmds == [Replan(1, left + EXTEND_S, brief=True)], "the set starts 15 s later, to the frame"
    _, cmds = press(Key.EXTEND, frame_in(TL, Phase.WORK))
    assert cmds == [Notice("e extends a rest")]


def test_done_ends_an_amrap_set_only() -> None:
    _, cmds = press(Key.DONE, frame_in(TL, Phase.WORK, 2))
    assert cmds == [SeekEnd(skipped=2)]
    _, cmds = press(Key.DONE, frame_in(TL, Phase.WORK, 0))
    assert isinstance(cmds[0], Notice)


def test_failed_ends_the_set_in_progress_and_goes_to_its_rest() -> None:
    _, cmds = press(Key.FAILED, frame_in(TL, Phase.WORK, 0))
    assert cmds == [Replan(1, TL.steps[0].gap_after_s)], "the whole rest after it: the set is over"
    _, cmds = press(Key.FAILED, frame_in(TL, Phase.WORK, 2))
    assert cmds == [SeekEnd(skipped=2)]
    _, cmds = press(Key.FAILED, frame_in(TL, Phase.REST))
    assert cmds == [Notice("f ends a set in progress as failed")]


def test_quit_during_a_set_needs_a_second_press() -> None:
    frame = frame_in(TL, Phase.WORK)
    state, cmds = press(Key.QUIT, frame)   # at 100 s
    assert cmds == [Notice("A set is in progress: press q again to quit", seconds=3.0)], "shown for 3 s"
    _, cmds = press(Key.QUIT, frame, state, now=101.0)
    assert cmds == [Quit()]
    _, cmds = press(Key.INTERRUPT, frame, state, now=101.0)
    assert cmds == [Quit()], "Ctrl-C confirms too"
    _, cmds = press(Key.QUIT, frame, state, now=102.9)
    assert cmds == [Quit()], "while the prompt is on screen"
    _, cmds = press(Key.QUIT, frame, state, now=103.2)
    assert cmds == [Notice("A set is in progress: press q again to quit", seconds=3.0)], "prompt gone: asks again"


def test_quit_during_a_rest_is_immediate() -> None:
    _, cmds = press(Key.QUIT, frame_in(TL, Phase.REST))
    assert cmds == [Quit()]


def test_volume_steps_and_stays_between_0_and_1() -> None:
    state = SessionState(gain=0.95)
    state, cmds = press(Key.LOUDER, 0, state)
    assert state.gain == 1.0 and cmds[0] == SetVolume(1.0)
    for _ in range(15):
        state, cmds = press(Key.QUIETER, 0, state)
    assert state.gain == 0.0


def test_repeat_says_the_last_phrase_again_holding_the_clock() -> None:
    frame = frame_in(TL, Phase.WORK, 0, into_s=4.5)
    _, cmds = press(Key.REPEAT, frame)
    assert cmds == [Say("2", hold=True)]


def test_help_toggles() -> None:
    state, _ = press(Key.HELP, 0)
    assert state.show_help
    state, _ = press(Key.HELP, 0, state)
    assert not state.show_help


def test_media_keys_play_and_pause_only_do_what_they_say() -> None:
    frame = frame_in(TL, Phase.WORK)
    playing, paused = SessionState(), SessionState(paused=True)
    assert press(Key.PLAY, frame, playing)[1] == [], "Play while playing: nothing"
    assert press(Key.HOLD, frame, paused)[1] == [], "Pause while paused (a lost output): nothing"
    state, cmds = press(Key.HOLD, frame, playing)
    assert state.paused and cmds == [Pause(), Say("Paused.")]
    state, cmds = press(Key.PLAY, frame, paused)
    assert not state.paused and cmds == [Say("Resuming in 3, 2, 1.", hold=True, resume_after=True)]


def test_stop_quits_at_once_even_in_a_set() -> None:
    assert press(Key.STOP, frame_in(TL, Phase.WORK))[1] == [Quit()]


def test_volume_steps_by_ten_percent_and_says_so() -> None:
    state, cmds = press(Key.QUIETER, frame_in(TL, Phase.REST))
    assert state.gain == 0.9 and cmds == [SetVolume(0.9), Notice("Volume 90%")]
    state, cmds = press(Key.LOUDER, frame_in(TL, Phase.REST), state)
    assert cmds == [SetVolume(1.0), Notice("Volume 100%")]


def test_r_repeats_a_phrase_from_the_frame_it_starts() -> None:
    first = next(e for e in TL.events if e.text)
    assert press(Key.REPEAT, first.start_frame)[1] == [Say(first.text, hold=True)]


def test_d_outside_an_amrap_set_says_what_it_is_for() -> None:
    assert press(Key.DONE, frame_in(TL, Phase.WORK))[1] == [Notice("d ends an AMRAP set; n skips to the rest")]
    assert press(Key.DONE, frame_in(TL, Phase.REST))[1] == [Notice("d ends an AMRAP set")]


def test_back_twice_within_four_seconds_goes_one_set_further_back() -> None:
    frame = frame_in(TL, Phase.WORK, 2)
    state, cmds = press(Key.BACK, frame, now=100.0)
    step = cmds[0].step
    assert press(Key.BACK, frame, state, now=104.0)[1] == [Replan(step - 1, 0.0)], "4 s is still 'again'"
    assert press(Key.BACK, frame, state, now=104.1)[1] == [Replan(step, 0.0)], "later: the same set again"


def test_next_in_the_last_rest_goes_to_the_last_exercise() -> None:
    assert press(Key.NEXT, frame_in(TL, Phase.REST, 1))[1] == [Replan(2, 0.0, brief=True)]


def test_keys_while_the_coach_sums_up_do_nothing() -> None:
    finish = frame_in(TL, Phase.FINISH, into_s=0.5)
    for key in (Key.NEXT, Key.BACK, Key.DONE, Key.EXTEND):
        assert press(key, finish)[1] == [], key
    after_the_end = TL.total_frames + 10
    assert press(Key.NEXT, after_the_end)[1] == [] and press(Key.BACK, after_the_end)[1] == []


def test_e_in_the_countdown_gives_15_seconds_more_and_counts_down_again() -> None:
    rest = [s for s in TL.segments if s.phase is Phase.REST][0]
    assert press(Key.EXTEND, rest.end_frame - RATE)[1] == [Replan(1, 16, brief=True)]
    assert press(Key.EXTEND, rest.end_frame - 10 * RATE)[1] == [Replan(1, 25, brief=True)], "10 s left: 25"


def test_a_second_q_exactly_3_seconds_later_still_quits() -> None:
    work = frame_in(TL, Phase.WORK)
    armed, cmds = press(Key.QUIT, work, now=100.0)
    assert cmds == [Notice("A set is in progress: press q again to quit", seconds=3.0)]
    assert press(Key.QUIT, work, armed, now=103.0)[1] == [Quit()]
    assert press(Key.QUIT, work, armed, now=103.1)[1] == [Notice("A set is in progress: press q again to quit",
                                                                 seconds=3.0)]


def test_ctrl_c_in_a_set_asks_for_ctrl_c_again() -> None:
    armed, cmds = press(Key.INTERRUPT, frame_in(TL, Phase.WORK), now=100.0)
    assert cmds == [Notice("A set is in progress: press Ctrl-C again to quit", seconds=3.0)]
    assert press(Key.INTERRUPT, frame_in(TL, Phase.WORK), armed, now=101.0)[1] == [Quit()]


def test_another_key_between_two_qs_disarms_the_quit() -> None:
    work = frame_in(TL, Phase.WORK)
    armed, _ = press(Key.QUIT, work, now=100.0)
    state, _ = press(Key.LOUDER, work, armed, now=100.5)
    assert state.quit_armed_s is None
    assert press(Key.QUIT, work, state, now=101.0)[1] != [Quit()]


def test_resuming_leaves_the_state_as_it_was_before_the_pause() -> None:
    paused, _ = press(Key.PAUSE, frame_in(TL, Phase.WORK))
    assert press(Key.PAUSE, frame_in(TL, Phase.WORK), paused)[0] == SessionState()


# ---------------------------------------------------------------- skipping never makes the wait longer

LEGS = routine_from("""
    name: Legs
    defaults: {rest: 2m, rest_after: 2m, tempo: 2-0-1-0}
    exercises:
      - {name: Squats, sets: 3, reps: 10, how: Feet shoulder-width apart. Sit back and stand up tall.}
      - {name: Lunges, sets: 3, reps: 10, sides: each leg, how: Step forward and lower your back knee.}
""")


def _replanned(tl: Timeline, command: Replan) -> Timeline:
    """The plan a session moves to on `command` (what `sound.playback` does)."""
    from voicecoach.plan.timeline import PlanContext
    return build_timeline(LEGS, fake_speech_s, start_step=command.step,
                          context=PlanContext(rest_s=command.rest_s, brief=command.brief,
                                              heard_how=frozenset({"Squats", "Lunges"})))


def _set_start_s(tl: Timeline) -> float:
    return next(s.start_frame for s in tl.segments if s.phase is Phase.WORK) / RATE


def _said_before_the_set(tl: Timeline) -> list[str]:
    start = next(s.start_frame for s in tl.segments if s.phase is Phase.WORK)
    return [e.text for e in tl.events if e.text and e.tone is None and e.start_frame < start]


def test_skips_before_a_new_exercise_go_to_its_first_set_once_then_skip_that_set() -> None:
    # --start Squats:3, then "next" four times, 2.5 s apart
    tl = build_timeline(LEGS, fake_speech_s, start_step=2)
    state, now = SessionState(), 100.0
    state, cmds = handle_key(state, Key.NEXT, tl, _set_start_s(tl) * RATE + 2 * RATE, now)
    assert cmds == [Replan(3, 120.0)], "the set in progress: to the rest after it"
    tl = _replanned(tl, cmds[0])
    assert _said_before_the_set(tl)[:2] == ["Rest 2 minutes.", "Next up: Lunges."]
    state, cmds = handle_key(state, Key.NEXT, tl, round(2.5 * RATE), now + 2.5)
    assert cmds == [Replan(3, 0.0, brief=True)], "the rest: to Lunges' first set"
    tl = _replanned(tl, cmds[0])
    assert _said_before_the_set(tl) == ["Lunges.", "Right leg first."], "not the announcement again"
    assert _set_start_s(tl) < 6, "its countdown follows at once"
    state, cmds = handle_key(state, Key.NEXT, tl, round(2.5 * RATE), now + 5.0)
    assert cmds == [Replan(4, 5.0)], "a second skip from there skips that set (to its switch of sides)"
    tl = _replanned(tl, cmds[0])
    assert "Next up: Lunges." not in _said_before_the_set(tl)


def test_next_in_the_opening_shortens_it_and_a_second_skips_the_first_set() -> None:
    tl = build_timeline(LEGS, fake_speech_s)
    opening_s = _set_start_s(tl)
    state, cmds = handle_key(SessionState(), Key.NEXT, tl, RATE, 100.0)
    assert cmds == [Replan(0, 0.0, brief=True)]
    brief = _replanned(tl, cmds[0])
    assert 1 + _set_start_s(brief) < opening_s, "set 1 starts sooner than it would have, never later"
    assert _said_before_the_set(brief) == ["Squats."]
    _, cmds = handle_key(state, Key.NEXT, brief, RATE, 101.0)
    assert cmds == [Replan(1, 120.0)], "the second: set 1 is skipped"


def test_next_in_the_countdown_skips_the_set_rather_than_counting_again() -> None:
    tl = build_timeline(LEGS, fake_speech_s, start_step=1)
    start = round(_set_start_s(tl) * RATE)
    assert handle_key(SessionState(), Key.NEXT, tl, start - 2 * RATE, 100.0)[1] == [Replan(2, 120.0)]


def test_e_in_the_opening_adds_15_seconds_and_does_not_start_it_again() -> None:
    tl = build_timeline(LEGS, fake_speech_s)
    at = 2 * RATE
    _, cmds = handle_key(SessionState(), Key.EXTEND, tl, at, 100.0)
    longer = _replanned(tl, cmds[0])
    assert _set_start_s(longer) == pytest.approx(_set_start_s(tl) - 2 + 15, abs=0.01), "15 s more, from now"
    assert "Welcome to Legs." not in _said_before_the_set(longer)


def test_shift_n_skips_the_rest_of_an_exercise() -> None:
    tl = build_timeline(LEGS, fake_speech_s)
    in_set_1 = round((_set_start_s(tl) + 3) * RATE)
    assert handle_key(SessionState(), Key.NEXT_EXERCISE, tl, in_set_1, 100.0)[1] == [Replan(3, 0.0)]
    rest = next(s for s in tl.segments if s.phase is Phase.REST)
    assert handle_key(SessionState(), Key.NEXT_EXERCISE, tl, rest.start_frame + RATE, 100.0)[1] == [Replan(3, 0.0)]
    lunges = build_timeline(LEGS, fake_speech_s, start_step=3)
    assert handle_key(SessionState(), Key.NEXT_EXERCISE, lunges, round((_set_start_s(lunges) + 1) * RATE),
                      100.0)[1] == [SeekEnd(skipped=3)], "the last exercise: to the end"


def test_e_in_a_rest_before_a_new_exercise_says_the_new_rest_and_still_gets_ready_before_the_count() -> None:
    tl = build_timeline(LEGS, fake_speech_s, start_step=2)
    rest = next(s for s in tl.segments if s.phase is Phase.REST)
    _, cmds = handle_key(SessionState(), Key.EXTEND, tl, rest.start_frame + 30 * RATE, 100.0)
    longer = _replanned(tl, cmds[0])
    assert _said_before_the_set(longer) == ["Rest 105 seconds.", "Lunges.", "Right leg first.",
                                            "10 seconds left.", "Get ready."]


def test_shift_n_in_the_last_set_of_an_exercise_goes_to_the_very_next_one() -> None:
    tl = build_timeline(LEGS, fake_speech_s, start_step=2)   # Squats, set 3
    assert handle_key(SessionState(), Key.NEXT_EXERCISE, tl, round((_set_start_s(tl) + 1) * RATE),
                      100.0)[1] == [Replan(3, 0.0)]


def test_shift_n_in_the_rest_before_the_last_exercise_skips_it_to_the_end() -> None:
    tl = build_timeline(LEGS, fake_speech_s, start_step=2)   # Squats, set 3; then the rest before Lunges
    rest = next(s for s in tl.segments if s.phase is Phase.REST)
    assert handle_key(SessionState(), Key.NEXT_EXERCISE, tl, rest.start_frame + RATE, 100.0)[1] == \
        [SeekEnd(skipped=3)], "Lunges, from its first step, left out of the summary"


def test_a_skip_counts_as_the_set_s_second_only_right_after_the_first() -> None:
    tl = build_timeline(LEGS, fake_speech_s, start_step=1)
    rest = next(s for s in tl.segments if s.phase is Phase.REST)
    state, _ = handle_key(SessionState(), Key.NEXT, tl, rest.start_frame + RATE, 100.0)
    assert state.skipped_to == 2
    state, cmds = handle_key(state, Key.BACK, tl, rest.start_frame + 2 * RATE, 101.0)
    assert state.skipped_to is None, "any other key forgets it"


def test_the_countdown_of_a_set_begins_a_half_second_before_its_three_ticks() -> None:
    tl = build_timeline(LEGS, fake_speech_s, start_step=1)
    start = round(_set_start_s(tl) * RATE)
    assert handle_key(SessionState(), Key.NEXT, tl, start - round(3.5 * RATE), 100.0)[1] == [Replan(2, 120.0)]
    assert handle_key(SessionState(), Key.NEXT, tl, start - round(3.5 * RATE) - 1, 100.0)[1] == \
        [Replan(1, 0.0, brief=True)]
    assert handle_key(SessionState(), Key.NEXT, tl, start - 3 * RATE, 100.0)[1] == [Replan(2, 120.0)]
