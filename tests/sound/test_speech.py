"""Speech: real espeak-ng through pyttsx3, its quirks handled, a disk cache that never plays a bad entry."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from voicecoach.errors import SpeechError
from voicecoach.sound.cache import SpeechCache
from voicecoach.sound.speech import (
    SPEECH_RMS,
    EspeakSynthesizer,
    LEAD_PAD_S,
    SILENCE,
    FakeSynthesizer,
    PhraseBank,
    VoiceSettings,
    shape_speech,
)

RATE = 48_000


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Peak normalised cross-correlation of two clips (1.0 = the same sound)."""
    n = 1 << int(np.ceil(np.log2(len(a) + len(b))))
    c = np.fft.irfft(np.fft.rfft(a, n) * np.conj(np.fft.rfft(b, n)), n)
    return float(np.max(c) / (np.linalg.norm(a) * np.linalg.norm(b)))


def envelope(x: np.ndarray, hop: int = 480) -> np.ndarray:
    """Loudness every 10 ms in dB, mean removed: the rhythm of a phrase."""
    frames = len(x) // hop
    db = 10 * np.log10(np.mean(x[: frames * hop].reshape(frames, hop) ** 2, axis=1) + 1e-8)
    return db - db.mean()


# ---------------------------------------------------------------- the phrase bank

def test_phrases_are_rendered_ahead_in_plan_order_and_once(tmp_path: Path) -> None:
    synth = FakeSynthesizer()
    bank = PhraseBank(synth, SpeechCache(tmp_path))
    order = ["Welcome.", "Next up: Squats.", "1", "2", "Welcome.", "3"]
    bank.start(order)
    assert bank.wait_for(order, timeout_s=10)
    assert synth.calls == ["Welcome.", "Next up: Squats.", "1", "2", "3"]
    second = PhraseBank(FakeSynthesizer(), SpeechCache(tmp_path))
    second.prepare(order)
    assert second.synthesized == 0 and second.from_cache == 5, "the second start reads the cache"


def test_a_warm_start_takes_cached_phrases_on_its_own_thread_without_the_engine(tmp_path: Path) -> None:
    PhraseBank(FakeSynthesizer(), SpeechCache(tmp_path)).prepare(["Welcome.", "1"])
    synth = FakeSynthesizer()
    bank = PhraseBank(synth, SpeechCache(tmp_path))
    bank.load_cached(["Welcome.", "1", "never said"])
    assert set(bank.clips) == {"Welcome.", "1"} and bank.from_cache == 2
    assert synth.calls == [], "load_cached never synthesizes"
    assert PhraseBank(synth, None).load_cached(["Welcome."]) is None  # no cache: nothing to take


def test_an_engine_failure_reaches_the_waiting_thread() -> None:
    class Broken(FakeSynthesizer):
        def synthesize(self, text: str) -> np.ndarray:
            raise SpeechError("voicecoach: error: broken engine")
    bank = PhraseBank(Broken(), None)
    bank.start(["a"])
    with pytest.raises(SpeechError, match="broken engine"):
        bank.wait_for(["a"], timeout_s=10)


def test_speech_is_trimmed_and_set_to_the_tones_loudness() -> None:
    t = np.arange(RATE) / RATE
    raw = np.concatenate([np.zeros(RATE // 2), 0.9 * np.sin(2 * np.pi * 200 * t), np.zeros(RATE)]).astype(np.float32)
    out = shape_speech(raw, RATE)
    assert len(out) < RATE * 1.05
    first_heard = int(np.flatnonzero(np.abs(out) > SILENCE)[0])
    assert first_heard <= round(LEAD_PAD_S * RATE) + 1, "at most 5 ms of silence before the words"
    assert float(np.sqrt(np.mean(out ** 2))) == pytest.approx(SPEECH_RMS, rel=0.05)


# ---------------------------------------------------------------- real espeak-ng through pyttsx3

@pytest.mark.audio
def test_real_speech_is_the_phrase_asked_for() -> None:
    synth = EspeakSynthesizer(VoiceSettings("gmw/en-us", 175))
    a1 = synth.synthesize("Next up: deadlifts.")
    b = synth.synthesize("Rest sixty seconds, then the last set.")
    a2 = synth.synthesize("Next up: deadlifts.")
    assert a1.dtype == np.float32 and 0.5 < len(a1) / RATE < 3
    assert np.max(np.abs(a1)) > 0.1
    # the same phrase twice sounds the same; another phrase does not (pyttsx3 can re-speak the previous text;
    # espeak-ng is not bit-exact from call to call, so compare the rhythm of the loudness, not samples)
    assert abs(len(a2) - len(a1)) / len(a1) < 0.05
    assert abs(len(b) - len(a1)) / RATE > 0.5
    same = correlation(envelope(a1), envelope(a2))
    other = correlation(envelope(a2), envelope(b))
    assert same > 0.8 and same > other + 0.1, (same, other)


@pytest.mark.audio
def test_the_speaking_rate_changes_the_measured_length() -> None:
    text = "Drive through your heels and keep your chest up."
    slow = EspeakSynthesizer(VoiceSettings("gmw/en-us", 120)).synthesize(text)
    fast = EspeakSynthesizer(VoiceSettings("gmw/en-us", 300)).synthesize(text)
    again = EspeakSynthesizer(VoiceSettings("gmw/en-us", 120)).synthesize(text)
    assert len(slow) / len(fast) > 1.8, (len(slow), len(fast))
    assert abs(len(again) - len(slow)) / len(slow) < 0.05, "switching back restores the rate"


@pytest.mark.audio
def test_rate_changes_stick_every_time() -> None:
    text = "Last set."
    lengths = []
    for rate in [100, 350] * 10:
        lengths.append((rate, len(EspeakSynthesizer(VoiceSettings("gmw/en-us", rate)).synthesize(text))))
    slow = [n for r, n in lengths if r == 100]
    fast = [n for r, n in lengths if r == 350]
    assert min(slow) > 1.5 * max(fast)


@pytest.mark.audio
def test_a_voice_that_cannot_speak_is_refused() -> None:
    with pytest.raises(SpeechError, match="unknown voice 'no-such-voice'"):
        EspeakSynthesizer(VoiceSettings("no-such-voice", 175)).start()
    with pytest.raises(SpeechError, match="produces no sound .MBROLA"):
        EspeakSynthesizer(VoiceSettings("mb/mb-en1", 175)).start()
    assert len(EspeakSynthesizer(VoiceSettings("gmw/en-us", 175)).synthesize("Still speaking.")) > RATE // 2


@pytest.mark.audio
def test_voices_are_listed() -> None:
    voices = {v.id: v for v in EspeakSynthesizer().voices()}
    assert {"gmw/en", "gmw/en-us", "gmw/en-gb-x-rp"} <= set(voices)
    # MBROLA voices too (espeak-ng's own list leaves them out), with their languages
    assert voices["mb/mb-en1"].languages[:2] == ("en-uk", "en-gb")


@pytest.mark.audio
def test_synthesis_from_two_threads_is_serialised() -> None:
    synth = EspeakSynthesizer()
    out: dict[str, int] = {}

    def work(text: str) -> None:
        out[text] = len(synth.synthesize(text))
    threads = [threading.Thread(target=work, args=(f"Set {i} of 5.",)) for i in range(1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(out) == 4 and all(n > RATE * 0.4 for n in out.values())


def test_stop_drops_the_queue_and_waits_for_the_phrase_in_hand() -> None:
    import threading
    import time

    class Slow(FakeSynthesizer):
        def synthesize(self, text: str) -> np.ndarray:
            time.sleep(0.05)
            return super().synthesize(text)

    bank = PhraseBank(Slow(), None)
    bank.start([f"Phrase {i}." for i in range(50)])
    time.sleep(0.01)
    bank.stop()
    assert not [t for t in threading.enumerate() if t.name == "voicecoach-speech"]
    assert len(bank.clips) <= 2, "the queue was dropped, not rendered"
