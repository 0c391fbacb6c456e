"""The live loop without a sound card: the clock is moved by hand, sets are logged as they end."""

from __future__ import annotations

import time

import numpy as np

from conftest import routine_from

from voicecoach.session.record import SetRecord
from voicecoach.session.live import LiveSession
from voicecoach.sound.playback import Playback
from voicecoach.sound.player import Player
from voicecoach.session.machine import Key
from voicecoach.sound.speech import FakeSynthesizer, PhraseBank
from voicecoach.plan.timeline import Phase, Timeline

ROUTINE = routine_from("""
    name: L
    defaults: {rest: 10s, rest_after: 10s, tempo: 1-0-1-0, get_ready: 0s}
    exercises:
      - {name: Squats, sets: 2, reps: 4}
      - {name: Push-ups, sets: 1, reps: amrap, cap: 30s}
""")


class TypingKeys:
    """Stands for a keyboard: the loop only asks it for keys."""

    def read(self, timeout_s: float) -> None:
        return None


def live(keys: object = None) -> tuple[LiveSession, list[SetRecord], list[tuple[int, int]]]:
    player = Player()
    playback = Playback(ROUTINE, PhraseBank(FakeSynthesizer(), None), player, rate_wpm=175)
    playback.prepare()
    playback.start()
    sets: list[SetRecord] = []
    amrap: list[tuple[int, int]] = []
    session = LiveSession(playback, player, reopen=lambda: None, keys=keys, on_set=sets.append,
                          on_amrap_reps=lambda step, reps: amrap.append((step, reps)))
    return session, sets, amrap


def go_to(session: LiveSession, frame: int) -> None:
    session.player.frame = frame
    session._tick()


def works(session: LiveSession) -> list:  # type: ignore[type-arg]
    assert session.playback.timeline is not None
    return [s for s in session.playback.timeline.segments if s.phase is Phase.WORK]


def test_each_set_is_logged_when_its_work_ends() -> None:
    session, sets, _ = live()
    first = works(session)[0]
    go_to(session, first.start_frame + 10)
    assert sets == []
    go_to(session, first.end_frame)
    assert [(s.exercise, s.set_no, s.done_reps, s.skipped) for s in sets] == [("Squats", 1, 4, False)]


def test_a_skipped_set_is_logged_with_the_reps_counted_so_far() -> None:
    session, sets, _ = live()
    first = works(session)[0]
    go_to(session, first.start_frame + 10)
    go_to(session, first.start_frame + 48_000 * 4 + 100)   # after the count of rep 2
    session.key(Key.NEXT)
    assert [(s.set_no, s.done_reps, s.skipped) for s in sets] == [(1, 2, True)]
    rest = session.playback.timeline.segments[0]
    assert rest.phase is Phase.REST and rest.duration_frames == 10 * 48_000, "straight into the rest"


def test_a_failed_set_is_logged_as_failed_with_the_coachs_count_and_the_rest_follows() -> None:
    session, sets, _ = live()
    first = works(session)[0]
    go_to(session, first.start_frame + 10)
    go_to(session, first.start_frame + 48_000 * 6 + 100)   # after the count of rep 3
    session.key(Key.FAILED)
    assert [(s.set_no, s.planned_reps, s.done_reps, s.skipped, s.failed) for s in sets] == [(1, 4, 3, False, True)]
    assert session.notice == "Failed set: 3 reps"
    rest = session.playback.timeline.segments[0]
    assert rest.phase is Phase.REST and rest.duration_frames == 10 * 48_000
    go_to(session, works(session)[0].start_frame + 10)
    go_to(session, works(session)[0].end_frame)
    assert [(s.set_no, s.failed) for s in sets] == [(1, True), (2, False)], "the next set as usual"


def test_failed_between_sets_logs_nothing() -> None:
    session, sets, _ = live()
    go_to(session, works(session)[0].start_frame + 10)
    go_to(session, works(session)[0].end_frame + 48_000)
    session.key(Key.FAILED)
    assert [s.failed for s in sets] == [False] and session.notice == "f ends a set in progress as failed"


def test_going_back_does_not_log_the_set_that_starts_again() -> None:
    session, sets, _ = live()
    first = works(session)[0]
    go_to(session, first.start_frame + 10)
    session.key(Key.BACK)
    assert sets == []
    again = works(session)[0]
    go_to(session, again.start_frame + 10)
    go_to(session, again.end_frame)
    assert [(s.set_no, s.skipped) for s in sets] == [(1, False)]


def test_an_amrap_set_ended_by_d_is_logged_with_the_coachs_count_and_may_be_corrected() -> None:
    session, sets, amrap = live(keys=TypingKeys())
    amrap_set = works(session)[2]   # 30 s counted every 2 s (1-0-1-0): "1" at 2 s ... "15" at 30 s
    go_to(session, amrap_set.start_frame + 9 * 48_000)
    session.key(Key.DONE)
    assert sets[-1].amrap and sets[-1].done_reps == 4 and not sets[-1].skipped, "counted aloud by then: 4"
    session._draw()
    assert session.amrap_step == sets[-1].step
    for ch in "17\n":
        session.typed(ch)
    assert amrap == [(sets[-1].step, 17)] and session.amrap_step is None


def test_enter_alone_or_no_answer_keeps_the_coachs_count_and_the_prompt_goes_away() -> None:
    now = [0.0]
    session, sets, amrap = live(keys=TypingKeys())
    session.clock = lambda: now[0]
    amrap_set = works(session)[2]
    go_to(session, amrap_set.start_frame + 9 * 48_000)
    session.key(Key.DONE)
    session.typed("\n")
    assert amrap == [] and session.amrap_step is None and session.notice == "Saved: 4 reps"
    session2, sets2, amrap2 = live(keys=TypingKeys())
    session2.clock = lambda: now[0]
    go_to(session2, works(session2)[2].start_frame + 10)
    go_to(session2, works(session2)[2].end_frame)          # the cap: every count heard
    assert sets2[-1].done_reps == 15 and session2.amrap_step is not None
    now[0] = 19.0
    session2._tick()
    assert session2.amrap_step is not None, "still asking"
    now[0] = 20.0
    session2._tick()
    assert session2.amrap_step is None and amrap2 == [], "not answered: the count stands, the prompt goes"


def test_hands_free_an_amrap_set_is_logged_with_the_coachs_count() -> None:
    session, sets, amrap = live(keys=None)
    amrap_set = works(session)[2]
    go_to(session, amrap_set.start_frame + 10)
    go_to(session, amrap_set.end_frame)
    assert sets[-1].amrap and sets[-1].done_reps == 15 and session.amrap_step is None and amrap == []
    session.correct_amrap(12)
    assert amrap == [(sets[-1].step, 12)], "a spoken correction"


def test_a_machine_that_slept_wakes_up_paused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import voicecoach.session.live as live_module
    offset = [0.0]
    monkeypatch.setattr(live_module, "_boot_minus_monotonic", lambda: offset[0])
    session, _, _ = live()
    go_to(session, 48_000)
    assert not session.player.paused
    offset[0] += 600.0    # ten minutes asleep: the boot clock ran on, the monotonic one did not
    go_to(session, 48_000 + 2048)
    assert session.player.paused and session.state.paused
    assert "slept" in session.notice


def test_what_the_summary_compares_with_can_arrive_after_the_start() -> None:
    player = Player()
    playback = Playback(ROUTINE, PhraseBank(FakeSynthesizer(), None), player, rate_wpm=175)
    playback.prepare()
    before = playback.start()
    playback.amend_context(compare="Last time: 12 minutes.")
    deadline = time.monotonic() + 10
    while not playback.refine() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert playback.timeline is not None

    def summary(timeline: Timeline) -> str:
        return [e.text for e in timeline.events if e.text][-1]
    assert summary(playback.timeline).endswith("Great work! Last time: 12 minutes.")
    assert "Last time" not in summary(before)
    first_set = [e for e in before.events if e.start_frame < 48_000 * 5]
    assert [e for e in playback.timeline.events if e.start_frame < 48_000 * 5] == first_set, "the past is unchanged"


def summary_of(session: LiveSession) -> str:
    assert session.playback.timeline is not None
    return [e.text for e in session.playback.timeline.events if e.text][-1]


def test_after_a_skip_the_summary_counts_the_whole_session() -> None:
    session, sets, _ = live()
    assert summary_of(session).startswith("2 exercises, 3 sets, 8 reps")
    first, second = works(session)[:2]
    go_to(session, first.end_frame)               # set 1 done: 4 reps
    go_to(session, second.start_frame + 10)
    session.key(Key.NEXT)                         # set 2 skipped
    assert summary_of(session).startswith("2 exercises, 2 sets, 4 reps"), summary_of(session)


def test_going_back_to_redo_a_set_counts_it_once() -> None:
    session, sets, _ = live()
    first = works(session)[0]
    go_to(session, first.end_frame)
    go_to(session, first.end_frame + 48_000)      # resting after set 1
    session.key(Key.BACK)                         # back to the start of set 1 again... or of set 2
    assert summary_of(session).startswith("2 exercises, 3 sets, 8 reps"), summary_of(session)


def test_skipping_the_last_set_leaves_it_out_of_the_summary() -> None:
    session, sets, _ = live()
    squats_1, squats_2, push_ups = works(session)
    go_to(session, squats_2.end_frame)
    go_to(session, push_ups.start_frame + 10)
    session.key(Key.NEXT)                         # the last set: straight to the end
    finish = next(s for s in session.playback.timeline.segments if s.phase is Phase.FINISH)
    assert session.player.frame == finish.start_frame
    deadline = time.monotonic() + 10
    while not session.playback.refine() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert summary_of(session).startswith("1 exercise, 2 sets, 8 reps"), summary_of(session)


class Screen:
    """Stands for the display: keeps what it was asked to show."""

    def __init__(self) -> None:
        self.views: list = []  # type: ignore[type-arg]

    def update(self, view: object) -> None:
        self.views.append(view)


def test_the_quit_prompt_is_on_screen_exactly_while_a_second_q_quits() -> None:
    now = [1000.0]
    player = Player()
    playback = Playback(ROUTINE, PhraseBank(FakeSynthesizer(), None), player, rate_wpm=175)
    playback.prepare()
    playback.start()
    screen = Screen()
    session = LiveSession(playback, player, reopen=lambda: None, keys=TypingKeys(), display=screen,
                          clock=lambda: now[0])
    go_to(session, works(session)[0].start_frame + 10)
    session.key(Key.QUIT)
    for t, shown in ((1000.1, True), (1002.9, True), (1003.1, False)):
        now[0] = t
        session._tick()
        assert (screen.views[-1].notice == "A set is in progress: press q again to quit") is shown, t
    session.key(Key.QUIT)
    assert not session.quit, "the prompt was gone, so this q asks again"
    now[0] = 1005.0
    session.key(Key.QUIT)
    assert session.quit


def test_next_pressed_before_the_clock_is_looked_at_still_logs_the_set_it_skips() -> None:
    session, sets, _ = live()
    first = works(session)[0]
    go_to(session, first.start_frame - 100)
    session.player.frame = first.start_frame + 48_000   # into the set, and no tick since
    session.key(Key.NEXT)
    assert [(s.exercise, s.set_no, s.skipped) for s in sets] == [("Squats", 1, True)]


def test_keys_act_on_what_is_heard_not_on_what_is_already_buffered() -> None:
    session, sets, _ = live()
    first = works(session)[0]
    session.player.output_latency_frames = 9_600          # 0.2 s in the output's buffers
    go_to(session, first.start_frame + 4_800)             # written into the set; heard: the end of the countdown
    session.key(Key.NEXT)
    assert sets == [], "the set was not started for the ear: nothing to log as skipped"
    plan = session.playback.timeline
    assert plan.start_step == 1, "the set had not begun for the ear: the countdown's skip skips it"


def spoken(session: LiveSession) -> list:  # type: ignore[type-arg]
    assert session.playback.timeline is not None
    return [e for e in session.playback.timeline.events if e.text and e.tone is None]


def test_r_repeats_the_last_phrase_while_the_clock_waits() -> None:
    session, _, _ = live(TypingKeys())
    phrase = spoken(session)[1]
    go_to(session, phrase.end_frame + 100)
    session.key(Key.REPEAT)
    assert session.player.paused, "the clock waits"
    assert session.player._overlay is session.playback.bank.clips[phrase.text]
    held = session.player.frame
    session._tick()
    assert session.player.paused and session.player.frame == held, "still waiting while it is said"
    session.player.overlay_done.set()   # the repeated phrase has been heard
    session._tick()
    assert not session.player.paused, "then the session goes on from where it was"
    assert session.player.frame == held


def test_a_phrase_cut_by_a_pause_starts_again_on_resume() -> None:
    session, _, _ = live(TypingKeys())
    phrase = spoken(session)[1]
    go_to(session, phrase.start_frame + (phrase.end_frame - phrase.start_frame) // 2)   # mid-phrase
    session.key(Key.PAUSE)
    assert session.player.paused
    session.key(Key.PAUSE)
    assert session.player.frame == phrase.start_frame, "no word is lost to the pause"


def test_resuming_counts_3_2_1_a_second_apart() -> None:
    from voicecoach.session.live import counted
    rate = 1000
    said = [np.ones(1200, np.float32), np.ones(300, np.float32) * 2, np.ones(300, np.float32) * 3]
    clip = counted(said, step_frames=rate)
    starts = [int(np.argmax(clip == v)) for v in (2, 3)]
    assert starts == [1200 + 600, 1200 + 600 + rate], '"2" about a second after "3" was said, "1" a second later'
    assert len(clip) == starts[1] + rate + rate // 2, "a pause after 1, then the clock runs again"


def test_failed_is_listened_for_while_a_set_is_in_progress_only() -> None:
    session, _, _ = live()
    heard: list[bool] = []
    session.listen_in_set = heard.append
    first = works(session)[0]
    go_to(session, first.start_frame - 48_000)
    go_to(session, first.start_frame + 10)
    go_to(session, first.end_frame + 48_000)
    assert heard == [True, False]
