"""The recognizer on real speech (piper's natural voice, pocketsphinx's own model): commands are
heard as their keys, other speech and noise are not, and what is gated is never decoded."""

from __future__ import annotations

import numpy as np
import pytest
from spoken import RATE, gym, level, say

from voicecoach.recognizer import CommandRecognizer
from voicecoach.session import Key

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
