"""Tones: exact lengths, no clicks, distinct pitches, pure functions."""

import numpy as np
import pytest

from voicecoach.plan.timeline import TONE_S, Tone
from voicecoach.sound.tones import TONE_PEAK, make_tone

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
    peak = 0.12 if kind.is_beat else TONE_PEAK  # tempo beats are soft: about 8 dB under the other tones
    assert np.max(np.abs(tone)) == pytest.approx(peak, rel=0.02)


def test_tempo_beats_are_short_soft_taps_low_in_the_lowering_and_higher_for_the_lift() -> None:
    beat, lift = make_tone(Tone.BEAT, RATE), make_tone(Tone.LIFT, RATE)
    assert len(beat) == round(0.06 * RATE) and len(lift) == round(0.08 * RATE)
    assert dominant_hz(beat) == pytest.approx(330, abs=0.5)
    assert dominant_hz(lift) == pytest.approx(660, abs=0.5)
    assert float(np.max(np.abs(beat))) < 0.5 * TONE_PEAK


def test_go_is_higher_than_the_countdown_tick() -> None:
    tick, go = make_tone(Tone.TICK, RATE), make_tone(Tone.GO, RATE)
    assert dominant_hz(tick) == pytest.approx(880, abs=0.5)
    assert dominant_hz(go) == pytest.approx(1320, abs=0.5)


def test_a_tone_made_at_another_rate_keeps_its_length() -> None:
    assert len(make_tone(Tone.TICK, 44_100)) == round(TONE_S[Tone.TICK] * 44_100)


def test_the_end_tone_falls_from_g_to_c_half_its_length_each() -> None:
    end = make_tone(Tone.END, RATE)
    half = len(end) // 2
    assert dominant_hz(end[:half]) == pytest.approx(784.0, abs=0.5)
    assert dominant_hz(end[half:]) == pytest.approx(523.25, abs=0.5)
    assert abs(end[half - 1]) < 1e-3 and abs(end[half]) < 1e-3, "each note fades at the middle"
    assert np.max(np.abs(end[half - 600: half - 300])) > 0.9 * TONE_PEAK, "and not before"


def test_the_finish_chime_rings_c_e_g_c_and_dies_away() -> None:
    chime = make_tone(Tone.FINISH, RATE).astype(np.float64)
    size = 1 << 18
    spectrum = np.abs(np.fft.rfft(chime * np.hanning(len(chime)), size))
    hz = np.arange(len(spectrum)) * RATE / size
    peaks = [float(hz[i]) for i in range(1, len(spectrum) - 1)
             if spectrum[i] > spectrum[i - 1] and spectrum[i] >= spectrum[i + 1] and spectrum[i] > 0.2 * spectrum.max()]
    assert [round(p, 0) for p in peaks] == [523.0, 659.0, 784.0, 1046.0]
    quarter = len(chime) // 4
    early, late = chime[quarter: 2 * quarter], chime[3 * quarter:]
    assert np.sqrt(np.mean(late ** 2)) < 0.5 * np.sqrt(np.mean(early ** 2)), "each note decays"
    assert abs(chime[0]) < 1e-3 and abs(chime[-1]) < 1e-3
    assert np.max(np.abs(chime)) == pytest.approx(TONE_PEAK, rel=0.02)
    assert np.all(chime[1:40] > 0), "the notes are struck (added), C first: its first half-wave is up"


def test_the_finish_chime_fades_out_over_its_last_20_ms() -> None:
    chime = make_tone(Tone.FINISH, RATE)
    ms = RATE // 1000

    def envelope(ms_before_end: int) -> float:
        at = len(chime) - ms_before_end * ms
        return float(np.max(np.abs(chime[at - 2 * ms: at + 2 * ms])))
    before = max(envelope(30), envelope(40))   # the notes beat: the envelope is bumpy
    assert envelope(10) < 0.6 * before, "half way down the fade, 10 ms before the end"
    assert envelope(5) < 0.3 * before


def test_a_tone_fades_in_over_its_first_5_ms() -> None:
    tick = make_tone(Tone.TICK, RATE)
    n = round(0.005 * RATE)
    envelope_at = [np.max(np.abs(tick[max(0, i - 30): i + 30])) for i in (30, n // 2, n + 60)]
    assert envelope_at[0] < 0.1 * TONE_PEAK and 0.3 * TONE_PEAK < envelope_at[1] < 0.7 * TONE_PEAK
    assert envelope_at[2] == pytest.approx(TONE_PEAK, rel=0.05)
