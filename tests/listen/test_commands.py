"""Spoken commands as the session takes them: the words, the keys they press, the stop question,
the acknowledgement, and the coach's own speech never taken for the user's."""

from __future__ import annotations

import io
from dataclasses import replace

import numpy as np
import pytest
from rich.console import Console
from test_live import TypingKeys, live, spoken
from test_machine import TL, frame_in, press

from voicecoach.session.controls import Spoken
from voicecoach.session.display import render_view
from voicecoach.listen.microphone import Microphone
from voicecoach.sound.mixer import Mix
from voicecoach.sound.player import Player
from voicecoach.session.machine import Key, Notice, Pause, Quit, Replan, Resume, Say, SessionState, handle_clock
from voicecoach.plan.timeline import EventKind, Phase
from voicecoach.listen.recognizer import CommandRecognizer
from voicecoach.sound.tones import heard_tone
from voicecoach.session.view import View, describe
from voicecoach.listen.commands import grammar, key_of


def test_each_command_word_presses_the_key_a_person_would() -> None:
    assert {words: key_of(words) for words in (
        "coach pause", "coach resume", "coach go on", "coach continue", "coach next", "coach back",
        "coach repeat", "coach done", "coach stop", "yes", "stop")} == {
        "coach pause": Key.HOLD, "coach resume": Key.PLAY, "coach go on": Key.PLAY, "coach continue": Key.PLAY,
        "coach next": Key.NEXT, "coach back": Key.BACK, "coach repeat": Key.REPEAT, "coach done": Key.DONE,
        "coach stop": Key.ASK_STOP, "yes": Key.YES, "stop": Key.ASK_STOP}


def test_words_that_are_not_a_command_press_nothing() -> None:
    assert [key_of(w) for w in ("pause", "coach", "coach yes", "next", "coach jump", "")] == [None] * 6


def test_the_grammar_is_the_wake_word_then_a_command_or_an_answer() -> None:
    assert grammar() == (
        "#JSGF V1.0;\ngrammar voicecoach;\n"
        "public <heard> = coach ( pause | resume | go on | continue | next | back | repeat | done | stop )"
        " | yes | stop;\n")


def test_just_after_an_amrap_set_the_grammar_takes_a_number_too() -> None:
    assert grammar(numbers=True) == (
        "#JSGF V1.0;\ngrammar voicecoach;\n"
        "<number> = two | three | four | five | six | seven | eight | nine | ten | eleven | twelve | thirteen | "
        "fourteen | fifteen | sixteen | seventeen | eighteen | nineteen | ( twenty | thirty | forty | fifty | sixty | "
        "seventy | eighty | ninety ) [ one | two | three | four | five | six | seven | eight | nine ];\n"
        "public <heard> = coach ( pause | resume | go on | continue | next | back | repeat | done | stop | "
        "<number> [ reps ] ) | yes | stop;\n")


@pytest.mark.parametrize("words, number", [("coach twelve", 12), ("coach twenty five", 25), ("coach twenty", 20),
                                           ("coach two reps", 2), ("coach ninety nine", 99), ("coach one", None),
                                           ("coach five twenty", None), ("coach done", None), ("twelve", None)])
def test_a_number_after_the_wake_word_is_the_reps_of_the_last_amrap_set(words: str, number: int | None) -> None:
    from voicecoach.listen.commands import number_in
    assert number_in(words) == number
    assert (key_of(words) is Key.REPS) == (number is not None)


def test_stop_stops_the_clock_and_asks_and_yes_stops() -> None:
    frame = frame_in(TL, Phase.WORK)
    state, commands = press(Key.ASK_STOP, frame, now=100.0)
    assert commands == [Pause(), Say("Stop the workout?"),
                        Notice('Stop the workout? Say "yes" (or "stop" again)', seconds=10.0)]
    assert state.paused, "nothing else is said while the question waits for its answer"
    assert press(Key.YES, frame, state, now=109.9)[1] == [Quit()]
    assert press(Key.YES, frame, state, now=110.0) == (replace(state, stop_asked_s=None), [Quit()]), \
        "ten seconds, to the end"


def test_a_second_stop_within_the_window_stops_too() -> None:
    frame = frame_in(TL, Phase.REST)
    state, _ = press(Key.ASK_STOP, frame, now=100.0)
    assert press(Key.ASK_STOP, frame, state, now=105.0)[1] == [Quit()]


def test_ten_seconds_of_silence_carry_on_where_the_session_was() -> None:
    state, _ = press(Key.ASK_STOP, frame_in(TL, Phase.REST), now=100.0)
    assert handle_clock(state, 110.0) == (state, []), "still waiting for an answer"
    assert press(Key.YES, frame_in(TL, Phase.REST), state, now=110.1) == (state, []), \
        "a yes too late leaves the carrying on to the clock"
    state, commands = handle_clock(state, 110.1)
    assert commands == [Say("Resuming in 3, 2, 1.", hold=True, resume_after=True)]
    assert state == SessionState(), "playing, no question open"
    assert press(Key.YES, frame_in(TL, Phase.REST), state, now=110.2)[1] == [], "the question is over"


def test_asked_while_paused_it_stays_paused_after_the_silence() -> None:
    paused, _ = press(Key.HOLD, frame_in(TL, Phase.REST), now=90.0)
    state, commands = press(Key.ASK_STOP, frame_in(TL, Phase.REST), paused, now=100.0)
    assert Say("Stop the workout?") in commands
    assert handle_clock(state, 111.0) == (SessionState(paused=True), [])
    after, commands = press(Key.NEXT, frame_in(TL, Phase.REST), state, now=101.0)
    assert after == SessionState(paused=True, skipped_to=1) and commands == [Replan(1, 0.0, brief=True)], \
        "still paused, and it acts"


def test_another_command_puts_the_question_aside_and_acts() -> None:
    frame = frame_in(TL, Phase.REST)
    state, _ = press(Key.ASK_STOP, frame, now=100.0)
    after, commands = press(Key.REPEAT, frame, state, now=101.0)
    assert commands[0] == Resume() and isinstance(commands[1], Say) and commands[1].hold
    assert after == SessionState(), "playing, no question open"
    back, commands = press(Key.BACK, frame, state, now=101.5)
    assert commands == [Resume(), Replan(0, 0.0)] and back.back_at_s == 101.5, "acted on at its own time"
    assert press(Key.YES, frame, after, now=102.0)[1] == [], "then yes does nothing"
    assert press(Key.PLAY, frame, state, now=101.0)[1] == [Resume()], '"coach, go on" just carries on'


def test_yes_out_of_the_blue_does_nothing() -> None:
    assert press(Key.YES, frame_in(TL, Phase.WORK), SessionState(), now=100.0)[1] == []


def test_a_spoken_command_is_acknowledged_by_a_soft_tone_before_what_it_says() -> None:
    session, _, _ = live(TypingKeys())
    phrase = spoken(session)[1]
    session.player.frame = phrase.end_frame + 100
    session._tick()
    session.control(Spoken(Key.REPEAT, "coach repeat"))
    said = session.player._overlay
    tone = heard_tone(session.player.rate_hz)
    assert said is not None and np.array_equal(said[:len(tone)], tone)
    assert np.array_equal(said[2 * len(tone):], session.playback.bank.clips[phrase.text])
    assert session.listening == 'heard "coach repeat"'


def test_a_spoken_command_with_nothing_to_say_is_the_tone_alone() -> None:
    session, _, _ = live(TypingKeys())
    session.player.frame = frame_in(session.playback.timeline, Phase.WORK)  # type: ignore[arg-type]
    session._tick()
    session.control(Spoken(Key.NEXT, "coach next"))
    assert session.player._overlay is heard_tone(session.player.rate_hz)


def test_the_acknowledgement_is_soft_and_short() -> None:
    tone = heard_tone(48_000)
    assert len(tone) == round(0.12 * 48_000)
    assert 0.11 < float(np.max(np.abs(tone))) <= 0.12


def test_a_block_with_a_phrase_in_it_is_known_as_speech_and_one_with_only_tones_is_not() -> None:
    mix = Mix(TL, {e.text: np.full(e.duration_frames, 0.1, np.float32) for e in TL.events if e.text})
    first_speech = next(e for e in TL.events if e.kind is EventKind.SPEECH)
    a_tone = next(e for e in TL.events if e.kind is EventKind.TONE and e.start_frame > first_speech.end_frame
                  and not any(s.kind is EventKind.SPEECH and s.start_frame < e.end_frame + 4096
                              and s.end_frame > e.start_frame - 4096 for s in TL.events))
    out = np.zeros(4096, np.float32)
    assert mix.render_into(out, first_speech.start_frame) is True
    assert mix.render_into(out, a_tone.start_frame) is False
    assert np.any(out != 0), "the tone itself is played"


def test_the_coach_can_be_heard_until_its_last_block_has_left_and_echoed() -> None:
    player = Player(rate_hz=48_000, block_frames=4800)
    player.output_latency_frames = 9600          # 0.2 s in the output's buffers
    assert not player.spoke_after(0.0, echo_s=0.5), "it never spoke"
    player.spoke_at = 100.0                       # a block with speech written at t = 100 s
    # heard from 100.2 s for 0.1 s, and its echo for 0.5 s more: until 100.8 s
    assert player.spoke_after(100.79, echo_s=0.5)
    assert not player.spoke_after(100.81, echo_s=0.5)


def screen(view: View) -> str:
    out = io.StringIO()
    Console(file=out, width=80, height=24, color_system=None).print(render_view(view))
    return out.getvalue()


def test_the_screen_shows_that_it_listens_and_what_it_heard() -> None:
    view = describe(TL, frame_in(TL, Phase.REST), done_s=0.0, total_s=100.0)
    assert "mic:" not in screen(view), "not listening: nothing said about it"
    assert "mic: listening" in screen(replace(view, listening="listening"))
    assert 'mic: heard "coach next"' in screen(replace(view, listening='heard "coach next"'))


def test_a_microphone_lost_mid_session_stops_listening_with_a_message_and_the_session_goes_on() -> None:
    lines: list[str] = []
    session, _, _ = live()
    session.on_notice = lines.append
    session.listening = "listening"
    lost: list[str] = []
    mic = Microphone(CommandRecognizer.__new__(CommandRecognizer), lambda spoken: None, on_lost=lost.append)
    mic._blocks.put(None)      # what the stream's end (a device gone) puts on the queue
    mic._work()
    assert lost == ["The microphone went away: no longer listening"]
    session.stop_listening(lost[0])
    session._tick()
    assert lines[-1] == "The microphone went away: no longer listening"
    assert session.listening == "" and not session.quit


def test_coach_twelve_corrects_the_last_amrap_set_and_is_acknowledged() -> None:
    session, sets, amrap = live(keys=None)
    from test_live import go_to, works
    amrap_set = works(session)[2]
    go_to(session, amrap_set.start_frame + 10)
    session.control(Spoken(Key.DONE, "coach done"))
    assert sets[-1].amrap and sets[-1].done_reps == 0, "done: the coach's count so far"
    session.control(Spoken(Key.REPS, "coach twelve", 12))
    assert amrap == [(sets[-1].step, 12)] and session.notice == "Saved: 12 reps"
    assert session.player._overlay is not None, "the soft tone says it was heard"


def test_numbers_are_listened_for_only_in_the_20_seconds_after_an_amrap_set() -> None:
    now = [0.0]
    listening: list[bool] = []
    session, sets, amrap = live(keys=None)
    session.clock = lambda: now[0]
    session.listen_for_reps = listening.append
    from test_live import go_to, works
    amrap_set = works(session)[2]
    go_to(session, amrap_set.start_frame + 10)
    assert listening == []
    go_to(session, amrap_set.end_frame)
    assert listening == [True]
    now[0] = 19.9
    session._tick()
    assert listening == [True]
    now[0] = 20.0
    session._tick()
    assert listening == [True, False], "then the smaller grammar again: the other commands' recall"


def test_failed_is_listened_for_only_in_a_set() -> None:
    from voicecoach.listen.commands import grammar
    assert "failed" not in grammar() and "failed" not in grammar(numbers=True)
    assert grammar(in_set=True) == ("#JSGF V1.0;\ngrammar voicecoach;\n"
                                    "public <heard> = coach ( pause | resume | go on | continue | next | back | repeat "
                                    "| done | stop | failed ) | yes | stop;\n")
    assert key_of("coach failed") is Key.FAILED
