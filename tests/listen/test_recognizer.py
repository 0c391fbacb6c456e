"""The recognizer on real speech (piper's natural voice, pocketsphinx's own model): commands are
heard as their keys, other speech and noise are not, and what is gated is never decoded."""

from __future__ import annotations

import numpy as np
import pytest
from spoken import RATE, gym, level, say

from voicecoach.listen.recognizer import CommandRecognizer
from voicecoach.session.machine import Key

pytestmark = pytest.mark.audio   # the slow tier: piper and pocketsphinx run for real


def stream(*parts: np.ndarray) -> bytes:
    gap = np.zeros(RATE, np.float32)
    x = np.concatenate([p for part in parts for p in (gap, part * (0.1 / level(part)))] + [gap, gap])
    return (np.clip(x, -1, 1) * 32767).astype("<i2").tobytes()


def keys_heard(pcm: bytes, gated: bool = False) -> list[Key | None]:
    rec = CommandRecognizer()
    heard = []
    for i in range(0, len(pcm), 3200):
        heard += rec.feed(pcm[i:i + 3200], gated=gated)
    return [h.key for h in heard if h.key is not None]


def test_commands_said_one_after_another_are_each_heard_once() -> None:
    said = [say(f"Coach, {w}.") for w in ("pause", "go on", "next", "back", "repeat", "stop")] + [say("Yes.")]
    assert keys_heard(stream(*said)) == [Key.HOLD, Key.PLAY, Key.NEXT, Key.BACK, Key.REPEAT, Key.ASK_STOP, Key.YES]


def test_the_coachs_phrases_are_not_commands() -> None:
    phrases = ["Next up: Squats.", "Rest 90 seconds.", "Push your knees out.", "10 seconds left.",
               "Last set.", "Switch sides.", "Great work!", "Keep your back straight."]
    assert keys_heard(stream(*[say(p) for p in phrases])) == []


def test_a_gym_is_not_a_command() -> None:
    noise = gym(20 * RATE, np.random.default_rng(4))
    assert keys_heard(stream(noise)) == []


def test_what_is_heard_while_the_coach_speaks_is_never_decoded() -> None:
    assert keys_heard(stream(say("Coach, next.")), gated=True) == []


def test_a_command_is_heard_within_a_second_even_when_noise_keeps_the_voice_activity_going() -> None:
    """Gym noise straight after the last word keeps pocketsphinx's voice activity on for seconds;
    the grammar following the stretch ends it once the command is whole."""
    voice = say("Coach, next.")
    voice = voice * (0.1 / level(voice))
    noise = gym(4 * RATE, np.random.default_rng(11)) * 0.1 * 10 ** (-10 / 20)   # -10 dB under the voice
    x = np.concatenate([np.zeros(RATE), voice, np.zeros(4 * RATE)])
    x[RATE + len(voice): RATE + len(voice) + len(noise)] += noise   # straight after the last word
    pcm = (np.clip(x, -1, 1) * 32767).astype("<i2").tobytes()
    rec = CommandRecognizer()
    heard_at = []
    for i in range(0, len(pcm), 3200):
        heard_at += [(i + 3200) / 2 / RATE for h in rec.feed(pcm[i:i + 3200]) if h.key is Key.NEXT]
    end_of_voice_s = (RATE + len(voice)) / RATE
    assert len(heard_at) == 1
    assert heard_at[0] - end_of_voice_s < 1.0   # the samples it waited for, not the clock


def test_the_reps_of_an_amrap_set_are_heard_only_when_listened_for() -> None:
    said = stream(say("Coach, twelve."), say("Coach, twenty five."))
    rec = CommandRecognizer()
    rec.listen_for_reps(True)
    heard = [h for i in range(0, len(said), 3200) for h in rec.feed(said[i:i + 3200]) if h.key is not None]
    assert [(h.key, h.words) for h in heard] == [(Key.REPS, "coach twelve"), (Key.REPS, "coach twenty five")]
    assert [k for k in keys_heard(said) if k is Key.REPS] == [], "the rest of the time: not in the grammar"
