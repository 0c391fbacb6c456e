"""Writes a `Mix` to an audio file (WAV, FLAC, Ogg Vorbis) atomically, with a progress bar.

Imports: soundfile, rich (progress), voicecoach.fileio, voicecoach.sound.mixer, voicecoach.errors.
"""

from __future__ import annotations

import time
from pathlib import Path

from voicecoach.errors import UsageError
from voicecoach.fileio import atomic_path, check_writable
from voicecoach.sound.mixer import Mix

FORMATS = {".wav": ("WAV", "PCM_16"), ".flac": ("FLAC", "PCM_16"), ".ogg": ("OGG", "VORBIS")}


def check_target(target: Path) -> None:
    """Whether a rendered session can be written to `target`: a format we write, in a folder that takes it.

    Raises:
        UsageError: another extension, or a file that cannot be made there (see `fileio.check_writable`).
    """
    if target.suffix.lower() not in FORMATS:
        raise UsageError(f"voicecoach: error: cannot write {target}: the extension must be .wav, .flac or .ogg")
    check_writable(target)


def write_mix(mix: Mix, target: Path, show_progress: bool = False) -> float:
    """Write the whole of `mix` to `target` (format by extension); return the seconds it took.

    Raises:
        UsageError: an extension that is not .wav, .flac or .ogg, or a file that cannot be made there.
        WriteError: writing failed on the way (disk full): nothing is left behind.
    """
    import soundfile

    check_target(target)
    ext = target.suffix.lower()
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
