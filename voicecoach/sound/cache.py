"""The speech cache: rendered phrases on disk, so that a warm start synthesizes nothing.

A clip is returned only for exactly the phrase it was made from: the same engine, voice and rate
(the synthesizer's key), the same text, the same stream rate, and intact (its length and checksum);
anything else is stale and is made again.

Imports: numpy, voicecoach.fileio, voicecoach.sound.tones (the `Samples` type).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

from voicecoach.fileio import write_atomic
from voicecoach.sound.tones import Samples

_MAGIC = b"VCSP2\n"  # 2: the phrase's key and text inside; 5 ms of silence before a phrase instead of 15
_HEADER = struct.Struct("<6sIIQI")  # magic, rate, crc32 of the samples, frame count, length of the name


def _name(key: str, text: str) -> bytes:
    return f"{key}\n{text}".encode()


def _samples_offset(name_len: int) -> int:
    """Where the samples start: after the header and the name, at a multiple of 8 bytes."""
    return -(-(_HEADER.size + name_len) // 8) * 8


class SpeechCache:
    """Rendered phrases on disk, keyed by engine, voice, rate and text; corrupt entries are redone.

    A file is named by two 32-bit checksums of its key and text (zlib's: hashlib's OpenSSL costs
    ~9 ms to import, and first sound counts) and holds that key and text, so a clip is only ever
    returned for exactly the phrase it was made from, even if two names collide.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_for(self, key: str, text: str) -> Path:
        name = _name(key, text)
        digest = f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}"
        return self.directory / digest[:2] / f"{digest}.pcm"

    def get(self, key: str, text: str, rate_hz: int) -> Samples | None:
        """The cached clip, or None if absent, truncated, corrupt, at another rate or of another phrase."""
        try:
            raw = self.path_for(key, text).read_bytes()
        except OSError:
            return None
        if len(raw) < _HEADER.size:
            return None
        magic, rate, crc, frames, name_len = _HEADER.unpack_from(raw)
        start = _samples_offset(name_len)
        body = memoryview(raw)[start:]
        if (magic != _MAGIC or rate != rate_hz or len(body) != 4 * frames
                or raw[_HEADER.size:_HEADER.size + name_len] != _name(key, text) or zlib.crc32(body) != crc):
            return None
        return np.frombuffer(raw, dtype="<f4", offset=start)  # no copy: clips are read-only

    def put(self, key: str, text: str, rate_hz: int, clip: Samples) -> None:
        body = np.asarray(clip, dtype="<f4").tobytes()
        name = _name(key, text)
        head = _HEADER.pack(_MAGIC, rate_hz, zlib.crc32(body), len(clip), len(name)) + name
        head += bytes(_samples_offset(len(name)) - len(head))
        try:
            write_atomic(self.path_for(key, text), head + body, make_dirs=True)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def clear(self) -> int:
        """Remove every cached phrase; return how many files were removed."""
        removed = 0
        if not self.directory.exists():
            return 0
        for f in sorted(self.directory.rglob("*.pcm")):
            f.unlink(missing_ok=True)
            removed += 1
        for d in sorted((p for p in self.directory.rglob("*") if p.is_dir()), reverse=True):
            try:
                d.rmdir()
            except OSError:
                pass
        return removed
