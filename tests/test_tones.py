"""Tones: exact lengths, no clicks, distinct pitches, pure functions."""

import numpy as np
import pytest

from voicecoach.timeline import TONE_S, Tone
from voicecoach.tones import TONE_PEAK, make_tone

RATE = 48_000


def dominant_hz(x: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x)), 1 << 18))
    return float(np.argmax(spectrum) * RATE / (1 << 18))


@pytest.mark.parametrize("kind", list(Tone))
def test_each_tone_lasts_exactly_its_planned_length(kind: Tone) -> None:
    tone = make_tone(kind, RATE)
    assert tone.dtype == np.float32 and len(tone) == round(TONE_S[kind] * RATE)


@pytest.mark.parametrize("kind", list(Tone))
def test_tones_fade_in_and_out_without_clicks(kind: Tone) -> None:
    tone = make_tone(kind, RATE)
    assert abs(tone[0]) < 1e-3 and abs(tone[-1]) < 1e-3
    assert np.max(np.abs(np.diff(tone))) < 0.1, "no jump larger than a sine step"
    assert np.max(np.abs(tone)) == pytest.approx(TONE_PEAK, rel=0.02)


def test_go_is_higher_than_the_countdown_tick() -> None:
    tick, go = make_tone(Tone.TICK, RATE), make_tone(Tone.GO, RATE)
    assert dominant_hz(tick) == pytest.approx(880, abs=2)
    assert dominant_hz(go) == pytest.approx(1320, abs=2)


def test_tones_are_pure_functions_of_their_parameters() -> None:
    for kind in Tone:
        assert np.array_equal(make_tone(kind, RATE), make_tone(kind, RATE))
    assert len(make_tone(Tone.TICK, 44_100)) == round(TONE_S[Tone.TICK] * 44_100)
