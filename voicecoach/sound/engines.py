"""Which engine speaks, with which voice: chosen from the options, the routine and the config
file; and the synthesizer for it.

Imports: voicecoach.sound.speech; lazily voicecoach.sound.piper.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from voicecoach.sound.speech import DEFAULT_PIPER_VOICE, DEFAULT_VOICE, EspeakSynthesizer, Synthesizer, VoiceSettings

_PIPER_NAME = re.compile(r"[a-z]{2,3}_[A-Z]{2}-\w+-(x_low|low|medium|high)")


def default_voice(engine: str) -> str:
    """The voice an engine speaks with when none is chosen."""
    return DEFAULT_PIPER_VOICE if engine == "piper" else DEFAULT_VOICE


def engine_of_voice(voice: str) -> str:
    """The engine a voice belongs to: piper's are model files (.onnx) or named as piper names
    them (en_US-joe-medium); every other name is an espeak-ng voice."""
    return "piper" if voice.endswith(".onnx") or _PIPER_NAME.fullmatch(voice) else "espeak"


class VoiceChoice(NamedTuple):
    """What one place (an option, a routine, the config file) says of the engine and the voice."""

    engine: str | None
    voice: str | None
    where: str = "voicecoach"  # where the voice was given: "mine.yaml:3:10"; "voicecoach" for an option


def choose_voice(choices: Iterable[VoiceChoice]) -> tuple[str, str, str]:
    """The engine, voice and where the voice was given, from places in order of precedence.

    A place's voice is for the engine it names, else for the engine the voice's name implies.
    The first place with an engine or a voice sets the engine; the voice is the first one
    given for that engine, else the engine's default (so a routine's espeak-ng voice does not
    stop `--engine piper`, and `--voice en_US-joe-medium` alone means piper).
    """
    listed = [(c.engine or engine_of_voice(c.voice or ""), c) for c in choices if c.engine or c.voice]
    engine = listed[0][0] if listed else "espeak"
    for place_engine, c in listed:
        if c.voice and place_engine == engine:
            return engine, c.voice, c.where
    return engine, default_voice(engine), "voicecoach"


def make_synthesizer(settings: VoiceSettings, rate_hz: int = 48_000) -> Synthesizer:
    """The synthesizer of `settings.engine` (nothing loads until a phrase is needed).

    Raises:
        SpeechError: piper is chosen and not installed (one line now, not a failure on the first
            phrase that is not cached).
    """
    if settings.engine == "piper":
        from voicecoach.sound.piper import PiperSynthesizer, require_piper
        require_piper()
        return PiperSynthesizer(settings, rate_hz)
    return EspeakSynthesizer(settings, rate_hz)
