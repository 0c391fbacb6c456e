"""The times in a session's log: real time since the first sound, never backwards."""

from __future__ import annotations

from voicecoach.app.playing import LogClock, event_line
from voicecoach.plan.timeline import Event, EventKind


def test_a_phrase_said_again_after_a_pause_is_logged_later_not_earlier() -> None:
    now = [100.0]
    clock = LogClock(lambda: now[0], zero_s=93.0)
    said = Event(5 * 48_000, 48_000 * 3, EventKind.SPEECH, text="Feet shoulder-width apart.")
    lines = [event_line(said, clock.now_s(0.2))]        # heard at 00:06.8
    now[0] = 101.0
    lines.append(f"{clock.now_s():05.2f} Paused.")
    now[0] = 113.0                                      # 12 s paused
    lines.append(f"{clock.now_s():05.2f} Resuming in 3, 2, 1.")
    now[0] = 117.0                                      # the phrase starts again from its first word
    lines.append(event_line(said, clock.now_s(0.1)))
    assert lines == ["00:06 Feet shoulder-width apart.", "08.00 Paused.", "20.00 Resuming in 3, 2, 1.",
                     "00:23 Feet shoulder-width apart."]


def test_a_line_is_never_stamped_before_the_one_before_it() -> None:
    now = [10.0]
    clock = LogClock(lambda: now[0], zero_s=0.0)
    assert clock.now_s() == 10.0
    assert clock.now_s(heard_ago_s=0.4) == 10.0, "heard a moment ago, but after the line before"
    now[0] = 20.0
    assert clock.now_s(heard_ago_s=5.0) == 19.5, "at most half a second back: the loop looks 4 times a second"
