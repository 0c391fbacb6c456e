"""What the commands about this computer do: the speech engines' voices, the sound devices, the
cache of synthesized speech.

Imports: voicecoach.places, voicecoach.routine.library, voicecoach.errors; lazily the sound wing.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from voicecoach.errors import AudioError
from voicecoach.places import cache_dir
from voicecoach.plan.wording import plural
from voicecoach.routine.library import PARSED_DIR, clear_parsed

if TYPE_CHECKING:
    from voicecoach.sound.player import Device


class Voice(NamedTuple):
    """A voice of an engine, for --voice; `note`: why it may not speak here."""

    id: str
    name: str
    languages: tuple[str, ...]
    note: str = ""


def voices(engine: str) -> tuple[list[Voice], Path | None]:
    """The voices of `engine`, and for piper the folder where more can be put.

    Raises:
        SpeechError: the engine cannot start (or piper is not installed).
    """
    from voicecoach.sound.engines import make_synthesizer
    from voicecoach.sound.speech import VoiceSettings
    synth = make_synthesizer(VoiceSettings(engine=engine))
    has_mbrola = shutil.which("mbrola") is not None
    found = [Voice(v.id, v.name, tuple(v.languages),
                   "needs mbrola, not installed" if v.id.startswith("mb/") and not has_mbrola else "")
             for v in synth.voices()]
    if engine != "piper":
        return found, None
    from voicecoach.sound.piper import voices_dir
    return found, voices_dir()


def devices() -> list[tuple[str, Device]]:
    """The sound outputs, then the inputs, each as ("output" or "input", its `Device`).

    Raises:
        AudioError: there is no output at all (no sound server).
    """
    from voicecoach.sound.player import list_devices
    outputs = list_devices()
    if not outputs:
        raise AudioError("voicecoach: error: no sound output device (is a sound server running?); "
                         "write the session to a file instead with: voicecoach render -o session.wav")
    return [("output", d) for d in outputs] + [("input", d) for d in list_devices(inputs=True)]


def speech_cache_dir() -> Path:
    """Where synthesized speech is cached."""
    return cache_dir() / "speech"


def clear_cache() -> str:
    """Remove every synthesized phrase, every routine remembered as parsed and every session's kept
    first words; say what went."""
    from voicecoach.sound.cache import SpeechCache
    from voicecoach.sound.head import HEAD_DIR
    removed = SpeechCache(speech_cache_dir()).clear()
    forgotten = clear_parsed()
    heads = 0
    for f in (cache_dir() / HEAD_DIR).glob("*.head"):
        f.unlink(missing_ok=True)
        heads += 1
    return (f"removed {plural(removed, 'cached phrase')} from {speech_cache_dir()}"
            + (f" and {plural(forgotten, 'parsed file')} from {cache_dir() / PARSED_DIR}" if forgotten else "")
            + (f" and the first words of {plural(heads, 'command')} from {cache_dir() / HEAD_DIR}" if heads else ""))
