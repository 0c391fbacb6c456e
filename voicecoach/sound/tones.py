"""PURE: the tones of a session as float32 arrays, each a pure function of its parameters.

Imports: numpy, voicecoach.plan.timeline (tone kinds and lengths).
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import NDArray

from voicecoach.plan.timeline import TONE_S, Tone

Samples = NDArray[np.float32]

TONE_PEAK = 0.3          # about -10 dBFS: as loud as normalised speech, with headroom for the sum
FADE_S = 0.005           # 5 ms raised-cosine fades: no clicks
BEAT_PEAK = 0.12         # tempo beats: about 8 dB under the other tones, a pulse rather than a call


def _fade(signal: Samples, rate_hz: int, fade_s: float = FADE_S) -> Samples:
    n = min(len(signal) // 2, max(1, round(fade_s * rate_hz)))
    ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n))).astype(np.float32)
    signal[:n] *= ramp
    signal[len(signal) - n:] *= ramp[::-1]
    return signal


def sine(freq_hz: float, duration_s: float, rate_hz: int, peak: float = TONE_PEAK) -> Samples:
    """A sine burst of `duration_s` seconds at `freq_hz`, peak `peak`, with short fades."""
    return _fade(np.float32(peak) * np.sin(np.float32(2 * np.pi * freq_hz) * _seconds(round(duration_s * rate_hz),
                                                                                       rate_hz)), rate_hz)


def chime(freqs_hz: tuple[float, ...], duration_s: float, rate_hz: int, peak: float = TONE_PEAK,
          step_s: float = 0.12, decay_s: float = 0.35) -> Samples:
    """Notes struck one after another every `step_s`, each decaying, summed and scaled to `peak`."""
    n = round(duration_s * rate_hz)
    out = np.zeros(n, dtype=np.float32)
    t = _seconds(n, rate_hz)
    decay = np.exp(-t / np.float32(decay_s))  # the same for every note: made once
    for i, f in enumerate(freqs_hz):
        start = round(i * step_s * rate_hz)
        note = np.sin(np.float32(2 * np.pi * f) * t[: n - start]) * decay[: n - start]
        out[start:] += _fade(note, rate_hz)
    out *= np.float32(peak / max(1e-9, float(np.max(np.abs(out)))))
    return _fade(out, rate_hz, 0.02)


def _seconds(n: int, rate_hz: int) -> Samples:
    """The time of each of `n` samples, in float32: tones are made in single precision (5x quicker
    than double here; the phase error after a second is under a thousandth of a radian)."""
    return np.arange(n, dtype=np.float32) / np.float32(rate_hz)


def make_tone(kind: Tone, rate_hz: int) -> Samples:
    """The sound of `kind`, exactly `TONE_S[kind]` seconds long at `rate_hz`.

    tick: a short 880 Hz beep (the 3-2-1 countdown); go: a higher, longer 1320 Hz beep;
    end: two falling notes (a timed set is over); finish: a rising three-note chime; beat: a
    soft, short, low 330 Hz tap (a second of the lowering); beat-lift: a brighter 660 Hz tap (lift now).
    """
    length_s = TONE_S[kind]
    if kind is Tone.BEAT:
        return sine(330.0, length_s, rate_hz, peak=BEAT_PEAK)
    if kind is Tone.LIFT:
        return sine(660.0, length_s, rate_hz, peak=BEAT_PEAK)
    if kind is Tone.TICK:
        return sine(880.0, length_s, rate_hz)
    if kind is Tone.GO:
        return sine(1320.0, length_s, rate_hz)
    if kind is Tone.END:
        half = length_s / 2
        return np.concatenate([sine(784.0, half, rate_hz), sine(523.25, length_s - half, rate_hz)])
    return chime((523.25, 659.25, 783.99, 1046.5), length_s, rate_hz)


@functools.cache
def all_tones(rate_hz: int) -> dict[Tone, Samples]:
    """Every tone of a session at `rate_hz` (made once per rate: a re-plan reuses them)."""
    return {kind: make_tone(kind, rate_hz) for kind in Tone}


HEARD_S = 0.12


@functools.cache
def heard_tone(rate_hz: int) -> Samples:
    """The acknowledgement of a spoken command: two soft rising notes (587 then 880 Hz), 0.12 s,
    as quiet as a tempo beat, so that the lifter knows it was heard without a word said."""
    half = HEARD_S / 2
    return np.concatenate([sine(587.33, half, rate_hz, peak=BEAT_PEAK), sine(880.0, half, rate_hz, peak=BEAT_PEAK)])
