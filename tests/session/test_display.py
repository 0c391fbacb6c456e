"""What the screen shows, and that it fits 80x24."""

from __future__ import annotations

import io

from conftest import fake_speech_s, routine_from
from rich.console import Console

from voicecoach.session.display import big_number, render_view
from voicecoach.plan.timeline import EventKind, Phase, build_timeline
from voicecoach.session.view import describe

RATE = 48_000
TL = build_timeline(routine_from("""
    name: Legs
    defaults: {rest: 60s, tempo: 1-0-1-0}
    exercises:
      - {name: Squats, sets: 3, reps: 12, how: Feet shoulder-width apart. Sit back and stand up.}
      - {name: Lunges, sets: 2, reps: 8, sides: each leg}
"""), fake_speech_s)


def at(phase: Phase, nth: int, into_s: float) -> int:
    seg = [s for s in TL.segments if s.phase is phase][nth]
    return seg.start_frame + round(into_s * RATE)


def test_during_a_set_the_count_is_the_last_rep_called() -> None:
    v = describe(TL, at(Phase.WORK, 0, 6.5))
    assert (v.exercise, v.phase, v.set_label, v.count, v.count_label) == ("Squats", "Work", "Set 1 of 3", "3",
                                                                           "of 12 reps")
    assert v.next_up == "Squats: set 2 of 3, 12 reps"
    assert v.last_phrase == "3"


def test_during_a_rest_it_counts_down_and_shows_what_is_next() -> None:
    v = describe(TL, at(Phase.REST, 0, 10))
    assert v.phase == "Rest" and v.set_label == "Set 2 of 3" and v.count == "50"
    assert v.next_up == "Squats: set 2 of 3, 12 reps", "next is the set the rest leads to"


def test_sides_are_shown() -> None:
    v = describe(TL, at(Phase.WORK, 3, 1))
    assert v.exercise == "Lunges" and v.side == "right leg"


def test_progress_runs_from_0_to_1() -> None:
    assert describe(TL, 0).fraction == 0.0
    assert describe(TL, TL.total_frames).fraction == 1.0
    mid = describe(TL, TL.total_frames // 2)
    assert abs(mid.fraction - 0.5) < 0.01 and abs(mid.elapsed_s + mid.remaining_s - TL.duration_s) < 0.01


def test_the_screen_fits_80_by_24() -> None:
    for frame in range(0, TL.total_frames, TL.total_frames // 40):
        for show_help in (False, True):
            view = describe(TL, frame)
            out = io.StringIO()
            Console(file=out, width=80, height=24, color_system=None).print(
                render_view(view.__class__(**{**{f: getattr(view, f) for f in view.__slots__},
                                              "show_help": show_help}), 80))
            lines = out.getvalue().rstrip("\n").splitlines()
            assert len(lines) <= 24 and max(len(ln) for ln in lines) <= 80


def test_big_numbers_are_five_rows() -> None:
    rows = big_number("12").splitlines()
    assert len(rows) == 5 and rows[0] == " █   ███"


INTERVALS = build_timeline(routine_from("""
    name: Tabata
    exercises:
      - {name: Squats, sets: 2, reps: 1, tempo: 1-0-1-0, load: bodyweight}
      - intervals: {rounds: 8, work: 20s, rest: 10s, exercises: [Jump squats, Mountain climbers]}
"""), fake_speech_s)


def test_an_interval_round_is_shown_as_the_coach_says_it() -> None:
    works = [s for s in INTERVALS.segments if s.phase is Phase.WORK]
    v = describe(INTERVALS, works[3].start_frame + RATE)       # round 2 of 8
    assert (v.exercise, v.set_label) == ("Mountain climbers", "Round 2 of 8")
    assert v.next_up == "Jump squats: round 3 of 8, 20 seconds of work"


def test_one_rep_is_one_rep_on_screen() -> None:
    works = [s for s in INTERVALS.segments if s.phase is Phase.WORK]
    assert describe(INTERVALS, works[0].start_frame + 10).count_label == "of 1 rep"


def test_the_rest_before_the_last_set_shows_that_set_as_next_not_the_end() -> None:
    rests = [s for s in TL.segments if s.phase in (Phase.REST, Phase.SWITCH)]
    v = describe(TL, rests[-1].start_frame + 10)
    assert v.next_up == "Lunges: last set, 8 reps, left"


def seen(v: object) -> tuple[str, ...]:
    return tuple(getattr(v, f) for f in ("phase", "exercise", "set_label", "side", "count", "count_label",
                                          "next_up", "last_phrase"))


def test_the_screen_at_every_kind_of_moment() -> None:
    """Sets of 12 reps at 2 s a rep, 60 s rests, each-leg lunges with a 5 s switch (fake speech)."""
    assert seen(describe(TL, 10)) == ("Get ready", "Squats", "Set 1 of 3", "", "14", "seconds to go",
                                      "Squats: set 1 of 3, 12 reps", "Welcome to Legs.")
    assert seen(describe(TL, at(Phase.WORK, 0, 7.5))) == ("Work", "Squats", "Set 1 of 3", "", "3", "of 12 reps",
                                                          "Squats: set 2 of 3, 12 reps", "3")
    assert seen(describe(TL, at(Phase.WORK, 2, 1))) == ("Work", "Squats", "Last set", "", "0", "of 12 reps",
                                                        "Lunges: set 1 of 2, 8 reps, right", "10 seconds left.")
    assert seen(describe(TL, at(Phase.SWITCH, 0, 1))) == ("Switch sides", "Lunges", "Set 1 of 2", "left leg", "6",
                                                          "seconds to go", "Lunges: set 1 of 2, 8 reps, left",
                                                          "Switch sides.")
    done = describe(TL, TL.total_frames - 10)
    assert seen(done)[:7] == ("Done", "", "", "", "", "", "") and done.last_phrase.endswith("Great work!")
    assert describe(TL, 10).how == "Feet shoulder-width apart. Sit back and stand up."


def test_an_amrap_set_and_a_hold_count_down_their_seconds() -> None:
    tl = build_timeline(routine_from("""
        name: A
        exercises:
          - {name: Push-ups, reps: amrap, cap: 30s}
          - {name: Plank, hold: 20s}
    """), fake_speech_s)
    works = [s for s in tl.segments if s.phase is Phase.WORK]
    amrap = describe(tl, works[0].start_frame + 5 * RATE)
    assert (amrap.count, amrap.count_label, amrap.next_up) == ("25", "seconds left (AMRAP)",
                                                               "Plank: set 1 of 1, a 20 second hold")
    hold = describe(tl, works[1].start_frame + 5 * RATE - 1)
    assert (hold.count, hold.count_label, hold.next_up) == ("16", "seconds left", "the end"), "15 s and a frame"


def test_long_texts_are_cut_at_a_word_with_an_ellipsis() -> None:
    from voicecoach.session.view import _short
    assert _short("word " * 10, 150) == "word " * 10
    assert _short("alpha beta gamma", 12) == "alpha beta..."
    assert len(_short("x" * 200, 150)) <= 153


def test_texts_are_cut_at_the_last_whole_word_within_the_limit() -> None:
    from voicecoach.session.view import _short
    assert _short("a" * 12, 12) == "a" * 12, "exactly the limit: whole"
    assert _short("a " * 75) == "a " * 75 and _short("a " * 75 + "b") == "a " * 74 + "a...", "150 by default"
    assert _short("alpha beta gamma", 11) == "alpha beta...", "a space at the cut is not a word"
    how = "Sit back and " * 13   # 169 characters: the how is cut at 150, at a word
    assert _short(how) == "Sit back and " * 11 + "Sit..."


def test_the_last_phrase_is_cut_at_120_characters_at_a_word() -> None:
    said = ("abcdefghij " * 13).strip()   # 142 characters, a space at every 11th
    tl = build_timeline(routine_from(f"""
        name: L
        exercises:
          - {{name: Squats, sets: 1, reps: 2, how: {said}}}
    """), fake_speech_s)
    phrase = next(e for e in tl.events if e.text == said)
    assert describe(tl, phrase.start_frame + 1).last_phrase == said[:109] + "...", "120 would end on a space"


def test_the_last_phrase_is_the_latest_begun_at_any_moment() -> None:
    phrases = [e for e in TL.events if e.kind is EventKind.SPEECH]
    for e in TL.events[:80]:
        for frame in (e.start_frame, e.start_frame + 1):
            begun = [p.text for p in phrases if p.start_frame <= frame]
            assert describe(TL, frame).last_phrase == begun[-1], frame


def test_at_the_first_frame_of_a_set_next_is_the_set_after_it() -> None:
    work = [s for s in TL.segments if s.phase is Phase.WORK][0]
    assert describe(TL, work.start_frame).next_up == "Squats: set 2 of 3, 12 reps"


def test_at_the_first_frame_of_a_rest_it_counts_the_whole_rest() -> None:
    v = describe(TL, at(Phase.REST, 0, 0))
    assert (v.phase, v.set_label, v.count, v.count_label) == ("Rest", "Set 2 of 3", "60", "seconds to go")


def test_past_the_end_it_is_done() -> None:
    v = describe(TL, TL.total_frames + 1000)
    assert (v.phase, v.exercise, v.how, v.step) == ("Done", "", "", None) and v.fraction == 1.0


def test_the_view_names_the_routine_the_step_and_the_exercise_without_a_how() -> None:
    v = describe(TL, at(Phase.WORK, 3, 1))
    assert (v.routine, v.step, v.exercise, v.how) == ("Legs", 3, "Lunges", ""), "the fourth set of the plan"


def test_the_whole_sessions_length_given_is_the_one_used() -> None:
    v = describe(TL, 48_000 * 10, done_s=100.0, total_s=1000.0)
    assert (v.elapsed_s, v.remaining_s, v.fraction) == (110.0, 890.0, 0.11)


def test_timed_movement_and_a_hold_named_so_are_shown_as_their_time() -> None:
    tl = build_timeline(routine_from("""
        name: A
        exercises:
          - {name: Squats, reps: 2}
          - {name: Shoulder taps, time: 30s}
          - {name: Superman hold, hold: 20s}
    """), fake_speech_s)
    works = [s for s in tl.segments if s.phase is Phase.WORK]
    assert describe(tl, works[0].start_frame + RATE).next_up == "Shoulder taps: set 1 of 1, 30 seconds"
    assert describe(tl, works[1].start_frame + RATE).next_up == "Superman hold: set 1 of 1, 20 seconds"
