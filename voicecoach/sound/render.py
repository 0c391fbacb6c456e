"""Writes a `Mix` to an audio file (WAV, FLAC, Ogg Vorbis) atomically, with a progress bar.

Imports: soundfile, rich (progress), voicecoach.fileio, voicecoach.sound.mixer, voicecoach.errors.
"""

from __future__ import annotations

import time
from pathlib import Path

from voicecoach.errors import UsageError
from voicecoach.fileio import atomic_path
from voicecoach.sound.mixer import Mix

FORMATS = {".wav": ("WAV", "PCM_16"), ".flac": ("FLAC", "PCM_16"), ".ogg": ("OGG", "VORBIS")}


def write_mix(mix: Mix, target: Path, show_progress: bool = False) -> float:
    """Write the whole of `mix` to `target` (format by extension); return the seconds it took.

    Raises:
        UsageError: an extension that is not .wav, .flac or .ogg.
    """
    import soundfile

    ext = target.suffix.lower()
    if ext not in FORMATS:
        raise UsageError(f"voicecoach: error: cannot write {target}: the extension must be .wav, .flac or .ogg")
    fmt, subtype = FORMATS[ext]
    rate = mix.timeline.rate_hz
    t0 = time.perf_counter()
    progress = None
    if show_progress:
        from rich.progress import BarColumn, Progress, TimeRemainingColumn
        progress = Progress("rendering", BarColumn(), "{task.percentage:>3.0f}%", TimeRemainingColumn(),
                            transient=True)
        progress.start()
        task = progress.add_task("render", total=mix.total_frames)
    try:
        with atomic_path(target, suffix=ext) as tmp:
            with soundfile.SoundFile(tmp, "w", samplerate=rate, channels=1, format=fmt, subtype=subtype) as f:
                for chunk in mix.iter_chunks(rate * 10):
                    f.write(chunk)
                    if progress is not None:
                        progress.advance(task, len(chunk))
    finally:
        if progress is not None:
            progress.stop()
    return time.perf_counter() - t0
